import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { terminalSafe } from './terminal-text.js';

describe('terminalSafe', () => {
  const table: Array<[string, string, string]> = [
    ['plain text is unchanged', 'apps/gw.yaml: ok é ✓', 'apps/gw.yaml: ok é ✓'],
    ['a newline cannot start a forged line', 'a\nerror[internal]: forged', 'a\\nerror[internal]: forged'],
    ['a carriage return cannot overwrite the line', 'safe\rEVIL', 'safe\\rEVIL'],
    ['ANSI escapes are shown, not run', '\u001b[2J\u001b[31mred', '\\u001b[2J\\u001b[31mred'],
    ['tabs, DEL and C1 controls', 'a\tb\u007fc\u009bd', 'a\\tb\\u007fc\\u009bd'],
    ['bidi overrides (Trojan Source) and line separators', 'x\u202ey\u2066z\u2028', 'x\\u202ey\\u2066z\\u2028'],
  ];
  for (const [name, input, want] of table) it(name, () => assert.equal(terminalSafe(input), want));
});
