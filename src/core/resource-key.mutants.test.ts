/**
 * Tests that kill the mutants `npm run mutate resource-key` found alive: apiVersionOnly, objects
 * missing apiVersion, kind, name or metadata, and a named group surviving parseRef.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './types.js';
import { apiGroup, apiVersionOnly, parseRef, resourceKey } from './resource-key.js';

describe('apiGroup and apiVersionOnly', () => {
  const cases: Array<[string, string, string]> = [
    ['apps/v1', 'apps', 'v1'],
    ['v1', '', 'v1'],
    ['networking.istio.io/v1beta1', 'networking.istio.io', 'v1beta1'],
    ['/v1', '', 'v1'],
  ];
  for (const [apiVersion, group, version] of cases) {
    it(`${apiVersion} → group "${group}", version "${version}"`, () => assert.deepEqual([apiGroup(apiVersion), apiVersionOnly(apiVersion)], [group, version]));
  }
});

describe('resourceKey of incomplete objects', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no metadata', { apiVersion: 'v1', kind: 'Secret' }, 'core/Secret/_cluster/'],
    ['no apiVersion', { kind: 'Secret', metadata: { name: 's', namespace: 'n' } }, 'core/Secret/n/s'],
    ['nothing at all', {}, 'core//_cluster/'],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.equal(resourceKey(obj as unknown as KubeObject), want));
});

describe('parseRef keeps a named group', () => {
  const cases: Array<[string, string]> = [
    ['apps/Deployment/n/d', 'apps'],
    ['core/Service/n/s', ''],
    ['networking.istio.io/EnvoyFilter/n/f', 'networking.istio.io'],
  ];
  for (const [text, group] of cases) it(text, () => assert.equal(parseRef(text)?.group, group));
});
