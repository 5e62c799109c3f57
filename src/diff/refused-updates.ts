/**
 * Updates the API server will refuse: a field that an object's CRD (or the core API) declares
 * immutable, changed between base and head on an object kept under the same identity. The diff
 * shows such a change like any other, but a sync that applies it fails ("... is immutable"), so
 * the preview warns and says how to proceed. One registry, {@link REFUSED_UPDATE_RULES}; each
 * entry cites the upstream file and release tag that makes the field immutable.
 */
import { resourceRef } from '../core/resource-key.js';
import { sameData } from '../core/same-data.js';
import type { KubeObject } from '../core/types.js';

/** One immutable field: where it applies, how a change is recognised, and the upstream source. */
export interface RefusedUpdateRule {
  id: string;
  /** `group/Kind` (core group = `core`). */
  kind: string;
  /** Display path of the field. */
  field: string;
  /** True when the API server refuses the update from `before` to `after` (both the whole object). */
  refused(before: KubeObject, after: KubeObject): boolean;
  /** What the API server enforces, in our words. */
  why: string;
  /** The upstream file, and the release that introduced the rule. */
  source: string;
  /** The intent field that feeds this field in Meshplane's rendering, when one does. */
  intentField?: string;
}

/** A change between the sides that the API server will refuse. */
export interface RefusedUpdate {
  key: string;
  ruleId: string;
  field: string;
  message: string;
  fix: string;
}

const GRAFANA_DASHBOARD = 'grafana.integreatly.org/GrafanaDashboard';
const GRAFANA_CRD = 'grafana/grafana-operator config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml';

function spec(obj: KubeObject): Record<string, unknown> {
  const s = (obj as { spec?: unknown }).spec;
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

/**
 * The registry. Why these: they are the transition rules (CEL on `oldSelf`) of the one CRD whose
 * objects Meshplane renders with a user-chosen value, grafana-operator's GrafanaDashboard (read
 * at v5.9.1, v5.15.0, v5.16.0 and v5.24.0, the newest v5 release stored, 2026-12-03). Meshplane
 * renders `instanceSelector` from the intent and `allowCrossNamespaceImport: true`; `uid` is listed
 * because a post-render overlay may set it. Istio's own CRDs declare no transition rules.
 */
export const REFUSED_UPDATE_RULES: readonly RefusedUpdateRule[] = [
  {
    id: 'grafanadashboard-instance-selector',
    kind: GRAFANA_DASHBOARD,
    field: 'spec.instanceSelector',
    refused: (b, a) => !sameData(spec(b).instanceSelector, spec(a).instanceSelector),
    why: 'grafana-operator makes spec.instanceSelector immutable (rule self == oldSelf)',
    source: `${GRAFANA_CRD}, since v5.9.1 (api/v1beta1 XValidation on InstanceSelector; message "spec.instanceSelector is immutable" since v5.16.0)`,
    intentField: 'spec.monitoring.grafanaInstanceSelector',
  },
  {
    id: 'grafanadashboard-uid',
    kind: GRAFANA_DASHBOARD,
    field: 'spec.uid',
    refused: (b, a) => !sameData(spec(b).uid, spec(a).uid),
    why: 'grafana-operator makes spec.uid immutable, and it cannot be added to or removed from an existing dashboard',
    source: `${GRAFANA_CRD}, since v5.15.0 (field rule self == oldSelf and a spec rule on has(oldSelf.uid))`,
  },
  {
    id: 'grafanadashboard-cross-namespace-import',
    kind: GRAFANA_DASHBOARD,
    field: 'spec.allowCrossNamespaceImport',
    refused: (b, a) => spec(b).allowCrossNamespaceImport === true && spec(a).allowCrossNamespaceImport !== true,
    why: 'grafana-operator refuses to turn spec.allowCrossNamespaceImport from true to false without a recreate',
    source: `${GRAFANA_CRD}, since v5.16.0 (spec rule on oldSelf.allowCrossNamespaceImport)`,
  },
];

/** `group/Kind` of an object (core group = `core`). */
function typeKey(obj: KubeObject): string {
  const ref = resourceRef(obj);
  return `${ref.group || 'core'}/${ref.kind}`;
}

/**
 * How to proceed, in our words. Why these three: the API server refuses any update (apply, patch
 * or PUT) that breaks a transition rule, so only a delete and a create get past it. Argo CD's
 * `Replace=true` alone runs `kubectl replace`, an update, and is refused too; with `Force=true` it
 * deletes and recreates (argoproj/argo-cd v3.5.1 gitops-engine/pkg/sync/sync_context.go, docs
 * user-guide/sync-options.md). Flux recreates an object whose apply fails on an immutable field
 * when the Kustomization sets `spec.force: true` or the object carries
 * `kustomize.toolkit.fluxcd.io/force: enabled` (fluxcd/kustomize-controller v1.9.4
 * api/v1/kustomization_types.go; fluxcd/pkg ssa/v0.77.0 ssa/errors/immutable.go matches "is immutable").
 */
function fixFor(obj: KubeObject): string {
  const ref = resourceRef(obj);
  const plural = `${ref.kind.toLowerCase()}s.${ref.group}`;
  return `delete the object before the sync and let the sync create it again (kubectl delete ${plural} -n ${ref.namespace} ${ref.name}), or have the sync recreate it: Argo CD sync options Force=true,Replace=true together (Replace=true alone is an update and is refused too), Flux spec.force: true on the Kustomization`;
}

/** The updates from `base` to `head` that the API server refuses, sorted by key, then in the order of `rules`. */
export function findRefusedUpdates(base: ReadonlyMap<string, KubeObject>, head: ReadonlyMap<string, KubeObject>, rules: readonly RefusedUpdateRule[] = REFUSED_UPDATE_RULES): RefusedUpdate[] {
  const out: RefusedUpdate[] = [];
  for (const [key, before] of [...base].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const after = head.get(key);
    if (!after) continue;
    for (const rule of rules) {
      if (rule.kind !== typeKey(before) || rule.kind !== typeKey(after) || !rule.refused(before, after)) continue;
      const feeds = rule.intentField ? ` (Meshplane renders it from ${rule.intentField})` : '';
      out.push({ key, ruleId: rule.id, field: rule.field, message: `${rule.field} changes${feeds}: the API server will refuse the update, because ${rule.why}`, fix: fixFor(after) });
    }
  }
  return out;
}
