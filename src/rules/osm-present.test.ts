/**
 * osm-present on objects in memory: objects of openservicemesh.io or any of its subgroups are
 * reported at their apiVersion; otherwise an openservicemesh.io/* label (checked before
 * annotations, keys in sorted order) is reported at that key; a group that merely ends in the
 * same letters, or a key that only contains the prefix later, is not OSM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import { osmPresentRule } from './osm-present.js';

const obj = (apiVersion: string, kind: string, name: string, metadata: Record<string, unknown> = {}): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'ns', ...metadata } }) as KubeObject;
const OBJECT_FIX = 'uninstall OSM before enabling the Istio add-on (see the AKS OSM-to-Istio migration guide) and remove OSM objects from the source';
const MARKER_FIX = 'remove the openservicemesh.io/* label or annotation; opt namespaces into the mesh with istio.io/rev';

describe('osm-present on objects in memory', () => {
  // [case, object, [where.file, message, remediation] of each finding]
  const cases: Array<[string, KubeObject, Array<[string, string, string]>]> = [
    ['an OSM config object', obj('config.openservicemesh.io/v1alpha2', 'MeshConfig', 'm'), [['m:apiVersion', 'MeshConfig is an Open Service Mesh object', OBJECT_FIX]]],
    ['the bare OSM group', obj('openservicemesh.io/v1', 'Thing', 't'), [['t:apiVersion', 'Thing is an Open Service Mesh object', OBJECT_FIX]]],
    ['a group that only ends in the same letters', obj('notopenservicemesh.io/v1', 'Thing', 't'), []],
    ['an OSM object with an OSM label: one finding, at apiVersion', obj('policy.openservicemesh.io/v1alpha1', 'Egress', 'e', { labels: { 'openservicemesh.io/monitored-by': 'osm' } }), [['e:apiVersion', 'Egress is an Open Service Mesh object', OBJECT_FIX]]],
    ['a namespace label', obj('v1', 'Namespace', 'n', { labels: { a: 'b', 'openservicemesh.io/monitored-by': 'osm' } }), [['n:metadata.labels.openservicemesh.io/monitored-by', 'openservicemesh.io/monitored-by is an Open Service Mesh marker', MARKER_FIX]]],
    ['an annotation', obj('apps/v1', 'Deployment', 'd', { annotations: { 'openservicemesh.io/sidecar-injection': 'enabled' } }), [['d:metadata.annotations.openservicemesh.io/sidecar-injection', 'openservicemesh.io/sidecar-injection is an Open Service Mesh marker', MARKER_FIX]]],
    ['labels before annotations', obj('v1', 'Namespace', 'n', { annotations: { 'openservicemesh.io/a': 'x' }, labels: { 'openservicemesh.io/z': 'y' } }), [['n:metadata.labels.openservicemesh.io/z', 'openservicemesh.io/z is an Open Service Mesh marker', MARKER_FIX]]],
    ['the first key in sorted order', obj('v1', 'Namespace', 'n', { labels: { 'openservicemesh.io/z': 'y', 'openservicemesh.io/b': 'x' } }), [['n:metadata.labels.openservicemesh.io/b', 'openservicemesh.io/b is an Open Service Mesh marker', MARKER_FIX]]],
    ['the prefix later in a key', obj('v1', 'Namespace', 'n', { labels: { 'example.com/openservicemesh.io/x': 'y' } }), []],
    ['labels that are not a map', obj('v1', 'Namespace', 'n', { labels: 'openservicemesh.io/x' }), []],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => {
      const got = osmPresentRule.check(memoryContext(30, [], [object]));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }
});
