/**
 * docs/intent-reference.md documents every schema field of the parts it covers (gateways,
 * plug-in CA, mesh config, monitoring, security, CoreDNS), so a field added to the schema without
 * docs fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { renderExample } from '../helpers/examples.js';

interface SchemaNode { properties?: Record<string, SchemaNode>; items?: SchemaNode; $ref?: string; additionalProperties?: SchemaNode | boolean }

const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'servicemesh.v1alpha1.schema.json'), 'utf8')) as SchemaNode & { definitions: Record<string, SchemaNode> };
const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'intent-reference.md'), 'utf8');

function deref(n: SchemaNode): SchemaNode {
  return n.$ref ? deref(schema.definitions[n.$ref.replace('#/definitions/', '')] as SchemaNode) : n;
}

/** Every property name below `node` (through arrays, $refs and per-key maps). */
function fieldNames(node: SchemaNode): string[] {
  const n = deref(node);
  const own = Object.entries(n.properties ?? {}).flatMap(([k, v]) => [k, ...fieldNames(v)]);
  const nested = [n.items, typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined].filter((x): x is SchemaNode => !!x).flatMap(fieldNames);
  return [...own, ...nested];
}

const spec = (schema.properties?.spec as SchemaNode).properties as Record<string, SchemaNode>;
const istio = deref(spec.istio as SchemaNode).properties as Record<string, SchemaNode>;
const covered: Record<string, SchemaNode> = {
  'spec.istio.components.ingressGateways': (deref(istio.components as SchemaNode).properties as Record<string, SchemaNode>).ingressGateways as SchemaNode,
  'spec.istio.components.egressGateways': (deref(istio.components as SchemaNode).properties as Record<string, SchemaNode>).egressGateways as SchemaNode,
  'spec.istio.certificateAuthority': istio.certificateAuthority as SchemaNode,
  'spec.keyVaultAccess': spec.keyVaultAccess as SchemaNode,
  'spec.gateways': spec.gateways as SchemaNode,
  'spec.monitoring': spec.monitoring as SchemaNode,
  'spec.security': spec.security as SchemaNode,
  'spec.platform': spec.platform as SchemaNode,
  'spec.disabled': spec.disabled as SchemaNode,
  'spec.images': spec.images as SchemaNode,
};

describe('docs/intent-reference.md', () => {
  for (const [section, node] of Object.entries(covered)) {
    it(`documents ${section} and every field below it`, () => {
      assert.ok(doc.includes(`\`${section}`), `section ${section}`);
      const names = [...new Set(fieldNames(node))];
      assert.ok(names.length > 0, `${section} has fields`);
      // A field counts as documented when it is written as code: `name` or `parent.name`.
      for (const name of names) assert.match(doc, new RegExp(`[\`.]${name}\\b`), `${section}: field "${name}" is not documented`);
    });
  }
  it('documents spec.meshConfig', () => assert.ok(doc.includes('`spec.meshConfig`')));

  it('names every SecretProviderClass parameter as the template renders it (examples/full)', async () => {
    const spc = (await renderExample('full')).find((o) => o.kind === 'SecretProviderClass') as { spec?: { parameters?: Record<string, string> } } | undefined;
    const keys = Object.keys(spc?.spec?.parameters ?? {});
    assert.ok(keys.length > 0, 'examples/full renders a SecretProviderClass with parameters');
    const start = doc.indexOf('Meshplane renders SecretProviderClass');
    assert.ok(start >= 0, 'the paragraph on the rendered SecretProviderClass');
    const paragraph = doc.slice(start, doc.indexOf('\n\n', start));
    const named = new Set([...paragraph.matchAll(/`([A-Za-z]+)[`:]/g)].map((m) => m[1]));
    for (const k of keys) assert.ok(named.has(k), `the paragraph names the rendered parameter "${k}" (it names ${[...named].join(', ')})`);
  });
});
