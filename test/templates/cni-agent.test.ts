/**
 * The Istio CNI node agent rendered for proxyRedirectionMechanism: CNIChaining. Expected values
 * are facts from istio/istio's istio-cni chart (templates/daemonset.yaml, configmap-cni.yaml,
 * clusterrole.yaml and values.yaml) at the tag of each revision's Istio minor, written down
 * below; the add-on's DaemonSet name is the published one. Every rendered object must pass its
 * schema and `kubectl kustomize`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { loadCatalog, revisionMinor } from '../../src/catalog/catalog.js';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { find, renderMesh } from '../helpers/mesh-render.js';
import { validateObject } from '../schemas/object-validators.js';

const run = promisify(execFile);
const NS = 'aks-istio-system';
const DS = 'azure-service-mesh-istio-cni-addon-node';
const BASE = 'azure-service-mesh-istio-cni-addon';

interface EnvVar { name: string; value?: string }
interface Container { name: string; image: string; env: EnvVar[]; envFrom: Array<{ configMapRef: { name: string } }>; securityContext: { capabilities: { drop: string[]; add: string[] }; privileged: boolean }; volumeMounts: Array<{ name: string; mountPath: string }> }
interface PodSpec { nodeSelector: Record<string, string>; priorityClassName: string; serviceAccountName: string; terminationGracePeriodSeconds: number; containers: Container[]; volumes: Array<{ name: string; hostPath?: { path: string } }> }
type DaemonSet = KubeObject & { spec: { template: { spec: PodSpec } } };
type ConfigMap = KubeObject & { data: Record<string, string> };
interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }

/** Chart facts per tag: what changed between the minors CNI chaining exists on (asm-1-25+). */
const CHART: Record<number, { tag: string; grace: number; reconcileOnStartup: string; switchToHostNs: boolean; extraKeys: string[] }> = {
  25: { tag: '1.25.5', grace: 5, reconcileOnStartup: 'false', switchToHostNs: false, extraKeys: [] },
  26: { tag: '1.26.4', grace: 5, reconcileOnStartup: 'false', switchToHostNs: true, extraKeys: [] },
  27: { tag: '1.27.9', grace: 5, reconcileOnStartup: 'false', switchToHostNs: true, extraKeys: ['AMBIENT_ENABLEMENT_SELECTOR', 'ISTIO_OWNED_CNI_CONFIG', 'NATIVE_NFTABLES'] },
  28: { tag: '1.28.9', grace: 5, reconcileOnStartup: 'false', switchToHostNs: true, extraKeys: ['AMBIENT_ENABLEMENT_SELECTOR', 'ISTIO_OWNED_CNI_CONFIG', 'NATIVE_NFTABLES', 'ENABLE_AMBIENT_DETECTION_RETRY'] },
  29: { tag: '1.29.5', grace: 30, reconcileOnStartup: 'true', switchToHostNs: true, extraKeys: ['AMBIENT_ENABLEMENT_SELECTOR', 'ISTIO_OWNED_CNI_CONFIG', 'NATIVE_NFTABLES', 'ENABLE_AMBIENT_DETECTION_RETRY'] },
  30: { tag: '1.30.2', grace: 30, reconcileOnStartup: 'true', switchToHostNs: true, extraKeys: ['AMBIENT_ENABLEMENT_SELECTOR', 'ISTIO_OWNED_CNI_CONFIG', 'NATIVE_NFTABLES', 'ENABLE_AMBIENT_DETECTION_RETRY'] },
};

/** configmap-cni.yaml keys and values every minor renders with the default values.yaml. */
const COMMON_CONFIG: Record<string, string> = {
  AMBIENT_ENABLED: 'false',
  AMBIENT_DNS_CAPTURE: 'true',
  AMBIENT_IPV6: 'true',
  CHAINED_CNI_PLUGIN: 'true', // values.yaml chained: true
  EXCLUDE_NAMESPACES: 'kube-system', // values.yaml excludeNamespaces: [kube-system]
  REPAIR_ENABLED: 'true',
  REPAIR_LABEL_PODS: 'false',
  REPAIR_DELETE_PODS: 'false',
  REPAIR_REPAIR_PODS: 'true',
  REPAIR_INIT_CONTAINER_NAME: 'istio-validation',
  REPAIR_BROKEN_POD_LABEL_KEY: 'cni.istio.io/uninitialized',
  REPAIR_BROKEN_POD_LABEL_VALUE: 'true',
};

/**
 * The environment names the agent reads, per tag (istio/istio at the tags of CHART). The agent's
 * settings are cobra flags bound to viper with AutomaticEnv and `-` replaced by `_`, no prefix
 * (cni/pkg/cmd/root.go), so a flag `repair-enabled` (cni/pkg/constants/constants.go, "Command line
 * arguments") is read from REPAIR_ENABLED; a few more are read directly (os.Getenv / env.Register
 * under cni/pkg). Listed: the names an agent Meshplane renders could set. Why per minor: an env
 * var the agent of that minor does not read is silently ignored, so a rename would go unnoticed.
 */
const READ_SINCE: Record<string, number> = {
  // Flags at 1.25.5 and every later tag.
  AMBIENT_ENABLED: 25, AMBIENT_DNS_CAPTURE: 25, AMBIENT_IPV6: 25, AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: 25,
  CHAINED_CNI_PLUGIN: 25, EXCLUDE_NAMESPACES: 25, POD_NAMESPACE: 25,
  REPAIR_ENABLED: 25, REPAIR_LABEL_PODS: 25, REPAIR_DELETE_PODS: 25, REPAIR_REPAIR_PODS: 25, REPAIR_NODE_NAME: 25,
  REPAIR_SIDECAR_ANNOTATION: 25, REPAIR_INIT_CONTAINER_NAME: 25, REPAIR_BROKEN_POD_LABEL_KEY: 25, REPAIR_BROKEN_POD_LABEL_VALUE: 25,
  // Read directly: NODE_NAME and POD_NAME (cni/pkg/nodeagent, cni/pkg/cmd) at every tag.
  NODE_NAME: 25, POD_NAME: 25,
  // cni/pkg/constants/constants.go reads it with os.Getenv from 1.26.4 (switch to the host network namespace through /host/proc/1/ns/net).
  ALLOW_SWITCH_TO_HOST_NS: 26,
  // Flags added by 1.27.9.
  AMBIENT_ENABLEMENT_SELECTOR: 27, ISTIO_OWNED_CNI_CONFIG: 27, NATIVE_NFTABLES: 27,
  // Flag added by 1.28.9.
  ENABLE_AMBIENT_DETECTION_RETRY: 28,
};
/** Read by the Go runtime, not by the agent's code. */
const GO_RUNTIME = ['GOMEMLIMIT', 'GOMAXPROCS'];
/**
 * Set by the chart at every tag of CHART but read by no code of the agent at those tags (a
 * search of the whole tree outside manifests/): kept because the chart sets them.
 */
const CHART_ONLY = ['CURRENT_AGENT_VERSION', 'REPAIR_RUN_AS_DAEMON'];

const catalog = loadCatalog();
const cniRevisions = catalog.revisions.filter((r) => revisionMinor(r.name) >= 25);

describe('the CNI node agent per revision', () => {
  it('exists for every catalog revision that supports CNI chaining', () => {
    assert.deepEqual(cniRevisions.map((r) => revisionMinor(r.name)), Object.keys(CHART).map(Number));
  });

  for (const entry of cniRevisions) {
    const minor = revisionMinor(entry.name);
    const chart = CHART[minor] as (typeof CHART)[number];
    it(`${entry.name}: matches the istio-cni chart at ${chart.tag}, and every object passes its schema`, async () => {
      assert.equal(entry.istio.replace(/-.*$/, ''), chart.tag, 'the catalog serves the Istio version these facts were read at');
      const objects = await renderMesh({ revisions: [entry.name], kubernetesVersion: entry.kubernetes.max, redirection: 'CNIChaining' });
      const ds = find<DaemonSet>(objects, 'DaemonSet', DS);
      assert.equal(ds.metadata?.namespace, NS);
      const pod = ds.spec.template.spec;
      assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
      assert.equal(pod.priorityClassName, 'system-node-critical');
      assert.equal(pod.serviceAccountName, BASE);
      assert.equal(pod.terminationGracePeriodSeconds, chart.grace);
      const c = pod.containers[0] as Container;
      assert.equal(c.name, 'install-cni');
      const istiod = find<DaemonSet>(objects, 'Deployment', `istiod-${entry.name}`).spec.template.spec.containers[0] as Container;
      assert.equal(c.image, istiod.image.replace('/pilot:', '/install-cni:'), 'same hub and tag as istiod');
      assert.equal(c.securityContext.privileged, false);
      assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_ADMIN', 'DAC_OVERRIDE'] });
      assert.equal(c.env.some((e) => e.name === 'ALLOW_SWITCH_TO_HOST_NS'), chart.switchToHostNs);
      assert.equal(c.env.find((e) => e.name === 'REPAIR_SIDECAR_ANNOTATION')?.value, 'sidecar.istio.io/status');
      // values.yaml cniBinDir /opt/cni/bin, cniConfDir /etc/cni/net.d, mounted at /host/<dir>.
      const hostPathOf = (mountPath: string): string | undefined => {
        const name = c.volumeMounts.find((m) => m.mountPath === mountPath)?.name;
        return pod.volumes.find((v) => v.name === name)?.hostPath?.path;
      };
      assert.equal(hostPathOf('/host/opt/cni/bin'), '/opt/cni/bin');
      assert.equal(hostPathOf('/host/etc/cni/net.d'), '/etc/cni/net.d');
      assert.equal(hostPathOf('/host/proc'), '/proc', 'repairPods mode reads pod network namespaces');

      assert.deepEqual(c.envFrom, [{ configMapRef: { name: `${BASE}-config` } }]);
      const cm = find<ConfigMap>(objects, 'ConfigMap', `${BASE}-config`);
      const expectedKeys = [...Object.keys(COMMON_CONFIG), 'AMBIENT_RECONCILE_POD_RULES_ON_STARTUP', 'CURRENT_AGENT_VERSION', ...chart.extraKeys].sort();
      assert.deepEqual(Object.keys(cm.data).sort(), expectedKeys);
      for (const [key, value] of Object.entries(COMMON_CONFIG)) assert.equal(cm.data[key], value, key);
      assert.equal(cm.data.AMBIENT_RECONCILE_POD_RULES_ON_STARTUP, chart.reconcileOnStartup);
      assert.equal(cm.data.CURRENT_AGENT_VERSION, entry.istio);

      const setNames = [...c.env.map((e) => e.name), ...Object.keys(cm.data)];
      const unread = setNames.filter((n) => !GO_RUNTIME.includes(n) && !CHART_ONLY.includes(n) && !((READ_SINCE[n] ?? Infinity) <= minor));
      assert.deepEqual(unread, [], `names the agent at ${chart.tag} does not read`);

      // daemonset.yaml: the agent's readiness endpoint (constants.go ReadinessPort/ReadinessEndpoint),
      // its metrics port (root.go monitoring-port default), the run directory the plugin talks to
      // it through (root.go cni-agent-run-dir default), and the chart's tolerations.
      const probe = (c as unknown as { readinessProbe: { httpGet: { path: string; port: number } } }).readinessProbe;
      assert.deepEqual(probe.httpGet, { path: '/readyz', port: 8000 });
      assert.deepEqual((c as unknown as { ports: Array<{ containerPort: number }> }).ports.map((p) => p.containerPort), [15014]);
      assert.equal(hostPathOf('/var/run/istio-cni'), '/var/run/istio-cni');
      assert.deepEqual((pod as unknown as { tolerations: unknown[] }).tolerations, [
        { effect: 'NoSchedule', operator: 'Exists' },
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { effect: 'NoExecute', operator: 'Exists' },
      ]);

      const role = find<{ rules: Rule[] }>(objects, 'ClusterRole', BASE);
      assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] }]);
      const repair = find<{ rules: Rule[] }>(objects, 'ClusterRole', `${BASE}-repair-role`);
      assert.deepEqual(repair.rules, [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }, { apiGroups: [''], resources: ['pods'], verbs: ['watch', 'get', 'list'] }]);
      for (const binding of [BASE, `${BASE}-repair-rolebinding`]) {
        const b = find<{ subjects: Array<{ name: string; namespace: string }> }>(objects, 'ClusterRoleBinding', binding);
        assert.deepEqual(b.subjects.map((s) => `${s.namespace}/${s.name}`), [`${NS}/${BASE}`]);
      }
      find(objects, 'ServiceAccount', BASE);

      const problems: string[] = [];
      for (const o of objects) {
        const r = await validateObject(o);
        if (r.status !== 'valid') problems.push(`${o.kind}/${o.metadata?.name}: ${r.status === 'invalid' ? r.message : 'no schema'}`);
      }
      assert.deepEqual(problems, []);
    });
  }
});

describe('which agent, and whether', () => {
  it('InitContainers renders no agent', async () => {
    const objects = await renderMesh({ revisions: ['asm-1-30'], kubernetesVersion: '1.33', redirection: 'InitContainers' });
    assert.equal(objects.some((o) => o.kind === 'DaemonSet'), false);
  });
  it('a canary renders one agent, at the newer revision, and kubectl kustomize accepts the output', async () => {
    const objects = await renderMesh({ revisions: ['asm-1-29', 'asm-1-30'], kubernetesVersion: '1.33', redirection: 'CNIChaining' });
    const agents = objects.filter((o) => o.kind === 'DaemonSet');
    assert.deepEqual(agents.map((o) => o.metadata?.name), [DS]);
    assert.equal(find<ConfigMap>(objects, 'ConfigMap', `${BASE}-config`).data.CURRENT_AGENT_VERSION, catalog.revisions.find((r) => r.name === 'asm-1-30')?.istio);
    const dir = mkdtempSync(path.join(tmpdir(), 'meshplane-cni-'));
    try {
      writeFileSync(path.join(dir, 'all.yaml'), objects.map((o) => stringify(o)).join('---\n'));
      writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [all.yaml]\n');
      const { stdout } = await run('kubectl', ['kustomize', dir], { timeout: 60_000 });
      assert.ok(stdout.includes(`name: ${DS}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the injector fits the agent', () => {
  it('under CNI the injector says chained CNI, and its template adds the init container the agent repairs', async () => {
    const objects = await renderMesh({ revisions: ['asm-1-30'], kubernetesVersion: '1.33', redirection: 'CNIChaining' });
    const agentConfig = find<ConfigMap>(objects, 'ConfigMap', `${BASE}-config`).data;
    const injector = find<ConfigMap>(objects, 'ConfigMap', 'istio-sidecar-injector-asm-1-30').data;
    const values = JSON.parse(injector.values as string) as { istio_cni?: { enabled?: boolean; chained?: boolean }; pilot?: { cni?: { enabled?: boolean } } };
    assert.equal(values.pilot?.cni?.enabled ?? values.istio_cni?.enabled, true);
    assert.equal(String(values.istio_cni?.chained ?? true), agentConfig.CHAINED_CNI_PLUGIN, 'chained on both sides');
    const template = readFileSync(path.join(REPO_ROOT, 'templates/injection/sidecar.tmpl'), 'utf8');
    // A text check: the container line is a template branch (CNI or not). The injection harness
    // (test/injection) executes the template; this only ties the name to the agent's setting.
    assert.match(template, new RegExp(`^\\s*- name: .*\\b${agentConfig.REPAIR_INIT_CONTAINER_NAME}\\b`, 'm'), 'the sidecar template names the init container the agent watches');
  });
});
