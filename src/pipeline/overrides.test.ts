import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { findIntent, validateIntent, type FoundIntent } from './intent.js';
import { checkIntent } from './intent-checks.js';
import { parseSourceFile } from './load.js';
import { applyOverrides, blamingOverrides, type IntentOverride } from './overrides.js';

const MESH = `apiVersion: meshplane.io/v1alpha1
kind: ServiceMesh
metadata: {name: prod}
spec:
  mode: Istio
  istio:
    revisions: [asm-1-27]
  security: {mtls: PERMISSIVE}
  monitoring: {prometheus: none}
`;

function found(): FoundIntent {
  return validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text: MESH })));
}

function param(name: string, path: string[], value: unknown): IntentOverride {
  return { source: `parameter "${name}" (ARGOCD_APP_PARAMETERS)`, path, value };
}

function failure(fn: () => unknown): MeshplaneError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeshplaneError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('applyOverrides', () => {
  const cases: Array<{ name: string; overrides: IntentOverride[]; expect: (spec: Record<string, unknown>) => void }> = [
    { name: 'a parameter replaces an intent field', overrides: [param('security.mtls', ['spec', 'security', 'mtls'], 'STRICT')], expect: (s) => assert.deepEqual(s.security, { mtls: 'STRICT' }) },
    { name: 'an array replaces the whole list (no merge)', overrides: [param('revisions', ['spec', 'istio', 'revisions'], ['asm-1-28'])], expect: (s) => assert.deepEqual((s.istio as { revisions: string[] }).revisions, ['asm-1-28']) },
    { name: 'a field the intent lacks is created with its parents', overrides: [param('cluster.kubernetesVersion', ['spec', 'cluster', 'kubernetesVersion'], '1.33')], expect: (s) => assert.deepEqual(s.cluster, { kubernetesVersion: '1.33' }) },
    { name: 'undefined removes the field (the default applies later)', overrides: [param('monitoring.prometheus', ['spec', 'monitoring', 'prometheus'], undefined)], expect: (s) => assert.deepEqual(s.monitoring, {}) },
    { name: 'removing a field under a missing parent creates nothing', overrides: [param('cluster.tier', ['spec', 'cluster', 'tier'], undefined)], expect: (s) => assert.equal(s.cluster, undefined) },
    { name: 'no overrides: the intent is returned as it is', overrides: [], expect: (s) => assert.deepEqual(s.security, { mtls: 'PERMISSIVE' }) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = found();
      const snapshot = structuredClone(before.intent);
      const after = applyOverrides(before, c.overrides);
      c.expect(after.intent.spec as unknown as Record<string, unknown>);
      assert.deepEqual(before.intent, snapshot, 'the input intent is not modified');
      assert.equal(after.document.file, 'mesh.yaml');
    });
  }

  it('a value the schema rejects fails as parameter-invalid, naming the parameter', () => {
    const err = failure(() => applyOverrides(found(), [param('monitoring.prometheus', ['spec', 'monitoring', 'prometheus'], 'graphite')]));
    assert.equal(err.code, 'parameter-invalid');
    const detail = err.details.find((d) => d.path === 'spec.monitoring.prometheus');
    assert.ok(detail, JSON.stringify(err.details));
    assert.match(detail.message, /must be one of .*"azure-managed"/);
    assert.match(detail.message, /set by parameter "monitoring\.prometheus" \(ARGOCD_APP_PARAMETERS\)/);
    assert.equal(detail.where, undefined, 'the value did not come from mesh.yaml, so no mesh.yaml position is claimed');
  });

  it('a parent-level error caused by a parameter names it too (grafana-operator needs an instance selector)', () => {
    const err = failure(() => applyOverrides(found(), [param('monitoring.grafana', ['spec', 'monitoring', 'grafana'], 'grafana-operator')]));
    assert.equal(err.code, 'parameter-invalid');
    assert.ok(err.details.some((d) => /grafanaInstanceSelector/.test(d.message) && /monitoring\.grafana/.test(d.message)), JSON.stringify(err.details));
  });

  it('an item of an overridden list is blamed on the list parameter', () => {
    const err = failure(() => applyOverrides(found(), [param('revisions', ['spec', 'istio', 'revisions'], ['1.28'])]));
    assert.ok(err.details.some((d) => d.path === 'spec.istio.revisions[0]' && /parameter "revisions"/.test(d.message)), JSON.stringify(err.details));
  });
});

describe('blamingOverrides', () => {
  it('passes through errors no override is related to, unchanged', () => {
    const original = new MeshplaneError('intent-invalid', 'x', [{ path: 'spec.gateways.external', message: 'bad annotation', where: { file: 'mesh.yaml', line: 3, column: 1 } }]);
    const err = failure(() => blamingOverrides([param('security.mtls', ['spec', 'security', 'mtls'], 'STRICT')], () => { throw original; }));
    assert.equal(err, original);
  });
  // A tag must point at an installed revision (intent-checks-tags.ts). When the `istio.revisions`
  // parameter removes the revision a tag of mesh.yaml points at, the error is the parameter's:
  // before, it read as a plain intent-invalid error about a mesh.yaml that lists the revision.
  it('a tag left without its revision by the revisions parameter is blamed on that parameter, at the tag\'s line', () => {
    const canary = validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text: MESH.replace('[asm-1-27]', '[asm-1-27, asm-1-28]') + '  tags:\n    prod: asm-1-27\n' })));
    const overrides = [param('istio.revisions', ['spec', 'istio', 'revisions'], ['asm-1-28'])];
    const err = failure(() => blamingOverrides(overrides, () => checkIntent(applyOverrides(canary, overrides))));
    assert.equal(err.code, 'parameter-invalid');
    assert.equal(err.details[0]?.path, 'spec.tags.prod');
    assert.match(err.details[0]?.message ?? '', /points at asm-1-27, which spec\.istio\.revisions \(asm-1-28\) does not install: .* \(spec\.istio\.revisions set by parameter "istio\.revisions" \(ARGOCD_APP_PARAMETERS\)\)$/);
    assert.equal(err.details[0]?.where?.line, 11);
  });
  // A wave moves by its tag (intent-checks-waves.ts: a wave's tag must be in spec.tags). When the
  // `tags` parameter replaces spec.tags without a tag a wave of mesh.yaml is bound to, the error is
  // the parameter's, at the wave's tag line: before, it read as a plain intent-invalid error whose
  // fix was to add the tag to a mesh.yaml that already has it.
  const WAVES = `${MESH}  tags:\n    wave-a: asm-1-27\n    wave-b: asm-1-27\n  upgrade:\n    waves:\n      - tag: wave-a\n        namespaces: [docs]\n      - tag: wave-b\n        namespaces: [shop]\n`;
  const withWaves = (text: string) => validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text })));
  it('a wave left without its tag by the tags parameter is blamed on that parameter, at the wave\'s tag line', () => {
    const overrides = [param('tags', ['spec', 'tags'], { 'wave-a': 'asm-1-27' })];
    const err = failure(() => blamingOverrides(overrides, () => checkIntent(applyOverrides(withWaves(WAVES), overrides))));
    assert.equal(err.code, 'parameter-invalid');
    assert.equal(err.details.length, 1, JSON.stringify(err.details));
    assert.equal(err.details[0]?.path, 'spec.upgrade.waves[1].tag');
    assert.equal(err.details[0]?.message, 'wave 2 is bound to the tag "wave-b", which spec.tags does not define (spec.tags set by parameter "tags" (ARGOCD_APP_PARAMETERS))');
    assert.equal(err.details[0]?.where?.file, 'mesh.yaml');
    assert.equal(err.details[0]?.where?.line, 17);
  });
  it('a wave finding the tags parameter does not cause (two waves share a tag) stays the file\'s', () => {
    const overrides = [param('tags', ['spec', 'tags'], { 'wave-a': 'asm-1-27', 'wave-b': 'asm-1-27' })];
    const shared = withWaves(WAVES.replace('- tag: wave-b', '- tag: wave-a'));
    const err = failure(() => blamingOverrides(overrides, () => checkIntent(applyOverrides(shared, overrides))));
    assert.equal(err.code, 'intent-invalid');
    assert.match(err.details[0]?.message ?? '', /^waves 1 and 2 share the tag "wave-a", so they could only move together$/);
  });
  it('returns the value when nothing throws', () => {
    assert.equal(blamingOverrides(undefined, () => 7), 7);
  });
});
