/**
 * fast-check arbitraries of VALID mesh intents: revisions from the catalog (one, or an ascending
 * canary pair at most two minors apart), a Kubernetes version every chosen revision supports,
 * revision tags, gateways, monitoring flavours, meshConfig from the allowlist, autoscaling with
 * minReplicas >= 2, security, plug-in CA and CoreDNS settings. "Valid" means what the add-on
 * accepts: the intent passes the schema and the intent checks, and no guardrail should fail it.
 */
import fc from 'fast-check';
import { kubeMinor, loadCatalog, revisionMinor, type RevisionEntry } from '../../src/catalog/catalog.js';
import type { ServiceMesh, ServiceMeshSpec } from '../../src/intent/types.js';

/** Revisions with the Kubernetes minors all of them support (a non-empty intersection). */
export interface RevisionChoice {
  revisions: string[];
  kubeMinors: number[];
}

function range(r: RevisionEntry): number[] {
  const out: number[] = [];
  for (let m = kubeMinor(r.kubernetes.min); m <= kubeMinor(r.kubernetes.max); m++) out.push(m);
  return out;
}

/** Every single revision and every canary pair (ascending, 1 or 2 minors apart) with a common Kubernetes minor. */
export function revisionChoices(): RevisionChoice[] {
  const revs = [...loadCatalog().revisions].sort((a, b) => revisionMinor(a.name) - revisionMinor(b.name));
  const out: RevisionChoice[] = revs.map((r) => ({ revisions: [r.name], kubeMinors: range(r) }));
  for (const a of revs) {
    for (const b of revs) {
      const gap = revisionMinor(b.name) - revisionMinor(a.name);
      if (gap < 1 || gap > 2) continue;
      const common = range(a).filter((m) => range(b).includes(m));
      if (common.length) out.push({ revisions: [a.name, b.name], kubeMinors: common });
    }
  }
  return out;
}

const autoscaling = fc
  .record({ min: fc.integer({ min: 2, max: 5 }), extra: fc.integer({ min: 0, max: 5 }), cpu: fc.option(fc.integer({ min: 40, max: 95 }), { nil: undefined }) })
  .map(({ min, extra, cpu }) => ({ minReplicas: min, maxReplicas: min + extra, ...(cpu === undefined ? {} : { targetCPUUtilizationPercentage: cpu }) }));

/**
 * meshConfig from the add-on's supported (and a few allowed) fields, with values of their type.
 * Why these fields: the ones the examples and docs use; each value is one the add-on accepts.
 */
const meshConfig = fc.record(
  {
    accessLogFile: fc.constantFrom('/dev/stdout', ''),
    accessLogEncoding: fc.constantFrom('TEXT', 'JSON'),
    outboundTrafficPolicy: fc.constantFrom({ mode: 'ALLOW_ANY' }, { mode: 'REGISTRY_ONLY' }),
    enableTracing: fc.boolean(),
    defaultConfig: fc.record({ holdApplicationUntilProxyStarts: fc.boolean(), terminationDrainDuration: fc.constantFrom('5s', '30s') }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** Why these names and namespaces: the add-on's default egress namespace plus a custom one, and names unique per namespace. */
const egressGateways = fc.uniqueArray(
  fc.record({ name: fc.constantFrom('egress-a', 'egress-b', 'egress-internet'), enabled: fc.boolean(), namespace: fc.option(fc.constantFrom('aks-istio-egress', 'partner-egress'), { nil: undefined }) }),
  { maxLength: 2, selector: (g) => g.name },
);

const PLUGIN_CA = {
  plugin: { keyVaultId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh-kv', certObjectName: 'ca-cert', keyObjectName: 'ca-key', rootCertObjectName: 'root-cert', certChainObjectName: 'cert-chain' },
};
const KEY_VAULT_ACCESS = { tenantId: '11111111-1111-1111-1111-111111111111', identityClientId: '22222222-2222-2222-2222-222222222222' };

/** Drops undefined fields (the intent is YAML: an absent field, never a null one). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A valid ServiceMesh intent. Tag names are a fixed few (tags only need to be distinct DNS labels
 * that are neither `default` nor revision-shaped); the first ingress gateway listed is enabled so
 * gateway overrides have a gateway to apply to.
 */
export function validIntent(): fc.Arbitrary<ServiceMesh> {
  return fc
    .record({
      choice: fc.constantFrom(...revisionChoices()),
      kubePick: fc.nat(),
      tagNames: fc.uniqueArray(fc.constantFrom('prod-stable', 'canary', 'blue'), { maxLength: 2 }),
      tagPicks: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
      ingress: fc.subarray(['External', 'Internal'] as const),
      ingressEnabled: fc.boolean(),
      egress: egressGateways,
      cni: fc.boolean(),
      pluginCa: fc.boolean(),
      controlPlane: fc.option(autoscaling, { nil: undefined }),
      externalScaling: fc.option(autoscaling, { nil: undefined }),
      meshConfig: fc.option(meshConfig, { nil: undefined }),
      prometheus: fc.option(fc.constantFrom('azure-managed', 'prometheus-operator', 'annotations', 'none') as fc.Arbitrary<'azure-managed' | 'prometheus-operator' | 'annotations' | 'none'>, { nil: undefined }),
      grafana: fc.boolean(),
      mtls: fc.option(fc.constantFrom('STRICT', 'PERMISSIVE') as fc.Arbitrary<'STRICT' | 'PERMISSIVE'>, { nil: undefined }),
      defaultDeny: fc.option(fc.boolean(), { nil: undefined }),
      coreDns: fc.boolean(),
    })
    .map((v) => {
      const kube = v.choice.kubeMinors[v.kubePick % v.choice.kubeMinors.length] as number;
      const tags = Object.fromEntries(v.tagNames.map((t, i) => [t, v.choice.revisions[(v.tagPicks[i] ?? 0) % v.choice.revisions.length] as string]));
      const ingressGateways = v.ingress.map((mode, i) => ({ mode, enabled: i === 0 ? true : v.ingressEnabled }));
      const externalOn = ingressGateways.some((g) => g.mode === 'External' && g.enabled);
      const spec: ServiceMeshSpec = defined({
        mode: 'Istio' as const,
        istio: defined({
          revisions: v.choice.revisions,
          components: defined({
            ingressGateways,
            egressGateways: v.egress.map((g) => defined({ ...g, ...(g.enabled ? { gatewayConfigurationName: `${g.name}-config` } : {}) })),
            proxyRedirectionMechanism: v.cni ? ('CNIChaining' as const) : ('InitContainers' as const),
          }),
          certificateAuthority: v.pluginCa ? PLUGIN_CA : undefined,
        }),
        cluster: { kubernetesVersion: `1.${kube}` },
        tags: Object.keys(tags).length ? tags : undefined,
        controlPlane: v.controlPlane ? { autoscaling: v.controlPlane } : undefined,
        meshConfig: v.meshConfig,
        gateways: externalOn && v.externalScaling ? { external: { autoscaling: v.externalScaling } } : undefined,
        keyVaultAccess: v.pluginCa ? KEY_VAULT_ACCESS : undefined,
        monitoring: v.prometheus || v.grafana ? defined({ prometheus: v.prometheus, ...(v.grafana ? { grafana: 'grafana-operator' as const, grafanaInstanceSelector: { dashboards: 'grafana' } } : {}) }) : undefined,
        security: v.mtls || v.defaultDeny !== undefined ? defined({ mtls: v.mtls, defaultDeny: v.defaultDeny }) : undefined,
        platform: v.coreDns ? { coreDNS: { enabled: true } } : undefined,
      });
      return { apiVersion: 'meshplane.io/v1alpha1' as const, kind: 'ServiceMesh' as const, metadata: { name: 'prop' }, spec };
    });
}
