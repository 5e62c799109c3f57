/**
 * The generate API shared by `meshplane generate` and the server's `POST /v1/render`: source
 * files + environment + flags → manifests (or violations), the check report and notices. It
 * does no I/O and prints nothing: each shell decides where the pieces go (stdout, stderr, HTTP),
 * so the CLI and the server answer the same input with the same bytes.
 */
import { readArgoInputs, type ArgoInputs } from '../integrations/argocd/inputs.js';
import { clockFrom, kubeApiVersions } from './check-inputs.js';
import { defaultEngine, defaultOutputCache, defaultParseCache, type TemplateEngine } from '../engine/template-engine.js';
import type { ParseCache } from '../engine/parse-cache.js';
import type { OutputCache, CachedOutput, OutputKeyParts, RenderedPart } from '../engine/output-cache.js';
import type { CheckReport } from '../guardrails/check.js';
import { exitCodeFor, findingsOutcome } from '../core/exit-codes.js';
import { render } from '../pipeline/render.js';
import type { KubeObject, LocatedObject, Notice, SourceFile } from '../core/types.js';
import type { GenerateEnv } from '../core/generate-env.js';

/** The output formats of generate. */
export const GENERATE_FORMATS = ['yaml', 'json'] as const;

/** One of {@link GENERATE_FORMATS}. */
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

export { generateEnv, isGenerateEnvName, type GenerateEnv } from '../core/generate-env.js';

/** Flags of generate that change the result (already validated by the shell). */
export interface GenerateFlags {
  /** `--kube-version`. */
  kubeVersion?: string | undefined;
  /** `--now YYYY-MM-DD`. */
  now?: string | undefined;
  format: GenerateFormat;
}

/** What is decided before the source is read: the Argo CD inputs and the clock. */
export interface GeneratePlan {
  argo: ArgoInputs;
  now: Date;
  flags: GenerateFlags;
}

/** How a generate ended: `clean` (exit 0, manifests) or `violations` (exit 1, or 2 when an unknown revision left nothing to render; nothing to print). */
export type GenerateExitClass = 'clean' | 'violations';

/** The outcome of one generate. */
export interface GenerateResult {
  exitClass: GenerateExitClass;
  exitCode: number;
  /** The manifests as the CLI prints them; undefined on violations or when not emitted. */
  output?: string;
  /** The objects in order (empty on violations). */
  objects: KubeObject[];
  report: CheckReport;
  /** Notices of the render (the Argo CD input notices are in the plan). */
  notices: Notice[];
  /** The source files the template input was built from (the intent's, the lock's), relative to the source folder. */
  inputFiles?: string[];
}

/**
 * Reads the Argo CD inputs and decides the clock: `--now`, else ARGOCD_ENV_MESHPLANE_NOW, else
 * the current time. Throws `usage` / `parameter-invalid` errors.
 */
export function planGenerate(env: GenerateEnv, flags: GenerateFlags): GeneratePlan {
  return completePlan(readArgoInputs(env), flags);
}

/** The second half of {@link planGenerate}, for a shell that prints the Argo CD provenance before the clock is read. */
export function completePlan(argo: ArgoInputs, flags: GenerateFlags): GeneratePlan {
  const now = flags.now === undefined && argo.now ? argo.now : clockFrom('generate', flags.now);
  return { argo, now, flags };
}

/** Options of {@link runGenerate}. */
export interface RunGenerateOptions {
  /** Build the output text (default true; `--output-dir` writes objects instead). */
  emit?: boolean;
  /** Defaults to the process-wide jsonnet engine. */
  engine?: TemplateEngine;
  /**
   * Where to find and keep the outputs of unchanged renders (src/engine/output-cache.ts).
   * Defaults to the process-wide one, which only bin/meshplane's bundled `generate` enables;
   * `null`: none.
   */
  outputs?: OutputCache | null;
  /**
   * Start the template evaluation before the input is known (the engine's `prestart`). For a
   * process that renders once (the CLI, when its start-ahead step did not run): the evaluation's
   * set-up then overlaps reading and resolving the intent. A server, rendering many requests on
   * one engine, leaves it off.
   */
  prestart?: boolean;
  /**
   * Where parsed source files are kept between processes (src/engine/parse-cache.ts). Defaults to
   * the process-wide one, which only bin/meshplane's bundled `generate` enables; `null`: none.
   */
  parses?: ParseCache | null;
}

/** Renders and checks `files`: an error-severity finding means no output (fail closed). */
export async function runGenerate(files: SourceFile[], env: GenerateEnv, plan: GeneratePlan, options: RunGenerateOptions = {}): Promise<GenerateResult> {
  const emit = options.emit !== false;
  const outputs = emit ? (options.outputs === undefined ? defaultOutputCache() : (options.outputs ?? undefined)) : undefined;
  const engine = options.engine ?? defaultEngine();
  if (options.prestart === true) engine.prestart?.();
  try {
    const parses = options.parses === undefined ? defaultParseCache() : (options.parses ?? undefined);
    return await renderAndCheck(files, env, plan, { engine, emit, outputs, parses });
  } finally {
    // An evaluation started ahead and not used (the output was stored after all, or the render
    // failed before it) must end: Node cannot exit while it waits for its input.
    engine.release?.();
  }
}

/** What {@link renderAndCheck} renders with: the engine, whether to emit, and the caches in use. */
interface RenderWith {
  engine: TemplateEngine;
  emit: boolean;
  outputs: OutputCache | undefined;
  parses: ParseCache | undefined;
}

/** {@link runGenerate} once the evaluation may have been started: the render, the guardrails and the output. */
async function renderAndCheck(files: SourceFile[], env: GenerateEnv, plan: GeneratePlan, how: RenderWith): Promise<GenerateResult> {
  const { engine, emit, outputs, parses } = how;
  const renderEnv = { KUBE_VERSION: env.KUBE_VERSION, kubeVersionFlag: plan.flags.kubeVersion, now: plan.now };
  const stored: StoredOutputs = {};
  const reuse = outputs ? (evaluationKey: string, meshName: string) => findStored(outputs, stored, { evaluationKey, meshName, format: plan.flags.format, files }) : undefined;
  const result = await render({ files, env: renderEnv, overrides: plan.argo.overrides, whileEvaluating: preloadAfterRender, engine, ...(reuse ? { reuse } : {}), ...(parses ? { parses } : {}) });
  const inputFiles = result.inputFiles ?? [];
  const [{ check, hasErrors }, emitter] = await loadAfterRender();
  const apis = kubeApiVersions(env);
  // The guardrails run on every render, a reused one too: the output cache only skips rendering work.
  const report = check(result, apis ? { now: plan.now, kubeApiVersions: apis } : { now: plan.now });
  if (hasErrors(report)) return { exitClass: 'violations', exitCode: exitCodeFor(findingsOutcome(report.violations)), objects: [], report, notices: result.notices, inputFiles };
  const objects = result.objects.map((o) => o.object);
  const out: GenerateResult = { exitClass: 'clean', exitCode: exitCodeFor({ kind: 'clean' }), objects, report, notices: result.notices, inputFiles };
  if (!emit) return out;
  out.output = stored.output?.output ?? emitOutput(plan.flags.format, objects, result.rendered, stored, outputs, emitter);
  if (outputs && stored.key !== undefined && stored.output === undefined && result.rendered) outputs.set(stored.key, { rendered: result.rendered, output: out.output });
  return out;
}

/** What {@link findStored} found for this render, under which names. */
interface StoredOutputs {
  key?: string;
  output?: CachedOutput;
  partKey?: string;
  part?: RenderedPart;
}

/**
 * render's `reuse`: the whole output stored for these source files, else the rendered part stored
 * for this evaluation and mesh (any source files: the usual commit changes only applications).
 * Either gives the rendered objects; `stored` keeps what was found for the output.
 */
function findStored(outputs: OutputCache, stored: StoredOutputs, parts: OutputKeyParts): LocatedObject[] | undefined {
  stored.key = outputs.key(parts);
  stored.output = outputs.get(stored.key);
  stored.partKey = outputs.partKey(parts);
  if (stored.output) {
    // The part stays as recently used as its output: the next application-only commit needs it.
    outputs.markUsed(stored.partKey);
    return stored.output.rendered;
  }
  stored.part = outputs.getPart(stored.partKey);
  return stored.part?.rendered;
}

/**
 * The manifests as printed. YAML reuses the documents of the stored rendered part, and stores the
 * part (with its documents) when there was none; `rendered` are the very objects `objects` holds.
 */
function emitOutput(format: GenerateFormat, objects: KubeObject[], rendered: LocatedObject[] | undefined, stored: StoredOutputs, outputs: OutputCache | undefined, emitter: Emitter): string {
  if (format === 'json') {
    if (outputs && stored.partKey !== undefined && stored.part === undefined && rendered) outputs.setPart(stored.partKey, { rendered });
    return emitter.emitJson(objects);
  }
  // One document per object: isRenderedPart checked it when the part was read.
  const storedYaml = stored.part?.yaml;
  const known = storedYaml && stored.part ? new Map(stored.part.rendered.map((r, i) => [r.object, storedYaml[i] as string])) : undefined;
  const documents = emitter.yamlDocuments(objects, known);
  if (outputs && stored.partKey !== undefined && stored.part?.yaml === undefined && rendered) {
    const byObject = new Map(objects.map((o, i) => [o, documents[i]]));
    const yaml = rendered.map((r) => byObject.get(r.object));
    if (yaml.every((d): d is string => d !== undefined)) outputs.setPart(stored.partKey, { rendered, yaml });
  }
  return emitter.joinYamlDocuments(documents);
}

/**
 * The modules that run after the render: the guardrails (every rule and the object schemas) and
 * the emitter. Imported while the templates evaluate on the addon's thread (render's
 * `whileEvaluating`), so a cold `generate` starts the evaluation without loading them first
 * (docs/performance.md "What makes a cold generate fast").
 */
function loadAfterRender(warmUp = false): ReturnType<typeof loadAfterRenderOnce> {
  afterRender ??= loadAfterRenderOnce(warmUp);
  return afterRender;
}
/**
 * Starts {@link loadAfterRender} with the emitter's warm-up, as the main thread would otherwise
 * wait for the evaluation; a load error surfaces where the result is awaited, not as an
 * unhandled rejection.
 */
function preloadAfterRender(): void {
  loadAfterRender(true).catch(() => undefined);
}
/** The emitter's functions generate uses (src/pipeline/emit.ts), loaded with the guardrails. */
type Emitter = Awaited<ReturnType<typeof loadAfterRenderOnce>>[1];

/** Once per process: a server's later renders find the modules loaded and warm. */
let afterRender: ReturnType<typeof loadAfterRenderOnce> | undefined;
/** Whether this process warmed the emitter up (MESHPLANE_DEBUG says so; a test reads it). */
let warmedUp = false;

/** True when this process ran the emitter's warm-up (only while an evaluation held the addon's thread). */
export function emitterWarmedUp(): boolean {
  return warmedUp;
}
async function loadAfterRenderOnce(warmUp: boolean) {
  const loaded = await Promise.all([import('../guardrails/check.js'), import('../pipeline/emit.js')]);
  loaded[0].prepareGuardrails();
  // V8 compiles each function at its first call: emit a throwaway object now, while the main
  // thread would wait for the evaluation. Only then: after a render the caches answered (no
  // evaluation to wait for) it is work before the real output, which a stored output does not
  // even emit (~5.5 ms of a warm generate, docs/performance.md).
  if (warmUp) {
    warmedUp = true;
    loaded[1].emitYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warm-up', labels: { a: 'b' } }, data: { text: 'two\nlines\n', n: '1' } }]);
  }
  return loaded;
}

/** {@link planGenerate} then {@link runGenerate}: the whole generate for a shell that has the files in hand. */
export async function generate(files: SourceFile[], env: GenerateEnv, flags: GenerateFlags, options: RunGenerateOptions = {}): Promise<GenerateResult & { plan: GeneratePlan }> {
  const plan = planGenerate(env, flags);
  return { ...(await runGenerate(files, env, plan, options)), plan };
}
