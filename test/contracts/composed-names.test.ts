/**
 * Names composed from intent values stay within Kubernetes' limits. The schema's maximum length
 * of each intent value that ends up in names is derived here from the rendered names themselves
 * (limit of the name's rule minus the characters the templates add), so a template that adds a
 * longer prefix, or a schema limit raised by hand, fails this test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render } from '../../src/pipeline/render.js';
import { MeshplaneError } from '../../src/core/errors.js';
import { checkComposedNames, DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, LABEL_KEY, LABEL_VALUE, nameProblem, nameRuleFor } from '../../src/pipeline/intent-names.js';
import { REPO_ROOT } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'servicemesh.v1alpha1.schema.json'), 'utf8'));
const TAG_MAX: number = schema.properties.spec.properties.tags.propertyNames.maxLength;
const MESH_NAME_MAX: number = schema.properties.metadata.properties.name.maxLength;

function intent(name: string, tag: string, egress = 'egress-a'): string {
  return `apiVersion: meshplane.io/v1alpha1
kind: ServiceMesh
metadata: {name: ${name}}
spec:
  mode: Istio
  istio:
    revisions: [asm-1-29, asm-1-30]
    components:
      egressGateways: [{name: ${egress}, enabled: true, gatewayConfigurationName: egw}]
  cluster: {kubernetesVersion: "1.32"}
  tags: {${tag}: asm-1-30}
`;
}

/** Every composed string holding `value`, with the room the rule leaves for it. */
function room(objects: Array<{ object: { apiVersion: string; kind: string; metadata?: { name?: string; labels?: Record<string, string> } } }>, value: string): number {
  let min = Number.POSITIVE_INFINITY;
  for (const { object } of objects) {
    const name = object.metadata?.name ?? '';
    if (name.includes(value)) min = Math.min(min, nameRuleFor(object as never).max - (name.length - value.length));
    for (const v of Object.values(object.metadata?.labels ?? {})) if (v.includes(value)) min = Math.min(min, LABEL_VALUE.max - (v.length - value.length));
  }
  return min;
}

describe('names composed from intent values', () => {
  it('the schema allows revision tags exactly as long as the tag Service leaves room for', async () => {
    const tag = 't'.repeat(TAG_MAX);
    const r = await render({ files: [{ path: 'mesh.yaml', text: intent('m', tag) }], env: {} });
    assert.equal(room(r.objects, tag), TAG_MAX, 'the longest valid tag is the schema maximum');
    const service = r.objects.find((o) => o.object.kind === 'Service' && o.object.metadata?.name?.includes(tag));
    assert.equal(service?.object.metadata?.name?.length, DNS1035_LABEL.max);
  });

  it('the schema allows mesh names no longer than every composed use of them', async () => {
    const name = 'm'.repeat(MESH_NAME_MAX);
    const r = await render({ files: [{ path: 'mesh.yaml', text: intent(name, 'stable') }], env: {} });
    assert.ok(room(r.objects, name) >= MESH_NAME_MAX);
  });

  it('refuses a rendered name over its limit, naming the intent field to change', async () => {
    const r = await render({ files: [{ path: 'mesh.yaml', text: intent('m', 'stable') }], env: {} });
    const tagged = r.objects.map((o) => (o.object.kind === 'Service' && o.object.metadata?.name === 'istiod-revision-tag-stable' ? { ...o, object: { ...o.object, metadata: { ...o.object.metadata, name: `istiod-revision-tag-stable${'x'.repeat(40)}` } } } : o));
    assert.throws(() => checkComposedNames(tagged, { intent: r.intent, document: r.intentDocument }), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-invalid' && e.details[0]?.path === 'spec.tags.stable' && /66 characters, over the 63 of a DNS-1035 label/.test(e.details[0]?.message ?? '') && e.details[0]?.where?.line === 11);
  });

  it('refuses an egress gateway whose name cannot be a Service name', async () => {
    await assert.rejects(render({ files: [{ path: 'mesh.yaml', text: intent('m', 'stable', 'egress.a') }], env: {} }), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-invalid' && e.details.some((d) => d.path === 'spec.istio.components.egressGateways[0].name' && /cannot name its Service|is not a DNS-1035 label/.test(d.message)));
  });

  it('refuses a Prometheus label value that is not a label value, naming the intent field (not blaming the templates)', async () => {
    const text = intent('m', 'stable').replace('  tags: {stable: asm-1-30}\n', '  tags: {stable: asm-1-30}\n  monitoring: {prometheus: prometheus-operator, prometheusLabels: {team: "mesh ops"}}\n');
    await assert.rejects(render({ files: [{ path: 'mesh.yaml', text }], env: {} }), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError, String(e));
      assert.equal(e.code, 'intent-invalid');
      assert.ok(e.details.every((d) => d.path === 'spec.monitoring.prometheusLabels.team' && /label team "mesh ops" .* is not a label value/.test(d.message) && /shorten or change spec\.monitoring\.prometheusLabels\.team/.test(d.hint ?? '')), JSON.stringify(e.details));
      return true;
    });
  });

  // grafana-operator lists Grafana CRs with the dashboard's instanceSelector.matchLabels
  // (v5.24.0 controllers/controller_shared.go); a Grafana CR only carries valid labels, so an
  // entry that is no valid label key or value matches nothing and the dashboard never arrives.
  const selectorCases: Array<{ name: string; selector: string; path: string; what: RegExp }> = [
    { name: 'a value with a space', selector: '{dashboards: "my grafana"}', path: 'spec.monitoring.grafanaInstanceSelector.dashboards', what: /instanceSelector label dashboards "my grafana" .* is not a label value/ },
    { name: 'a value over 63 characters', selector: `{dashboards: ${'g'.repeat(64)}}`, path: 'spec.monitoring.grafanaInstanceSelector.dashboards', what: /is 64 characters, over the 63 of a label value/ },
    { name: 'a key with a space', selector: '{"grafana instance": main}', path: 'spec.monitoring.grafanaInstanceSelector', what: /instanceSelector label key "grafana instance" .* is not a label key/ },
    { name: 'a key with an upper-case prefix', selector: '{Example.com/grafana: main}', path: 'spec.monitoring.grafanaInstanceSelector', what: /is not a label key/ },
  ];
  for (const c of selectorCases) {
    it(`refuses a Grafana instance selector with ${c.name}, naming the intent field`, async () => {
      const text = intent('m', 'stable').replace('  tags: {stable: asm-1-30}\n', `  tags: {stable: asm-1-30}\n  monitoring: {grafana: grafana-operator, grafanaInstanceSelector: ${c.selector}}\n`);
      await assert.rejects(render({ files: [{ path: 'mesh.yaml', text }], env: {} }), (e: unknown) => {
        assert.ok(e instanceof MeshplaneError, String(e));
        assert.equal(e.code, 'intent-invalid');
        assert.ok(e.details.length > 0 && e.details.every((d) => d.path === c.path && c.what.test(d.message)), JSON.stringify(e.details));
        return true;
      });
    });
  }

  it('accepts a Grafana instance selector of valid labels (a prefixed key, an empty value)', async () => {
    const text = intent('m', 'stable').replace('  tags: {stable: asm-1-30}\n', '  tags: {stable: asm-1-30}\n  monitoring: {grafana: grafana-operator, grafanaInstanceSelector: {example.com/grafana: main, tier: ""}}\n');
    const r = await render({ files: [{ path: 'mesh.yaml', text }], env: {} });
    assert.ok(r.objects.some((o) => o.object.kind === 'GrafanaDashboard'));
  });

  const table: Array<{ rule: typeof DNS1123_LABEL; ok: string[]; bad: string[] }> = [
    { rule: DNS1123_LABEL, ok: ['a', '0a', 'a'.repeat(63)], bad: ['a'.repeat(64), 'A', '-a', 'a-', 'a.b', ''] },
    { rule: DNS1035_LABEL, ok: ['a', 'a-0', 'a'.repeat(63)], bad: ['0a', 'a'.repeat(64), 'a.b'] },
    { rule: DNS1123_SUBDOMAIN, ok: ['a.b', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'a'.repeat(253)], bad: ['a'.repeat(254), 'a..b', '.a', 'a_b'] },
    { rule: LABEL_VALUE, ok: ['', 'A_b.c-D', 'a'.repeat(63)], bad: ['a'.repeat(64), '_a', 'a b'] },
    // IsLabelKey, pkg/api/validate/content/kube.go v0.36.3.
    { rule: LABEL_KEY, ok: ['app', 'A_b.c-D', 'istio.io/rev', `${'a'.repeat(253)}/${'b'.repeat(63)}`, 'a'.repeat(63)], bad: ['', 'a'.repeat(64), `${'a'.repeat(254)}/b`, 'a/b/c', '/a', 'a/', 'Example.com/a', 'a b', '_a'] },
  ];
  for (const t of table) {
    it(`knows ${t.rule.name} (k8s.io/apimachinery validation.go, v0.34.10)`, () => {
      for (const v of t.ok) assert.equal(nameProblem(v, t.rule), undefined, v);
      for (const v of t.bad) assert.ok(nameProblem(v, t.rule), v);
    });
  }
});
