/**
 * Whether a stream may carry ANSI colour, decided per stream (stdout and stderr separately, so
 * `meshplane check > file` from a terminal writes a clean file while stderr stays coloured).
 *
 * Order, first match wins:
 * 1. `--color always|never` (a per-run argument overrides the environment, as no-color.org asks);
 * 2. FORCE_COLOR, with Node's reading of it (nodejs/node lib/internal/tty.js `getColorDepth`, read
 *    at commit 0f01f38): `''`, `1`, `true`, `2`, `3` enable colour, any other value (`0`, `false`)
 *    disables it, and it wins over NO_COLOR. Like chalk's supports-color, enabling also applies
 *    when the stream is not a terminal (that is what the variable is for: CI logs);
 * 3. NO_COLOR set to a non-empty value disables colour (no-color.org: "when present and not an
 *    empty string (regardless of its value)"); TERM=dumb disables it (terminfo's dumb terminal,
 *    as in Node's getColorDepth);
 * 4. otherwise colour only when the stream is a terminal.
 */

/** The values of `--color`. */
export type ColorMode = 'auto' | 'always' | 'never';

/** FORCE_COLOR values that enable colour (Node's getColorDepth; every other value disables). */
const FORCE_ON = ['', '1', 'true', '2', '3'];

/** True when a stream that is (or is not) a terminal may carry colour under `mode` and `env`. */
export function colorFor(mode: ColorMode, isTTY: boolean, env: Record<string, string | undefined>): boolean {
  if (mode !== 'auto') return mode === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return FORCE_ON.includes(force);
  if ((env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb') return false;
  return isTTY;
}
