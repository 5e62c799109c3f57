import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocatedObject } from '../core/types.js';
import { decorate, WAVES } from './decorate.js';

function located(kind: 'rendered' | 'source', labels: Record<string, string>, annotations?: Record<string, string>): LocatedObject {
  return { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels, ...(annotations ? { annotations } : {}) } }, origin: { file: 'f', line: 1, column: 1, kind } };
}

describe('decorate', () => {
  it('labels rendered objects and sets the wave of their component', () => {
    const [out] = decorate([located('rendered', { 'meshplane.io/component': 'gateways' })], 'prod');
    assert.deepEqual(out?.object.metadata?.labels, { 'meshplane.io/component': 'gateways', 'app.kubernetes.io/managed-by': 'meshplane', 'meshplane.io/mesh': 'prod' });
    assert.equal(out?.object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'], String(WAVES.gateways));
  });
  it('keeps a wave a template set explicitly', () => {
    const [out] = decorate([located('rendered', { 'meshplane.io/component': 'gateways' }, { 'argocd.argoproj.io/sync-wave': '7' })], 'prod');
    assert.equal(out?.object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'], '7');
  });
  it('never touches the source\'s own objects', () => {
    const src = located('source', { team: 'a' });
    assert.equal(decorate([src], 'prod')[0], src);
  });
  it('orders waves CRDs → namespaces → control plane → gateways → monitoring, all before the source (0)', () => {
    const seq = [WAVES.crds, WAVES.namespaces, WAVES['control-plane'], WAVES.gateways, WAVES.monitoring, 0];
    assert.deepEqual([...seq].sort((a, b) => a - b), seq);
    assert.ok(seq.slice(0, -1).every((w, i) => w < (seq[i + 1] as number)));
  });
});
