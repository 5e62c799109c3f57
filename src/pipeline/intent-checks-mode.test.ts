import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh } from '../intent/types.js';
import type { Locate } from './intent-check-types.js';
import { checkDisabledMode } from './intent-checks-mode.js';

const at: Locate = (path) => ({ file: 'mesh.yaml', line: path.length, column: 1 });
const mesh = (spec: Partial<ServiceMesh['spec']>): ServiceMesh => ({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', ...spec } as ServiceMesh['spec'] });

describe('checkDisabledMode', () => {
  const cases: Array<{ name: string; spec: Partial<ServiceMesh['spec']>; errors: RegExp[]; warnings: RegExp[] }> = [
    { name: 'Disabled alone is an error that names the acknowledgement', spec: { mode: 'Disabled' }, errors: [/would delete the installed mesh/], warnings: [] },
    { name: 'Disabled with acknowledgePrune: false is still an error', spec: { mode: 'Disabled', disabled: { acknowledgePrune: false } }, errors: [/spec\.mode is Disabled/], warnings: [] },
    { name: 'Disabled with an empty disabled block is still an error', spec: { mode: 'Disabled', disabled: {} }, errors: [/spec\.mode is Disabled/], warnings: [] },
    { name: 'acknowledged Disabled renders with a warning', spec: { mode: 'Disabled', disabled: { acknowledgePrune: true } }, errors: [], warnings: [/no mesh object is rendered.*prunes deletes the installed mesh/] },
    { name: 'an acknowledgement in mode Istio is a warning', spec: { mode: 'Istio', istio: { revisions: ['asm-1-30'] }, disabled: { acknowledgePrune: true } }, errors: [], warnings: [/no effect while spec\.mode is Istio/] },
    { name: 'mode Istio alone is silent', spec: { mode: 'Istio', istio: { revisions: ['asm-1-30'] } }, errors: [], warnings: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = checkDisabledMode(mesh(c.spec), at);
      assert.equal(r.errors.length, c.errors.length);
      assert.equal(r.warnings.length, c.warnings.length);
      c.errors.forEach((re, i) => {
        assert.match(r.errors[i]?.message ?? '', re);
        assert.match(r.errors[i]?.hint ?? '', /spec\.disabled\.acknowledgePrune: true/);
        assert.equal(r.errors[i]?.path, 'spec.mode');
      });
      c.warnings.forEach((re, i) => assert.match(r.warnings[i]?.message ?? '', re));
    });
  }
});
