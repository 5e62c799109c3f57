/**
 * Acceptance: `bin/meshplane preflight --kubeconfig <file>` as a user runs it, against the fake
 * API server (HTTPS with a throwaway CA when openssl exists). Issue 5: passes on a clean cluster,
 * fails naming the object on OSM or a foreign istiod; exit 2 with a useful message when the
 * cluster cannot be reached or refuses the credentials.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { closedPort, trackedScenarios, writeIntentDir, writeKubeconfig } from '../fake-apiserver/harness.js';

const scenario = trackedScenarios();

/** Runs preflight with an environment that cannot leak a real cluster in (no KUBECONFIG, empty HOME). */
const preflight = (args: string[]) => runCli(['preflight', ...args], { env: { KUBECONFIG: undefined, HOME: '/nonexistent', KUBERNETES_SERVICE_HOST: undefined }, timeoutMs: 60_000 });

describe('meshplane preflight (CLI)', () => {
  it('clean cluster: exit 0, "preflight passed" on stdout, nothing on stderr', async (t) => {
    const r = await scenario('clean');
    const started = performance.now();
    const res = await preflight([r.dir, '--kubeconfig', r.kubeconfig]);
    t.diagnostic(`spawned preflight (clean): ${Math.round(performance.now() - started)} ms wall`);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^preflight: mesh "prod" \(asm-1-28\) against https?:\/\/127\.0\.0\.1:\d+ \(context fake\), Kubernetes v1\.32\.3\n/);
    assert.match(res.stdout, /0 errors, 0 warnings: preflight passed\n$/);
    assert.equal(res.stderr, '');
  });

  it('Open Service Mesh installed: exit 1 naming apps/Deployment/osm-system/osm-controller', async () => {
    const r = await scenario('osm');
    const res = await preflight([r.dir, '--kubeconfig', r.kubeconfig]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stdout, /^error\[preflight-osm-installed\] apps\/Deployment\/osm-system\/osm-controller$/m);
    assert.match(res.stdout, /preflight failed\n$/);
  });

  it('a foreign istiod: exit 1 naming apps/Deployment/istio-system/istiod', async () => {
    const r = await scenario('foreign-istiod');
    const res = await preflight([r.dir, '--kubeconfig', r.kubeconfig]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(res.stdout, /^error\[preflight-foreign-istio\] apps\/Deployment\/istio-system\/istiod$/m);
    assert.match(res.stdout, /istiod istio-system\/istiod \(istio\.io\/rev=default\) is managed by something else/);
  });

  it('--output json on a Windows workload: exit 1, a PreflightReport with the rule id', async () => {
    const r = await scenario('windows-workload');
    const res = await preflight([r.dir, '--kubeconfig', r.kubeconfig, '--output', 'json']);
    assert.equal(res.code, 1, res.stderr);
    const doc = JSON.parse(res.stdout) as { kind: string; passed: boolean; violations: Array<{ ruleId: string; resource: string }> };
    assert.deepEqual([doc.kind, doc.passed], ['PreflightReport', false]);
    assert.deepEqual(doc.violations.map((v) => `${v.ruleId} ${v.resource}`), ['preflight-windows-workload core/Pod/shop/legacy-api-0']);
  });

  it('server down: exit 2, nothing on stdout, says what, which server and how to fix', async () => {
    const port = await closedPort();
    const kc = await writeKubeconfig(`https://127.0.0.1:${port}`, 'x');
    const dir = await writeIntentDir({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } });
    const res = await preflight([dir, '--kubeconfig', kc]);
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, new RegExp(`^error\\[cluster-unreachable\\]: cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${port} \\(GET /version\\): connection refused`));
    assert.match(res.stderr, /fix: check that the cluster is running and that --kubeconfig .* point at it/);
  });

  it('wrong token: exit 2, "authentication failed", nothing on stdout', async () => {
    const r = await scenario('clean', { clientToken: 'stale-token' });
    const res = await preflight([r.dir, '--kubeconfig', r.kubeconfig]);
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /^error\[cluster-auth-failed\]: authentication failed: the Kubernetes API server at https?:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "tester" \(401 Unauthorized\)/);
    assert.match(res.stderr, /fix: refresh the credentials/);
  });

  // Other kubeconfig problems (unknown --context, no configuration at all) are unit-tested in kube-config.test.ts.
  it('usage errors: unknown --output, missing kubeconfig file', async () => {
    const r = await scenario('clean');
    const cases: Array<[string[], RegExp]> = [
      [[r.dir, '--kubeconfig', r.kubeconfig, '--output', 'yaml'], /--output must be one of text, json/],
      [[r.dir, '--kubeconfig', '/nonexistent/kubeconfig'], /kubeconfig file \/nonexistent\/kubeconfig does not exist/],
    ];
    for (const [args, match] of cases) {
      const res = await preflight(args);
      assert.equal(res.code, 2, args.join(' '));
      assert.equal(res.stdout, '');
      assert.match(res.stderr, match);
    }
  });
});
