/**
 * preflight-injection-revision-missing and preflight-sidecar-revision-removed: workloads the
 * intent being synced leaves without a control plane.
 *
 * Which pods an injector takes, as Istio renders its webhooks (istio/istio
 * manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml, selectors the
 * same at 1.27.0, 1.27.9, 1.28.10, 1.29.6 and 1.30.3; revision-tags.yaml / revision-tags-mwc.yaml
 * give a tag the same two webhooks with the tag name as the value; templates/lib/webhooks.libsonnet
 * renders them so):
 * - namespace webhook of value V: the namespace is labelled istio.io/rev=V and has no
 *   `istio-injection` label at all (any value of it switches revision injection off);
 * - object webhook of value V: the namespace has neither label and the pod is labelled
 *   istio.io/rev=V (a pod label is ignored when its namespace has istio.io/rev);
 * - both skip pods labelled sidecar.istio.io/inject=false.
 * `istio-injection=enabled` only reaches the default revision's webhooks, which neither the AKS
 * add-on (MicrosoftDocs/azure-aks-docs articles/aks/istio-deploy-addon.md: the label makes
 * injection skip the namespace) nor Meshplane installs; tag names cannot be "default" either.
 * So a namespace or pod whose V is neither a revision of spec.istio.revisions nor a tag of
 * spec.tags (the waves' tags are tags of spec.tags) gets no sidecar for new pods after the sync:
 * no webhook matches, so the API server admits the pod unmeshed and nothing fails.
 *
 * Which revision injected a running pod: istiod writes it into the `sidecar.istio.io/status`
 * annotation (pkg/kube/inject/webhook.go getInjectionStatus, 1.27.0 to 1.30.3; live-objects.ts
 * reads it). A pod keeps that proxy until it restarts. The proxy gets its configuration and its
 * workload certificate from that revision's istiod only (the injection template points CA_ADDR
 * and the discovery address at istiod-<revision>; Meshplane's templates/injection/sidecar.tmpl
 * does the same), and the certificate lives 24 hours by default (pilot-agent SECRET_TTL,
 * pilot/cmd/pilot-agent/options/options.go at 1.28.0): once that istiod is gone the proxy gets no
 * updates and its mTLS fails within a day.
 *
 * Severity: an error when the value is served now by this mesh (a managed istiod of that
 * revision, or a managed tag webhook) and the intent drops it, because this sync is what takes
 * injection (or the proxies' control plane) away, silently, and the fix (relabel and restart, or
 * keep the revision one more commit) belongs before the sync. A warning when nothing of this
 * mesh serves the value now: those workloads are already without it, and blocking the sync would
 * not give it back. A warning does not claim "no sidecar" when an injector outside this mesh
 * selects the value: the webhook list preflight reads holds every MutatingWebhookConfiguration with
 * its selectors (live-objects.ts toWebhook), and an unmanaged one whose namespace (or object)
 * selector requires istio.io/rev=V takes those pods; likewise an unmanaged istiod of the revision
 * a sidecar came from. Neither costs a request or a permission.
 *
 * The restart each fix asks for names the Deployments, StatefulSets and DaemonSets that own the
 * pods, from the pods' own ownerReferences and labels (pod-workloads.ts).
 */
import { NAMESPACES } from '../../../pipeline/resolve.js';
import type { SourcePosition } from '../../../core/types.js';
import type { Severity } from '../../../rules/types.js';
import type { LiveObject, LivePod } from '../snapshot.js';
import { intentRevisions, intentWhere, isManagedByMesh, keyOf, managedIstiods, REV_LABEL, violation, type PreflightContext, type PreflightRule } from './context.js';
import { restartText, withMore, workloadList } from './pod-workloads.js';

/** The legacy injection label; its presence on a namespace turns revision webhooks off. */
export const INJECTION_LABEL = 'istio-injection';
/** The pod label the injector webhooks' objectSelector reads to leave a pod out. */
const OPT_OUT = 'sidecar.istio.io/inject';
/** The label upstream's tag webhooks (and templates/tags.libsonnet) carry with the tag name. */
const TAG_LABEL = 'istio.io/tag';
/** The label Meshplane puts on what it renders for a revision (templates/lib/k.libsonnet revLabels): istiod and gateway pods. */
const PART_OF = 'app.kubernetes.io/part-of';

/** Most pod names one finding lists. Why 5: the finding stays one readable line; the count says how many more. */
const SHOWN_PODS = 5;

/** What the intent leaves to inject with: its revisions and its tag names. */
export function servedAfterSync(ctx: PreflightContext): string[] {
  return [...intentRevisions(ctx).map((r) => r.name), ...Object.keys(ctx.intent.spec.tags ?? {})];
}

/** What serves an istio.io/rev value now: a revision's istiod or a tag's webhook, named for a message. */
interface Server {
  kind: 'revision' | 'tag';
  name: string;
}

/** istio.io/rev values this mesh serves in the cluster now, with the object that serves each. */
export function servedNow(ctx: PreflightContext): Map<string, Server> {
  const out = new Map<string, Server>();
  for (const { deployment, revision } of managedIstiods(ctx)) out.set(revision, { kind: 'revision', name: `istiod ${deployment.namespace ?? ''}/${deployment.name}` });
  for (const w of ctx.cluster.webhooks) {
    const tag = w.labels[TAG_LABEL];
    if (tag && isManagedByMesh(w, ctx.intent.metadata.name) && !out.has(tag)) out.set(tag, { kind: 'tag', name: `the tag webhook ${w.name}` });
  }
  return out;
}

/**
 * Phases of a pod whose containers have all terminated (kubernetes/api core/v1/types.go, the
 * PodPhase constants PodSucceeded and PodFailed), so no proxy of it runs: a finished Job's pod, or an
 * evicted pod the kubelet left behind (Failed, reason Evicted) until pod garbage collection.
 * Why only these two: Pending and Unknown pods may still run or start a proxy.
 */
const FINISHED = ['Succeeded', 'Failed'];

/** Pods of the mesh's own components (istiod, gateways): the sync replaces them itself. */
function isMeshComponent(p: LivePod): boolean {
  return (Object.values(NAMESPACES) as string[]).includes(p.namespace ?? '') || p.labels[PART_OF] === 'istio';
}

interface Judged {
  severity: Severity;
  /** What the sync does to the value, as a sentence. */
  why: string;
  /** An injector outside this mesh that selects the value (it, not "nothing", takes the pods). */
  foreign?: string;
  /** The "keep it one more commit" fix, when the sync is what removes the value. */
  keep?: string;
  /** The intent field that fix edits. */
  field?: string[];
}

/**
 * A MutatingWebhookConfiguration this mesh does not manage whose webhooks select `value` by the
 * namespace's (or the pod's) istio.io/rev label: another Istio installation, the AKS add-on, or
 * another mesh. Read from the webhook list preflight already makes (every configuration, with its
 * selectors), so it costs no request; preflight-foreign-istio / preflight-aks-addon-present report
 * the configuration itself.
 */
function foreignInjector(ctx: PreflightContext, value: string, by: 'namespace' | 'object'): string | undefined {
  const w = ctx.cluster.webhooks.find((x) => !isManagedByMesh(x, ctx.intent.metadata.name) && x.revSelected?.[by].includes(value));
  return w ? `the MutatingWebhookConfiguration ${w.name}` : undefined;
}

/** An istiod Deployment of `revision` that this mesh does not manage: the control plane such proxies still have. */
function foreignIstiod(ctx: PreflightContext, revision: string): string | undefined {
  const d = ctx.cluster.deployments.find((x) => x.labels.app === 'istiod' && x.labels[REV_LABEL] === revision && !isManagedByMesh(x, ctx.intent.metadata.name));
  return d ? `istiod ${d.namespace ?? ''}/${d.name}` : undefined;
}

function judge(value: string, now: Map<string, Server>, foreign?: string): Judged {
  const server = now.get(value);
  if (server) {
    const kind = server.kind;
    return {
      severity: 'error',
      why: `${server.name} serves ${value} now and this intent drops it, so the sync removes it`,
      keep: kind === 'tag' ? `keep ${value} in spec.tags for one more commit` : `keep ${value} in spec.istio.revisions for one more commit`,
      field: kind === 'tag' ? ['spec', 'tags'] : ['spec', 'istio', 'revisions'],
    };
  }
  if (foreign) return { severity: 'warning', why: `nothing of this mesh serves ${value} now; ${foreign}, which this mesh does not manage, selects it`, foreign };
  return { severity: 'warning', why: `nothing of this mesh serves ${value} now either` };
}

/** The violation extras: the severity, and the intent field to edit when keeping the value is a fix. */
function at(ctx: PreflightContext, j: Judged): { severity: Severity; where?: SourcePosition } {
  const where = j.field ? intentWhere(ctx, j.field) : undefined;
  return where ? { severity: j.severity, where } : { severity: j.severity };
}

function listPods(pods: LivePod[]): string {
  return withMore(pods.slice(0, SHOWN_PODS).map((p) => p.name), Math.max(0, pods.length - SHOWN_PODS));
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = out.get(k);
    if (list) list.push(i);
    else out.set(k, [i]);
  }
  return out;
}

/**
 * The value a fix command suggests: a tag of spec.tags when there is one (a tag survives the next
 * upgrade), else the newest revision; `<revision>` when the intent installs none.
 */
export function suggestedValue(ctx: PreflightContext): string {
  const tag = Object.keys(ctx.intent.spec.tags ?? {})[0];
  if (tag) return tag;
  const newest = [...intentRevisions(ctx)].sort((a, b) => (Number.isFinite(b.minor) ? b.minor : -1) - (Number.isFinite(a.minor) ? a.minor : -1))[0];
  return newest?.name ?? '<revision>';
}

/**
 * Pods of a namespace that a relabel has to restart to (re)inject: the ones preflight read there
 * (they carry a sidecar or an istio.io/rev label), except pods that opt out of injection, the
 * mesh's own pods, and finished pods, which run no proxy and are never restarted.
 */
function podsToReinject(ctx: PreflightContext, namespace: string): LivePod[] {
  return ctx.cluster.meshPods.filter((p) => p.namespace === namespace && p.labels[OPT_OUT] !== 'false' && !isMeshComponent(p) && !FINISHED.includes(p.phase ?? ''));
}

/** The restart part of a namespace's relabel fix: the workloads of its pods, or what preflight could not see. */
function restartNamespace(namespace: string, pods: LivePod[], j: Judged): string {
  // Pods that started without a sidecar carry neither label preflight selects pods by
  // (cluster-reader.ts MESH_POD_SELECTORS), so their workloads cannot be named; in a namespace
  // whose value nothing of this mesh serves now, such pods are to be expected.
  const unseen = j.severity === 'warning' && !j.foreign ? `; pods of ${namespace} that started without a sidecar carry neither label preflight reads pods by, so restart their workloads too` : '';
  if (!pods.length) return `restart the workloads in ${namespace} that should run a sidecar (preflight saw no pod there with a sidecar or an istio.io/rev label)${unseen}`;
  return `restart the workloads of its meshed pods: ${restartText(namespace, pods)}${unseen}`;
}

/** " (or another of: …)" when the intent offers more than the suggested value. */
function others(ctx: PreflightContext): string {
  const suggested = suggestedValue(ctx);
  const rest = servedAfterSync(ctx).filter((v) => v !== suggested);
  return rest.length ? ` (or another of: ${rest.join(', ')})` : '';
}

/** The preflight-injection-revision-missing rule. */
export const injectionRevisionMissingRule: PreflightRule = {
  id: 'preflight-injection-revision-missing',
  severity: 'error',
  description: 'every namespace (and pod of an unlabelled namespace) that selects an injector by istio.io/rev names a revision or tag the intent installs',
  check(ctx) {
    const wanted = servedAfterSync(ctx);
    const now = servedNow(ctx);
    const out = [];
    const nsByName = new Map<string, LiveObject>(ctx.cluster.namespaces.map((n) => [n.name, n]));
    for (const ns of ctx.cluster.namespaces) {
      const value = ns.labels[REV_LABEL];
      if (value === undefined || INJECTION_LABEL in ns.labels || wanted.includes(value)) continue;
      const j = judge(value, now, foreignInjector(ctx, value, 'namespace'));
      const fate = j.foreign
        ? `new pods in ${ns.name} get that webhook's sidecar, from outside this mesh`
        : `new pods in ${ns.name} start without a sidecar (no injection webhook matches them, and the API server admits them unmeshed without an error)`;
      out.push(violation(this, keyOf(ns), `namespace ${ns.name} is labelled istio.io/rev=${value}, which is neither a revision nor a tag of this intent (${wanted.join(', ') || 'none'}); ${j.why}: ${fate}`,
        `relabel it: \`kubectl label namespace ${ns.name} istio.io/rev=${suggestedValue(ctx)} --overwrite\`${others(ctx)}, then ${restartNamespace(ns.name, podsToReinject(ctx, ns.name), j)}${j.keep ? `; or ${j.keep}, until it is relabelled and restarted` : `; or remove the label (\`kubectl label namespace ${ns.name} istio.io/rev-\`) if it should not be meshed`}`,
        at(ctx, j)));
    }
    const selecting = ctx.cluster.meshPods.filter((p) => {
      const value = p.labels[REV_LABEL];
      const ns = nsByName.get(p.namespace ?? '');
      const nsLabels = ns?.labels ?? {};
      return value !== undefined && !(REV_LABEL in nsLabels) && !(INJECTION_LABEL in nsLabels) && p.labels[OPT_OUT] !== 'false' && !isMeshComponent(p) && !wanted.includes(value);
    });
    for (const [key, pods] of groupBy(selecting, (p) => `${p.namespace ?? ''}\u0000${p.labels[REV_LABEL] ?? ''}`)) {
      const [namespace = '', value = ''] = key.split('\u0000');
      const first = pods[0] as LivePod;
      const j = judge(value, now, foreignInjector(ctx, value, 'object'));
      const fate = j.foreign ? 'get that webhook\'s sidecar, from outside this mesh' : 'start without a sidecar, and nothing reports it';
      out.push(violation(this, keyOf(first), `${pods.length === 1 ? 'pod' : `${pods.length} pods`} ${listPods(pods)} in namespace ${namespace} ${pods.length === 1 ? 'is' : 'are'} labelled istio.io/rev=${value} (the namespace has no injection label, so the pod label picks the injector), which is neither a revision nor a tag of this intent; ${j.why}: new pods of ${pods.length === 1 ? 'its workload' : 'these workloads'} ${fate}`,
        `set the pod template label istio.io/rev to ${suggestedValue(ctx)}${others(ctx)} in the manifest of ${workloadList(pods)} (a changed template rolls the pods out), or label namespace ${namespace} istio.io/rev=${suggestedValue(ctx)} instead (the pod label then no longer counts) and restart them: ${restartText(namespace, pods)}${j.keep ? `; or ${j.keep}, until the workload is changed` : ''}`,
        at(ctx, j)));
    }
    return out;
  },
};

/** The preflight-sidecar-revision-removed rule. */
export const sidecarRevisionRemovedRule: PreflightRule = {
  id: 'preflight-sidecar-revision-removed',
  severity: 'error',
  description: 'no running pod keeps a sidecar injected by a revision the intent does not install',
  check(ctx) {
    const revisions = intentRevisions(ctx).map((r) => r.name);
    const now = servedNow(ctx);
    const nsRev = new Map(ctx.cluster.namespaces.map((n) => [n.name, n.labels[REV_LABEL]]));
    const orphaned = ctx.cluster.meshPods.filter((p) => p.sidecarRevision !== undefined && !revisions.includes(p.sidecarRevision) && !isMeshComponent(p) && !FINISHED.includes(p.phase ?? ''));
    const out = [];
    for (const [key, pods] of groupBy(orphaned, (p) => `${p.namespace ?? ''}\u0000${p.sidecarRevision ?? ''}`)) {
      const [namespace = '', revision = ''] = key.split('\u0000');
      const first = pods[0] as LivePod;
      const j = judge(revision, now);
      const label = nsRev.get(namespace);
      const then = label !== undefined && servedAfterSync(ctx).includes(label)
        ? `restart them so istio.io/rev=${label} injects them again: ${restartText(namespace, pods)}`
        : `point namespace ${namespace} (or the pods' template label) at ${suggestedValue(ctx)}${others(ctx)}, then restart them: ${restartText(namespace, pods)}`;
      const proxies = pods.length === 1 ? 'its proxy gets' : 'their proxies get';
      const elsewhere = j.severity === 'error' ? undefined : foreignIstiod(ctx, revision);
      const effect = j.severity === 'error'
        ? `the sync removes that istiod (${now.get(revision)?.name ?? revision}), after which ${proxies} no configuration updates and cannot renew ${pods.length === 1 ? 'its' : 'their'} workload certificate (24 h by default), so mTLS fails within a day`
        : elsewhere
          ? `no istiod of this mesh serves ${revision} now; ${elsewhere}, which this mesh does not manage, runs that revision, so ${pods.length === 1 ? 'its proxy most likely stays' : 'their proxies most likely stay'} on that control plane, outside this mesh`
          : `no istiod of this mesh serves ${revision} now, so ${proxies} no configuration updates and mTLS fails once ${pods.length === 1 ? 'its' : 'their'} workload certificate expires`;
      out.push(violation(this, keyOf(first), `${pods.length === 1 ? 'pod' : `${pods.length} pods`} ${listPods(pods)} in namespace ${namespace} ${pods.length === 1 ? 'runs a sidecar' : 'run sidecars'} injected by ${revision} (sidecar.istio.io/status), which this intent does not install (${revisions.join(', ') || 'none'}); ${effect}`,
        `${then}${j.keep ? `; or ${j.keep}, until every pod has restarted` : ''}`,
        at(ctx, j)));
    }
    return out;
  },
};
