import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSourceFile } from '../../pipeline/load.js';
import { annotatedTemplate, sourceLine, templateAt, TRAILING_BLANKS, withTemplate, type TemplateIndex } from './template-names.js';
import { stepGrowth } from '../../../test/helpers/regex-steps.js';

const docs = (text: string) => parseSourceFile({ path: '<stdin>', text });

describe('sourceLine', () => {
  it('reads the first `# Source: ` line between a document\'s --- and its content', () => {
    const text = '---\n# Source: a/templates/x.yaml\n# Source: a/templates/second.yaml\nkind: A\n---\n# not a source\nkind: B\n';
    assert.deepEqual(docs(text).map((d) => sourceLine(text, d)), ['a/templates/x.yaml', undefined]);
  });

  it('reads it in a document without content (comments only) too, and drops trailing blanks and CR', () => {
    const text = '---\r\n# Source: a/templates/only-comments.yaml \r\n# nothing\r\n';
    assert.deepEqual(docs(text).map((d) => sourceLine(text, d)), ['a/templates/only-comments.yaml']);
  });

  it('does not take a # Source: line from inside the content (a block scalar) or the previous document', () => {
    const text = '---\n# Source: a/templates/x.yaml\nkind: A\ndata: |\n  # Source: fake\n---\nkind: B\n';
    assert.deepEqual(docs(text).map((d) => sourceLine(text, d)), ['a/templates/x.yaml', undefined]);
  });

  it('ignores an empty value, one with a character Go cannot read back in a comment, and one over 4096 characters', () => {
    for (const bad of ['', '\u0007bell', 'a\u2028b', 'x\ufffe', 'x\uffff', 'a'.repeat(4097)]) {
      const text = `---\n# Source: ${bad}\nkind: A\n`;
      assert.equal(sourceLine(text, docs(text)[0] as never), undefined, JSON.stringify(bad));
    }
  });
});

describe('TRAILING_BLANKS', () => {
  const cases: Array<[string, string]> = [
    ['a/templates/x.yaml', 'a/templates/x.yaml'],
    ['a/templates/x.yaml \t\r', 'a/templates/x.yaml'],
    ['a/templates/my file.yaml  ', 'a/templates/my file.yaml'],
    ['a b\tc \r', 'a b\tc'],
    ['   ', ''],
  ];
  for (const [line, want] of cases) {
    it(`trims ${JSON.stringify(line)} to ${JSON.stringify(want)}`, () => assert.equal(line.replace(TRAILING_BLANKS, ''), want));
  }

  it('searches in steps linear in a run of blanks that does not end the line (no quadratic rescan of the run)', () => {
    for (const blank of [' ', '\t', '\r', ' \t']) {
      const growth = stepGrowth(TRAILING_BLANKS.source, (n) => `a/templates/x.yaml${blank.repeat(n)}y`);
      assert.ok(growth < 2.5, `doubling the blanks multiplied the steps by ${growth.toFixed(2)} (linear: about 2)`);
    }
  });
});

describe('annotatedTemplate', () => {
  it('is the postrenderer.helm.sh/postrender-filename annotation when it is a usable string', () => {
    const withName = (v: unknown) => ({ metadata: { annotations: { 'postrenderer.helm.sh/postrender-filename': v } } });
    assert.equal(annotatedTemplate(withName('c/templates/a.yaml')), 'c/templates/a.yaml');
    for (const v of [7, '', 'x\ny', 'x\uffff', 'a'.repeat(4097), undefined]) assert.equal(annotatedTemplate(withName(v)), undefined);
    assert.equal(annotatedTemplate(withName('a'.repeat(4096))), 'a'.repeat(4096));
    for (const v of [null, 'text', {}, { metadata: null }, { metadata: { annotations: 'x' } }]) assert.equal(annotatedTemplate(v), undefined);
  });
});

describe('templateAt / withTemplate', () => {
  const index: TemplateIndex = [{ line: 3, column: 1, template: 'a' }, { line: 10, column: 1, template: undefined }, { line: 20, column: 1, template: 'c' }, { line: 24, column: 1, template: 'd' }];
  it('is the template of the last entry starting at or before the line', () => {
    assert.deepEqual([1, 3, 9, 10, 19, 20, 23, 24, 1000].map((l) => templateAt(index, l)), [undefined, 'a', 'a', undefined, undefined, 'c', 'c', 'd', 'd']);
    assert.equal(templateAt([], 5), undefined);
  });
  it('tells apart entries on one line by their column (the items of a flow-style List)', () => {
    const flow: TemplateIndex = [{ line: 4, column: 1, template: 'list' }, { line: 4, column: 9, template: 'bad' }, { line: 4, column: 60, template: 'good' }];
    assert.deepEqual([[4, 1], [4, 9], [4, 30], [4, 60], [4, 99], [5, 1]].map(([l, c]) => templateAt(flow, l as number, c)), ['list', 'bad', 'bad', 'good', 'good', 'good']);
  });
  it('adds the template to a position in the stream only', () => {
    assert.deepEqual(withTemplate({ file: '<stdin>', line: 21, column: 1 }, '<stdin>', index), { file: '<stdin>', line: 21, column: 1, template: 'c' });
    const other = { file: 'mesh.yaml', line: 21, column: 1 };
    assert.equal(withTemplate(other, '<stdin>', index), other);
    const unnamed = { file: '<stdin>', line: 12, column: 1 };
    assert.equal(withTemplate(unnamed, '<stdin>', index), unnamed);
    assert.equal(withTemplate(undefined, '<stdin>', index), undefined);
  });
});
