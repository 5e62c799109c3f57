import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjects } from './diff-objects.js';
import type { KubeObject } from '../core/types.js';
import { formatMarkdown, MARKDOWN_LIMIT } from './format-markdown.js';
import type { DiffReport } from './report.js';
import { isSecurityRelevant, reviewOrder } from './review-order.js';

const LONG = 'x'.repeat(200);
const cm = (i: number, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `a-${String(i).padStart(4, '0')}-${LONG}`.slice(0, 253), namespace: 'apps' }, data: { value } });
const pa = (mode: string): KubeObject => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'aks-istio-system' }, spec: { mtls: { mode } } });

function report(base: KubeObject[], head: KubeObject[]): DiffReport {
  return { base: 'base', head: 'head', result: diffObjects(base, head), guardrails: { ran: true, violations: [] }, noiseShown: false };
}

describe('markdown cut to fit', () => {
  it('keeps a STRICT→PERMISSIVE PeerAuthentication change visible behind 300 long-named ConfigMaps', () => {
    const base = [pa('STRICT'), ...Array.from({ length: 300 }, (_, i) => cm(i, 'v1'.repeat(200)))];
    const head = [pa('PERMISSIVE'), ...Array.from({ length: 300 }, (_, i) => cm(i, 'v2'.repeat(200)))];
    const md = formatMarkdown(report(base, head));
    assert.ok(md.length <= MARKDOWN_LIMIT, `${md.length}`);
    assert.match(md, /Cut to fit/);
    const row = '- changed <code>security.istio.io/PeerAuthentication</code> in <code>aks-istio-system</code> (1): <code>default</code>';
    assert.ok(md.includes(row), 'the PeerAuthentication is in the list');
    assert.ok(md.indexOf(row) < md.indexOf('- changed <code>core/ConfigMap</code> in <code>apps</code> (300): <code>a-0000-'), 'before every ConfigMap');
    assert.match(md, /-\s+mode: STRICT\n\+\s+mode: PERMISSIVE/, 'its diff is shown');
    for (let i = 0; i < 300; i++) assert.ok(md.includes(`a-${String(i).padStart(4, '0')}-${LONG}`), `ConfigMap ${i} listed`);
    assert.match(md, /\*\*Every changed resource \(301\) is listed\*\*/);
    assert.match(md, /Left out: the diffs of \d+ of 301 resources/);
    assert.match(md, /For the full diff, run `meshplane diff --output text` \(or `--output json`\) on the same two sides: those outputs are never cut\./);
    assert.doesNotMatch(md, /job log/, 'the example workflow logs this same cut markdown, so the job log does not hold the full diff');
    assert.equal(md.split('<details>').length, md.split('</details>').length);
  });

  it('counts by type what it cannot name, and says so', () => {
    const head = Array.from({ length: 600 }, (_, i) => cm(i, 'v'));
    const md = formatMarkdown(report([], head), 20_000);
    assert.ok(md.length <= 20_000, `${md.length}`);
    const list = md.slice(md.indexOf('#### Every changed resource'), md.indexOf('<details>'));
    const named = (list.match(/a-\d{4}-x/g) ?? []).length;
    assert.ok(named > 0 && named < 600, `${named}`);
    assert.ok(md.includes(`**${named} of 600 changed resources are named**`));
    assert.ok(md.includes(`… and ${600 - named} more not named here`));
    assert.ok(md.includes(`- … ${600 - named} not named here for lack of space, counted by change and type: ${600 - named} added core/ConfigMap\n`));
  });

  it('never shows a noise diff while a security diff is left out', () => {
    const big = (i: number): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `r${i}` }, rules: Array.from({ length: 200 }, (_, j) => ({ apiGroups: [''], resources: [`res-${j}-${LONG}`], verbs: ['get'] })) });
    const head = [...Array.from({ length: 5 }, (_, i) => big(i)), cm(1, 'small')];
    const md = formatMarkdown(report([], head), 30_000);
    const shownRoles = (md.match(/<details><summary>added <code>rbac/g) ?? []).length;
    assert.ok(shownRoles < 5, 'not every ClusterRole fits');
    assert.doesNotMatch(md, /<details><summary>added <code>core\/ConfigMap/);
  });

  it('orders security-relevant types first, then changed, removed, added', () => {
    const r = (key: string, change: 'added' | 'removed' | 'changed') => ({ key, change, lines: [], additions: 0, deletions: 0 });
    const keys = reviewOrder([r('core/ConfigMap/a/x', 'changed'), r('admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/w', 'added'), r('rbac.authorization.k8s.io/RoleBinding/a/b', 'removed'), r('apps/Deployment/a/d', 'removed'), r('security.istio.io/AuthorizationPolicy/a/p', 'changed')]).map((x) => x.key);
    assert.deepEqual(keys, ['security.istio.io/AuthorizationPolicy/a/p', 'rbac.authorization.k8s.io/RoleBinding/a/b', 'admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/w', 'core/ConfigMap/a/x', 'apps/Deployment/a/d']);
    assert.equal(isSecurityRelevant('example.io/Telemetry/a/b'), false);
    assert.equal(isSecurityRelevant('core/Secret/a/b'), true);
  });
});
