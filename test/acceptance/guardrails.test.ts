/**
 * Acceptance: issue 4's "Must show" cases through the real `bin/meshplane`. Each case fails
 * closed (exit 1, nothing on stdout, the rule id and file:line on stderr); the same case with a
 * valid, unexpired exception passes (exit 0, manifests on stdout, the exception listed on
 * stderr). Plus one test per exit code (0, 1, 2) for `check` and for `generate`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

/** Every run uses this clock, so end-of-life and expiry never depend on the day the tests run. */
const NOW = '2026-06-15';
const CASES_DIR = path.join(REPO_ROOT, 'test', 'cases', 'guardrails');

interface MustShow {
  dir: string;
  rule: string;
  /** `file:line` the finding must point at. */
  at: string;
  /** [rule, resource] of the exceptions that waive the case. */
  waive: Array<[string, string]>;
}

const MESH = 'meshplane.io/ServiceMesh/guarded';
const CASES: MustShow[] = [
  { dir: 'envoyfilter-in-list-nested-folder', rule: 'forbidden-kind', at: 'apps/team-a/filters/lua/list.yaml:9', waive: [['forbidden-kind', 'networking.istio.io/EnvoyFilter/shop/lua-headers']] },
  { dir: 'wasmplugin-in-json', rule: 'forbidden-kind', at: 'apps/shop/plugin.json:1', waive: [['forbidden-kind', 'extensions.istio.io/WasmPlugin/shop/waf']] },
  { dir: 'telemetry-after-comment-document', rule: 'forbidden-kind', at: 'apps/shop/telemetry.yaml:3', waive: [['forbidden-kind', 'telemetry.istio.io/Telemetry/shop/*']] },
  { dir: 'three-revisions', rule: 'revision-count', at: 'mesh.yaml:9', waive: [['revision-count', MESH]] },
  { dir: 'asm-1-22-on-kubernetes-1-33', rule: 'revision-kubernetes-incompatible', at: 'mesh.yaml:9', waive: [['revision-kubernetes-incompatible', MESH]] },
  { dir: 'pdb-policy-v1beta1-on-1-29', rule: 'api-removed', at: 'apps/shop/pdb.yaml:1', waive: [['api-removed', 'policy/PodDisruptionBudget/shop/web']] },
  { dir: 'namespace-istio-injection-enabled', rule: 'injection-label-unsupported', at: 'apps/shop/namespace.yaml:7', waive: [['injection-label-unsupported', 'core/Namespace/shop']] },
  { dir: 'namespace-revision-not-installed', rule: 'injection-revision-missing', at: 'apps/shop/namespace.yaml:6', waive: [['injection-revision-missing', 'core/Namespace/_cluster/shop']] },
  { dir: 'httproute-service-parent', rule: 'gateway-api-unsupported', at: 'apps/shop/route.yaml:8', waive: [['gateway-api-unsupported', 'gateway.networking.k8s.io/HTTPRoute/shop/reviews']] },
  { dir: 'istio-operator', rule: 'forbidden-kind', at: 'platform/istio/operator.yaml:1', waive: [['forbidden-kind', 'install.istio.io/IstioOperator/istio-system/control-plane'], ['foreign-istio', 'install.istio.io/IstioOperator/istio-system/control-plane']] },
  { dir: 'secret-with-plain-ca-key', rule: 'ca-key-in-source', at: 'platform/ca/cacerts.yaml:12', waive: [['ca-key-in-source', 'core/Secret/aks-istio-system/cacerts']] },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A copy of a case with the exceptions appended to its mesh.yaml (which ends inside `spec`). */
async function withExceptions(c: MustShow, expires: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mp-waived-${c.dir}-`));
  await cp(path.join(CASES_DIR, c.dir), dir, { recursive: true });
  const entries = c.waive.map(([rule, resource]) => `      - rule: ${rule}\n        resource: "${resource}"\n        reason: "accepted until the team migrates (acceptance test)"\n        expires: "${expires}"\n`);
  await appendFile(path.join(dir, 'mesh.yaml'), `  policy:\n    exceptions:\n${entries.join('')}`);
  return dir;
}

function kinds(stdout: string): string[] {
  return parseAllDocuments(stdout).map((d) => String((d.toJS() as { kind: string }).kind));
}

describe('must-show cases fail closed', { concurrency: 2 }, () => {
  for (const c of CASES) {
    it(`${c.dir}: exit 1, empty stdout, ${c.rule} at ${c.at}`, async () => {
      const r = await runCli(['generate', path.join(CASES_DIR, c.dir), '--now', NOW]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`^error\\[${escape(c.rule)}\\] ${escape(c.at)}:\\d+: `, 'm'));
      assert.match(r.stderr, /^ {2}fix: /m);
    });
  }
});

describe('the same cases with a valid, unexpired exception pass and list it', { concurrency: 2 }, () => {
  for (const c of CASES) {
    it(`${c.dir}: exit 0, manifests on stdout, the exception on stderr`, async () => {
      const r = await runCli(['generate', await withExceptions(c, '2026-06-15'), '--now', NOW]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(kinds(r.stdout).includes('Deployment'), 'the rendered mesh is on stdout');
      assert.doesNotMatch(r.stderr, /^error\[/m);
      for (const [rule, resource] of c.waive) {
        assert.match(r.stderr, new RegExp(`^ {2}\\d+\\. ${escape(rule)} ${escape(resource)} \\(until 2026-06-15, waived 1\\)`, 'm'));
      }
      assert.match(r.stderr, new RegExp(`^waived\\[${escape(c.rule)}\\] ${escape(c.at)}:`, 'm'));
    });
  }

  it('an expired exception waives nothing and is reported as a warning', async () => {
    const c = CASES[0]!;
    const r = await runCli(['generate', await withExceptions(c, '2026-06-14'), '--now', NOW]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^warning\[exception-expired\] exception for forbidden-kind networking\.istio\.io\/EnvoyFilter\/shop\/lua-headers expired on 2026-06-14/m);
    assert.match(r.stderr, /^error\[forbidden-kind\] apps\/team-a\/filters\/lua\/list\.yaml:9:/m);
  });
});

const single = path.join(REPO_ROOT, 'examples', 'single-revision');
const failing = path.join(CASES_DIR, 'istio-operator');

describe('exit codes: check', { concurrency: 2 }, () => {
  it('0: a clean source; the report is on stdout', async () => {
    const r = await runCli(['check', single, '--now', NOW]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^meshplane check: mesh prod, Kubernetes 1\.32, now 2026-06-15$/m);
    assert.match(r.stdout, /; 0 errors, 0 warnings, 0 waived$/m);
  });

  it('1: error findings; the requested report (SARIF) is on stdout', async () => {
    const r = await runCli(['check', failing, '--now', NOW, '--output', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0]!.results.map((x) => x.ruleId).sort(), ['forbidden-kind', 'foreign-istio']);
  });

  it('2: invalid usage; nothing on stdout, the fix on stderr', async () => {
    const r = await runCli(['check', single, '--output', 'yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--output must be one of text, json, sarif, junit, markdown/);
  });
});

describe('exit codes: generate', { concurrency: 2 }, () => {
  it('0: a clean source prints manifests, including the admission policy, and no report', async () => {
    const r = await runCli(['generate', single, '--now', NOW]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(kinds(r.stdout).includes('ValidatingAdmissionPolicy'));
    assert.doesNotMatch(r.stderr, /meshplane check/);
  });

  it('1: error findings print the report on stderr and nothing on stdout', async () => {
    const r = await runCli(['generate', failing, '--now', NOW]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[foreign-istio\] platform\/istio\/operator\.yaml:1:1: /m);
  });

  it('1: KUBE_API_VERSIONS without the APIs the mesh needs fails api-unavailable', async () => {
    const r = await runCli(['generate', single, '--now', NOW], { env: { KUBE_API_VERSIONS: 'v1,apps/v1' } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error\[api-unavailable\] mesh\.yaml:\d+:\d+: policy\/PodDisruptionBudget\/aks-istio-system\/istiod-asm-1-30$/m);
  });

  it('2: a --now that is not a date is a usage error; nothing on stdout', async () => {
    const r = await runCli(['generate', single, '--now', '2026-02-30']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--now must be a date written YYYY-MM-DD/);
  });
});
