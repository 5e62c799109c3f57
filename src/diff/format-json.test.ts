/**
 * `meshplane diff --output json`: one DiffReport document for scripts. What a script relies on:
 * the fixed key order, optional keys absent (not null) when there is nothing to say, the masked
 * diff lines as given, and never a raw object. Expected documents are written out by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson } from './format-json.js';
import type { DiffReport } from './report.js';

function report(over: Partial<DiffReport> = {}): DiffReport {
  return {
    base: 'origin/main',
    head: 'HEAD',
    noiseShown: true,
    guardrails: {
      ran: true,
      note: '1 finding waived by spec.policy.exceptions',
      violations: [
        { ruleId: 'forbidden-kind', severity: 'error', resource: 'networking.istio.io/EnvoyFilter/shop/x', where: { file: 'shop.yaml', line: 3, column: 1 }, message: 'not allowed', remediation: 'remove it' },
        { ruleId: 'revision-end-of-life', severity: 'warning', resource: 'core/Namespace/_cluster/shop', message: 'ends soon', remediation: 'upgrade' },
      ],
    },
    patches: [{ revision: 'asm-1-30', base: '1.30.2-2', head: '1.30.3-1' }],
    result: {
      summary: { added: 1, removed: 1, changed: 1, unchanged: 0, hidden: 2 },
      namespaceMoves: [{ namespace: 'shop', labelFrom: 'a', labelTo: 'a', from: 'asm-1-29', to: 'asm-1-30' }],
      refusedUpdates: [],
      moves: [{ from: 'asm-1-29', to: 'asm-1-30', renamed: [{ from: 'core/Service/x/s-asm-1-29', to: 'core/Service/x/s-asm-1-30' }, { from: 'core/Service/x/t-asm-1-29', to: 'core/Service/x/t-asm-1-30' }], relabelled: ['core/Namespace/_cluster/shop'], residual: [['-  port: 1', '+  port: 2']] }],
      resources: [
        { key: 'core/Secret/x/s', change: 'changed', lines: ['@@ -1 +1 @@', '-  key: *** (before)', '+  key: *** (after)'], additions: 1, deletions: 1 },
        { key: 'core/Service/x/s-asm-1-29', change: 'removed', lines: ['-kind: Service'], additions: 0, deletions: 1, movedTo: 'core/Service/x/s-asm-1-30' },
        { key: 'core/Service/x/s-asm-1-30', change: 'added', lines: ['+kind: Service'], additions: 1, deletions: 0, movedFrom: 'core/Service/x/s-asm-1-29' },
      ],
      hidden: [{ key: 'apps/Deployment/x/d', path: 'metadata.labels["helm.sh/chart"]' }],
    },
    ...over,
  };
}

describe('formatJson', () => {
  it('is the whole report, keys in a fixed order, as two-space JSON with one trailing newline', () => {
    const text = formatJson(report());
    const want = {
      apiVersion: 'meshplane.io/v1alpha1',
      kind: 'DiffReport',
      base: 'origin/main',
      head: 'HEAD',
      summary: { added: 1, removed: 1, changed: 1, unchanged: 0, hidden: 2, noiseShown: true },
      patches: [{ revision: 'asm-1-30', base: '1.30.2-2', head: '1.30.3-1' }],
      guardrails: {
        ran: true,
        note: '1 finding waived by spec.policy.exceptions',
        violations: [
          { ruleId: 'forbidden-kind', severity: 'error', resource: 'networking.istio.io/EnvoyFilter/shop/x', where: { file: 'shop.yaml', line: 3, column: 1 }, message: 'not allowed', remediation: 'remove it' },
          { ruleId: 'revision-end-of-life', severity: 'warning', resource: 'core/Namespace/_cluster/shop', message: 'ends soon', remediation: 'upgrade' },
        ],
      },
      namespaceMoves: [{ namespace: 'shop', labelFrom: 'a', labelTo: 'a', from: 'asm-1-29', to: 'asm-1-30' }],
      moves: [{
        from: 'asm-1-29',
        to: 'asm-1-30',
        renamed: [
          { from: 'core/Service/x/s-asm-1-29', to: 'core/Service/x/s-asm-1-30', residualDiff: ['-  port: 1', '+  port: 2'] },
          { from: 'core/Service/x/t-asm-1-29', to: 'core/Service/x/t-asm-1-30', residualDiff: [] },
        ],
        relabelled: ['core/Namespace/_cluster/shop'],
      }],
      resources: [
        { key: 'core/Secret/x/s', change: 'changed', additions: 1, deletions: 1, diff: ['@@ -1 +1 @@', '-  key: *** (before)', '+  key: *** (after)'] },
        { key: 'core/Service/x/s-asm-1-29', change: 'removed', additions: 0, deletions: 1, movedTo: 'core/Service/x/s-asm-1-30', diff: ['-kind: Service'] },
        { key: 'core/Service/x/s-asm-1-30', change: 'added', additions: 1, deletions: 0, movedFrom: 'core/Service/x/s-asm-1-29', diff: ['+kind: Service'] },
      ],
      hidden: [{ key: 'apps/Deployment/x/d', path: 'metadata.labels["helm.sh/chart"]' }],
    };
    // Same bytes as the hand-written document printed the documented way: order and layout included.
    assert.equal(text, `${JSON.stringify(want, null, 2)}\n`);
  });

  const absent: Array<{ name: string; over: Partial<DiffReport>; path: (doc: Record<string, unknown>) => Record<string, unknown>; key: string }> = [
    { name: 'patches when there are none', over: { patches: [] }, path: (d) => d, key: 'patches' },
    { name: 'refusedUpdates when there are none', over: {}, path: (d) => d, key: 'refusedUpdates' },
    { name: 'patches when not computed', over: { patches: undefined }, path: (d) => d, key: 'patches' },
    { name: 'the guardrail note without one', over: { guardrails: { ran: false, violations: [] } }, path: (d) => d['guardrails'] as Record<string, unknown>, key: 'note' },
  ];
  for (const c of absent) {
    it(`leaves out ${c.name} (no null, no empty value)`, () => {
      const doc = JSON.parse(formatJson(report(c.over))) as Record<string, unknown>;
      assert.equal(Object.hasOwn(c.path(doc), c.key), false);
    });
  }

  it('a violation without a position has no where; a resource outside a move has no movedFrom/movedTo', () => {
    const doc = JSON.parse(formatJson(report())) as { guardrails: { violations: Array<Record<string, unknown>> }; resources: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(doc.guardrails.violations[1] ?? {}), ['ruleId', 'severity', 'resource', 'message', 'remediation']);
    assert.deepEqual(Object.keys(doc.resources[0] ?? {}), ['key', 'change', 'additions', 'deletions', 'diff']);
  });

  it('has no raw object: a Secret appears only through its masked diff lines', () => {
    const text = formatJson(report());
    assert.doesNotMatch(text, /"(data|stringData|object|base64)"/);
  });

  it('lists the updates the API server will refuse, after the patches', () => {
    const r = report();
    const refused = { key: 'grafana.integreatly.org/GrafanaDashboard/ns/a', ruleId: 'grafanadashboard-uid', field: 'spec.uid', message: 'm', fix: 'f' };
    r.result.refusedUpdates = [refused];
    const doc = JSON.parse(formatJson(r)) as Record<string, unknown>;
    assert.deepEqual(doc['refusedUpdates'], [refused]);
    assert.deepEqual(Object.keys(doc).slice(5, 7), ['patches', 'refusedUpdates']);
  });
});
