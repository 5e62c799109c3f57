/**
 * The istiod Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler of every
 * revision against istio/istio's istio-discovery chart at the patch tag the revision renders
 * (catalog/revisions.yaml `istio`, build suffix dropped): templates/deployment.yaml,
 * service.yaml, poddisruptionbudget.yaml, autoscale.yaml with the chart's default values.yaml.
 *
 * Facts, written down from the chart (read 2026-12-03 at 1.20.8, 1.21.5, 1.22.7, 1.23.6,
 * 1.24.6, 1.25.5, 1.26.4, 1.27.9, 1.28.9, 1.29.5 and 1.30.2):
 *   - env with default values: REVISION, PILOT_CERT_PROVIDER=istiod, POD_NAME, POD_NAMESPACE,
 *     SERVICE_ACCOUNT, KUBECONFIG=/var/run/secrets/remote/config, PILOT_TRACE_SAMPLING (values
 *     traceSampling 1.0, which Helm prints as 1), PILOT_ENABLE_ANALYSIS=false,
 *     CLUSTER_ID=Kubernetes, GOMAXPROCS, PLATFORM at every tag; JWT_POLICY=third-party-jwt only
 *     at 1.20.8 and 1.21.5; CA_TRUSTED_NODE_ACCOUNTS=<istio ns>/ztunnel from 1.23.6 (absent at
 *     1.20.8, 1.21.5, 1.22.7); GOMEMLIMIT until 1.28.9. Every other env entry of the chart is
 *     behind a value that defaults to off (taint.enabled, global.externalIstiod,
 *     global.trustBundleName, crlConfigMapName).
 *   - pod template: label istio.io/dataplane-mode=none from 1.22.7; at 1.20.8/1.21.5 the
 *     annotation ambient.istio.io/redirection=disabled instead; prometheus.io/port 15014,
 *     prometheus.io/scrape true and sidecar.istio.io/inject false as annotations (enablePrometheusMerge
 *     is true); toleration cni.istio.io/not-ready (Exists) from 1.22.7.
 *   - container ports: 8080, 15010, 15017 without names up to 1.23.6; from 1.24.6 8080
 *     http-debug, 15010 grpc-xds, 15012 tls-xds, 15017 https-webhooks, 15014 http-monitoring.
 *   - readiness probe GET /ready on 8080, initialDelaySeconds 1, periodSeconds 3, timeoutSeconds 5;
 *     args discovery, --monitoringAddr=:15014, --log_output_level=default:info, --domain
 *     cluster.local, --keepaliveMaxServerConnectionAge 30m; requests cpu 500m, memory 2048Mi.
 *   - container securityContext: allowPrivilegeEscalation false, readOnlyRootFilesystem true,
 *     runAsNonRoot true, capabilities drop ALL (seccompProfile {} renders nothing).
 *   - volumes and mounts (jwtPolicy third-party-jwt at 1.20.8/1.21.5 keeps istio-token there):
 *     istio-token projected SA token, audience istio-ca (global.sds.token.aud), 43200 s, path
 *     istio-token, at /var/run/secrets/tokens read-only; local-certs emptyDir Memory at
 *     /var/run/secrets/istio-dns; cacerts Secret cacerts (optional) at /etc/cacerts read-only;
 *     istio-kubeconfig Secret istio-kubeconfig (optional) at /var/run/secrets/remote read-only;
 *     istio-csr-dns-cert Secret istiod-tls (optional) at /var/run/secrets/istiod/tls read-only;
 *     istio-csr-ca-configmap ConfigMap istio-ca-root-cert (defaultMode 420, optional) at
 *     /var/run/secrets/istiod/ca read-only.
 *   - strategy rollingUpdate maxSurge 100%, maxUnavailable 25%; serviceAccountName istiod-<rev>.
 *   - Service: 15010 grpc-xds, 15012 https-dns, 443 https-webhook to 15017, 15014
 *     http-monitoring, all TCP, selector app=istiod + istio.io/rev=<rev>.
 *   - PDB policy/v1, minAvailable 1 (pdb.minAvailable from 1.27.9), same selector.
 *   - HPA autoscaling/v2 on CPU utilisation 80 (cpu.targetAverageUtilization), no memory
 *     metric (memory {}), targeting Deployment istiod-<rev>.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, revisionMinor } from '../../src/catalog/catalog.js';
import { find, renderMesh } from '../helpers/mesh-render.js';

const NS = 'aks-istio-system';

/**
 * Env entries the add-on sets beyond the chart's defaults (templates/istiod.libsonnet explains
 * each): the shared mesh ConfigMap, native sidecars per revision, Gateway API switches.
 */
const ADDON_ENV = new Set(['SHARED_MESH_CONFIG', 'ENABLE_NATIVE_SIDECARS', 'PILOT_ENABLE_GATEWAY_API', 'PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER']);

interface EnvVar { name: string; value?: string; valueFrom?: unknown }
interface Container {
  name: string;
  args: string[];
  ports: Array<Record<string, unknown>>;
  readinessProbe: unknown;
  env: EnvVar[];
  resources: { requests?: Record<string, string> };
  securityContext: unknown;
  volumeMounts: Array<Record<string, unknown>>;
}
interface Deployment {
  spec: {
    strategy: unknown;
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { serviceAccountName: string; tolerations: Array<Record<string, string>>; containers: Container[]; volumes: Array<Record<string, unknown>> };
    };
  };
}

/** The chart's default env at the tag of an Istio minor, name -> literal value (undefined: valueFrom). */
function chartEnv(minor: number, rev: string): Record<string, string | undefined> {
  return {
    REVISION: rev,
    ...(minor < 22 ? { JWT_POLICY: 'third-party-jwt' } : {}),
    PILOT_CERT_PROVIDER: 'istiod',
    POD_NAME: undefined,
    POD_NAMESPACE: undefined,
    SERVICE_ACCOUNT: undefined,
    KUBECONFIG: '/var/run/secrets/remote/config',
    ...(minor >= 23 ? { CA_TRUSTED_NODE_ACCOUNTS: `${NS}/ztunnel` } : {}),
    PILOT_TRACE_SAMPLING: '1',
    PILOT_ENABLE_ANALYSIS: 'false',
    CLUSTER_ID: 'Kubernetes',
    ...(minor < 29 ? { GOMEMLIMIT: undefined } : {}),
    GOMAXPROCS: undefined,
    PLATFORM: '',
  };
}

const NAMED_PORTS = [
  { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
  { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
  { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
  { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
  { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
];
const UNNAMED_PORTS = [
  { containerPort: 8080, protocol: 'TCP' },
  { containerPort: 15010, protocol: 'TCP' },
  { containerPort: 15017, protocol: 'TCP' },
];

const MOUNTS = [
  { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
  { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
  { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
  { name: 'istio-kubeconfig', mountPath: '/var/run/secrets/remote', readOnly: true },
  { name: 'istio-csr-dns-cert', mountPath: '/var/run/secrets/istiod/tls', readOnly: true },
  { name: 'istio-csr-ca-configmap', mountPath: '/var/run/secrets/istiod/ca', readOnly: true },
];

const VOLUMES = [
  { name: 'local-certs', emptyDir: { medium: 'Memory' } },
  { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
  { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } },
  { name: 'istio-kubeconfig', secret: { secretName: 'istio-kubeconfig', optional: true } },
  { name: 'istio-csr-dns-cert', secret: { secretName: 'istiod-tls', optional: true } },
  { name: 'istio-csr-ca-configmap', configMap: { name: 'istio-ca-root-cert', defaultMode: 420, optional: true } },
];

const byName = <T extends { name?: unknown }>(xs: T[]): T[] => [...xs].sort((a, b) => String(a.name).localeCompare(String(b.name)));

for (const entry of loadCatalog().revisions) {
  const rev = entry.name;
  const minor = revisionMinor(rev);
  const tag = entry.istio.replace(/-.*$/, '');
  describe(`${rev}: istiod workload objects as the istio-discovery chart at ${tag}`, () => {
    it('Deployment: env, labels, ports, probe, args, security, volumes', async () => {
      const objects = await renderMesh({ revisions: [rev], kubernetesVersion: entry.kubernetes.max });
      const d = find<Deployment>(objects, 'Deployment', `istiod-${rev}`);
      const pod = d.spec.template;
      const c = pod.spec.containers[0]!;
      assert.equal(c.name, 'discovery');

      const ours = Object.fromEntries(c.env.filter((e) => !ADDON_ENV.has(e.name)).map((e) => [e.name, e.valueFrom ? undefined : e.value]));
      assert.deepEqual(ours, chartEnv(minor, rev));

      assert.equal(pod.metadata.labels['istio.io/dataplane-mode'], minor >= 22 ? 'none' : undefined);
      assert.equal(pod.metadata.annotations['ambient.istio.io/redirection'], minor < 22 ? 'disabled' : undefined);
      for (const [k, v] of Object.entries({ 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' })) {
        assert.equal(pod.metadata.annotations[k], v, k);
      }
      if (minor >= 22) assert.ok(pod.spec.tolerations.some((t) => t.key === 'cni.istio.io/not-ready' && t.operator === 'Exists'));

      assert.deepEqual(c.ports, minor >= 24 ? NAMED_PORTS : UNNAMED_PORTS);
      assert.deepEqual(c.readinessProbe, { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 });
      assert.deepEqual(c.args, ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m']);
      assert.deepEqual(c.resources.requests, { cpu: '500m', memory: '2048Mi' });
      assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      assert.deepEqual(byName(c.volumeMounts), byName(MOUNTS));
      assert.deepEqual(byName(pod.spec.volumes), byName(VOLUMES));
      assert.deepEqual(d.spec.strategy, { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } });
      assert.equal(pod.spec.serviceAccountName, `istiod-${rev}`);
    });

    it('Service, PDB and HPA', async () => {
      const objects = await renderMesh({ revisions: [rev], kubernetesVersion: entry.kubernetes.max });
      const selector = { app: 'istiod', 'istio.io/rev': rev };
      const svc = find<{ spec: { ports: Array<{ name: string; port: number; targetPort?: number; protocol: string }>; selector: unknown } }>(objects, 'Service', `istiod-${rev}`);
      // targetPort defaults to the port when the chart leaves it out.
      assert.deepEqual(svc.spec.ports.map((p) => [p.name, p.port, p.targetPort ?? p.port, p.protocol]), [
        ['grpc-xds', 15010, 15010, 'TCP'], ['https-dns', 15012, 15012, 'TCP'], ['https-webhook', 443, 15017, 'TCP'], ['http-monitoring', 15014, 15014, 'TCP'],
      ]);
      assert.deepEqual(svc.spec.selector, selector);
      const pdb = find<{ apiVersion: string; spec: unknown }>(objects, 'PodDisruptionBudget', `istiod-${rev}`);
      assert.equal(pdb.apiVersion, 'policy/v1');
      assert.deepEqual(pdb.spec, { minAvailable: 1, selector: { matchLabels: selector } });
      const hpa = find<{ apiVersion: string; spec: { scaleTargetRef: unknown; metrics: unknown } }>(objects, 'HorizontalPodAutoscaler', `istiod-${rev}`);
      assert.equal(hpa.apiVersion, 'autoscaling/v2');
      assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: `istiod-${rev}` });
      assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    });
  });
}
