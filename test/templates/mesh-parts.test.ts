/**
 * What the gateway, plug-in CA, mesh config, monitoring, security and CoreDNS templates render
 * for the shipped examples (issue 3 "Must show"), checked as behaviour: which pods a selector
 * picks, which volume istiod mounts, what an embedded document says.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';
import { renderExample } from '../helpers/examples.js';

type Labels = Record<string, string>;
interface Requirement { key: string; operator: string; values?: string[] }
interface Selector { matchLabels?: Labels; matchExpressions?: Requirement[] }
type Obj = KubeObject & { spec?: any; data?: Record<string, string> };

/** Label-selector semantics (matchLabels AND every matchExpressions requirement). */
function selects(sel: Selector, labels: Labels): boolean {
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((r) => {
    const has = r.key in labels;
    if (r.operator === 'In') return has && (r.values ?? []).includes(labels[r.key] as string);
    if (r.operator === 'NotIn') return !has || !(r.values ?? []).includes(labels[r.key] as string);
    if (r.operator === 'Exists') return has;
    if (r.operator === 'DoesNotExist') return !has;
    throw new Error(`operator ${r.operator}`);
  });
  return okLabels && okExpr;
}

function find(objects: Obj[], kind: string, name: string, namespace?: string): Obj {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name && (namespace === undefined || x.metadata?.namespace === namespace));
  assert.ok(o, `${kind} ${namespace ?? ''}/${name} is rendered`);
  return o;
}

const podLabels = (d: Obj): Labels => d.spec.template.metadata.labels as Labels;

describe('examples/canary (two revisions)', () => {
  let objects: Obj[] = [];
  before(async () => {
    objects = (await renderExample('canary')) as Obj[];
  });
  const revs = ['asm-1-29', 'asm-1-30'];

  it('runs two external gateway Deployments behind one Service whose selector picks both, while each Deployment keeps to its revision', () => {
    const deps = revs.map((r) => find(objects, 'Deployment', `aks-istio-ingressgateway-external-${r}`, 'aks-istio-ingress'));
    const services = objects.filter((o) => o.kind === 'Service' && o.metadata?.name?.startsWith('aks-istio-ingressgateway-external'));
    assert.equal(services.length, 1);
    const svc = services[0] as Obj;
    assert.equal(svc.spec.type, 'LoadBalancer');
    assert.deepEqual(svc.spec.ports.map((p: { name: string; port: number; targetPort: number }) => [p.name, p.port, p.targetPort]), [['status-port', 15021, 15021], ['http2', 80, 80], ['https', 443, 443]]);
    for (const d of deps) assert.ok(selects({ matchLabels: svc.spec.selector }, podLabels(d)), `the Service selects ${d.metadata?.name}'s pods`);
    assert.equal(selects(deps[0]?.spec.selector, podLabels(deps[1] as Obj)), false, 'asm-1-29 does not select asm-1-30 pods');
    assert.equal(selects(deps[1]?.spec.selector, podLabels(deps[0] as Obj)), false, 'asm-1-30 does not select asm-1-29 pods');
    for (const [i, d] of deps.entries()) {
      const t = d.spec.template;
      assert.equal(t.metadata.labels['istio.io/rev'], revs[i]);
      assert.equal(t.metadata.labels['sidecar.istio.io/inject'], 'true');
      assert.equal(t.metadata.annotations['inject.istio.io/templates'], 'gateway');
      assert.equal(t.spec.containers[0].name, 'istio-proxy');
      assert.equal(t.spec.containers[0].image, 'auto');
      assert.deepEqual(t.spec.securityContext.sysctls, [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
      assert.ok(t.spec.tolerations.some((x: { key: string }) => x.key === 'CriticalAddonsOnly'));
      assert.equal(t.spec.priorityClassName, 'system-cluster-critical');
      assert.equal(t.spec.nodeSelector['kubernetes.io/os'], 'linux');
      assert.equal(d.spec.replicas, undefined, 'the HPA owns the replica count');
    }
  });

  it('gives each gateway revision an HPA (2-5, 80%) and a PDB that keeps to the revision', () => {
    for (const r of revs) {
      const name = `aks-istio-ingressgateway-internal-${r}`;
      const hpa = find(objects, 'HorizontalPodAutoscaler', name);
      assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization], [2, 5, 80]);
      assert.equal(hpa.spec.scaleTargetRef.name, name);
      const pdb = find(objects, 'PodDisruptionBudget', name);
      assert.equal(pdb.spec.minAvailable, 1);
      assert.ok(selects(pdb.spec.selector, podLabels(find(objects, 'Deployment', name))));
      const other = revs.find((x) => x !== r) as string;
      assert.equal(selects(pdb.spec.selector, podLabels(find(objects, 'Deployment', `aks-istio-ingressgateway-internal-${other}`))), false);
    }
  });

  it('puts the internal gateway on an internal load balancer and lets its identity read Secrets', () => {
    const svc = find(objects, 'Service', 'aks-istio-ingressgateway-internal');
    assert.equal(svc.metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], 'true');
    assert.equal(find(objects, 'Service', 'aks-istio-ingressgateway-external').metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'], undefined);
    const role = find(objects, 'Role', 'aks-istio-ingressgateway-internal');
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    const binding = find(objects, 'RoleBinding', 'aks-istio-ingressgateway-internal');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'aks-istio-ingressgateway-internal', namespace: 'aks-istio-ingress' }]);
    for (const r of revs) assert.equal(find(objects, 'Deployment', `aks-istio-ingressgateway-internal-${r}`).spec.template.spec.serviceAccountName, 'aks-istio-ingressgateway-internal');
  });

  it('renders the egress gateway per revision with its static gateway configuration, off gateway-mode nodes, behind one ClusterIP Service', () => {
    for (const r of revs) {
      const d = find(objects, 'Deployment', `egress-a-${r}`, 'aks-istio-egress');
      assert.equal(d.spec.template.metadata.annotations['kubernetes.azure.com/static-gateway-configuration'], 'egw');
      assert.equal(d.spec.template.metadata.labels['azureservicemesh/istio.component'], 'egress-gateway');
      const terms = d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
      assert.equal(selects(terms[0], { 'kubernetes.azure.com/mode': 'gateway' }), false, 'never on the gateway pool');
      assert.equal(selects(terms[0], { 'kubernetes.azure.com/mode': 'user' }), true);
      assert.equal(d.spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.length, 2, 'keeps the weighted preferences');
    }
    const svc = find(objects, 'Service', 'egress-a', 'aks-istio-egress');
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.deepEqual(svc.spec.ports.map((p: { port: number }) => p.port), [15021, 80, 443]);
    find(objects, 'Namespace', 'aks-istio-egress');
  });

  it('wires the plug-in CA per revision: SecretProviderClass istio-spc-<rev>, mounted by that revision\'s istiod as cacerts', () => {
    for (const r of revs) {
      const spc = find(objects, 'SecretProviderClass', `istio-spc-${r}`, 'aks-istio-system');
      assert.equal(spc.spec.provider, 'azure');
      assert.equal(spc.spec.parameters.keyvaultName, 'mesh-kv');
      // The Azure provider reads tenantID first and logs tenantId as deprecated (secrets-store-csi-driver-provider-azure
      // pkg/provider/types/parameters.go GetTenantID, v1.2.0 to v1.8.2), so only the current name is rendered.
      assert.equal(spc.spec.parameters.tenantID, '11111111-1111-1111-1111-111111111111');
      assert.equal(Object.hasOwn(spc.spec.parameters, 'tenantId'), false, 'the deprecated spelling is not rendered');
      const files = (parse(spc.spec.parameters.objects).array as string[]).map((s) => parse(s) as { objectName: string; objectAlias: string; objectType: string });
      assert.deepEqual(files.map((f) => [f.objectName, f.objectAlias, f.objectType]), [['ca-cert', 'ca-cert.pem', 'secret'], ['ca-key', 'ca-key.pem', 'secret'], ['cert-chain', 'cert-chain.pem', 'secret'], ['root-cert', 'root-cert.pem', 'secret']]);
      const pod = find(objects, 'Deployment', `istiod-${r}`).spec.template.spec;
      const vol = pod.volumes.find((v: { name: string }) => v.name === 'cacerts');
      assert.deepEqual(vol, { name: 'cacerts', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: `istio-spc-${r}` } } });
      assert.ok(pod.containers[0].volumeMounts.some((m: { name: string; mountPath: string }) => m.name === 'cacerts' && m.mountPath === '/etc/cacerts'));
    }
  });

  it('renders spec.meshConfig into istio-shared-configmap-<rev> (key mesh) for every revision', () => {
    for (const r of revs) {
      const cm = find(objects, 'ConfigMap', `istio-shared-configmap-${r}`, 'aks-istio-system');
      assert.deepEqual(Object.keys(cm.data ?? {}), ['mesh']);
      assert.deepEqual(parse(cm.data?.mesh as string), { accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    }
  });

  it('scrapes proxies and every revision\'s istiod with azmonitoring.coreos.com objects, not the tag Services', () => {
    const pm = find(objects, 'PodMonitor', 'istio-proxies', 'aks-istio-system');
    const sm = find(objects, 'ServiceMonitor', 'istiod', 'aks-istio-system');
    for (const o of [pm, sm]) {
      assert.equal(o.apiVersion, 'azmonitoring.coreos.com/v1');
      assert.deepEqual([o.spec.labelLimit, o.spec.labelNameLengthLimit, o.spec.labelValueLengthLimit], [63, 511, 1023]);
    }
    assert.equal(pm.spec.podMetricsEndpoints[0].path, '/stats/prometheus');
    const relabel = pm.spec.podMetricsEndpoints[0].relabelings as Array<{ sourceLabels: string[]; targetLabel?: string }>;
    assert.ok(relabel.some((x) => x.targetLabel === '__address__' && x.sourceLabels[0] === '__meta_kubernetes_pod_annotation_prometheus_io_port'));
    const istiodServices = objects.filter((o) => o.kind === 'Service' && o.metadata?.namespace === 'aks-istio-system');
    const picked = istiodServices.filter((s) => selects(sm.spec.selector, s.metadata?.labels ?? {})).map((s) => s.metadata?.name).sort();
    assert.deepEqual(picked, revs.map((r) => `istiod-${r}`));
    assert.equal(sm.spec.endpoints[0].port, 'http-monitoring');
    assert.equal(objects.some((o) => o.kind === 'PrometheusRule' || o.kind === 'GrafanaDashboard'), false, 'alerts and dashboards are opt-in');
  });
});

describe('examples/full (one revision, every option)', () => {
  let objects: Obj[] = [];
  before(async () => {
    objects = (await renderExample('full')) as Obj[];
  });

  it('applies the gateway overrides of spec.gateways', () => {
    const ext = find(objects, 'Service', 'aks-istio-ingressgateway-external');
    assert.equal(ext.spec.externalTrafficPolicy, 'Local');
    assert.equal(ext.metadata?.annotations?.['service.beta.kubernetes.io/azure-pip-name'], 'mesh-ingress-ip');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'aks-istio-ingressgateway-external-asm-1-30');
    assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas, hpa.spec.metrics[0].resource.target.averageUtilization], [3, 10, 80]);
    const egress = find(objects, 'HorizontalPodAutoscaler', 'egress-internet-asm-1-30');
    assert.deepEqual([egress.spec.minReplicas, egress.spec.maxReplicas, egress.spec.metrics[0].resource.target.averageUtilization], [2, 4, 70]);
    find(objects, 'Deployment', 'egress-partners-asm-1-30', 'partner-egress');
    find(objects, 'Namespace', 'partner-egress');
  });

  it('uses the asm-1-30 node-affinity weights on gateways (preferred nodes 100, system 50)', () => {
    const prefs = find(objects, 'Deployment', 'aks-istio-ingressgateway-external-asm-1-30').spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution as Array<{ weight: number; preference: { matchExpressions: Requirement[] } }>;
    const weight = (key: string): number | undefined => prefs.find((p) => p.preference.matchExpressions[0]?.key === key)?.weight;
    assert.equal(weight('azureservicemesh/istio.replica.preferred'), 100);
    assert.equal(weight('kubernetes.azure.com/mode'), 50);
  });

  it('renders prometheus-operator scrape objects, labelled for the Prometheus, and control-plane alerts', () => {
    for (const kind of ['PodMonitor', 'ServiceMonitor', 'PrometheusRule']) {
      const o = objects.find((x) => x.kind === kind) as Obj;
      assert.equal(o.apiVersion, 'monitoring.coreos.com/v1', kind);
      assert.equal(o.metadata?.labels?.release, 'kube-prometheus-stack', kind);
    }
    const rules = find(objects, 'PrometheusRule', 'istio-control-plane').spec.groups[0].rules as Array<{ alert: string; expr: string; for: string; labels: Labels }>;
    const names = rules.map((r) => r.alert);
    for (const want of ['IstiodRevisionDown', 'IstiodXdsPushErrors', 'IstioProxiesRejectingConfig', 'IstiodInternalErrors', 'IstioSidecarInjectionFailing']) assert.ok(names.includes(want), want);
    for (const r of rules) {
      assert.match(r.for, /^\d+m$/, r.alert);
      assert.ok(['warning', 'critical'].includes(r.labels.severity as string), r.alert);
    }
    const metrics = rules.map((r) => r.expr).join('\n');
    for (const m of ['pilot_xds_pushes{type=~"[a-z]+_senderr"}', 'pilot_total_xds_rejects', 'pilot_total_xds_internal_errors', 'sidecar_injection_failure_total', 'up{job="istiod"']) assert.ok(metrics.includes(m), m);
    assert.equal(rules.find((r) => r.alert === 'IstiodRevisionDown')?.labels.revision, 'asm-1-30');
  });

  it('renders a GrafanaDashboard per Istio dashboard id plus the Meshplane control-plane dashboard', () => {
    const dashboards = objects.filter((o) => o.kind === 'GrafanaDashboard');
    assert.deepEqual(dashboards.map((d) => d.spec.grafanaCom?.id).filter((x) => x !== undefined).sort((a: number, b: number) => a - b), [7630, 7636, 7639, 7645, 11829, 13277]);
    for (const d of dashboards) assert.deepEqual(d.spec.instanceSelector, { matchLabels: { dashboards: 'grafana' } });
    const own = JSON.parse(find(objects, 'GrafanaDashboard', 'meshplane-control-plane').spec.json as string) as { uid: string; panels: Array<{ targets: Array<{ expr: string }> }> };
    assert.ok(own.uid.length <= 40);
    const exprs = own.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of ['pilot_xds_pushes', 'pilot_proxy_convergence_time_bucket', 'sidecar_injection_requests_total', 'pilot_total_xds_rejects']) assert.ok(exprs.includes(m), m);
  });

  it('renders strict mTLS and default deny in the root namespace, in security.istio.io/v1', () => {
    const pa = find(objects, 'PeerAuthentication', 'default', 'aks-istio-system');
    assert.equal(pa.apiVersion, 'security.istio.io/v1');
    assert.deepEqual(pa.spec, { mtls: { mode: 'STRICT' } });
    const ap = find(objects, 'AuthorizationPolicy', 'allow-nothing', 'aks-istio-system');
    assert.deepEqual(ap.spec, {});
  });

  it('renders the CoreDNS ladder: at least the AKS replicas at every size, growing past 5', () => {
    const cm = find(objects, 'ConfigMap', 'coredns-autoscaler', 'kube-system');
    const ladder = JSON.parse(cm.data?.ladder as string) as { nodesToReplicas: Array<[number, number]>; coresToReplicas: Array<[number, number]>; preventSinglePointFailure: boolean };
    const at = (steps: Array<[number, number]>, n: number): number => steps.filter(([t]) => t <= n).reduce((_, [, r]) => r, 0);
    const aksNodes: Array<[number, number]> = [[1, 2], [8, 3], [16, 4], [32, 5]];
    for (const n of [1, 4, 8, 16, 32, 100, 1000]) assert.ok(at(ladder.nodesToReplicas, n) >= at(aksNodes, n), `${n} nodes`);
    assert.ok(at(ladder.nodesToReplicas, 1000) > 5);
    assert.equal(ladder.preventSinglePointFailure, true);
  });
});

describe('security API versions follow the oldest revision', () => {
  const cases: Array<{ revisions: string; kube: string; peer: string }> = [
    { revisions: '[asm-1-21, asm-1-22]', kube: '1.28', peer: 'security.istio.io/v1beta1' },
    { revisions: '[asm-1-22, asm-1-23]', kube: '1.28', peer: 'security.istio.io/v1' },
  ];
  for (const c of cases) {
    it(`${c.revisions} → PeerAuthentication ${c.peer}`, async () => {
      const text = `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "${c.kube}"}\n  istio: {revisions: ${c.revisions}}\n  security: {mtls: PERMISSIVE, defaultDeny: true}\n`;
      const objects = (await render({ files: [{ path: 'mesh.yaml', text }], env: {} })).objects.map((o) => o.object) as Obj[];
      const pa = find(objects, 'PeerAuthentication', 'default', 'aks-istio-system');
      assert.equal(pa.apiVersion, c.peer);
      assert.deepEqual(pa.spec, { mtls: { mode: 'PERMISSIVE' } });
      assert.equal(find(objects, 'AuthorizationPolicy', 'allow-nothing', 'aks-istio-system').apiVersion, 'security.istio.io/v1');
    });
  }
});

describe('egress namespaces', () => {
  it('renders each egress namespace once, and never re-renders the add-on namespaces', async () => {
    const text = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "1.32"}\n  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n        - {name: a, enabled: true, namespace: aks-istio-ingress, gatewayConfigurationName: x}\n        - {name: b, enabled: true, namespace: edge, gatewayConfigurationName: x}\n        - {name: c, enabled: true, namespace: edge, gatewayConfigurationName: x}\n        - {name: d, enabled: false, namespace: off, gatewayConfigurationName: x}\n';
    const objects = (await render({ files: [{ path: 'mesh.yaml', text }], env: {} })).objects.map((o) => o.object);
    assert.deepEqual(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name).sort(), ['aks-istio-ingress', 'aks-istio-system', 'edge']);
    assert.deepEqual(objects.filter((o) => o.kind === 'Service' && o.metadata?.namespace === 'edge').map((o) => o.metadata?.name).sort(), ['b', 'c']);
  });
});

describe('options that render nothing', () => {
  it('a disabled gateway, annotations-only monitoring, no security and no CoreDNS', async () => {
    const text = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "1.32"}\n  istio:\n    revisions: [asm-1-28]\n    components:\n      ingressGateways: [{mode: External, enabled: false}]\n      egressGateways: [{name: eg, enabled: false}]\n';
    const result = await render({ files: [{ path: 'mesh.yaml', text }], env: {} });
    const objects = result.objects.map((o) => o.object);
    const parts = objects.filter((o) => ['gateways', 'monitoring', 'security', 'platform'].includes(o.metadata?.labels?.['meshplane.io/component'] ?? ''));
    assert.deepEqual(parts.map((o) => `${o.kind}/${o.metadata?.name}`), []);
    assert.equal(objects.some((o) => o.kind === 'SecretProviderClass'), false);
    assert.equal(objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === 'aks-istio-egress'), false);
    const vol = (objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'istiod-asm-1-28') as Obj).spec.template.spec.volumes.find((v: { name: string }) => v.name === 'cacerts');
    assert.deepEqual(vol, { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } });
  });
});
