/**
 * The flows of `check`, `diff` and `post-render` after their inputs are read: shared by the CLI
 * commands and the server routes, so both answer the same for the same input. Plain data in
 * (already-read files and manifests), plain data out; the shells read, print and map exit codes.
 */
import { check, type CheckReport } from '../guardrails/check.js';
import { clockFrom, kubeApiVersions } from './check-inputs.js';
import { diffObjects } from '../diff/diff-objects.js';
import { MeshplaneError, shownValue } from '../core/errors.js';
import { exitCodeFor, findingsOutcome } from '../core/exit-codes.js';
import { render, type RenderResult } from '../pipeline/render.js';
import type { Notice, SourceFile } from '../core/types.js';
import { headGuardrails } from '../diff/guardrails.js';
import { NOISE_RULES } from '../diff/noise.js';
import { patchChanges, type DiffReport } from '../diff/report.js';
import type { Catalog } from '../catalog/catalog.js';
import { postRenderGuardrails } from '../integrations/helm/guardrails.js';
import { meshContext, type MeshContext } from '../integrations/helm/mesh-context.js';
import { postRender, type PostRenderResult } from '../integrations/helm/post-render.js';
import type { RenderEnv } from '../pipeline/resolve.js';

/** Cluster facts of check, diff and post-render (`KUBE_VERSION`, `KUBE_API_VERSIONS`). */
export type ClusterEnv = Record<string, string>;

/** Inputs of a check. */
export interface CheckInput {
  files: SourceFile[];
  env: ClusterEnv;
  kubeVersion?: string | undefined;
  now?: string | undefined;
}

/** Outcome of a check. */
export interface CheckOutcome {
  report: CheckReport;
  notices: Notice[];
  exitCode: number;
}

/** Inputs of a diff: a side without files is an empty side (the app folder does not exist there). */
export interface DiffInput {
  base: { label: string; files: SourceFile[] | undefined };
  head: { label: string; files: SourceFile[] | undefined };
  env: ClusterEnv;
  kubeVersion?: string | undefined;
  now?: string | undefined;
  context: number;
  showNoise: boolean;
  exitZero: boolean;
  /** Render the base side with this catalog instead of the shipped one (`--base-catalog`). */
  baseCatalog?: Catalog | undefined;
  /** Render the head side with this catalog (`--head-catalog`). */
  headCatalog?: Catalog | undefined;
}

/** Outcome of a diff. */
export interface DiffOutcome {
  report: DiffReport;
  notices: Notice[];
  exitCode: number;
}

/** Inputs of a post-render. */
export interface PostRenderInput {
  manifests: string;
  intent?: SourceFile | undefined;
  revisions: string[];
  tags: string[];
  env: ClusterEnv;
  kubeVersion?: string | undefined;
  labelRevision?: string | undefined;
  now?: string | undefined;
}

function renderEnv(command: string, env: ClusterEnv, kubeVersion: string | undefined, now: string | undefined): RenderEnv & { now: Date } {
  return { KUBE_VERSION: env.KUBE_VERSION, kubeVersionFlag: kubeVersion, now: clockFrom(command, now) };
}

function checkOptions(env: ClusterEnv, now: Date): { now: Date; kubeApiVersions?: string[] } {
  const apis = kubeApiVersions(env);
  return apis ? { now, kubeApiVersions: apis } : { now };
}

/** `meshplane check`: render without Argo CD overrides, run every rule. */
export async function runCheck(input: CheckInput): Promise<CheckOutcome> {
  const env = renderEnv('check', input.env, input.kubeVersion, input.now);
  const result = await render({ files: input.files, env });
  const report = check(result, checkOptions(input.env, env.now));
  return { report, notices: result.notices, exitCode: exitCodeFor(findingsOutcome(report.violations)) };
}

/** `meshplane diff`: render both sides, pair by resource identity, check the head. */
export async function runDiff(input: DiffInput): Promise<DiffOutcome> {
  const env = renderEnv('diff', input.env, input.kubeVersion, input.now);
  const notices: Notice[] = [];
  const base = await renderSide(input.base, 'base', env, notices, input.baseCatalog);
  const head = await renderSide(input.head, 'head', env, notices, input.headCatalog);
  const objects = (r: RenderResult | undefined) => (r ? r.objects.map((o) => o.object) : []);
  const result = diffObjects(objects(base), objects(head), { context: input.context, noise: input.showNoise ? [] : NOISE_RULES });
  const apis = kubeApiVersions(input.env);
  const patches = patchChanges(base?.input.revisions ?? [], head?.input.revisions ?? []);
  const report: DiffReport = { base: input.base.label, head: input.head.label, result, guardrails: headGuardrails(head, { now: env.now, kubeApiVersions: apis }), noiseShown: input.showNoise, ...(patches.length ? { patches } : {}) };
  return { report, notices, exitCode: exitCodeFor({ kind: 'diff', changed: result.resources.length > 0, exitZero: input.exitZero }) };
}

async function renderSide(side: DiffInput['base'], role: 'base' | 'head', env: RenderEnv, notices: Notice[], catalog?: Catalog): Promise<RenderResult | undefined> {
  if (!side.files) return undefined;
  try {
    const result = await render({ files: side.files, env, ...(catalog ? { catalog } : {}) });
    notices.push(...result.notices.map((n) => ({ ...n, message: `${role}: ${n.message}` })));
    return result;
  } catch (err) {
    if (err instanceof MeshplaneError) throw new MeshplaneError(err.code, `${role} (${side.label}): ${err.message}`, err.details, err.hint);
    throw err;
  }
}

/** `meshplane post-render`: the mesh context from the intent or flags, then collect → check → emit. */
export async function runPostRender(input: PostRenderInput): Promise<PostRenderResult> {
  const env = renderEnv('post-render', input.env, input.kubeVersion, input.now);
  const context = await meshContext(input.intent, { revisions: input.revisions, tags: input.tags }, env);
  if (input.labelRevision === '') throw new MeshplaneError('usage', 'meshplane post-render: --label-revision needs a revision or tag name', [], 'e.g. --label-revision prod-stable');
  if (input.labelRevision !== undefined && context) refuseUnknownLabel(input.labelRevision, context);
  const apis = kubeApiVersions(input.env);
  const guard = postRenderGuardrails(apis ? { context, now: env.now, kubeApiVersions: apis } : { context, now: env.now });
  const result = await postRender(input.manifests, { labelRevision: input.labelRevision, check: guard });
  return { ...result, notices: [...(context?.notices ?? []), ...result.notices] };
}

/**
 * `--label-revision` must name an installed revision or a tag of the mesh. Why before the run: the
 * label it writes would otherwise be reported as the chart's (injection-revision-missing at the
 * Namespace's line, "add the revision/tag to mesh.yaml"), though the flag set it.
 */
function refuseUnknownLabel(label: string, context: MeshContext): void {
  const revisions = context.input.revisions.map((r) => r.name);
  const tags = context.input.tags.map((t) => t.name);
  if (revisions.includes(label) || tags.includes(label)) return;
  const known = [...revisions, ...tags];
  throw new MeshplaneError(
    'usage',
    `meshplane post-render: --label-revision ${shownValue(label)} is neither a revision the mesh installs nor one of its tags (${known.join(', ') || 'it has none'}), so the namespaces it labels would get no sidecar`,
    [],
    known.length ? `pass one of ${known.join(', ')}` : 'install a revision in the mesh first, or leave --label-revision out',
  );
}

/** The cluster facts a flow reads, from a process-style environment (unset values dropped). */
export function clusterEnv(env: Record<string, string | undefined>): ClusterEnv {
  const out: ClusterEnv = {};
  for (const key of ['KUBE_VERSION', 'KUBE_API_VERSIONS']) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
