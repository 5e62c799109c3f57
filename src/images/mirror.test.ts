import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nameAndTag, withCopySources } from './mirror.js';

describe('mirror pairing', () => {
  const cases: Array<[string, string]> = [
    ['mcr.microsoft.com/oss/istio/pilot:1.30.2-2-distroless', 'pilot:1.30.2-2-distroless'],
    ['localhost:5000/meshplane:0.1.0', 'meshplane:0.1.0'],
    [`r.io/x/proxyv2@sha256:${'a'.repeat(64)}`, `proxyv2@sha256:${'a'.repeat(64)}`],
    ['nginx', 'nginx'],
  ];
  for (const [image, want] of cases) it(`nameAndTag ${image}`, () => assert.equal(nameAndTag(image), want));

  it('names the default image each mirrored one is copied from, and leaves unchanged ones alone', () => {
    const mirrored = [
      { image: 'm.io/mirror/pilot:1', purpose: 'p', sources: ['s'] },
      { image: 'other.io/meshplane:1', purpose: 'p', sources: ['s'] },
      { image: 'm.io/mirror/extra:1', purpose: 'p', sources: ['s'] },
    ];
    const defaults = [
      { image: 'mcr.microsoft.com/oss/istio/pilot:1', purpose: 'p', sources: ['s'] },
      { image: 'other.io/meshplane:1', purpose: 'p', sources: ['s'] },
    ];
    assert.deepEqual(withCopySources(mirrored, defaults).map((i) => i.copyFrom), ['mcr.microsoft.com/oss/istio/pilot:1', undefined, undefined]);
  });
});
