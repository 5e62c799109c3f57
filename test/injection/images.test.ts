/**
 * Every image istiod composes from the injector values (proxy, init, gateways with
 * `image: auto`) is a valid image reference equal to the catalog's proxy image, for every
 * revision the catalog serves and every example. The composition rule is istiod's
 * (pkg/kube/inject/inject.go ProxyImage/imageURL at 1.20.0–1.30.0), in harness.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { IMAGE_HUB } from '../../src/pipeline/resolve.js';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';
import { runCli } from '../helpers/cli.js';
import { composeProxyImage, loadContract, renderInjector } from './harness.js';

/** A docker reference: [registry/]path[:tag][@digest] (distribution/reference grammar, simplified to what registries accept). */
const REFERENCE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

function catalogProxyImage(istio: string): string {
  return `${IMAGE_HUB}/proxyv2:${istio}-distroless`;
}

function check(values: Record<string, any>, minor: number, istio: string, where: string): void {
  const feature = loadContract().minors.find((m) => m.minor === minor)!.features;
  const composed = composeProxyImage(values, feature.imageVariant);
  assert.match(composed, REFERENCE, `${where}: ${composed} is not a valid image reference`);
  assert.equal(composed, catalogProxyImage(istio), where);
  // The templates use global.proxy.image / proxy_init.image as given only when it holds a "/";
  // the bare name makes them use istiod's composed .ProxyImage.
  assert.ok(!String(values.global.proxy.image).includes('/'), `${where}: global.proxy.image must be a bare name`);
  assert.ok(!String(values.global.proxy_init.image).includes('/'), `${where}: global.proxy_init.image must be a bare name`);
}

describe('istiod composes valid proxy images from the injector values', { timeout: 600_000 }, () => {
  for (const rev of loadCatalog().revisions) {
    it(`${rev.name}`, async () => {
      const inj = await renderInjector(rev.name);
      check(inj.values, inj.minor, rev.istio, rev.name);
    });
  }

  for (const name of exampleNames()) {
    it(`example ${name}`, async () => {
      const r = await runCli(['generate', join(EXAMPLES_DIR, name)], { env: { KUBE_VERSION: undefined, ARGOCD_APP_PARAMETERS: undefined } });
      assert.equal(r.code, 0, r.stderr);
      const docs = r.stdout.split(/^---$/m).map((d) => parse(d) as Record<string, any> | null).filter((d): d is Record<string, any> => Boolean(d));
      const injectors = docs.filter((d) => d.kind === 'ConfigMap' && String(d.metadata?.name).startsWith('istio-sidecar-injector-'));
      assert.ok(injectors.length > 0, 'the example renders an injector');
      for (const cm of injectors) {
        const revName = String(cm.metadata.name).replace('istio-sidecar-injector-', '');
        const rev = loadCatalog().revisions.find((x) => x.name === revName)!;
        check(JSON.parse(cm.data.values), Number(revName.split('-')[2]), rev.istio, `${name}/${cm.metadata.name}`);
      }
      // Every image written literally in rendered objects is a valid reference; gateways say `auto`.
      for (const d of docs) {
        for (const m of JSON.stringify(d).matchAll(/"image":"([^"]*)"/g)) {
          if (m[1] === 'auto') continue;
          assert.match(m[1]!, REFERENCE, `${d.kind}/${d.metadata?.name}: image ${m[1]}`);
        }
      }
    });
  }
});
