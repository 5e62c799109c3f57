/**
 * The exhaustive inputs both Go base64 oracle tests (secret-data, crd-byte) run besides their
 * named tables: every string up to a small length over an alphabet with one character of each
 * class Go's base64 checks treat differently.
 */

/** Why these: the alphabet, `=`, `\n`, `\r`, a blank and a URL-safe character, one each. */
export const SMALL_ALPHABET: readonly string[] = ['A', '/', '=', '\n', '\r', ' ', '-'];

/** 7^0 + … + 7^6 = 137,257 strings: long enough for a full quantum of four and the start of the next. */
export const EXHAUSTIVE_LENGTH = 6;

/** Every string over `alphabet` of length 0 to `maxLength`, shortest first. */
export function everyString(alphabet: readonly string[], maxLength: number): string[] {
  const out = [''];
  let level = [''];
  for (let n = 1; n <= maxLength; n++) {
    level = level.flatMap((p) => alphabet.map((c) => p + c));
    out.push(...level);
  }
  return out;
}
