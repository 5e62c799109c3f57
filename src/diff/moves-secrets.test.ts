/**
 * Secrets in moves between revisions: the residual diff of a renamed pair (what differs besides
 * the revision name) must mask a Secret's payload like every other diff.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjects } from './diff-objects.js';
import type { KubeObject } from '../core/types.js';
import { formatJson } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';
import { formatText } from './format-text.js';
import type { DiffReport } from './report.js';

const secret = (rev: string, payload: Partial<KubeObject>): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: `istio-ca-${rev}`, namespace: 'aks-istio-system', labels: { 'istio.io/rev': rev } }, ...payload,
});

describe('revision-move residual diffs', () => {
  const payloads: Array<{ name: string; before: Partial<KubeObject>; after: Partial<KubeObject> }> = [
    { name: 'data maps', before: { data: { key: Buffer.from('old-secret-AAAA').toString('base64') } }, after: { data: { key: Buffer.from('new-secret-BBBB').toString('base64') } } },
    { name: 'stringData maps', before: { stringData: { key: 'old-secret-AAAA' } }, after: { stringData: { key: 'new-secret-BBBB' } } },
    { name: 'scalar stringData', before: { stringData: 'old-secret-AAAA' } as Partial<KubeObject>, after: { stringData: 'new-secret-BBBB' } as Partial<KubeObject> },
  ];
  for (const p of payloads) {
    it(`masks the Secret's ${p.name} and still shows that it changed`, () => {
      const result = diffObjects([secret('asm-1-29', p.before)], [secret('asm-1-30', p.after)]);
      assert.equal(result.moves.length, 1, 'the pair is a move');
      const residual = result.moves[0]?.residual[0] ?? [];
      assert.ok(residual.some((l) => l.startsWith('-') && l.includes('*** (before)')), residual.join('\n'));
      assert.ok(residual.some((l) => l.startsWith('+') && l.includes('*** (after)')), residual.join('\n'));
      const report: DiffReport = { base: 'b', head: 'h', result, guardrails: { ran: true, violations: [] }, noiseShown: false };
      for (const out of [JSON.stringify(result), formatText(report, { colour: false }), formatMarkdown(report), formatJson(report)]) {
        for (const plain of ['old-secret', 'new-secret', Buffer.from('old-secret-AAAA').toString('base64'), Buffer.from('new-secret-BBBB').toString('base64')]) {
          assert.ok(!out.includes(plain), `"${plain}" leaked`);
        }
      }
    });
  }
});
