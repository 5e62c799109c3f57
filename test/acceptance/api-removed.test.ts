/**
 * `meshplane generate` of a source full of removed Kubernetes APIs, targeting Kubernetes 1.33:
 * the sync fails (exit 1, nothing on stdout) and the report names every object with rule
 * api-removed at its file:line. The expected list is read from the fixture's own YAML text (one
 * document per removed apiVersion/kind, written from the Kubernetes deprecation guide), not from
 * Meshplane's output; a second check makes sure the fixture covers every catalog entry removed by 1.33.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubeMinor } from '../../src/catalog/catalog.js';
import { loadGuardrailData } from '../../src/catalog/guardrails.js';
import { RULE_CASES } from '../helpers/rule-fixtures.js';
import { runCli } from '../helpers/cli.js';

const FIXTURE = path.join(RULE_CASES, 'api-removed', 'fail', 'every-removed-api');
const APP_DIR = path.join('apps', 'legacy');

/** One document of the fixture: where it starts and what it is. */
interface Doc {
  file: string;
  line: number;
  apiVersion: string;
  kind: string;
}

/** The documents of the fixture's manifests, found in the text: each starts at its `apiVersion:` line. */
function fixtureDocs(): Doc[] {
  const docs: Doc[] = [];
  for (const name of readdirSync(path.join(FIXTURE, APP_DIR)).sort()) {
    if (name === 'namespace.yaml') continue;
    const lines = readFileSync(path.join(FIXTURE, APP_DIR, name), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = /^apiVersion: (\S+)$/.exec(text);
      const kind = /^kind: (\S+)$/.exec(lines[i + 1] ?? '');
      if (m?.[1] && kind?.[1]) docs.push({ file: `${APP_DIR}/${name}`, line: i + 1, apiVersion: m[1], kind: kind[1] });
    });
  }
  return docs;
}

describe('generate: a source full of removed APIs', () => {
  const docs = fixtureDocs();

  it('the fixture has one object for every apiVersion/kind the catalog lists as removed by 1.33', () => {
    const present = new Set(docs.map((d) => `${d.apiVersion} ${d.kind}`));
    const removed = loadGuardrailData().kubernetesApis.filter((e) => kubeMinor(e.removedIn) <= 33);
    const missing = removed.flatMap((e) => e.kinds.map((k) => `${e.apiVersion} ${k}`)).filter((id) => !present.has(id));
    assert.deepEqual(missing, []);
    assert.equal(present.size, docs.length, 'no apiVersion/kind twice');
  });

  it('fails at Kubernetes 1.33 and names every one (api-removed, file:line)', async () => {
    const r = await runCli(['generate', FIXTURE, '--kube-version', '1.33', '--now', '2026-06-15']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n');
    for (const d of docs) {
      const at = lines.findIndex((l) => l.startsWith(`error[api-removed] ${d.file}:${d.line}:1: `));
      assert.ok(at >= 0, `no api-removed finding at ${d.file}:${d.line} (${d.apiVersion} ${d.kind})`);
      assert.match(lines[at + 1] ?? '', new RegExp(`^  ${d.apiVersion.replace(/\./g, '\\.')} ${d.kind} was removed in Kubernetes 1\\.\\d+; the target is 1\\.33`));
    }
    assert.equal(lines.filter((l) => l.startsWith('error[api-removed] ')).length, docs.length, 'one finding per object, no more');
  });

  it('at Kubernetes 1.32 the 1.33 removals are deprecation warnings, not errors', async (t) => {
    // mesh.yaml's spec.cluster.kubernetesVersion outranks --kube-version, so run a copy that targets 1.32.
    const dir = mkdtempSync(path.join(tmpdir(), 'meshplane-api-removed-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(FIXTURE, dir, { recursive: true });
    const mesh = path.join(dir, 'mesh.yaml');
    writeFileSync(mesh, readFileSync(mesh, 'utf8').replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.32"'));
    const r = await runCli(['generate', dir, '--now', '2026-06-15']);
    assert.equal(r.code, 1, 'the older removals still fail the sync');
    // kubernetes/api v0.29.0 networking/v1alpha1 and v0.27.0 authentication/v1beta1
    // zz_generated.prerelease-lifecycle.go: deprecated 1.30, removed 1.33.
    const in133 = docs.filter((d) => (d.apiVersion === 'networking.k8s.io/v1alpha1' && d.kind !== 'ClusterCIDR') || (d.apiVersion === 'authentication.k8s.io/v1beta1' && d.kind === 'SelfSubjectReview'));
    assert.equal(in133.length, 3);
    for (const d of in133) {
      assert.ok(!r.stderr.includes(`error[api-removed] ${d.file}:${d.line}:1:`), `${d.kind} is still served on 1.32`);
      assert.ok(r.stderr.includes(`warning[api-deprecated] ${d.file}:${d.line}:1:`), `${d.kind} is deprecated on 1.32`);
    }
    // admissionregistration.k8s.io/v1alpha1 v0.32.0 lifecycle: removed in 1.32 itself.
    const vap = docs.filter((d) => d.apiVersion === 'admissionregistration.k8s.io/v1alpha1');
    assert.equal(vap.length, 2);
    for (const d of vap) assert.ok(r.stderr.includes(`error[api-removed] ${d.file}:${d.line}:1:`), `${d.kind} is no longer served on 1.32`);
  });
});
