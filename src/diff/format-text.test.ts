/**
 * `meshplane diff --output text`: what a reviewer reads in a terminal or a CI log. The expected
 * texts are written out by hand from the layout the module promises (summary, guardrails,
 * namespace moves, revision moves, one section per resource, hidden noise), so any change to a
 * line a reader sees fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from './format-text.js';
import type { DiffReport } from './report.js';
import { fullDiffReport as fullReport } from '../../test/helpers/diff-report.js';

const PLAIN = `meshplane diff: origin/main → examples/canary
3 added, 2 removed, 1 changed, 7 unchanged; 1 noise field hidden
Istio patch: asm-1-30 1.30.2-2 → 1.30.3-1 (images 1.30.2-2-distroless → 1.30.3-1-distroless)

Guardrails (head): 1 error, 1 warning
  error forbidden-kind networking.istio.io/EnvoyFilter/shop/x (shop.yaml:3:1): not allowed
    fix: remove it
  warning revision-end-of-life core/Namespace/_cluster/shop: ends soon
    fix: upgrade

Namespaces changing revision (1):
  shop: asm-1-29 → asm-1-30 (istio.io/rev: wave-1)

Moved between revisions:
  asm-1-29 → asm-1-30: 3 renamed, 1 relabelled
    renamed core/Service/x/a-asm-1-29 → core/Service/x/a-asm-1-30 (identical besides the revision)
    renamed core/Service/x/b-asm-1-29 → core/Service/x/b-asm-1-30 (1 other line differs)
      @@ -1 +1 @@
      -  port: 1
    renamed core/Service/x/c-asm-1-29 → core/Service/x/c-asm-1-30 (2 other lines differ)
      @@ -1,2 +1,2 @@
       kind: Service
      -  port: 1
      +  port: 2
    relabelled core/Namespace/_cluster/shop

~ changed core/ConfigMap/ns/a (+1 -1)
    @@ -1,2 +1,2 @@
     data:
    -  value: "1"
    +  value: "2"

+ added core/ConfigMap/ns/new (+1)
    @@ -0,0 +1 @@
    +kind: ConfigMap

- removed core/ConfigMap/ns/old (-1)
    @@ -1 +0,0 @@
    -kind: ConfigMap

- removed core/Service/x/a-asm-1-29 (-1)
    replaced by core/Service/x/a-asm-1-30 (see "Moved between revisions")

+ added core/Service/x/a-asm-1-30 (+1)
    replaces core/Service/x/a-asm-1-29 (see "Moved between revisions")

+ added security.istio.io/PeerAuthentication/x/default (+1)
    @@ -0,0 +1 @@
    +kind: PeerAuthentication

Hidden noise (differs, not shown; run with --show-noise to see it):
  apps/Deployment/x/istiod: metadata.labels["helm.sh/chart"]
`;

describe('formatText', () => {
  it('prints every section a reviewer needs, in order, without colour', () => {
    assert.equal(formatText(fullReport(), { colour: false }), PLAIN);
  });

  it('with colour: bold headings, red errors and removals, yellow warnings and changes, green additions, cyan hunks', () => {
    const b = (t: string) => `\u001b[1m${t}\u001b[0m`;
    const red = (t: string) => `\u001b[31m${t}\u001b[0m`;
    const green = (t: string) => `\u001b[32m${t}\u001b[0m`;
    const cyan = (t: string) => `\u001b[36m${t}\u001b[0m`;
    const yellow = (t: string) => `\u001b[33m${t}\u001b[0m`;
    const text = formatText(fullReport(), { colour: true }).split('\n');
    const expected = [
      b('meshplane diff: origin/main → examples/canary'),
      b('Guardrails (head): 1 error, 1 warning'),
      `  ${red('error')} forbidden-kind networking.istio.io/EnvoyFilter/shop/x (shop.yaml:3:1): not allowed`,
      `  ${yellow('warning')} revision-end-of-life core/Namespace/_cluster/shop: ends soon`,
      b('Namespaces changing revision (1):'),
      b('Moved between revisions:'),
      `      ${cyan('@@ -1 +1 @@')}`,
      `      ${red('-  port: 1')}`,
      `      ${green('+  port: 2')}`,
      '       kind: Service',
      yellow('~ changed core/ConfigMap/ns/a (+1 -1)'),
      `    ${cyan('@@ -1,2 +1,2 @@')}`,
      '     data:',
      `    ${red('-  value: "1"')}`,
      `    ${green('+  value: "2"')}`,
      green('+ added core/ConfigMap/ns/new (+1)'),
      red('- removed core/ConfigMap/ns/old (-1)'),
    ];
    for (const line of expected) assert.ok(text.includes(line), `missing line ${JSON.stringify(line)}`);
  });

  it('colours a line by its first character only: a value ending in @@ is not a hunk header', () => {
    const r: DiffReport = { base: 'a', head: 'b', noiseShown: false, guardrails: { ran: true, violations: [] }, result: { summary: { added: 0, removed: 0, changed: 1, unchanged: 0, hidden: 0 }, namespaceMoves: [], refusedUpdates: [], moves: [], hidden: [], resources: [{ key: 'core/ConfigMap/n/c', change: 'changed', lines: ['@@ -1 +1 @@', '-k: a@@', '+k: b@@', ' k2: @@'], additions: 1, deletions: 1 }] } };
    const lines = formatText(r, { colour: true }).split('\n');
    assert.ok(lines.includes('    \u001b[36m@@ -1 +1 @@\u001b[0m'));
    assert.ok(lines.includes('    \u001b[31m-k: a@@\u001b[0m'));
    assert.ok(lines.includes('    \u001b[32m+k: b@@\u001b[0m'));
    assert.ok(lines.includes('     k2: @@'));
  });

  it('leaves out the sections that have nothing to say, and ends with exactly one newline', () => {
    const r: DiffReport = { base: 'a', head: 'b', noiseShown: false, guardrails: { ran: false, violations: [], note: 'the head did not render' }, result: { summary: { added: 0, removed: 0, changed: 0, unchanged: 3, hidden: 0 }, namespaceMoves: [], refusedUpdates: [], moves: [], resources: [], hidden: [] } };
    assert.equal(formatText(r, { colour: false }), 'meshplane diff: a → b\n0 added, 0 removed, 0 changed, 3 unchanged\n\nGuardrails (head): not run (the head did not render)\n');
  });

  it('a renamed pair without a residual list is identical besides the revision', () => {
    const r = fullReport();
    const move = r.result.moves[0];
    assert.ok(move);
    move.residual = [];
    const text = formatText(r, { colour: false });
    assert.ok(text.includes('    renamed core/Service/x/c-asm-1-29 → core/Service/x/c-asm-1-30 (identical besides the revision)\n    relabelled core/Namespace/_cluster/shop\n'));
  });
});

describe('formatText, updates the API server will refuse', () => {
  it('warns before the guardrails, each change with its fix, in red when coloured', () => {
    const r = fullReport();
    r.result.refusedUpdates = [
      { key: 'grafana.integreatly.org/GrafanaDashboard/ns/a', ruleId: 'grafanadashboard-instance-selector', field: 'spec.instanceSelector', message: 'm1', fix: 'f1' },
      { key: 'grafana.integreatly.org/GrafanaDashboard/ns/b', ruleId: 'grafanadashboard-uid', field: 'spec.uid', message: 'm2', fix: 'f2' },
    ];
    const text = formatText(r, { colour: false });
    const block = 'Will be refused by the API server (2 changes to an immutable field):\n  refused grafana.integreatly.org/GrafanaDashboard/ns/a: m1\n    fix: f1\n  refused grafana.integreatly.org/GrafanaDashboard/ns/b: m2\n    fix: f2\n\nGuardrails (head):';
    assert.ok(text.includes(block), text.slice(0, 800));
    assert.ok(formatText(r, { colour: true }).includes('\u001b[31mrefused\u001b[0m'));
    assert.ok(!formatText(fullReport(), { colour: false }).includes('refused by the API server'));
  });
});
