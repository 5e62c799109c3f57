/**
 * intent-not-discoverable: only an intent at ./mesh.yaml, the file plugin.yaml's discovery
 * matches, passes; any other file name or folder gets the warning at the intent's own file:line;
 * post-render, handed its intent, skips the rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { check } from '../guardrails/check.js';
import { postRenderGuardrails } from '../integrations/helm/guardrails.js';
import { meshContext } from '../integrations/helm/mesh-context.js';
import { render, type RenderResult } from '../pipeline/render.js';
import type { SourceFile } from '../core/types.js';
import { DISCOVERY_FILE, intentNotDiscoverableRule } from './intent-not-discoverable.js';

/** A Disabled mesh (nothing to evaluate, so each render is quick); the rule reads only where the intent is. */
const INTENT = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Disabled\n  disabled: {acknowledgePrune: true}\n  cluster: {kubernetesVersion: "1.32"}\n';
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n';
const NOW = new Date('2026-06-15T00:00:00Z');

async function findings(files: SourceFile[]): Promise<Array<[string | undefined, number | undefined]>> {
  const result = await render({ files, env: { now: NOW } });
  return check(result, { now: NOW, rules: [intentNotDiscoverableRule] }).violations.map((v) => [v.where?.file, v.where?.line]);
}

describe('intent-not-discoverable', () => {
  // [case, source files, [file, line] of each finding]
  const cases: Array<[string, SourceFile[], Array<[string, number]>]> = [
    ['the intent at ./mesh.yaml', [{ path: 'mesh.yaml', text: INTENT }, { path: 'apps/cm.yaml', text: CONFIG_MAP }], []],
    ['./mesh.yaml holding the intent after another document', [{ path: 'mesh.yaml', text: `${CONFIG_MAP}---\n${INTENT}` }], []],
    ['mesh.yml', [{ path: 'mesh.yml', text: INTENT }], [['mesh.yml', 1]]],
    ['servicemesh.yaml, the intent as its second document', [{ path: 'servicemesh.yaml', text: `${CONFIG_MAP}---\n${INTENT}` }], [['servicemesh.yaml', 5]]],
    ['sub/mesh.yaml', [{ path: 'sub/mesh.yaml', text: `# the mesh\n${INTENT}` }], [['sub/mesh.yaml', 2]]],
    ['mesh.json', [{ path: 'mesh.json', text: JSON.stringify(parse(INTENT)) }], [['mesh.json', 1]]],
    ['mesh.yaml present but not the intent', [{ path: 'mesh.yaml', text: CONFIG_MAP }, { path: 'intent.yaml', text: INTENT }], [['intent.yaml', 1]]],
  ];
  for (const [name, files, want] of cases) {
    it(name, async () => assert.deepEqual(await findings(files), want));
  }

  it('says why Argo CD fails and how to fix it', async () => {
    const result = await render({ files: [{ path: 'sub/servicemesh.yaml', text: INTENT }], env: { now: NOW } });
    const [v] = check(result, { now: NOW, rules: [intentNotDiscoverableRule] }).violations;
    assert.equal(v?.severity, 'warning');
    assert.equal(v?.resource, 'meshplane.io/ServiceMesh/_cluster/m');
    assert.match(v?.message ?? '', /^the mesh intent is in sub\/servicemesh\.yaml, not in \.\/mesh\.yaml at the top of the source folder/);
    assert.match(v?.message ?? '', /could not find cmp-server plugin with name "meshplane-v1" supporting the given repository/);
    assert.match(v?.remediation ?? '', /git mv sub\/servicemesh\.yaml mesh\.yaml.*point the Application's path at sub\//);
  });

  it('is skipped for a result built around a given intent (post-render: the field is absent)', async () => {
    const full = await render({ files: [{ path: 'helm/values-mesh.yaml', text: INTENT }], env: { now: NOW } });
    const { intentFoundInTree: _, ...given } = full;
    const report = check(given as RenderResult, { now: NOW, rules: [intentNotDiscoverableRule] });
    assert.deepEqual(report.violations, []);
    assert.equal(report.rules[0]?.outcome, 'skip');
  });

  it('post-render with --intent in any file finds nothing (its guardrails run the whole registry)', async () => {
    const context = await meshContext({ path: 'charts/servicemesh.yaml', text: INTENT }, { revisions: [], tags: [] }, { now: NOW });
    const violations = await postRenderGuardrails({ context, now: NOW })([], []);
    assert.deepEqual(violations.filter((v) => v.ruleId === intentNotDiscoverableRule.id), []);
  });

  it('looks for the file plugin.yaml discovers the plugin by', () => {
    const plugin = parse(readFileSync(path.join(REPO_ROOT, 'plugin.yaml'), 'utf8')) as { spec: { discover: { fileName: string } } };
    assert.equal(path.posix.normalize(plugin.spec.discover.fileName), DISCOVERY_FILE);
  });
});
