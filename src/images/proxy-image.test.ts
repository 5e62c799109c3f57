import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { injectedProxyImage } from './proxy-image.js';

describe('injectedProxyImage (inject.go ProxyImage/imageURL)', () => {
  const base = { global: { hub: 'r.io/istio', tag: '1.30.2-distroless', variant: '', proxy: { image: 'proxyv2' } } };
  const cases: Array<[string, Parameters<typeof injectedProxyImage>[0], Parameters<typeof injectedProxyImage>[1], string]> = [
    ['plain', base, { variantAware: true }, 'r.io/istio/proxyv2:1.30.2-distroless'],
    ['empty image name means proxyv2', { global: { ...base.global, proxy: { image: '' } } }, { variantAware: true }, 'r.io/istio/proxyv2:1.30.2-distroless'],
    ['variant replaces a known suffix', { global: { ...base.global, variant: 'debug' } }, { variantAware: true }, 'r.io/istio/proxyv2:1.30.2-debug'],
    ['variant default drops the suffix', { global: { ...base.global, variant: 'default' } }, { variantAware: true }, 'r.io/istio/proxyv2:1.30.2'],
    ['variant ignored before 1.22', { global: { ...base.global, variant: 'debug' } }, { variantAware: false }, 'r.io/istio/proxyv2:1.30.2-distroless'],
    ['mesh image type wins over the variant', { global: { ...base.global, variant: 'debug' } }, { variantAware: true, meshImage: { imageType: 'default' } }, 'r.io/istio/proxyv2:1.30.2'],
    ['an empty mesh image type keeps the tag', { global: { ...base.global, variant: 'debug' } }, { variantAware: true, meshImage: {} }, 'r.io/istio/proxyv2:1.30.2-distroless'],
    ['unknown suffix: type appended', { global: { ...base.global, tag: '1.30.2', variant: 'distroless' } }, { variantAware: true }, 'r.io/istio/proxyv2:1.30.2-distroless'],
    ['numeric tag', { global: { ...base.global, tag: 1.3 } }, { variantAware: true }, 'r.io/istio/proxyv2:1.3'],
  ];
  for (const [name, values, inputs, want] of cases) it(name, () => assert.equal(injectedProxyImage(values, inputs), want));
});
