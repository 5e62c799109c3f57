/** osm-present: Open Service Mesh objects, labels or annotations (OSM and the add-on exclude each other). */
import { apiGroup } from '../core/resource-key.js';
import type { LocatedObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** OSM's own API groups (its MeshConfig/MeshRootCertificate and policy objects). */
const OSM_GROUP_SUFFIX = 'openservicemesh.io';
/** Prefix of OSM's namespace markers and pod annotations (e.g. openservicemesh.io/monitored-by). */
const OSM_KEY_PREFIX = 'openservicemesh.io/';

function osmMarker(o: LocatedObject): FieldPath | undefined {
  for (const where of ['labels', 'annotations'] as const) {
    const map = o.object.metadata?.[where];
    const key = map && typeof map === 'object' ? Object.keys(map).sort().find((k) => k.startsWith(OSM_KEY_PREFIX)) : undefined;
    if (key) return ['metadata', where, key];
  }
  return undefined;
}

/** The osm-present rule. */
export const osmPresentRule: Rule = {
  id: 'osm-present',
  severity: 'error',
  description: 'no Open Service Mesh objects (*.openservicemesh.io) or openservicemesh.io/* labels and annotations: the add-on is incompatible with OSM',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      const group = apiGroup(o.object.apiVersion);
      const marker = osmMarker(o);
      if (group === OSM_GROUP_SUFFIX || group.endsWith(`.${OSM_GROUP_SUFFIX}`)) {
        out.push(objectViolation(this, ctx, o, { path: ['apiVersion'], message: `${o.object.kind} is an Open Service Mesh object`, remediation: 'uninstall OSM before enabling the Istio add-on (see the AKS OSM-to-Istio migration guide) and remove OSM objects from the source' }));
      } else if (marker) {
        out.push(objectViolation(this, ctx, o, { path: marker, message: `${String(marker[2])} is an Open Service Mesh marker`, remediation: 'remove the openservicemesh.io/* label or annotation; opt namespaces into the mesh with istio.io/rev' }));
      }
    }
    return out;
  },
};
