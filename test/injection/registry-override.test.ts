/**
 * With spec.images set, what istiod injects — run through the real injection templates by the Go
 * harness, as istiod of each minor would — names only the mirror and carries the pull secrets:
 * the sidecar (istio-proxy and istio-init) and the gateway template. The proxy image istiod
 * hands the templates is composed by the harness's own model of inject.go (composeProxyImage).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadContract, loadFixtures, renderInjector, runHarness, sidecarCase, type HarnessCase, type HarnessResult } from './harness.js';

const IMAGES = { registry: 'myacr.azurecr.io/mirror', imagePullSecrets: ['mirror-pull', 'second-pull'] };
/** The registry the add-on's images come from by default (its images are mcr.microsoft.com/oss/istio/...). */
const DEFAULT_REGISTRY = 'mcr.microsoft.com';

describe('injection with a registry override', { timeout: 600_000 }, () => {
  const contract = loadContract();
  const revisions = [...new Set([loadCatalog().revisions[0]!.name, loadCatalog().revisions.at(-1)!.name])];
  const fixtures = loadFixtures().filter((f) => ['job', 'gateway'].includes(f.name));
  let results = new Map<string, HarnessResult>();
  let values = new Map<string, Record<string, any>>();

  before(async () => {
    assert.equal(fixtures.length, 2, 'the sidecar (job) and gateway fixtures exist');
    const cases: HarnessCase[] = [];
    for (const rev of revisions) {
      const inj = await renderInjector(rev, { images: IMAGES });
      values.set(rev, inj.values as Record<string, any>);
      for (const fx of fixtures) cases.push(sidecarCase(fx, inj, contract, `${rev}/${fx.name}`));
    }
    results = runHarness(contract, cases).results;
  });

  it('the injector values name the mirror and the secrets (upstream form: a list of names)', () => {
    for (const [rev, v] of values) {
      assert.equal(v.global.hub, IMAGES.registry, rev);
      assert.deepEqual(v.global.imagePullSecrets, IMAGES.imagePullSecrets, rev);
      assert.ok(!JSON.stringify(v).includes(DEFAULT_REGISTRY), `${rev}: no default registry in the values`);
    }
  });

  for (const rev of revisions) {
    for (const name of ['job', 'gateway']) {
      it(`${rev}/${name}: every injected image is on the mirror, and the pod gets the pull secrets`, () => {
        const r = results.get(`${rev}/${name}`);
        assert.ok(r?.rendered, `rendered: ${r?.error ?? 'no result'}`);
        assert.ok(!r.rendered.includes(DEFAULT_REGISTRY), 'no default registry in the injected pod');
        const pod = parse(r.rendered) as { spec: { containers?: Array<{ name: string; image: string }>; initContainers?: Array<{ name: string; image: string }>; imagePullSecrets?: Array<{ name: string }> } };
        const images = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].filter((c) => c.image !== undefined).map((c) => c.image);
        assert.ok(images.length > 0, 'the template writes images');
        for (const image of images) assert.match(image, /^myacr\.azurecr\.io\/mirror\/proxyv2:/);
        assert.deepEqual(pod.spec.imagePullSecrets, IMAGES.imagePullSecrets.map((n) => ({ name: n })));
      });
    }
  }
});
