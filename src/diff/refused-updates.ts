/**
 * Updates the API server will refuse: a field that an object's CRD (or the core API) declares
 * immutable, changed between base and head on an object kept under the same identity. The diff
 * shows such a change like any other, but a sync that applies it fails ("... is immutable"), so
 * the preview warns and says how to proceed. One registry, {@link REFUSED_UPDATE_RULES}; each
 * entry cites the upstream file and release tag that makes the field immutable. An object that a
 * delivery tool deletes and creates again instead of updating (an Argo CD hook with
 * BeforeHookCreation, an object Flux may force-replace) is not refused under that tool:
 * {@link recreatedBy} says which, and the warning then names only the tools left.
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

/** A delivery tool Meshplane's output is synced with. */
export type DeliveryTool = 'Argo CD' | 'Flux';

const GRAFANA_DASHBOARD = 'grafana.integreatly.org/GrafanaDashboard';
const JOB = 'batch/Job';
const GRAFANA_CRD = 'grafana/grafana-operator config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml';

function spec(obj: KubeObject): Record<string, unknown> {
  const s = (obj as { spec?: unknown }).spec;
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
}

/**
 * The registry. Why these: the fields the API server refuses to change that Meshplane renders
 * with a value that can differ between two renders of one object (same group, kind, namespace
 * and name).
 * - grafana-operator's GrafanaDashboard: the transition rules (CEL on `oldSelf`) of the one CRD
 *   whose objects Meshplane renders with a user-chosen value (read at v5.9.1, v5.15.0, v5.16.0 and
 *   v5.24.0, the newest v5 release stored, 2026-12-03). Meshplane renders `instanceSelector` from
 *   the intent and `allowCrossNamespaceImport: true`; `uid` is listed because a post-render
 *   overlay may set it. Istio's own CRDs declare no transition rules.
 * - batch/v1 Job `spec.template`: the preflight and restart hook Jobs keep their name while their
 *   pod template changes (the image with every Meshplane release or spec.policy.preflightImage;
 *   the restart command's namespaces and revision as waves move). Both are Argo CD hooks with
 *   BeforeHookCreation and carry Flux's force annotation, so {@link recreatedBy} clears them for
 *   both tools; the entry catches a Job that loses either.
 * Left out on purpose, because no two renders can differ there (test/diff/refused-updates-renders.test.ts
 * checks it over real renders): Deployment and DaemonSet `spec.selector` (immutable in apps/v1)
 * are built from the same names as the object's own name (istiod-<revision>, <gateway>-<revision>,
 * the CNI agent's fixed name); every RoleBinding and ClusterRoleBinding `roleRef` names a role
 * whose name is fixed by the binding's own name; Services set no clusterIP, ipFamilies or
 * loadBalancerClass; no ConfigMap is `immutable`; the Jobs set no `spec.selector` (the API server
 * generates it); each Istio CRD keeps its group, scope and names (immutable, kubernetes/apiextensions-apiserver
 * v0.36.0 pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionSpecUpdate),
 * and a rollback by one Istio minor still serves every version the CRD may have stored
 * (ValidateCustomResourceDefinitionStoredVersions; the test checks it on catalog/istio-crds.yaml,
 * as the diff cannot see status.storedVersions). PodDisruptionBudget `spec.selector` is mutable in policy/v1.
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
  {
    id: 'job-template',
    kind: JOB,
    field: 'spec.template',
    refused: (b, a) => !sameData(spec(b).template, spec(a).template),
    why: 'Kubernetes makes a Job\'s pod template immutable once the Job exists (only the scheduling fields and resources of a suspended Job that never started may change, and Meshplane renders no suspended Job)',
    // The copy read (code index, 2026-12-03) is not pinned to a tag; its successPolicy check dates it
    // to v1.30 or later, and every older copy found (back to the extensions/v1beta1 Job) compares
    // the template whole too.
    source: 'kubernetes/kubernetes pkg/apis/batch/validation/validation.go, ValidateJobSpecUpdate and validatePodTemplateUpdate (the template is compared whole; the exceptions for suspended Jobs are KEP-2926, stable in v1.27, and mutable pod resources, alpha in v1.35 and beta in v1.36)',
  },
];

const ARGO_HOOK = 'argocd.argoproj.io/hook';
const ARGO_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
/** The label or annotation (value `enabled`) that lets Flux replace one object on an immutable-field error. */
export const FLUX_FORCE = 'kustomize.toolkit.fluxcd.io/force';

/** The comma-separated values of an annotation, trimmed, empty ones dropped. */
function csv(obj: KubeObject, key: string): string[] {
  const v = obj.metadata?.annotations?.[key];
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter((x) => x !== '') : [];
}

/** The hook types Argo CD knows (argo-cd v3.5.1 gitops-engine/pkg/sync/common/types.go NewHookType). */
const ARGO_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

/**
 * The delivery tools that delete the live object and create `obj` again instead of updating it, so
 * an immutable field does not stop them. In our words, from the upstream source:
 * - Argo CD (argoproj/argo-cd v3.5.1 gitops-engine/pkg/sync): an object with the
 *   `argocd.argoproj.io/hook` annotation is a hook unless its only known type is `Skip`
 *   (hook/hook.go IsHook, Skip); its delete policies are the annotation's comma-separated values,
 *   BeforeHookCreation when it names none (hook/delete_policy.go DeletePolicies); with
 *   BeforeHookCreation the live hook is deleted before the new one is created
 *   (sync_task.go deleteBeforeCreation, sync_context.go runTasks). A hook without it is applied
 *   over the live one, an update. Helm hook annotations are not modelled: Meshplane renders none.
 * - Flux (fluxcd/kustomize-controller v1.9.4 internal/controller/kustomization_controller.go sets
 *   ForceSelector to `kustomize.toolkit.fluxcd.io/force: enabled`; fluxcd/pkg ssa/v0.77.0
 *   ssa/manager_apply.go shouldForceApply deletes and re-applies an object whose apply failed as
 *   immutable when it carries that label or annotation). `spec.force: true` on the Kustomization
 *   does the same for every object, but it is not in the rendered objects.
 */
export function recreatedBy(obj: KubeObject): DeliveryTool[] {
  const out: DeliveryTool[] = [];
  const hookTypes = csv(obj, ARGO_HOOK).filter((t) => ARGO_HOOK_TYPES.has(t));
  const isHook = obj.metadata?.annotations?.[ARGO_HOOK] !== undefined && !(hookTypes.length === 1 && hookTypes[0] === 'Skip');
  if (isHook) {
    const policies = csv(obj, ARGO_HOOK_DELETE_POLICY).filter((p) => p === 'HookSucceeded' || p === 'HookFailed' || p === 'BeforeHookCreation');
    if (policies.length === 0 || policies.includes('BeforeHookCreation')) out.push('Argo CD');
  }
  // fluxcd/pkg ssa/v0.77.0 ssa/utils/meta.go AnyInMetadata: a non-empty label or annotation value equal to the selector's, ignoring case (strings.EqualFold).
  const forced = (v: string | undefined): boolean => typeof v === 'string' && v.toLowerCase() === 'enabled';
  if (forced(obj.metadata?.labels?.[FLUX_FORCE]) || forced(obj.metadata?.annotations?.[FLUX_FORCE])) out.push('Flux');
  return out;
}

/** `group/Kind` of an object (core group = `core`). */
function typeKey(obj: KubeObject): string {
  const ref = resourceRef(obj);
  return `${ref.group || 'core'}/${ref.kind}`;
}

/** Why a tool recreates the object, for the message. */
const RECREATES: Record<DeliveryTool, string> = {
  'Argo CD': 'Argo CD deletes this hook before it creates it again (hook delete policy BeforeHookCreation)',
  Flux: `Flux replaces it when the apply is refused (${FLUX_FORCE}: enabled)`,
};

/**
 * How to proceed, in our words, for the tools that would update the object. Why these: the API
 * server refuses any update (apply, patch or PUT) that breaks a transition rule, so only a delete
 * and a create get past it. Argo CD's `Replace=true` alone runs `kubectl replace`, an update, and
 * is refused too; with `Force=true` it deletes and recreates (argoproj/argo-cd v3.5.1
 * gitops-engine/pkg/sync/sync_context.go, docs user-guide/sync-options.md). Flux recreates an
 * object whose apply fails on an immutable field when the Kustomization sets `spec.force: true`
 * or the object carries `kustomize.toolkit.fluxcd.io/force: enabled` (fluxcd/kustomize-controller
 * v1.9.4 api/v1/kustomization_types.go; fluxcd/pkg ssa/v0.77.0 ssa/errors/immutable.go matches
 * "is immutable").
 */
function fixFor(obj: KubeObject, tools: readonly DeliveryTool[]): string {
  const ref = resourceRef(obj);
  const plural = `${ref.kind.toLowerCase()}s${ref.group ? `.${ref.group}` : ''}`;
  const where = ref.namespace ? ` -n ${ref.namespace}` : '';
  const how: string[] = [];
  if (tools.includes('Argo CD')) how.push('Argo CD sync options Force=true,Replace=true together (Replace=true alone is an update and is refused too)');
  if (tools.includes('Flux')) how.push('Flux spec.force: true on the Kustomization');
  return `delete the object before the sync and let the sync create it again (kubectl delete ${plural}${where} ${ref.name}), or have the sync recreate it: ${how.join(', ')}`;
}

const TOOLS: readonly DeliveryTool[] = ['Argo CD', 'Flux'];

/**
 * The updates from `base` to `head` that the API server refuses, sorted by key, then in the order
 * of `rules`. An object that every tool recreates (see {@link recreatedBy}) is not an update and is
 * left out; one that only some tools recreate is reported for the others.
 */
export function findRefusedUpdates(base: ReadonlyMap<string, KubeObject>, head: ReadonlyMap<string, KubeObject>, rules: readonly RefusedUpdateRule[] = REFUSED_UPDATE_RULES): RefusedUpdate[] {
  const out: RefusedUpdate[] = [];
  for (const [key, before] of [...base].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const after = head.get(key);
    if (!after) continue;
    const recreating = recreatedBy(after);
    const updating = TOOLS.filter((t) => !recreating.includes(t));
    if (updating.length === 0) continue;
    for (const rule of rules) {
      if (rule.kind !== typeKey(before) || rule.kind !== typeKey(after) || !rule.refused(before, after)) continue;
      const feeds = rule.intentField ? ` (Meshplane renders it from ${rule.intentField})` : '';
      const only = recreating.length > 0 ? `; only ${updating[0] === 'Argo CD' ? 'an' : 'a'} ${updating.join(' or ')} sync fails, as ${recreating.map((t) => RECREATES[t]).join(' and ')}` : '';
      out.push({ key, ruleId: rule.id, field: rule.field, message: `${rule.field} changes${feeds}: the API server will refuse the update, because ${rule.why}${only}`, fix: fixFor(after, updating) });
    }
  }
  return out;
}
