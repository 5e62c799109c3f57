/**
 * A diff report with one of everything a reviewer can meet (patch change, an error and a warning,
 * a namespace move, a revision move with identical, one-line and two-line residuals and a
 * relabelled object, changed/added/removed resources, both sides of a move, a security-relevant
 * resource, hidden noise), built by hand so formatter tests need no diff engine.
 */
import type { DiffReport } from '../../src/diff/report.js';

/** A fresh copy each call (tests may change it). */
export function fullDiffReport(): DiffReport {
  return {
    base: 'origin/main',
    head: 'examples/canary',
    noiseShown: false,
    patches: [{ revision: 'asm-1-30', base: '1.30.2-2', head: '1.30.3-1' }],
    guardrails: {
      ran: true,
      violations: [
        { ruleId: 'forbidden-kind', severity: 'error', resource: 'networking.istio.io/EnvoyFilter/shop/x', where: { file: 'shop.yaml', line: 3, column: 1 }, message: 'not allowed', remediation: 'remove it' },
        { ruleId: 'revision-end-of-life', severity: 'warning', resource: 'core/Namespace/_cluster/shop', message: 'ends soon', remediation: 'upgrade' },
      ],
    },
    result: {
      summary: { added: 3, removed: 2, changed: 1, unchanged: 7, hidden: 1 },
      namespaceMoves: [{ namespace: 'shop', labelFrom: 'wave-1', labelTo: 'wave-1', from: 'asm-1-29', to: 'asm-1-30' }],
      refusedUpdates: [],
      moves: [{
        from: 'asm-1-29',
        to: 'asm-1-30',
        renamed: [{ from: 'core/Service/x/a-asm-1-29', to: 'core/Service/x/a-asm-1-30' }, { from: 'core/Service/x/b-asm-1-29', to: 'core/Service/x/b-asm-1-30' }, { from: 'core/Service/x/c-asm-1-29', to: 'core/Service/x/c-asm-1-30' }],
        relabelled: ['core/Namespace/_cluster/shop'],
        residual: [[], ['@@ -1 +1 @@', '-  port: 1'], ['@@ -1,2 +1,2 @@', ' kind: Service', '-  port: 1', '+  port: 2']],
      }],
      resources: [
        { key: 'core/ConfigMap/ns/a', change: 'changed', lines: ['@@ -1,2 +1,2 @@', ' data:', '-  value: "1"', '+  value: "2"'], additions: 1, deletions: 1 },
        { key: 'core/ConfigMap/ns/new', change: 'added', lines: ['@@ -0,0 +1 @@', '+kind: ConfigMap'], additions: 1, deletions: 0 },
        { key: 'core/ConfigMap/ns/old', change: 'removed', lines: ['@@ -1 +0,0 @@', '-kind: ConfigMap'], additions: 0, deletions: 1 },
        { key: 'core/Service/x/a-asm-1-29', change: 'removed', lines: ['-kind: Service'], additions: 0, deletions: 1, movedTo: 'core/Service/x/a-asm-1-30' },
        { key: 'core/Service/x/a-asm-1-30', change: 'added', lines: ['+kind: Service'], additions: 1, deletions: 0, movedFrom: 'core/Service/x/a-asm-1-29' },
        { key: 'security.istio.io/PeerAuthentication/x/default', change: 'added', lines: ['@@ -0,0 +1 @@', '+kind: PeerAuthentication'], additions: 1, deletions: 0 },
      ],
      hidden: [{ key: 'apps/Deployment/x/istiod', path: 'metadata.labels["helm.sh/chart"]' }],
    },
  };
}
