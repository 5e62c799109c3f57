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

/**
 * Where the batch/v1 Job rules were read. kubernetes/kubernetes is too large to mirror here, so its
 * validation.go was read in the public code index, at the two stored commits that cover the rules:
 * ValidateJobSpecUpdate compares completions, selector and template whole at commit 3989b18 (a
 * v1.6-era copy: apimachinery imports, CronJob in the batch group), and a copy with KEP-5440's
 * AllowMutablePodResources (v1.35 or later) adds completionMode, podFailurePolicy,
 * backoffLimitPerIndex, managedBy and successPolicy, validateCompletions for Indexed Jobs and the
 * suspended-Job branches of validatePodTemplateUpdate.
 */
const JOB_VALIDATION = 'kubernetes/kubernetes pkg/apis/batch/validation/validation.go';
const JOB_READ = 'read at kubernetes/kubernetes commit 3989b18 and, for v1.35 and later, at commit 088d115 of the yongruilin/kubernetes fork, 2026-12-03';

type Data = Record<string, unknown>;

/**
 * `v` as the API server's typed objects hold it, as far as the JSON tells: a key whose value is
 * null is absent (encoding/json decodes null to the Go zero value, as an absent key), and so is an
 * empty list (every JSON list is a Go slice, and apiequality.Semantic.DeepEqual, which
 * ValidateImmutableField uses, equates nil and empty slices: kubernetes/apimachinery
 * third_party/forked/golang/reflect/deep_equal.go Equalities.DeepEqual at v0.36.3). Why not empty
 * maps too: a JSON object may be a Go map (nil equals empty) or a struct behind a pointer (nil does
 * not equal empty: `selector: {}` is not an unset selector), and the JSON does not say which.
 */
function goShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goShape);
  if (v === null || typeof v !== 'object') return v;
  const out: Data = {};
  for (const [k, x] of Object.entries(v as Data)) {
    if (x === null || x === undefined || (Array.isArray(x) && x.length === 0)) continue;
    out[k] = goShape(x);
  }
  return out;
}

/** True when the API server's immutability check sees `a` and `b` as the same value ({@link goShape}). */
const sameTyped = (a: unknown, b: unknown): boolean => sameData(goShape(a === null ? undefined : a), goShape(b === null ? undefined : b));
/** `v` as a map, or undefined when it is not one. */
const asMap = (v: unknown): Data | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : undefined);

/**
 * `old` with the scheduling directives of `next` put in, as validatePodTemplateUpdate does before
 * it compares the templates of a suspended Job (AllowMutableSchedulingDirectives): template labels
 * and annotations, nodeSelector, tolerations, schedulingGates, and the nodeAffinity part of
 * affinity (an affinity may be dropped only when node affinity was all it held).
 */
function withSchedulingOf(old: Data, next: Data): Data {
  const out = structuredClone(old);
  const meta: Data = { ...(asMap(out.metadata) ?? {}) };
  const nextMeta = asMap(next.metadata) ?? {};
  for (const k of ['labels', 'annotations']) if (nextMeta[k] === undefined) delete meta[k]; else meta[k] = nextMeta[k];
  // An empty metadata is the same template as none (the API server's type has no "unset" for it).
  if (Object.keys(meta).length > 0 || asMap(next.metadata)) out.metadata = meta; else delete out.metadata;
  const podSpec: Data = { ...(asMap(out.spec) ?? {}) };
  const nextSpec = asMap(next.spec) ?? {};
  for (const k of ['nodeSelector', 'tolerations', 'schedulingGates']) if (nextSpec[k] === undefined) delete podSpec[k]; else podSpec[k] = nextSpec[k];
  const oldAff = asMap(podSpec.affinity);
  const nextAff = asMap(nextSpec.affinity);
  if (!nextAff && oldAff) {
    const rest = { ...oldAff };
    delete rest.nodeAffinity;
    if (Object.values(rest).every((v) => v === undefined)) delete podSpec.affinity; else podSpec.affinity = rest;
  } else if (nextAff && !oldAff) {
    podSpec.affinity = nextAff.nodeAffinity === undefined ? {} : { nodeAffinity: nextAff.nodeAffinity };
  } else if (nextAff && oldAff) {
    const merged = { ...oldAff };
    if (nextAff.nodeAffinity === undefined) delete merged.nodeAffinity; else merged.nodeAffinity = nextAff.nodeAffinity;
    podSpec.affinity = merged;
  }
  out.spec = podSpec;
  return out;
}

/**
 * True when the API server refuses the template change from `before` to `after` (Job specs). The
 * template is compared whole unless the live Job (`before`) is suspended: then a change confined to
 * the scheduling directives passes (KEP-2926 while the Job has not started, any suspended Job from
 * v1.36 with KEP-5440). A suspended Job's container resources may change only from v1.36
 * (MutablePodResourcesForSuspendedJobs, off by default in v1.35), so such a change still counts as
 * refused: the clusters Meshplane targets before 1.36 refuse it. The diff cannot see status
 * (whether the Job started, its active Pods), so a suspended Job is taken as one that may change.
 */
function jobTemplateRefused(before: Data, after: Data): boolean {
  if (sameTyped(before.template, after.template)) return false;
  if (before.suspend !== true) return true;
  const oldT = asMap(before.template) ?? {};
  const nextT = asMap(after.template) ?? {};
  return !sameTyped(withSchedulingOf(oldT, nextT), nextT);
}

/** spec.completions after the API server's defaulting: 1 when completions and parallelism are both unset. */
const completionsOf = (s: Data): unknown => (s.completions ?? (s.parallelism === undefined || s.parallelism === null ? 1 : undefined));

/**
 * True when the API server refuses the completions change (validateCompletions): an Indexed Job
 * (by its new completionMode) may change it when the new completions equals the new parallelism
 * (defaulted to 1); any other Job may not change it at all.
 */
function jobCompletionsRefused(before: Data, after: Data): boolean {
  if (sameTyped(completionsOf(before), completionsOf(after))) return false;
  if (after.completionMode !== 'Indexed') return true;
  if (after.completions === undefined || after.completions === null) return false; // validateJobSpec already refuses an Indexed Job without completions
  return after.completions !== (after.parallelism ?? 1);
}

function spec(obj: KubeObject): Data {
  return asMap((obj as { spec?: unknown }).spec) ?? {};
}

/**
 * A rule for a Job spec field ValidateJobSpecUpdate keeps as it was (compared as the API server
 * compares it: {@link sameTyped}); `note` ends the reason, `since` says from which release.
 */
function immutableJobField(id: string, field: string, note: string, since: string): RefusedUpdateRule {
  return {
    id,
    kind: JOB,
    field: `spec.${field}`,
    refused: (b, a) => !sameTyped(spec(b)[field], spec(a)[field]),
    why: `Kubernetes makes a Job's spec.${field} immutable${note}`,
    source: `${JOB_VALIDATION}, ValidateJobSpecUpdate (${JOB_READ}), ${since}`,
  };
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
 * - the other immutable batch/v1 Job fields (selector, completions, completionMode,
 *   podFailurePolicy, backoffLimitPerIndex, managedBy, successPolicy): Meshplane renders none of
 *   them (the Jobs leave completions and parallelism to their defaults), so two renders differ
 *   there only through a post-render overlay, as with the dashboard's `uid`; listed so that every
 *   field the Job validation makes immutable is checked, not only the one the renders change.
 * Left out on purpose, because no two renders can differ there (test/diff/refused-updates-renders.test.ts
 * checks it over real renders): Deployment and DaemonSet `spec.selector` (immutable in apps/v1)
 * are built from the same names as the object's own name (istiod-<revision>, <gateway>-<revision>,
 * the CNI agent's fixed name); every RoleBinding and ClusterRoleBinding `roleRef` names a role
 * whose name is fixed by the binding's own name; Services set no clusterIP, ipFamilies or
 * loadBalancerClass; no ConfigMap is `immutable`; each Istio CRD keeps its group, scope, names.kind
 * and names.plural (group and plural are always immutable, scope and kind once the CRD is
 * Established; its other names may change: kubernetes/apiextensions-apiserver v0.36.0
 * pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionSpecUpdate),
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
    refused: (b, a) => jobTemplateRefused(spec(b), spec(a)),
    why: 'Kubernetes makes a Job\'s pod template immutable; only a Job that is suspended may change its scheduling directives (template labels and annotations, nodeSelector, tolerations, node affinity, scheduling gates), and the container resources of a suspended Job only from Kubernetes 1.36',
    source: `${JOB_VALIDATION}, validatePodTemplateUpdate (${JOB_READ}); the suspended-Job exceptions are KEP-2926 (a Job that has not started, JobMutableNodeSchedulingDirectives beta v1.23, GA v1.27, kubernetes/website feature-gates page at commit 36968e8; strategy.go at kubernetes/kubernetes commit 36f3681 sets it for a suspended Job with no status.startTime) and KEP-5440 (MutableSchedulingDirectivesForSuspendedJobs, any suspended Job, and MutablePodResourcesForSuspendedJobs: alpha in v1.35, on by default from v1.36.0, CHANGELOG/CHANGELOG-1.36.md PR #135965)`,
  },
  {
    id: 'job-selector',
    kind: JOB,
    field: 'spec.selector',
    refused: (b, a) => !sameTyped(spec(b).selector, spec(a).selector),
    why: 'Kubernetes makes a Job\'s spec.selector immutable (when unset, the API server generates it at creation, so setting one later changes it too)',
    source: `${JOB_VALIDATION}, ValidateJobSpecUpdate (${JOB_READ}), since batch/v1 (v1.2)`,
  },
  {
    id: 'job-completions',
    kind: JOB,
    field: 'spec.completions',
    refused: (b, a) => jobCompletionsRefused(spec(b), spec(a)),
    why: 'Kubernetes makes spec.completions of a non-Indexed Job immutable, and lets an Indexed Job change it only together with spec.parallelism, to the same value',
    source: `${JOB_VALIDATION}, validateCompletions (${JOB_READ}); elastic Indexed Jobs: ElasticIndexedJob beta v1.27, GA v1.31 (kubernetes/website feature-gates page at commit 74cb082); defaulting (both unset: completions 1) pkg/apis/batch/v1/defaults.go SetDefaults_Job at commit 3e36dd6`,
  },
  {
    id: 'job-completion-mode',
    kind: JOB,
    field: 'spec.completionMode',
    refused: (b, a) => (spec(b).completionMode ?? 'NonIndexed') !== (spec(a).completionMode ?? 'NonIndexed'),
    why: 'Kubernetes makes a Job\'s spec.completionMode immutable (unset means NonIndexed)',
    source: `${JOB_VALIDATION}, ValidateJobSpecUpdate (${JOB_READ}), since the field came in v1.21 (kubernetes/api v0.21.0 batch/v1/types.go)`,
  },
  immutableJobField('job-pod-failure-policy', 'podFailurePolicy', ', including adding or removing it', 'since the field came in v1.25 (kubernetes/api v0.25.0 batch/v1/types.go)'),
  immutableJobField('job-backoff-limit-per-index', 'backoffLimitPerIndex', ', including adding or removing it', 'since the field came in v1.28 (kubernetes/api v0.28.0; "The field is immutable" in batch/v1/types.go at v0.36.3)'),
  immutableJobField('job-managed-by', 'managedBy', ' (setting it to kubernetes.io/job-controller where it was unset is a change too)', 'since the field came in v1.30 (kubernetes/api v0.30.0; "This field is immutable" in batch/v1/types.go at v0.36.3)'),
  immutableJobField('job-success-policy', 'successPolicy', ', including adding or removing it', 'since the field came in v1.30 (kubernetes/api v0.30.0; "it must be immutable" in batch/v1/types.go at v0.36.3)'),
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
    const kind = typeKey(before);
    if (kind !== typeKey(after)) continue;
    const refused = rules.filter((rule) => rule.kind === kind && rule.refused(before, after));
    if (refused.length === 0) continue;
    const recreating = recreatedBy(after);
    const updating = TOOLS.filter((t) => !recreating.includes(t));
    if (updating.length === 0) continue;
    for (const rule of refused) {
      const feeds = rule.intentField ? ` (Meshplane renders it from ${rule.intentField})` : '';
      const only = recreating.length > 0 ? `; only ${updating[0] === 'Argo CD' ? 'an' : 'a'} ${updating.join(' or ')} sync fails, as ${recreating.map((t) => RECREATES[t]).join(' and ')}` : '';
      out.push({ key, ruleId: rule.id, field: rule.field, message: `${rule.field} changes${feeds}: the API server will refuse the update, because ${rule.why}${only}`, fix: fixFor(after, updating) });
    }
  }
  return out;
}
