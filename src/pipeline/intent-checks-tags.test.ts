/**
 * checkTags: a revision tag must point at an installed revision, as `istioctl tag set` demands
 * (istio/istio istioctl/pkg/tag/generate.go: Generate at 1.20.8 and
 * checkControlPlaneExistenceOrDuplicate at 1.30.2 fail when the revision has no injector).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh } from '../intent/types.js';
import { checkTags } from './intent-checks-tags.js';

const at = (path: ReadonlyArray<string | number>) => ({ file: 'mesh.yaml', line: path.length, column: 1 });
const mesh = (mode: 'Istio' | 'Disabled', revisions: string[], tags: Record<string, string>): ServiceMesh =>
  ({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode, ...(mode === 'Istio' ? { istio: { revisions } } : {}), tags } }) as ServiceMesh;

describe('checkTags', () => {
  const cases: Array<[string, ServiceMesh, string[]]> = [
    ['tags on the installed revisions of a canary', mesh('Istio', ['asm-1-27', 'asm-1-28'], { a: 'asm-1-27', b: 'asm-1-28' }), []],
    ['a tag on a revision that is not installed', mesh('Istio', ['asm-1-28'], { a: 'asm-1-28', b: 'asm-1-27' }), ['spec.tags.b']],
    ['a Disabled mesh renders no tag: not checked', mesh('Disabled', [], { a: 'asm-1-27' }), []],
  ];
  for (const [name, intent, want] of cases) it(name, () => assert.deepEqual(checkTags(intent, at).errors.map((e) => e.path), want));
});
