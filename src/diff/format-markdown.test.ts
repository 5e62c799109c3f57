/**
 * `meshplane diff --output markdown`: the pull-request comment. The expected comment is written
 * out by hand from the layout the module promises (marker, summary table, guardrails, moves,
 * resource table, one <details> per resource in review order, hidden noise), and the edges a
 * reviewer meets are pinned: the size limit, the whole-object line cap, label clipping,
 * escaping of user text, and fences longer than any backtick run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDiff } from './diff-objects.js';
import { COMMENT_MARKER, formatMarkdown, MARKDOWN_LIMIT, WHOLE_OBJECT_LINES } from './format-markdown.js';
import type { DiffReport } from './report.js';
import { fullDiffReport as fullReport } from '../../test/helpers/diff-report.js';

const FULL = [
  '<!-- meshplane-diff -->\n',
  '### Meshplane diff\n',
  '\n',
  '<code>origin/main</code> → <code>examples/canary</code>: 3 added, 2 removed, 1 changed, 7 unchanged; 1 noise field hidden\n',
  '\n',
  '| added | removed | changed | unchanged | hidden noise |\n',
  '| ---: | ---: | ---: | ---: | ---: |\n',
  '| 3 | 2 | 1 | 7 | 1 |\n',
  '\n',
  '**Istio patch: asm-1-30 1.30.2-2 → 1.30.3-1 (images 1.30.2-2-distroless → 1.30.3-1-distroless)**\n',
  '\n',
  '**Guardrails (head):** 1 error, 1 warning\n\n',
  '| severity | rule | resource | where | message |\n',
  '| --- | --- | --- | --- | --- |\n',
  '| error | <code>forbidden-kind</code> | <code>networking.istio.io/EnvoyFilter/shop/x</code> | <code>shop.yaml:3:1</code> | not allowed — fix: remove it |\n',
  '| warning | <code>revision-end-of-life</code> | <code>core/Namespace/_cluster/shop</code> |  | ends soon — fix: upgrade |\n',
  '\n',
  '#### Namespaces changing revision (1)\n\n',
  '- shop: asm-1-29 → asm-1-30 (istio.io/rev: wave-1)\n',
  '\n',
  '#### Moved between revisions\n\n',
  '<details><summary><code>asm-1-29</code> → <code>asm-1-30</code>: 3 renamed, 1 relabelled</summary>\n',
  '\n',
  '- renamed <code>core/Service/x/a-asm-1-29</code> → <code>core/Service/x/a-asm-1-30</code>: identical besides the revision\n',
  '- renamed <code>core/Service/x/b-asm-1-29</code> → <code>core/Service/x/b-asm-1-30</code>: 1 other line differs\n',
  '\n',
  '  ```diff\n',
  '  @@ -1 +1 @@\n',
  '  -  port: 1\n',
  '  ```\n',
  '- renamed <code>core/Service/x/c-asm-1-29</code> → <code>core/Service/x/c-asm-1-30</code>: 2 other lines differ\n',
  '\n',
  '  ```diff\n',
  '  @@ -1,2 +1,2 @@\n',
  '   kind: Service\n',
  '  -  port: 1\n',
  '  +  port: 2\n',
  '  ```\n',
  '- relabelled <code>core/Namespace/_cluster/shop</code>\n',
  '\n',
  '</details>\n\n',
  '#### Resources\n\n',
  '| change | resource | lines |\n',
  '| --- | --- | ---: |\n',
  '| changed | <code>core/ConfigMap/ns/a</code> | +1 -1 |\n',
  '| added | <code>core/ConfigMap/ns/new</code> | +1 |\n',
  '| removed | <code>core/ConfigMap/ns/old</code> | -1 |\n',
  '| removed | <code>core/Service/x/a-asm-1-29</code> | -1 |\n',
  '| added | <code>core/Service/x/a-asm-1-30</code> | +1 |\n',
  '| added | <code>security.istio.io/PeerAuthentication/x/default</code> | +1 |\n',
  '\n',
  // Review order: the security-relevant PeerAuthentication first, then changed, removed, added.
  '<details><summary>added <code>security.istio.io/PeerAuthentication/x/default</code> (+1)</summary>\n\n```diff\n@@ -0,0 +1 @@\n+kind: PeerAuthentication\n```\n\n</details>\n\n',
  '<details><summary>changed <code>core/ConfigMap/ns/a</code> (+1 -1)</summary>\n\n```diff\n@@ -1,2 +1,2 @@\n data:\n-  value: "1"\n+  value: "2"\n```\n\n</details>\n\n',
  '<details><summary>removed <code>core/ConfigMap/ns/old</code> (-1)</summary>\n\n```diff\n@@ -1 +0,0 @@\n-kind: ConfigMap\n```\n\n</details>\n\n',
  '<details><summary>removed <code>core/Service/x/a-asm-1-29</code> (-1)</summary>\n\nreplaced by core/Service/x/a-asm-1-30 (see "Moved between revisions")\n\n</details>\n\n',
  '<details><summary>added <code>core/ConfigMap/ns/new</code> (+1)</summary>\n\n```diff\n@@ -0,0 +1 @@\n+kind: ConfigMap\n```\n\n</details>\n\n',
  '<details><summary>added <code>core/Service/x/a-asm-1-30</code> (+1)</summary>\n\nreplaces core/Service/x/a-asm-1-29 (see "Moved between revisions")\n\n</details>\n\n',
  '<details><summary>Hidden noise: 1 field (run with <code>--show-noise</code> to see them)</summary>\n\n- <code>apps/Deployment/x/istiod</code>: <code>metadata.labels["helm.sh/chart"]</code>\n\n</details>\n',
].join('');

const empty = (over: Partial<DiffReport> = {}): DiffReport => ({ base: 'a', head: 'b', noiseShown: false, guardrails: { ran: true, violations: [] }, result: { summary: { added: 0, removed: 0, changed: 0, unchanged: 0, hidden: 0 }, namespaceMoves: [], refusedUpdates: [], moves: [], resources: [], hidden: [] }, ...over });
const added = (key: string, lines: string[]): ResourceDiff => ({ key, change: 'added', lines, additions: lines.length, deletions: 0 });

describe('formatMarkdown, everything fits', () => {
  it('is the whole comment, section by section', () => {
    assert.equal(formatMarkdown(fullReport()), FULL);
  });

  it('the default limit is GitHub\'s comment limit, and the marker is what the CI example looks for', () => {
    assert.equal(MARKDOWN_LIMIT, 65_536);
    assert.equal(COMMENT_MARKER, '<!-- meshplane-diff -->');
    assert.equal(WHOLE_OBJECT_LINES, 150);
  });

  it('a comment of exactly the limit is printed whole; one character less and it is cut', () => {
    assert.equal(formatMarkdown(fullReport(), FULL.length), FULL);
    const cut = formatMarkdown(fullReport(), FULL.length - 1);
    assert.ok(cut.includes(`> **Cut to fit:** the whole comment would be ${FULL.length.toLocaleString('en-US')} characters`), cut.slice(0, 600));
    assert.ok(cut.length <= FULL.length - 1);
    // What fits is kept whole: the moves sections as in the full comment.
    const movesStart = FULL.indexOf('#### Namespaces changing revision');
    assert.ok(cut.includes(FULL.slice(movesStart, FULL.indexOf('#### Resources'))), 'the moves sections, byte for byte');
  });

  it('a renamed pair without a residual list is identical besides the revision', () => {
    const r = fullReport();
    const move = r.result.moves[0];
    assert.ok(move);
    move.residual = [];
    assert.ok(formatMarkdown(r).includes('- renamed <code>core/Service/x/c-asm-1-29</code> → <code>core/Service/x/c-asm-1-30</code>: identical besides the revision\n- relabelled'));
  });

  it('nothing changed: the table says so, no sections without content, "shown" when noise is shown', () => {
    const md = formatMarkdown(empty({ noiseShown: true }));
    assert.equal(md, [
      '<!-- meshplane-diff -->\n### Meshplane diff\n\n<code>a</code> → <code>b</code>: 0 added, 0 removed, 0 changed, 0 unchanged\n\n',
      '| added | removed | changed | unchanged | hidden noise |\n| ---: | ---: | ---: | ---: | ---: |\n| 0 | 0 | 0 | 0 | shown |\n\n',
      '**Guardrails (head):** no violations\n\n',
      'No resource changes.\n\n',
    ].join(''));
  });

  it('several hidden noise fields: plural', () => {
    const md = formatMarkdown(empty({ result: { summary: { added: 0, removed: 0, changed: 0, unchanged: 1, hidden: 2 }, namespaceMoves: [], refusedUpdates: [], moves: [], resources: [], hidden: [{ key: 'k', path: 'p' }, { key: 'k', path: 'q' }] } }));
    assert.ok(md.endsWith('<details><summary>Hidden noise: 2 fields (run with <code>--show-noise</code> to see them)</summary>\n\n- <code>k</code>: <code>p</code>\n- <code>k</code>: <code>q</code>\n\n</details>\n'), md);
  });
});

describe('formatMarkdown, user text', () => {
  it('escapes HTML, ampersands and table pipes everywhere user text lands', () => {
    const md = formatMarkdown(empty({
      base: 'a&b', head: '<img src=x>',
      guardrails: { ran: false, violations: [], note: 'x | <b>y</b> & z' },
      result: { summary: { added: 1, removed: 0, changed: 0, unchanged: 0, hidden: 0 }, namespaceMoves: [{ namespace: '<ns>', labelFrom: 'a|b', labelTo: 'a|b', from: 'r1', to: 'r2' }], refusedUpdates: [], moves: [], resources: [added('core/ConfigMap/n/<x>|y', ['+a'])], hidden: [] },
    }));
    assert.ok(md.includes('<code>a&amp;b</code> → <code>&lt;img src=x&gt;</code>'));
    assert.ok(md.includes('**Guardrails (head):** not run (x &#124; &lt;b&gt;y&lt;/b&gt; &amp; z)\n\n'));
    assert.ok(md.includes('- &lt;ns&gt;: r1 → r2 (istio.io/rev: a&#124;b)\n'));
    assert.ok(md.includes('| added | <code>core/ConfigMap/n/&lt;x&gt;&#124;y</code> | +1 |\n'));
    assert.ok(md.includes('<details><summary>added <code>core/ConfigMap/n/&lt;x&gt;&#124;y</code> (+1)</summary>'));
    assert.doesNotMatch(md, /<img|<b>|<ns>/);
  });

  it('escapes the message and remediation of a finding', () => {
    const md = formatMarkdown(empty({ guardrails: { ran: true, violations: [{ ruleId: 'r', severity: 'error', resource: 'core/Pod/n/p', message: '<script>', remediation: 'a | b' }] } }));
    assert.ok(md.includes('| error | <code>r</code> | <code>core/Pod/n/p</code> |  | &lt;script&gt; — fix: a &#124; b |\n'));
  });

  const labels: Array<[string, number, string]> = [
    ['a label of 200 characters is shown whole', 200, `<code>${'p'.repeat(200)}</code> →`],
    ['a longer label is clipped to 200 characters and an ellipsis', 201, `<code>${'p'.repeat(200)}…</code> →`],
  ];
  for (const [name, length, want] of labels) {
    it(name, () => assert.ok(formatMarkdown(empty({ base: 'p'.repeat(length) })).includes(want)));
  }

  const fences: Array<[string, string[], string]> = [
    ['no backticks: a three-backtick fence', ['+a'], '```diff\n+a\n```\n'],
    ['a run of three: a fence of four', ['+a ``` b', '+`c`'], '````diff\n+a ``` b\n+`c`\n````\n'],
    ['a run of five: a fence of six', ['+`````'], '``````diff\n+`````\n``````\n'],
  ];
  for (const [name, lines, want] of fences) {
    it(`fences: ${name}`, () => assert.ok(formatMarkdown(empty({ result: { ...empty().result, resources: [added('core/ConfigMap/n/a', lines)] } })).includes(`</summary>\n\n${want}`)));
  }
});

describe('formatMarkdown, large added or removed objects', () => {
  const lines = (n: number): string[] => ['@@ -0,0 +1 @@', ...Array.from({ length: n - 1 }, (_, i) => `+l${i + 1}`)];
  const body = (r: ResourceDiff): string => {
    const md = formatMarkdown(empty({ result: { ...empty().result, resources: [r] } }));
    return md.slice(md.indexOf('</summary>'), md.indexOf('</details>'));
  };

  it('shows a whole object of 150 lines plus its hunk header', () => {
    const b = body(added('core/ConfigMap/n/a', lines(WHOLE_OBJECT_LINES + 1)));
    assert.ok(b.includes('+l150\n```\n\n'));
    assert.doesNotMatch(b, /more line/);
  });

  it('cuts one line more, and says exactly how many are left out and where they are', () => {
    const b = body(added('core/ConfigMap/n/a', lines(WHOLE_OBJECT_LINES + 2)));
    assert.ok(b.includes('+l150\n```\n\n…and 1 more line (`--output text` prints the whole object).\n\n'), b.slice(-200));
    assert.doesNotMatch(b, /\+l151/);
  });

  it('a removed object is cut the same way', () => {
    const b = body({ key: 'core/ConfigMap/n/a', change: 'removed', lines: lines(WHOLE_OBJECT_LINES + 11).map((l) => l.replace(/^\+/, '-')), additions: 0, deletions: 160 });
    assert.ok(b.includes('-l150\n```\n\n…and 10 more lines (`--output text` prints the whole object).'));
  });

  it('never cuts a change to an existing object', () => {
    const b = body({ key: 'core/ConfigMap/n/a', change: 'changed', lines: lines(400), additions: 399, deletions: 0 });
    assert.ok(b.includes('+l399\n```'));
    assert.doesNotMatch(b, /more line/);
  });
});

describe('formatMarkdown, updates the API server will refuse', () => {
  const refused = { key: 'grafana.integreatly.org/GrafanaDashboard/aks-istio-system/istio-mesh', ruleId: 'grafanadashboard-instance-selector', field: 'spec.instanceSelector', message: 'spec.instanceSelector changes', fix: 'delete it <first>' };
  const withRefused = (): DiffReport => {
    const r = fullReport();
    r.result.refusedUpdates = [refused];
    return r;
  };

  it('warns right under the summary, each with its fix, escaped', () => {
    const md = formatMarkdown(withRefused());
    const block = '**Will be refused by the API server (1 change to an immutable field)**\n\n- <code>grafana.integreatly.org/GrafanaDashboard/aks-istio-system/istio-mesh</code>: spec.instanceSelector changes. Fix: delete it &lt;first&gt;.\n\n';
    assert.ok(md.includes(block), md.slice(0, 1200));
    assert.ok(md.indexOf(block) < md.indexOf('**Guardrails (head):**'), 'before the guardrails');
  });

  it('keeps the warning when the comment is cut to fit', () => {
    const full = formatMarkdown(withRefused());
    const cut = formatMarkdown(withRefused(), full.length - 1);
    assert.ok(cut.includes('> **Cut to fit:**'));
    assert.ok(cut.includes('**Will be refused by the API server (1 change to an immutable field)**'), cut.slice(0, 1200));
  });

  it('says nothing when there is none', () => {
    assert.ok(!formatMarkdown(fullReport()).includes('refused by the API server'));
  });
});
