import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjects } from './diff-objects.js';
import { MeshplaneError } from '../core/errors.js';
import type { KubeObject } from '../core/types.js';

const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels }, data,
});
const deploy = (rev: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: `istiod-${rev}`, namespace: 'aks-istio-system', labels: { 'istio.io/rev': rev } },
  spec: { template: { spec: { containers: [{ name: 'discovery', image, args: [`--revision=${rev}`] }] } } },
});

describe('diffObjects pairing', () => {
  it('reports added, removed and changed resources by resourceKey, sorted, and counts the rest', () => {
    const base = [cm('a', { k: '1' }), cm('b', { k: '1' }), cm('same', { k: '1' })];
    const head = [cm('same', { k: '1' }), cm('b', { k: '2' }), cm('c', { k: '1' })];
    const r = diffObjects(base, head);
    assert.deepEqual(r.resources.map((x) => [x.change, x.key]), [
      ['removed', 'core/ConfigMap/ns/a'], ['changed', 'core/ConfigMap/ns/b'], ['added', 'core/ConfigMap/ns/c'],
    ]);
    assert.deepEqual(r.summary, { added: 1, removed: 1, changed: 1, unchanged: 1, hidden: 0 });
  });

  it('shows a changed field as a unified diff of the canonical YAML', () => {
    const r = diffObjects([cm('b', { k: '1', z: 'same' })], [cm('b', { k: '2', z: 'same' })], { context: 1 });
    assert.deepEqual(r.resources[0]?.lines, ['@@ -7,3 +7,3 @@', ' data:', '-  k: "1"', '+  k: "2"', '   z: same']);
    assert.equal(r.resources[0]?.additions, 1);
    assert.equal(r.resources[0]?.deletions, 1);
  });

  it('pairs an apiVersion bump of the same group as a change, not a remove + add', () => {
    const before: KubeObject = { apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' } };
    const r = diffObjects([before], [{ ...before, apiVersion: 'autoscaling/v2' }]);
    assert.deepEqual(r.resources.map((x) => x.change), ['changed']);
  });

  it('does not depend on input order', () => {
    const base = [cm('a', { k: '1' }), cm('b', { k: '1' })];
    const head = [cm('b', { k: '2' }), cm('c', { k: '1' })];
    assert.deepEqual(diffObjects(base, head), diffObjects([...base].reverse(), [...head].reverse()));
  });

  it('rejects two objects with one identity on a side, naming the side and the key', () => {
    assert.throws(() => diffObjects([], [cm('a', {}), cm('a', {})]), (e: unknown) => e instanceof MeshplaneError && /head holds two objects with the identity core\/ConfigMap\/ns\/a/.test(e.message));
  });
});

describe('diffObjects noise', () => {
  const webhook = (caBundle: string, version: string): KubeObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'v', labels: { 'app.kubernetes.io/version': version } },
    webhooks: [{ name: 'w', clientConfig: { caBundle, service: { name: 'istiod', namespace: 'x' } } }],
  });

  it('hides caBundle and version-label differences, lists them, and counts the object unchanged', () => {
    const r = diffObjects([webhook('AAA', '1.27.1')], [webhook('BBB', '1.27.2')]);
    assert.deepEqual(r.resources, []);
    assert.equal(r.summary.unchanged, 1);
    assert.deepEqual(r.hidden, [
      { key: 'admissionregistration.k8s.io/ValidatingWebhookConfiguration/_cluster/v', path: 'metadata.labels["app.kubernetes.io/version"]' },
      { key: 'admissionregistration.k8s.io/ValidatingWebhookConfiguration/_cluster/v', path: 'webhooks[0].clientConfig.caBundle' },
    ]);
  });

  it('shows the noise when the rules are turned off (--show-noise)', () => {
    const r = diffObjects([webhook('AAA', '1')], [webhook('BBB', '1')], { noise: [] });
    assert.equal(r.resources.length, 1);
    assert.ok(r.resources[0]?.lines.includes('+      caBundle: BBB'));
  });

  it('hides checksum annotations of the pod template but keeps real changes beside them', () => {
    const d = (sum: string, image: string): KubeObject => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { template: { metadata: { annotations: { 'checksum/config': sum, keep: 'x' } }, spec: { containers: [{ name: 'c', image }] } } },
    });
    const r = diffObjects([d('1', 'a:1')], [d('2', 'a:2')]);
    assert.equal(r.hidden[0]?.path, 'spec.template.metadata.annotations["checksum/config"]');
    const text = r.resources[0]?.lines.join('\n') ?? '';
    assert.doesNotMatch(text, /checksum/);
    assert.match(text, /^\+ +- image: a:2$/m);
  });

  it('shows added and removed objects whole, noise fields included', () => {
    const r = diffObjects([], [webhook('AAA', '1')]);
    assert.ok(r.resources[0]?.lines.some((l) => l.includes('caBundle: AAA')));
    assert.deepEqual(r.hidden, []);
  });
});

describe('diffObjects secrets', () => {
  const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data });

  it('never prints a value; a changed value shows distinct before/after masks', () => {
    const r = diffObjects([secret({ password: 'c2VjcmV0MQ==', user: 'YWRtaW4=' })], [secret({ password: 'c2VjcmV0Mg==', user: 'YWRtaW4=' })]);
    const text = JSON.stringify(r);
    for (const value of ['c2VjcmV0MQ==', 'c2VjcmV0Mg==', 'YWRtaW4=']) assert.ok(!text.includes(value), `${value} leaked`);
    assert.deepEqual(r.resources[0]?.lines.filter((l) => /^[-+]/.test(l)), ['-  password: "*** (before)"', '+  password: "*** (after)"']);
  });

  it('treats equal values as unchanged', () => {
    assert.deepEqual(diffObjects([secret({ a: 'eA==' })], [secret({ a: 'eA==' })]).resources, []);
  });

  it('masks an added Secret whole', () => {
    const r = diffObjects([], [secret({ token: 'dG9r' })]);
    assert.ok(r.resources[0]?.lines.includes('+  token: "***"'));
    assert.ok(!JSON.stringify(r).includes('dG9r'));
  });
});

describe('diffObjects moves between revisions', () => {
  it('pairs istiod-asm-1-27 removed + istiod-asm-1-28 added, with what differs besides the revision', () => {
    const validator = (rev: string): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'istiod-default-validator', labels: { 'istio.io/rev': rev } } });
    const r = diffObjects([deploy('asm-1-27', 'pilot:1.27.9'), validator('asm-1-27')], [deploy('asm-1-28', 'pilot:1.28.3'), validator('asm-1-28')], { context: 0 });
    assert.equal(r.moves.length, 1);
    const m = r.moves[0];
    assert.equal(m?.from, 'asm-1-27');
    assert.equal(m?.to, 'asm-1-28');
    assert.deepEqual(m?.renamed, [{ from: 'apps/Deployment/aks-istio-system/istiod-asm-1-27', to: 'apps/Deployment/aks-istio-system/istiod-asm-1-28' }]);
    assert.deepEqual(m?.relabelled, ['admissionregistration.k8s.io/ValidatingWebhookConfiguration/_cluster/istiod-default-validator']);
    assert.deepEqual(m?.residual[0]?.filter((l) => !l.startsWith('@@')), ['-          image: pilot:1.27.9', '+          image: pilot:1.28.3']);
    const added = r.resources.find((x) => x.change === 'added');
    assert.equal(added?.movedFrom, 'apps/Deployment/aks-istio-system/istiod-asm-1-27');
  });

  it('does not pair objects of different kinds or with no revision label', () => {
    const plain = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n' } });
    const r = diffObjects([plain('x-asm-1-27'), deploy('asm-1-27', 'p')], [plain('x-asm-1-28'), { ...deploy('asm-1-28', 'p'), kind: 'StatefulSet' }]);
    assert.deepEqual(r.moves, []);
  });
});

describe('diffObjects: more contract cases', () => {
  it('a duplicate identity on the base: the error names the side and the key, and how to fix it', () => {
    assert.throws(() => diffObjects([cm('a', {}), cm('a', { k: '1' })], []), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.deepEqual([e.code, e.message, e.details, e.hint], [
        'yaml-invalid',
        'the base holds two objects with the identity core/ConfigMap/ns/a',
        [{ message: 'core/ConfigMap/ns/a appears more than once' }],
        'remove the duplicate from the source; Kubernetes keeps only one object per group/Kind/namespace/name',
      ]);
      return true;
    });
  });

  it('a noise field hides only what differs: equal on both sides is not listed, one side only is', () => {
    const labelled = (labels: Record<string, string>, k: string) => cm('a', { k }, labels);
    const r = diffObjects([labelled({ 'helm.sh/chart': 'c-1', 'app.kubernetes.io/version': '1' }, '1')], [labelled({ 'helm.sh/chart': 'c-1' }, '1')]);
    assert.deepEqual(r.hidden, [{ key: 'core/ConfigMap/ns/a', path: 'metadata.labels["app.kubernetes.io/version"]' }]);
    assert.deepEqual(r.summary, { added: 0, removed: 0, changed: 0, unchanged: 1, hidden: 1 });
  });

  it('hidden fields are sorted by path across both sides', () => {
    const r = diffObjects([cm('a', { k: '1' }, { 'helm.sh/chart': 'c-1' })], [{ ...cm('a', { k: '1' }), metadata: { name: 'a', namespace: 'ns', labels: {}, annotations: { 'checksum/config': 'x' } } }]);
    assert.deepEqual(r.hidden.map((h) => h.path), ['metadata.annotations["checksum/config"]', 'metadata.labels["helm.sh/chart"]']);
  });

  it('a removed object is shown whole too, noise included, nothing hidden', () => {
    const r = diffObjects([cm('gone', { k: '1' }, { 'helm.sh/chart': 'c-1' })], []);
    assert.ok(r.resources[0]?.lines.includes('-    helm.sh/chart: c-1'), r.resources[0]?.lines.join('\n'));
    assert.deepEqual(r.hidden, []);
  });

  it('noise rules may name core kinds as core/<Kind>', () => {
    const r = diffObjects([cm('a', { k: '1', stamp: 'x' })], [cm('a', { k: '1', stamp: 'y' })], { noise: [{ id: 'stamp', kinds: ['core/ConfigMap'], path: ['data', 'stamp'] }] });
    assert.deepEqual(r.resources, []);
    assert.deepEqual(r.hidden, [{ key: 'core/ConfigMap/ns/a', path: 'data.stamp' }]);
  });

  it('both sides of a move point at each other', () => {
    const r = diffObjects([deploy('asm-1-27', 'p:1')], [deploy('asm-1-28', 'p:1')]);
    assert.deepEqual(r.resources.map((x) => [x.change, x.movedFrom, x.movedTo]), [
      ['removed', undefined, 'apps/Deployment/aks-istio-system/istiod-asm-1-28'],
      ['added', 'apps/Deployment/aks-istio-system/istiod-asm-1-27', undefined],
    ]);
    assert.deepEqual(r.moves[0]?.residual, [[]], 'identical besides the revision');
  });

  it('an object kept on both sides is never "renamed" to a new revision\'s object', () => {
    const r = diffObjects([deploy('asm-1-27', 'p:1')], [deploy('asm-1-27', 'p:2'), deploy('asm-1-28', 'p:2')]);
    assert.deepEqual(r.moves, []);
    assert.deepEqual(r.resources.map((x) => [x.change, x.key]), [['changed', 'apps/Deployment/aks-istio-system/istiod-asm-1-27'], ['added', 'apps/Deployment/aks-istio-system/istiod-asm-1-28']]);
  });

  it('the residual diff of a move follows --show-noise and --context', () => {
    const labelled = (rev: string, chart: string, image: string): KubeObject => {
      const d = deploy(rev, image);
      return { ...d, metadata: { ...d.metadata, labels: { ...(d.metadata?.labels as Record<string, string>), 'helm.sh/chart': chart } } };
    };
    const base = [labelled('asm-1-27', 'c-1', 'p:1')];
    const head = [labelled('asm-1-28', 'c-2', 'p:2')];
    const changed = (lines: string[] | undefined) => (lines ?? []).filter((l) => /^[-+]/.test(l));
    assert.deepEqual(changed(diffObjects(base, head).moves[0]?.residual[0]), ['-          image: p:1', '+          image: p:2'], 'noise hidden by default');
    assert.deepEqual(changed(diffObjects(base, head, { noise: [] }).moves[0]?.residual[0]), ['-    helm.sh/chart: c-1', '+    helm.sh/chart: c-2', '-          image: p:1', '+          image: p:2'], 'shown with --show-noise');
    const context = (n: number | undefined) => (diffObjects(base, head, n === undefined ? {} : { context: n }).moves[0]?.residual[0] ?? []).filter((l) => l.startsWith(' ')).length;
    assert.equal(context(0), 0);
    assert.equal(context(1), 2, 'one line of context on each side');
    assert.equal(context(undefined), context(3), 'three lines by default');
  });
});
