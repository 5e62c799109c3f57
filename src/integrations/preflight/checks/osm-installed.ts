/**
 * preflight-osm-installed: Open Service Mesh still runs in the cluster. The add-on refuses to
 * install next to OSM ("incompatible with feature"), and two meshes would inject the same pods.
 * The controller Deployment and the namespace markers are errors; leftover openservicemesh.io
 * CRDs only warn, because the OSM → Istio migration guide says to leave them in place.
 */
import { keyOf, violation, type PreflightRule } from './context.js';

/** Prefix of OSM's namespace markers (monitored-by, metrics, …). */
const OSM_LABEL_PREFIX = 'openservicemesh.io/';

/** Suffix of the API groups OSM's CRDs define (config., policy.openservicemesh.io). */
const OSM_GROUP_SUFFIX = 'openservicemesh.io';

const MIGRATION = 'follow the OSM → Istio migration guide (learn.microsoft.com/azure/aks/open-service-mesh-istio-migration-guidance)';

/** The preflight-osm-installed rule. */
export const osmInstalledRule: PreflightRule = {
  id: 'preflight-osm-installed',
  severity: 'error',
  description: 'Open Service Mesh is not installed: no osm-controller Deployment, no namespace monitored by OSM (openservicemesh.io CRDs left behind only warn)',
  check(ctx) {
    const controllers = ctx.cluster.deployments.filter((d) => d.labels.app === 'osm-controller');
    const namespaces = ctx.cluster.namespaces.filter((n) => Object.keys(n.labels).some((k) => k.startsWith(OSM_LABEL_PREFIX)));
    const crds = ctx.cluster.crds.filter((c) => c.group === OSM_GROUP_SUFFIX || c.group.endsWith(`.${OSM_GROUP_SUFFIX}`));
    return [
      ...controllers.map((d) => violation(this, keyOf(d), `Open Service Mesh's controller runs in namespace ${d.namespace ?? ''}: the Istio mesh cannot be installed next to OSM`, `disable the OSM add-on (\`az aks disable-addons --addons open-service-mesh\`) or uninstall OSM first; ${MIGRATION}`)),
      ...namespaces.map((n) => {
        const labels = Object.keys(n.labels).filter((k) => k.startsWith(OSM_LABEL_PREFIX)).sort();
        return violation(this, keyOf(n), `namespace ${n.name} still carries OSM's ${labels.join(', ')} label${labels.length > 1 ? 's' : ''}`, `remove the marker${labels.length > 1 ? 's' : ''}: \`kubectl label namespace ${n.name} ${labels.map((l) => `${l}-`).join(' ')}\``);
      }),
      ...crds.map((c) => violation(this, keyOf(c), `the OSM CRD ${c.name} is still installed`, `harmless during a migration; delete it once no OSM resource is left (\`kubectl delete crd ${c.name}\`)`, { severity: 'warning' })),
    ];
  },
};
