import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { yamlBlocks } from './markdown-blocks.js';

describe('yamlBlocks', () => {
  // [name, markdown, expected blocks]
  const cases: Array<[string, string, Array<{ line: number; text: string }>]> = [
    ['a top-level block', 'intro\n\n```yaml\nkind: Application\n```\n', [{ line: 3, text: 'kind: Application\n' }]],
    ['yml and a trailing space after the info string', '```yml \na: 1\n```\n', [{ line: 1, text: 'a: 1\n' }]],
    [
      // A numbered step of a how-to: the fence and the YAML are indented to the item's content.
      'a block inside a list item, dedented by its fence',
      '1. Create the Application:\n\n   ```yaml\n   kind: Application\n   spec:\n     project: default\n   ```\n',
      [{ line: 3, text: 'kind: Application\nspec:\n  project: default\n' }],
    ],
    ['two blocks, other languages left out', '```sh\nkubectl get\n```\n```yaml\na: 1\n```\n\n```yaml\nb: 2\n```\n', [{ line: 4, text: 'a: 1\n' }, { line: 8, text: 'b: 2\n' }]],
    ['a longer fence closes only with as many backticks', '````yaml\na: |\n  ```\n````\n', [{ line: 1, text: 'a: |\n  ```\n' }]],
    ['an unclosed block is not a block', '```yaml\na: 1\n', []],
  ];
  for (const [name, markdown, want] of cases) it(name, () => assert.deepEqual(yamlBlocks(markdown), want));
});
