import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cell, code } from './markdown.js';

describe('markdown escaping', () => {
  const cells: Array<[string, string, string]> = [
    ['plain words stay readable', 'namespace shop lacks istio.io/rev', 'namespace shop lacks istio.io/rev'],
    ['raw HTML becomes text', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['a pipe cannot split the table', 'a|b', 'a\\|b'],
    ['backticks, emphasis and links are literal', '`x` *y* [z](u)', '\\`x\\` \\*y\\* \\[z\\](u)'],
    ['an @mention notifies nobody', 'ping @team', 'ping @\u200bteam'],
    ['a line break stays in the cell', 'a\nb\r\nc', 'a b c'],
    ['entities are not decoded', '&lt;', '&amp;lt;'],
  ];
  for (const [name, input, want] of cells) it(`cell: ${name}`, () => assert.equal(cell(input), want));

  const spans: Array<[string, string, string]> = [
    ['no backticks: one-backtick fence', 'a/b', '`a/b`'],
    ['a backtick inside: a longer fence', 'a`b', '``a`b``'],
    ['a leading backtick: padded', '`a', '`` `a ``'],
    ['a pipe is escaped even in code (GFM splits rows first)', 'a|b', '`a\\|b`'],
    ['HTML stays literal inside the span', '<b>', '`<b>`'],
  ];
  for (const [name, input, want] of spans) it(`code: ${name}`, () => assert.equal(code(input), want));
});
