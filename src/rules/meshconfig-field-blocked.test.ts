/**
 * meshconfig-field-blocked and meshconfig-field-unsupported with allowlist tables in memory:
 * every top-level field of spec.meshConfig and every field of its defaultConfig is classified
 * (supported: silent; allowed: the warning; anything else: blocked), in the intent and in source
 * ConfigMaps named istio-shared-configmap-<rev> (key `mesh`, YAML; findings there point at
 * data.mesh, the YAML string). Other ConfigMaps, rendered ones and unreadable YAML are ignored.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MeshConfigFields } from '../catalog/guardrails.js';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { meshConfigContext } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { meshconfigFieldBlockedRule } from './meshconfig-field-blocked.js';
import { meshconfigFieldUnsupportedRule } from './meshconfig-field-unsupported.js';

const TABLES: MeshConfigFields = {
  meshConfig: { supported: ['accessLogFile', 'defaultConfig'], allowed: ['outboundTrafficPolicy'], blockedExamples: [] },
  proxyConfig: { supported: ['holdApplicationUntilProxyStarts'], allowed: ['tracing'], blockedExamples: [] },
};
const cm = (name: string, mesh: unknown): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'aks-istio-system' }, data: { mesh } }) as KubeObject;

describe('MeshConfig fields by class', () => {
  // [case, spec.meshConfig, source objects, blocked [where, name], unsupported [where, name]]
  const cases: Array<[string, Record<string, unknown> | undefined, KubeObject[], Array<[string, string]>, Array<[string, string]>]> = [
    ['no meshConfig', undefined, [], [], []],
    ['supported fields only', { accessLogFile: '/dev/stdout', defaultConfig: { holdApplicationUntilProxyStarts: true } }, [], [], []],
    [
      'each class in the intent, sorted by key',
      { trustDomain: 'x', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, defaultConfig: { tracing: {}, concurrency: 2 }, accessLogFile: '' },
      [],
      [['mesh:spec.meshConfig.defaultConfig.concurrency', 'defaultConfig.concurrency'], ['mesh:spec.meshConfig.trustDomain', 'trustDomain']],
      [['mesh:spec.meshConfig.defaultConfig.tracing', 'defaultConfig.tracing'], ['mesh:spec.meshConfig.outboundTrafficPolicy', 'outboundTrafficPolicy']],
    ],
    // defaultConfig that is not a map has no subfields to classify.
    ['defaultConfig as a list', { defaultConfig: ['concurrency'] }, [], [], []],
    ['a blocked field named like a proxy field, outside defaultConfig', { concurrency: 2 }, [], [['mesh:spec.meshConfig.concurrency', 'concurrency']], []],
    [
      'a shared ConfigMap',
      undefined,
      [cm('istio-shared-configmap-asm-1-28', 'trustDomain: x\noutboundTrafficPolicy: {mode: ALLOW_ANY}\ndefaultConfig:\n  concurrency: 2\n')],
      [['istio-shared-configmap-asm-1-28:data.mesh', 'defaultConfig.concurrency'], ['istio-shared-configmap-asm-1-28:data.mesh.trustDomain', 'trustDomain']],
      [['istio-shared-configmap-asm-1-28:data.mesh.outboundTrafficPolicy', 'outboundTrafficPolicy']],
    ],
    ['another ConfigMap', undefined, [cm('istio-asm-1-28', 'trustDomain: x\n'), cm('my-istio-shared-configmap-asm-1-28', 'trustDomain: x\n')], [], []],
    ['unreadable or non-map YAML', undefined, [cm('istio-shared-configmap-a', 'trustDomain: [x\n'), cm('istio-shared-configmap-b', '- trustDomain\n'), cm('istio-shared-configmap-c', 7)], [], []],
  ];
  for (const [name, meshConfig, objects, blocked, unsupported] of cases) {
    it(name, () => {
      const ctx = meshConfigContext(meshConfig, objects, TABLES);
      const b = meshconfigFieldBlockedRule.check(ctx);
      const u = meshconfigFieldUnsupportedRule.check(ctx);
      assert.deepEqual(b.map((v) => v.where?.file), blocked.map(([w]) => w));
      assert.deepEqual(b.map((v) => v.message), blocked.map(([, f]) => `MeshConfig field ${f} is blocked by the managed add-on (it is not on the allowlist)`));
      assert.deepEqual(u.map((v) => v.where?.file), unsupported.map(([w]) => w));
      assert.deepEqual(u.map((v) => v.message), unsupported.map(([, f]) => `MeshConfig field ${f} is allowed by the managed add-on but outside Azure support`));
      for (const v of [...b, ...u]) assert.equal(v.resource, objects.length ? 'core/ConfigMap/aks-istio-system/istio-shared-configmap-asm-1-28' : 'meshplane.io/ServiceMesh/_cluster/mesh');
      for (const v of b) assert.equal(v.remediation, 'remove the field; see catalog/meshconfig-fields.yaml for the supported and allowed fields');
      for (const v of u) assert.match(v.remediation, /^keep it only if you accept running it unsupported; waive this warning with a spec\.policy\.exceptions entry/);
    });
  }

  it('ignores a shared ConfigMap the mesh rendered itself', () => {
    const ctx = meshConfigContext(undefined, [cm('istio-shared-configmap-asm-1-28', 'trustDomain: x\n')], TABLES);
    const rendered = ctx.objects.map((o) => ({ ...o, origin: { kind: 'rendered' } }) as unknown as LocatedObject);
    assert.deepEqual(meshconfigFieldBlockedRule.check({ ...ctx, objects: rendered } as RuleContext), []);
  });
});
