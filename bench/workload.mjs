// Synthetic workloads for `npm run bench`: a mesh intent plus a stream of application objects
// of the kinds a real cluster source holds (Namespaces, Deployments, Services, ConfigMaps,
// ServiceAccounts, Istio VirtualServices/DestinationRules) spread over a few namespaces. The
// stream is deterministic (no randomness), clean under every guardrail, and shaped like real
// manifests (labels, nested pod specs, multi-line ConfigMap data) so parse cost is realistic.
import { stringify } from 'yaml';

/** The revision every generated namespace is injected by (must exist in catalog/revisions.yaml). */
export const BENCH_REVISION = 'asm-1-30';

/** Namespaces of the stream. Why five: enough to spread objects the way a shared cluster does. */
const NAMESPACES = ['shop', 'payments', 'search', 'catalog', 'checkout'];

/** The mesh intent the check/post-render/diff workloads run against. */
export function benchIntent() {
  return stringify({
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'bench' },
    spec: {
      mode: 'Istio',
      istio: { revisions: [BENCH_REVISION], components: { ingressGateways: [{ mode: 'External', enabled: true }] } },
      cluster: { kubernetesVersion: '1.33' },
    },
  });
}

function labels(app, ns) {
  return { app, 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': ns };
}

function deployment(app, ns, variant) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, labels: labels(app, ns) },
    spec: {
      replicas: 2 + (variant % 3),
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app, version: `v${1 + (variant % 2)}` } },
        spec: {
          serviceAccountName: app,
          containers: [{
            name: app, image: `registry.example.com/${ns}/${app}:1.${variant % 50}.0`,
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'westeurope' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          }],
        },
      },
    },
  };
}

function service(app, ns) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, labels: labels(app, ns) }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

function configMap(app, ns, variant) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-config`, namespace: ns, labels: labels(app, ns) }, data: { 'app.properties': `feature.a=${variant % 2 === 0}\nfeature.b=true\npool.size=${8 + (variant % 8)}\n`, mode: 'production' } };
}

function serviceAccount(app, ns) {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: ns, labels: labels(app, ns) } };
}

function virtualService(app, ns) {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: app, namespace: ns, labels: labels(app, ns) },
    spec: { hosts: [`${app}.${ns}.svc.cluster.local`], http: [{ route: [{ destination: { host: `${app}.${ns}.svc.cluster.local`, subset: 'v1' }, weight: 90 }, { destination: { host: `${app}.${ns}.svc.cluster.local`, subset: 'v2' }, weight: 10 }], timeout: '5s' }] },
  };
}

function destinationRule(app, ns) {
  return {
    apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: app, namespace: ns, labels: labels(app, ns) },
    spec: { host: `${app}.${ns}.svc.cluster.local`, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
  };
}

/** The kinds of one app, in order; the stream cycles through them. */
const MAKERS = [deployment, service, configMap, serviceAccount, virtualService, destinationRule];

/**
 * `count` objects: one labelled Namespace per namespace, then apps of six objects each.
 * `variantOf(i)` lets the diff workload change some apps (same identities, other field values).
 */
export function benchObjects(count, variantOf = (i) => i) {
  const out = NAMESPACES.map((ns) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio.io/rev': BENCH_REVISION } } }));
  for (let i = 0; out.length < count; i++) {
    const ns = NAMESPACES[i % NAMESPACES.length];
    const app = `app-${String(i).padStart(5, '0')}`;
    const maker = MAKERS[Math.floor(i / NAMESPACES.length) % MAKERS.length];
    out.push(maker(app, ns, variantOf(i)));
  }
  return out;
}

/** A YAML stream of objects, one document each. */
export function toStream(objects) {
  return objects.map((o) => stringify(o)).join('---\n');
}
