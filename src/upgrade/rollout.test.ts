import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageVersion, injectedRevision } from './rollout.js';

describe('imageVersion (istio inject.go imageURL: hub/proxyv2:<tag>[-variant])', () => {
  const cases: Array<[string, string | undefined]> = [
    ['mcr.microsoft.com/oss/istio/proxyv2:1.29.1-distroless', '1.29.1'],
    ['docker.io/istio/proxyv2:1.30.3-debug', '1.30.3'],
    ['localhost:5000/istio/proxyv2:1.28.2', '1.28.2'],
    ['localhost:5000/istio/proxyv2', undefined],
    ['docker.io/istio/proxyv2:1.30.3@sha256:abc', '1.30.3'],
  ];
  for (const [image, want] of cases) it(image, () => assert.equal(imageVersion(image), want));
});

describe('injectedRevision (SidecarInjectionStatus.revision)', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":[],"imagePullSecrets":null,"revision":"asm-1-29"}', 'asm-1-29'],
    ['{"containers":["istio-proxy"]}', undefined],
    ['not json', undefined],
    [undefined, undefined],
    ['{"revision":7}', undefined],
  ];
  for (const [annotation, want] of cases) it(String(annotation), () => assert.equal(injectedRevision(annotation), want));
});
