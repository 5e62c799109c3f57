/**
 * The plug-in CA as istiod and the AKS add-on need it, each fact read from upstream:
 *
 * - istiod (istio/istio pilot/pkg/bootstrap/istio_ca.go at 1.20.8, 1.22.7, 1.24.6, 1.26.4, 1.28.0
 *   and 1.30.2) reads its CA as files from LocalCertDir, env ROOT_CA_DIR, default "./etc/cacerts";
 *   the pilot image (pilot/docker/Dockerfile.pilot) sets no WORKDIR, so that is /etc/cacerts unless
 *   the pod sets workingDir. It uses a plugged CA when the signing key file exists there (1.20.8)
 *   or the istiod-format bundle is complete (later tags); the bundle's names are the constants of
 *   security/pkg/pki/ca/ca.go: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem. A tls.crt in
 *   the folder switches it to the kubernetes.io/tls layout instead. The `cacerts` Secret is only a
 *   fallback read when no bundle is mounted (loadCACerts, for an external istiod), not a requirement.
 * - The add-on (MicrosoftDocs/SupportArticles-docs
 *   support/azure/azure-kubernetes/extensions/istio-add-on-plug-in-ca-certificate.md, ms.date
 *   2025-04-01; read 2026-12-03) deploys SecretProviderClass istio-spc-<revision> in
 *   aks-istio-system and no `cacerts` Secret; a missing Key Vault secret shows as a FailedMount of
 *   istiod's volume "cacerts" from the Secrets Store CSI driver, so the add-on mounts the class as a
 *   CSI volume, and istiod logs "Use plugged-in cert at etc/cacerts/ca-key.pem".
 *
 * So Meshplane must mount the class at /etc/cacerts as istiod's `cacerts` volume, with exactly
 * the four istiod-format files, and must not sync the CA (its private key) into a Secret.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { renderExample } from '../helpers/examples.js';

/** Istio's file names (security/pkg/pki/ca/ca.go, same at every tag above). */
const ISTIOD_FILES = ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'];
/** The kubernetes.io/tls layout istiod switches to when its cert file exists (istio_ca.go detectSigningCABundle, renamed detectSigningCABundleAndCRL later). */
const TLS_FILES = ['tls.crt', 'tls.key', 'ca.crt'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = KubeObject & { spec?: any; data?: unknown };

describe('plug-in CA: what istiod reads and what the add-on deploys', () => {
  let objects: Obj[] = [];
  const revs = ['asm-1-29', 'asm-1-30'];
  before(async () => {
    objects = (await renderExample('canary')) as Obj[];
  });

  it('the example really uses a plug-in CA (else this test would check nothing)', () => {
    assert.equal(objects.filter((o) => o.kind === 'SecretProviderClass').length, revs.length);
  });

  for (const rev of revs) {
    it(`istiod-${rev} finds ca-key.pem and the rest of the istiod-format bundle at /etc/cacerts`, () => {
      const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === `istiod-${rev}`);
      const pod = dep?.spec.template.spec;
      const discovery = pod.containers.find((c: { name: string }) => c.name === 'discovery');
      assert.equal(discovery.workingDir, undefined, 'no workingDir: ./etc/cacerts is /etc/cacerts');
      assert.equal((discovery.env ?? []).some((e: { name: string }) => e.name === 'ROOT_CA_DIR'), false, 'LocalCertDir keeps its default');
      const mount = discovery.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/etc/cacerts');
      assert.equal(mount?.name, 'cacerts');
      const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
      assert.equal(volume.csi?.driver, 'secrets-store.csi.k8s.io', 'the Key Vault files come through the CSI driver');
      const spcName = volume.csi.volumeAttributes.secretProviderClass;
      assert.equal(spcName, `istio-spc-${rev}`, 'the add-on\'s class name');
      const spc = objects.find((o) => o.kind === 'SecretProviderClass' && o.metadata?.name === spcName && o.metadata?.namespace === dep?.metadata?.namespace);
      assert.ok(spc, 'the class is in istiod\'s namespace');
      const files = (parse(spc.spec.parameters.objects).array as string[]).map((s) => (parse(s) as { objectAlias: string }).objectAlias).sort();
      assert.deepEqual(files, ISTIOD_FILES);
      assert.equal(files.some((f) => TLS_FILES.includes(f)), false);
    });
  }

  it('no cacerts Secret and no synced Secret: the CA key stays out of the cluster\'s Secrets, as with the add-on', () => {
    assert.equal(objects.some((o) => o.kind === 'Secret' && o.metadata?.name === 'cacerts'), false);
    for (const spc of objects.filter((o) => o.kind === 'SecretProviderClass')) assert.equal(spc.spec.secretObjects, undefined, spc.metadata?.name);
  });
});
