import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageVersion, injectedRevision, podRollout, type LivePodInfo, type PodState } from './rollout.js';
import { toPodInfo } from './rollout-reader.js';

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

describe('podRollout: pods the wave revision would not inject (istio pkg/kube/inject/inject.go injectRequired)', () => {
  // Facts, from istio/istio pkg/kube/inject/inject.go, func injectRequired:
  // - at 1.20.8 and 1.30.2 it returns false first thing when podSpec.HostNetwork is set;
  // - at both tags the sidecar.istio.io/inject label, when present, replaces the annotation;
  // - at 1.20.8 … 1.26.4 the value is lower-cased and only y/yes/true/on inject, any other
  //   non-empty value does not; at 1.27.0 … 1.30.2 only "true"/"false" count and any other value
  //   falls back to the default policy (inject, in a namespace labelled for a revision).
  const base = (over: Partial<LivePodInfo>): LivePodInfo => ({ namespace: 'shop', name: 'p', labels: {}, annotations: {}, containers: [], phase: 'Running', ready: true, ...over });
  const cases: Array<[string, Partial<LivePodInfo>, string, PodState]> = [
    ['hostNetwork pod without a sidecar', { hostNetwork: true }, 'asm-1-29', 'host-network'],
    ['hostNetwork pod, asm-1-25 target', { hostNetwork: true }, 'asm-1-25', 'host-network'],
    ['plain pod without a sidecar', {}, 'asm-1-29', 'not-injected'],
    ['label "false"', { labels: { 'sidecar.istio.io/inject': 'false' } }, 'asm-1-29', 'opted-out'],
    ['annotation "false", no label', { annotations: { 'sidecar.istio.io/inject': 'false' } }, 'asm-1-29', 'opted-out'],
    ['label "true" wins over annotation "false"', { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: { 'sidecar.istio.io/inject': 'false' } }, 'asm-1-29', 'not-injected'],
    ['label "true" wins over annotation "false" (1.25)', { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: { 'sidecar.istio.io/inject': 'false' } }, 'asm-1-25', 'not-injected'],
    ['label "no" on asm-1-26 (lower-cased, not a yes)', { labels: { 'sidecar.istio.io/inject': 'no' } }, 'asm-1-26', 'opted-out'],
    ['label "False" on asm-1-25', { labels: { 'sidecar.istio.io/inject': 'False' } }, 'asm-1-25', 'opted-out'],
    ['label "no" on asm-1-27 (strict: falls back to inject)', { labels: { 'sidecar.istio.io/inject': 'no' } }, 'asm-1-27', 'not-injected'],
    ['label "Yes" on asm-1-24', { labels: { 'sidecar.istio.io/inject': 'Yes' } }, 'asm-1-24', 'not-injected'],
  ];
  for (const [name, over, target, want] of cases) it(name, () => assert.equal(podRollout(base(over), target).state, want));
  it('an injected hostNetwork pod is judged by its revision', () => {
    const p = base({ hostNetwork: true, annotations: { 'sidecar.istio.io/status': '{"revision":"asm-1-28"}' } });
    assert.equal(podRollout(p, 'asm-1-29').state, 'needs-restart');
  });
});

describe('toPodInfo reads spec.hostNetwork', () => {
  it('true', () => assert.equal(toPodInfo({ metadata: { name: 'a', namespace: 'n' }, spec: { hostNetwork: true, containers: [] } }).hostNetwork, true));
  it('unset', () => assert.equal(toPodInfo({ metadata: { name: 'a', namespace: 'n' }, spec: { containers: [] } }).hostNetwork, undefined));
});
