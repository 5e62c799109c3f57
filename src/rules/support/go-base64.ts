/**
 * Base64 as the Kubernetes API server decodes a []byte field (core/v1 Secret.data and
 * ConfigMap.binaryData, kubernetes/api core/v1/types.go at v0.34.1): the JSON decoder
 * (sigs.k8s.io/json, a fork of Go's encoding/json; apimachinery v0.34.1
 * pkg/runtime/serializer/json/json.go) hands the string to encoding/base64 StdEncoding.Decode.
 * This scanner follows that decoder's rules (Go go1.19.8 src/encoding/base64/base64.go,
 * decodeQuantum; the same on golang/go master): characters of the standard alphabet in groups of
 * four; `\r` and `\n` skipped wherever they are; a last group of two or three characters padded
 * with `==` or `=` (padding is required), the two `=` may have line breaks between them; nothing
 * but line breaks after the padding. Why code and not a schema pattern: a pattern that counts
 * groups of four runs out of V8's backtracking stack on a value of a few MiB (it threw "Maximum
 * call stack size exceeded" at 16 MiB), where this loop is linear and needs no stack.
 * test/go-base64/secret-data.test.ts checks it against Go's decoder itself.
 */

/** Whether `c` is one of the 64 characters of the standard alphabet (RFC 4648 table 1). */
function inAlphabet(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '+' || c === '/';
}

const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';

/** A character as a reader sees it in a message. */
function named(c: string): string {
  if (c === ' ') return 'a blank';
  if (c === '\t') return 'a tab';
  if (c === '-' || c === '_') return `"${c}" (URL-safe base64; the API server reads only the standard alphabet, + and /)`;
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code > 0x7e ? `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;
}

/**
 * Why Go's base64.StdEncoding refuses `value`, with the 1-based character where it stops, or
 * undefined when it decodes the value (the empty string and line breaks alone included).
 */
export function goBase64Problem(value: string): string | undefined {
  let inGroup = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (inAlphabet(c)) {
      inGroup = (inGroup + 1) % 4;
      continue;
    }
    if (isLineBreak(c)) continue;
    if (c !== '=') return `${named(c)} at character ${i + 1}`;
    if (inGroup < 2) return `"=" at character ${i + 1}, where no padding can be (= only ends a last group of two or three characters)`;
    let j = i + 1;
    if (inGroup === 2) {
      while (isLineBreak(value[j])) j++;
      if (j === value.length) return `only one "=" at character ${i + 1}: a last group of two characters is padded with "=="`;
      if (value[j] !== '=') return `one "=" at character ${i + 1} where the last group of two characters needs "=="`;
      j++;
    }
    while (isLineBreak(value[j])) j++;
    return j < value.length ? `text after the "=" padding, at character ${j + 1}` : undefined;
  }
  if (inGroup === 1) return 'a last group of one character (the length without line breaks must be a multiple of four)';
  if (inGroup > 1) return `no "=" padding: the last group has ${inGroup} characters and needs ${'='.repeat(4 - inGroup)}`;
  return undefined;
}
