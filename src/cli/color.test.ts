import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { colorFor, type ColorMode } from './color.js';

describe('colorFor', () => {
  // Expectations from no-color.org and Node's lib/internal/tty.js getColorDepth (see color.ts).
  const cases: Array<{ name: string; mode?: ColorMode; tty: boolean; env?: Record<string, string>; want: boolean }> = [
    { name: 'a terminal gets colour', tty: true, want: true },
    { name: 'a file or pipe gets none', tty: false, want: false },
    { name: 'NO_COLOR disables', tty: true, env: { NO_COLOR: '1' }, want: false },
    { name: 'NO_COLOR with any value disables', tty: true, env: { NO_COLOR: 'false' }, want: false },
    { name: 'an empty NO_COLOR is ignored (no-color.org)', tty: true, env: { NO_COLOR: '' }, want: true },
    { name: 'TERM=dumb disables', tty: true, env: { TERM: 'dumb' }, want: false },
    { name: 'FORCE_COLOR=1 enables off a terminal', tty: false, env: { FORCE_COLOR: '1' }, want: true },
    { name: 'an empty FORCE_COLOR enables', tty: false, env: { FORCE_COLOR: '' }, want: true },
    { name: 'FORCE_COLOR=3 enables', tty: false, env: { FORCE_COLOR: '3' }, want: true },
    { name: 'FORCE_COLOR=0 disables on a terminal', tty: true, env: { FORCE_COLOR: '0' }, want: false },
    { name: 'FORCE_COLOR=false disables', tty: true, env: { FORCE_COLOR: 'false' }, want: false },
    { name: 'FORCE_COLOR wins over NO_COLOR', tty: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' }, want: true },
    { name: '--color always wins over NO_COLOR', mode: 'always', tty: false, env: { NO_COLOR: '1' }, want: true },
    { name: '--color never wins over FORCE_COLOR', mode: 'never', tty: true, env: { FORCE_COLOR: '1' }, want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(colorFor(c.mode ?? 'auto', c.tty, c.env ?? {}), c.want));
});
