/**
 * preflight-aks-addon-present: the managed AKS Istio add-on still runs in the cluster. It is the
 * add-on this mesh replaces, not a stranger: the finding names its objects and the migration
 * steps. It is an error, because the add-on reconciles the same object names (istiod-asm-1-NN,
 * the injector, the gateways) and would undo the sync; `az aks mesh disable` clears it. An object
 * with the add-on's labels counts even when it also carries this mesh's labels: Meshplane never
 * writes the add-on's labels, so they mean the add-on (or its leftovers) is still there.
 */
import { addonMarkers, isAksAddonObject, MIGRATION_DOC } from './aks-addon.js';
import { isManagedByMesh, keyOf, REV_LABEL, violation, type PreflightRule } from './context.js';
import { isIstioInjector } from './foreign-istio.js';
import type { LiveObject } from '../snapshot.js';

/** The migration, in one line; the runbook has the commands. */
const STEPS = `migrate with ${MIGRATION_DOC}: (1) \`meshplane import --aks aks.json --shared-configmap <dump>\` writes the equivalent mesh.yaml, (2) review \`meshplane generate\` against the live objects, (3) \`az aks mesh disable -g <resource-group> -n <cluster>\` removes the add-on, (4) sync, (5) \`meshplane preflight\` passes`;

function describe(o: LiveObject, what: string, mesh: string): string {
  const rev = o.labels[REV_LABEL] ? ` (revision ${o.labels[REV_LABEL]})` : '';
  const both = isManagedByMesh(o, mesh) ? `; it also carries mesh "${mesh}"'s labels, so a sync was applied over the add-on` : '';
  return `${what} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${rev} belongs to the managed AKS Istio add-on (${addonMarkers(o).join(', ')})${both}; the add-on reconciles the objects this mesh renders`;
}

/** The preflight-aks-addon-present rule. */
export const aksAddonPresentRule: PreflightRule = {
  id: 'preflight-aks-addon-present',
  severity: 'error',
  description: `the managed AKS Istio add-on is not installed (its istiod or sidecar injector, recognised by the add-on's labels); when it is, the finding gives the migration steps of ${MIGRATION_DOC}`,
  check(ctx) {
    const mesh = ctx.intent.metadata.name;
    const istiods = ctx.cluster.deployments.filter((d) => d.labels.app === 'istiod' && isAksAddonObject(d));
    const injectors = ctx.cluster.webhooks.filter((w) => isIstioInjector(w) && isAksAddonObject(w));
    return [
      ...istiods.map((d) => violation(this, keyOf(d), describe(d, 'istiod', mesh), STEPS)),
      ...injectors.map((w) => violation(this, keyOf(w), describe(w, 'the sidecar injector', mesh), STEPS)),
    ];
  },
};
