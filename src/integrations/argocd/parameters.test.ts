import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults } from '../../pipeline/defaults.js';
import { intentSchema } from '../../pipeline/intent.js';
import { resolveKubeVersion } from '../../pipeline/resolve.js';
import type { ServiceMesh } from '../../intent/types.js';
import { codecOf, escapeParamName, PARAMETERS, schemaAt, type SchemaNode } from './parameter-table.js';
import { announceParameters, titleOf, type ParameterAnnouncement } from './parameters.js';

const schema = intentSchema() as SchemaNode;

const intent: ServiceMesh = {
  apiVersion: 'meshplane.io/v1alpha1',
  kind: 'ServiceMesh',
  metadata: { name: 'prod' },
  spec: {
    mode: 'Istio',
    istio: { revisions: ['asm-1-27', 'asm-1-28'], components: { ingressGateways: [{ mode: 'Internal', enabled: true }] } },
    tags: { 'prod-stable': 'asm-1-27' },
    controlPlane: { autoscaling: { minReplicas: 3 } },
    security: { defaultDeny: true },
  },
};

function byName(list: ParameterAnnouncement[], name: string): ParameterAnnouncement {
  const a = list.find((x) => x.name === name);
  assert.ok(a, `announces ${name}`);
  return a;
}

describe('the parameter table', () => {
  it('every entry names a field of the intent schema, with a description and a string form', () => {
    for (const p of PARAMETERS) {
      const node = schemaAt(schema, p.path);
      assert.ok(node.description && node.description.length > 10, `${p.name} has a schema description (the tooltip source)`);
      assert.doesNotThrow(() => codecOf(p, node), p.name);
    }
  });
  it('derives codecs from the schema types', () => {
    const expect: Record<string, string> = {
      'istio.revisions': 'string-array', tags: 'string-map', 'security.mtls': 'string', 'security.defaultDeny': 'boolean',
      'controlPlane.autoscaling.minReplicas': 'integer', 'monitoring.prometheusLabels': 'string-map', 'istio.components.ingressGateways': 'ingress-gateways',
    };
    for (const [name, codec] of Object.entries(expect)) {
      const p = PARAMETERS.find((x) => x.name === name);
      assert.ok(p, name);
      assert.equal(codecOf(p, schemaAt(schema, p.path)), codec, name);
    }
  });
  it('every name is the dotted path of its field below spec (one naming scheme)', () => {
    for (const p of PARAMETERS) assert.equal(['spec', ...p.name.split('.')].join('/'), p.path.join('/'), p.name);
  });
  it('names and former names are unique, also in their lossy PARAM_* form, and no base name prefixes another', () => {
    const escaped = PARAMETERS.flatMap((p) => [p.name, ...(p.formerly ? [p.formerly] : [])]).map(escapeParamName);
    assert.equal(new Set(escaped).size, escaped.length);
    for (const a of escaped) for (const b of escaped) if (a !== b) assert.ok(!b.startsWith(`${a}_`), `${b} would read as an item of ${a}`);
  });
  it('leaves out the fields a UI click must not change', () => {
    const paths = PARAMETERS.map((p) => p.path.join('.'));
    for (const banned of ['spec.mode', 'spec.policy.exceptions', 'spec.policy.forbiddenKinds', 'spec.meshConfig', 'spec.istio.certificateAuthority']) {
      assert.ok(!paths.some((p) => p === banned || p.startsWith(`${banned}.`)), banned);
    }
  });
  it('an unknown path or a shape with no string form fails loudly', () => {
    assert.throws(() => schemaAt(schema, ['spec', 'nope']), /no field spec\.nope/);
    assert.throws(() => codecOf({ name: 'x', path: ['spec', 'meshConfig'] }, schemaAt(schema, ['spec', 'meshConfig'])), /no string form/);
  });
});

describe('announceParameters', () => {
  const list = announceParameters(schema, applyDefaults(intent));

  it('is one entry per table row, each with the ParameterAnnouncement keys and types Argo CD unmarshals', () => {
    assert.deepEqual(list.map((a) => a.name), PARAMETERS.map((p) => p.name));
    for (const a of list) {
      assert.equal(typeof a.title, 'string');
      assert.ok(a.tooltip.length > 0);
      assert.equal(a.required, false, 'no parameter is required: unset keeps the intent');
      assert.ok(['string', 'number', 'boolean'].includes(a.itemType));
      assert.ok(['string', 'array', 'map'].includes(a.collectionType));
      const valueKeys = (['string', 'array', 'map'] as const).filter((k) => a[k] !== undefined);
      assert.ok(valueKeys.length <= 1 && valueKeys.every((k) => k === a.collectionType), `${a.name}: only the value field of its collectionType (${valueKeys.join()})`);
      if (a.array) assert.ok(a.array.every((v) => typeof v === 'string'));
      if (a.map) assert.ok(Object.values(a.map).every((v) => typeof v === 'string'));
    }
  });
  it('shows the intent\'s current values, defaults applied, as strings', () => {
    assert.deepEqual(byName(list, 'istio.revisions').array, ['asm-1-27', 'asm-1-28']);
    assert.deepEqual(byName(list, 'istio.components.ingressGateways').map, { External: 'false', Internal: 'true' });
    assert.deepEqual(byName(list, 'tags').map, { 'prod-stable': 'asm-1-27' });
    assert.equal(byName(list, 'controlPlane.autoscaling.minReplicas').string, '3');
    assert.equal(byName(list, 'controlPlane.autoscaling.maxReplicas').string, '5', 'the default the intent does not set');
    assert.equal(byName(list, 'monitoring.prometheus').string, 'annotations');
    assert.equal(byName(list, 'security.defaultDeny').string, 'true');
  });
  it('omits the value of a field that is unset and has no default', () => {
    const mtls = byName(list, 'security.mtls');
    assert.equal(mtls.string, undefined);
    assert.equal(mtls.collectionType, 'string');
    assert.equal(byName(list, 'cluster.kubernetesVersion').string, undefined);
  });
  it('tooltips come from the schema descriptions and list enum values', () => {
    const prom = byName(list, 'monitoring.prometheus');
    assert.ok(prom.tooltip.startsWith(String(schemaAt(schema, ['spec', 'monitoring', 'prometheus']).description)));
    assert.match(prom.tooltip, /Allowed: azure-managed, prometheus-operator, annotations, none\./);
    assert.match(byName(list, 'istio.revisions').tooltip, /replaces the whole field/);
  });
  it('the Kubernetes version tooltip gives the precedence resolveKubeVersion applies, and what unset means there', () => {
    const tip = byName(list, 'cluster.kubernetesVersion').tooltip;
    assert.match(tip, /Precedence: --kube-version, then this field set as an Argo CD parameter, then KUBE_VERSION \(Argo CD sets it to the cluster's version\), then this field in mesh\.yaml\./);
    assert.match(tip, /Unset: KUBE_VERSION \(the cluster's version\) applies; mesh\.yaml's value only when KUBE_VERSION is empty\./);
    assert.doesNotMatch(tip, /Meshplane's default|from mesh\.yaml applies/);
    const parameter = { value: '1.31', source: 'parameter' };
    const pinned = { spec: { cluster: { kubernetesVersion: '1.30' } } } as unknown as ServiceMesh;
    const envs = [{ KUBE_VERSION: '1.33.1', kubeVersionFlag: '1.34', kubeVersionParameter: parameter }, { KUBE_VERSION: '1.33.1', kubeVersionParameter: parameter }, { KUBE_VERSION: '1.33.1' }, {}];
    const ranks = envs.map((e) => resolveKubeVersion(pinned, e, []).version);
    assert.deepEqual(ranks, ['1.34', '1.31', '1.33', '1.30'], 'flag, parameter, KUBE_VERSION, mesh.yaml');
  });
  it('item types hint numbers and booleans', () => {
    assert.equal(byName(list, 'controlPlane.autoscaling.minReplicas').itemType, 'number');
    assert.equal(byName(list, 'security.defaultDeny').itemType, 'boolean');
    assert.equal(byName(list, 'istio.components.ingressGateways').itemType, 'boolean');
    assert.equal(byName(list, 'istio.revisions').itemType, 'string');
  });
});

describe('titleOf', () => {
  const cases: Array<[string, string]> = [
    ['istio.revisions', 'Istio / Revisions'],
    ['istio.components.ingressGateways', 'Istio / Components / Ingress gateways'],
    ['cluster.kubernetesVersion', 'Cluster / Kubernetes version'],
    ['controlPlane.autoscaling.targetCPUUtilizationPercentage', 'Control plane / Autoscaling / Target CPU utilization percentage'],
    ['security.mtls', 'Security / mTLS'],
  ];
  for (const [name, title] of cases) it(name, () => assert.equal(titleOf(name), title));
});
