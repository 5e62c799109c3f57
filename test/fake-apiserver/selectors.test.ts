import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

const labels = { app: 'istiod', 'istio.io/rev': 'asm-1-28' };

describe('label selectors', () => {
  const cases: Array<[string, boolean]> = [
    ['app=istiod', true],
    ['app==istiod', true],
    ['app!=istiod', false],
    ['app in (istiod,osm-controller)', true],
    ['app in (osm-controller)', false],
    ['app notin (osm-controller)', true],
    ['istio.io/rev', true],
    ['!istio.io/rev', false],
    ['app=istiod,istio.io/rev in (asm-1-27, asm-1-28)', true],
    ['app=istiod,missing', false],
    ['missing!=x', true],
  ];
  for (const [sel, want] of cases) it(`${sel} → ${want}`, () => assert.equal(matchesLabels(parseLabelSelector(sel), labels), want));
  it('rejects malformed text', () => assert.throws(() => parseLabelSelector('app in istiod'), /unable to parse/));
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p', namespace: 'shop' }, spec: { nodeName: 'win-0' } };
  const supported = ['metadata.name', 'metadata.namespace', 'spec.nodeName'];
  it('matches = and !=', () => {
    assert.equal(matchesFields(parseFieldSelector('spec.nodeName=win-0', supported), pod), true);
    assert.equal(matchesFields(parseFieldSelector('spec.nodeName=win-1', supported), pod), false);
    assert.equal(matchesFields(parseFieldSelector('spec.nodeName!=win-1,metadata.namespace==shop', supported), pod), true);
  });
  it('rejects fields the resource does not index, like the real server', () => assert.throws(() => parseFieldSelector('spec.hostname=x', supported), /field label not supported: spec.hostname/));
});
