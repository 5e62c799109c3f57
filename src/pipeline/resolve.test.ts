import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import { applyDefaults } from './defaults.js';
import { nativeSidecar, resolve, resolveKubeVersion } from './resolve.js';

function mesh(revisions: string[], extra: Partial<ServiceMesh['spec']> = {}): ServiceMesh {
  return applyDefaults({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions }, cluster: { kubernetesVersion: '1.33' }, ...extra } });
}

describe('resolveKubeVersion', () => {
  // The one precedence rule of the CLI (docs/cli.md): flag > environment > mesh.yaml.
  const cases: Array<{ name: string; intent?: string; env?: string; flag?: string; want: string; notice?: string }> = [
    { name: 'the flag beats KUBE_VERSION and mesh.yaml', intent: '1.32', env: '1.33', flag: '1.34', want: '1.34', notice: "--kube-version 1.34 overrides KUBE_VERSION=1.33 and mesh.yaml's spec.cluster.kubernetesVersion 1.32; rendering for Kubernetes 1.34" },
    { name: 'KUBE_VERSION (v and patch) beats mesh.yaml', intent: '1.31', env: 'v1.32.3', want: '1.32', notice: "KUBE_VERSION=v1.32.3 overrides mesh.yaml's spec.cluster.kubernetesVersion 1.31; rendering for Kubernetes 1.32" },
    { name: 'the flag beats KUBE_VERSION', env: 'v1.32.3', flag: '1.30', want: '1.30', notice: '--kube-version 1.30 overrides KUBE_VERSION=v1.32.3; rendering for Kubernetes 1.30' },
    { name: 'mesh.yaml alone', intent: '1.31', want: '1.31' },
    { name: 'the flag alone', flag: '1.30', want: '1.30' },
    { name: 'no notice when the sources agree on the minor', intent: '1.32', env: 'v1.32.7', flag: '1.32', want: '1.32' },
    { name: 'only the disagreeing source is named', intent: '1.33', env: 'v1.32.7', flag: '1.33', want: '1.33', notice: '--kube-version 1.33 overrides KUBE_VERSION=v1.32.7; rendering for Kubernetes 1.33' },
  ];
  it('the Argo CD parameter ranks below the flag and above KUBE_VERSION', () => {
    const param = { value: '1.31', source: 'parameter "cluster.kubernetesVersion" (ARGOCD_APP_PARAMETERS)' };
    const m = mesh(['asm-1-28'], { cluster: { kubernetesVersion: '1.31' } });
    const notices: Notice[] = [];
    assert.equal(resolveKubeVersion(m, { KUBE_VERSION: 'v1.33.1', kubeVersionParameter: param }, notices).version, '1.31');
    assert.deepEqual(notices.map((n) => n.message), ['parameter "cluster.kubernetesVersion" (ARGOCD_APP_PARAMETERS) 1.31 overrides KUBE_VERSION=v1.33.1; rendering for Kubernetes 1.31']);
    assert.equal(resolveKubeVersion(m, { KUBE_VERSION: 'v1.33.1', kubeVersionParameter: param, kubeVersionFlag: '1.34' }, []).version, '1.34');
  });
  for (const c of cases) {
    it(c.name, () => {
      const m = mesh(['asm-1-28'], { cluster: c.intent ? { kubernetesVersion: c.intent } : {} });
      const notices: Notice[] = [];
      assert.equal(resolveKubeVersion(m, { KUBE_VERSION: c.env, kubeVersionFlag: c.flag }, notices).version, c.want);
      assert.deepEqual(notices.map((n) => n.message), c.notice ? [c.notice] : []);
    });
  }
  it('says how to provide a missing version', () => {
    assert.throws(() => resolveKubeVersion(mesh(['asm-1-28'], { cluster: {} }), {}, []), (e: unknown) => e instanceof MeshplaneError && e.code === 'kube-version-missing' && /--kube-version/.test(e.hint ?? ''));
  });
  it('rejects a malformed version', () => {
    assert.throws(() => resolveKubeVersion(mesh(['asm-1-28'], { cluster: {} }), { kubeVersionFlag: 'latest' }, []), /not a Kubernetes 1\.x version/);
  });
});

describe('resolve', () => {
  const catalog = loadCatalog();
  it('orders revisions ascending and makes the highest the default', () => {
    const { input } = resolve(mesh(['asm-1-28', 'asm-1-27']), {}, catalog);
    assert.deepEqual(input.revisions.map((r) => [r.name, r.isDefault]), [['asm-1-27', false], ['asm-1-28', true]]);
    assert.equal(input.defaultRevision, 'asm-1-28');
  });
  it('leaves unknown revisions out of the render (the revision-unknown rule reports them)', () => {
    const { input } = resolve(mesh(['asm-1-28', 'asm-1-99']), {}, catalog);
    assert.deepEqual(input.revisions.map((r) => r.name), ['asm-1-28']);
  });
  it('serves the newest revision\'s CRDs', () => {
    const { input } = resolve(mesh(['asm-1-29', 'asm-1-30']), {}, catalog);
    assert.ok(input.crds.some((c) => c.kind === 'TrafficExtension'), 'asm-1-30 adds TrafficExtension');
    const pa = input.crds.find((c) => c.kind === 'PeerAuthentication');
    assert.deepEqual([pa?.versions, pa?.storage], [['v1', 'v1beta1'], 'v1']);
  });
  it('attaches tags to their revision only', () => {
    const { input } = resolve(mesh(['asm-1-27', 'asm-1-28'], { tags: { stable: 'asm-1-27', gone: 'asm-1-20' } }), {}, catalog);
    assert.deepEqual(input.tags, [{ name: 'stable', revision: 'asm-1-27' }]);
    assert.deepEqual(input.revisions.map((r) => r.tags), [['stable'], []]);
  });
  const behaviour: Array<{ rev: string; named: boolean; weights: [number, number] }> = [
    { rev: 'asm-1-23', named: false, weights: [100, 50] },
    { rev: 'asm-1-24', named: true, weights: [100, 50] },
    { rev: 'asm-1-30', named: true, weights: [50, 100] },
  ];
  for (const b of behaviour) {
    it(`${b.rev}: named ports ${b.named}, affinity weights ${b.weights.join('/')}`, () => {
      const r = resolve(mesh([b.rev], { cluster: { kubernetesVersion: '1.32' } }), {}, catalog).input.revisions[0]!;
      assert.equal(r.namedPorts, b.named);
      assert.deepEqual([r.nodeAffinity.systemWeight, r.nodeAffinity.preferredWeight], b.weights);
    });
  }
});

describe('nativeSidecar', () => {
  const catalog = loadCatalog();
  const cases: Array<{ minor: number; kube: number; newInstall: boolean; want: boolean }> = [
    { minor: 26, kube: 33, newInstall: true, want: false },
    { minor: 27, kube: 32, newInstall: true, want: false },
    { minor: 27, kube: 33, newInstall: true, want: true },
    { minor: 28, kube: 33, newInstall: false, want: false },
    { minor: 29, kube: 33, newInstall: false, want: true },
    { minor: 29, kube: 32, newInstall: true, want: false },
  ];
  for (const c of cases) it(`asm-1-${c.minor} on 1.${c.kube}, new install ${c.newInstall} → ${c.want}`, () => assert.equal(nativeSidecar(catalog, c.minor, { kubeMinor: c.kube, newInstall: c.newInstall }), c.want));
});
