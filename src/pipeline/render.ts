/**
 * The public render API: source files + environment → ordered, decorated objects.
 * It reads as the pipeline of docs/design.md ("Architecture"); each step is one module in src/pipeline/.
 */
import { loadCatalog, type Catalog } from '../catalog/catalog.js';
import { defaultEngine, type TemplateEngine } from '../engine/template-engine.js';
import type { ParseCache } from '../engine/parse-cache.js';
import type { ServiceMesh } from '../intent/types.js';
import { collectRendered, collectSource } from './collect.js';
import { decorate } from './decorate.js';
import { encode } from './encode.js';
import { applyDefaults } from './defaults.js';
import { applyLock } from '../lock/apply.js';
import { findLock } from '../lock/lock-file.js';
import { findIntent, loadIntentValidator, validateIntent } from './intent.js';
import { checkIntent, INTENT_CHECKS, OUTPUT_CHECKS } from './intent-checks.js';
import { checkComposedNames } from './intent-names.js';
import { parseSourceFiles, type ParsedDocument } from './load.js';
import { applyOverrides, blamingOverrides, type IntentOverride } from './overrides.js';
import { order } from './order.js';
import { resolve, type RenderEnv, type RenderInput } from './resolve.js';
import type { LocatedObject, Notice, SourceFile } from '../core/types.js';

/** What to render. */
export interface RenderRequest {
  files: SourceFile[];
  env: RenderEnv;
  /** Defaults to the process-wide jsonnet engine (and its cache). */
  engine?: TemplateEngine;
  /** Values that replace intent fields before defaults (Argo CD parameters); validated again with the schema. */
  overrides?: IntentOverride[];
  /** The catalog to render with (default: the one shipped in catalog/); `diff --base-catalog` passes another. */
  catalog?: Catalog;
  /**
   * Called once the template evaluation is under way with its input (it runs on the addon's
   * thread): the caller's chance to load what it needs after the render (guardrails, emitter)
   * while the main thread would otherwise wait. Not called when nothing is evaluated (the
   * engine's or the output cache answered).
   */
  whileEvaluating?: () => void;
  /**
   * Rendered objects (encoded and decorated) stored for this evaluation and mesh name, if the
   * caller has them (generate's output cache, src/engine/output-cache.ts): called with the
   * engine's on-disk key of the evaluation before it starts; what it returns replaces the
   * evaluation, encode and decorate. Everything before (parse, intent, resolve) and after
   * (order, name checks, and the caller's guardrails) runs as always.
   */
  reuse?: (evaluationKey: string, meshName: string) => LocatedObject[] | undefined;
  /** Where parsed files are read from and kept (generate's parse cache, src/engine/parse-cache.ts); none: every file is parsed. */
  parses?: ParseCache;
}

/** The outcome of a render: the intent as resolved, every object in order, and notices. */
export interface RenderResult {
  /** The intent with defaults applied. */
  intent: ServiceMesh;
  /** The document the intent came from (for positions). */
  intentDocument: ParsedDocument;
  /**
   * True when {@link render} found the intent by searching the source files, so
   * `intentDocument.file` is its path inside the source folder (generate, check, diff, fleet).
   * Absent when a caller builds the result around an intent it was handed (post-render's
   * `--intent` or flags), where the intent's file name says nothing about a source folder.
   */
  intentFoundInTree?: boolean;
  /** The source files the template input was built from: the intent's, then the lock's when there is one; set by {@link render}. */
  inputFiles?: string[];
  /** Every parsed source document. */
  documents: ParsedDocument[];
  input: RenderInput;
  /** Rendered + source objects, decorated and ordered. */
  objects: LocatedObject[];
  /** The rendered objects alone, encoded and decorated, in evaluation order (what `reuse` returns); set by {@link render}. */
  rendered?: LocatedObject[];
  notices: Notice[];
}

/** Runs load → intent → overrides → defaults → resolve → render → collect (+ encode) → decorate → order. */
export async function render(req: RenderRequest): Promise<RenderResult> {
  await loadIntentValidator();
  const documents = parseSourceFiles(req.files, req.parses);
  const found = applyOverrides(validateIntent(findIntent(documents)), req.overrides ?? []);
  const intentWarnings = blamingOverrides(req.overrides, () => checkIntent(found, [...INTENT_CHECKS, ...OUTPUT_CHECKS]));
  const intent = applyDefaults(found.intent);
  // The lock (meshplane.lock.yaml) pins what the catalog decides per revision; see src/lock/.
  const revisions = intent.spec.mode === 'Istio' ? (intent.spec.istio?.revisions ?? []) : [];
  const lock = findLock(documents);
  const locked = applyLock({ catalog: req.catalog ?? loadCatalog(), lock, revisions, now: req.env.now ?? new Date() });
  const inputFiles = [...new Set([found.document.file, ...(lock ? [lock.document.file] : [])])];
  const resolved = resolve(intent, withKubeVersionParameter(req.env, req.overrides ?? []), locked.catalog);
  const { input } = resolved;
  const notices = [...locked.notices, ...resolved.notices];
  const engine = req.engine ?? defaultEngine();
  const evaluates = intent.spec.mode === 'Istio' && input.revisions.length > 0;
  const evaluationKey = evaluates ? engine.storeKey?.(input) : undefined;
  const reused = evaluationKey !== undefined ? req.reuse?.(evaluationKey, intent.metadata.name) : undefined;
  // What was reused was built on that evaluation: it stays as recently used as its products.
  if (reused !== undefined && evaluationKey !== undefined) engine.markUsed?.(evaluationKey);
  // The evaluation runs on the addon's thread: the engine calls whileEvaluating once it is under way.
  const evaluation = evaluates && reused === undefined ? engine.render(input, req.whileEvaluating) : undefined;
  // (Marked handled so that an error thrown below, which wins, never leaves it unhandled.)
  evaluation?.catch(() => undefined);
  const source = collectSource(documents);
  // decorate changes rendered objects only, so decorating them apart from the source is the same.
  const rendered = reused ?? decorate(encode(collectRendered(evaluation ? await evaluation : [])), intent.metadata.name);
  const objects = order([...rendered, ...source.objects]);
  checkComposedNames(objects, found);
  return { intent, intentDocument: found.document, intentFoundInTree: true, inputFiles, documents, input, objects, rendered, notices: [...intentWarnings, ...notices, ...source.notices] };
}

/**
 * The Argo CD parameter `cluster.kubernetesVersion`, when set, ranks with the flag (an explicit
 * per-Application setting) above KUBE_VERSION, which Argo CD sets on every render (docs/cli.md).
 */
function withKubeVersionParameter(env: RenderEnv, overrides: readonly IntentOverride[]): RenderEnv {
  const param = overrides.find((o) => o.path.join('.') === 'spec.cluster.kubernetesVersion');
  return typeof param?.value === 'string' && param.value !== '' ? { ...env, kubeVersionParameter: { value: param.value, source: param.source } } : env;
}
