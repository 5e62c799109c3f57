/**
 * What the routes call: the same core functions the CLI commands call, behind one interface so
 * tests can inject a failing or slow core. Each method takes validated plain data and returns
 * plain data; formatting for HTTP is the routes' job.
 */
import { generate, type GenerateFlags, type GenerateResult } from '../flows/generate.js';
import { runCheck, runDiff, runPostRender, type CheckInput, type CheckOutcome, type DiffInput, type DiffOutcome, type PostRenderInput } from '../flows/flows.js';
import type { SourceFile } from '../core/types.js';
import type { PostRenderResult } from '../integrations/helm/post-render.js';
import { enableYamlMemo } from '../pipeline/emit.js';
import { enableEncodeMemo } from '../pipeline/encode.js';

// Why on in the server only: it renders the same objects for many clusters, so canonical YAML
// (of objects and of embedded documents) is looked up by JSON instead of written again
// (src/pipeline/emit.ts and encode.ts; bounded: 32 MiB and 8 MiB per thread).
enableYamlMemo();
enableEncodeMemo();

export type { CheckInput, CheckOutcome, ClusterEnv, DiffInput, DiffOutcome, PostRenderInput } from '../flows/flows.js';

/**
 * A generate result in the server. From a render worker the output arrives as UTF-8 bytes, ready
 * for the socket; `output` then decodes them on first read (only structured answers read it).
 */
export type ServerGenerateResult = GenerateResult & { outputBytes?: Buffer };

/** The operations behind the routes. */
export interface ServerCore {
  generate(files: SourceFile[], env: Record<string, string>, flags: GenerateFlags): Promise<ServerGenerateResult>;
  check(input: CheckInput): Promise<CheckOutcome>;
  diff(input: DiffInput): Promise<DiffOutcome>;
  postRender(input: PostRenderInput): Promise<PostRenderResult>;
  /** Renders it can run at once (a worker pool's size; 1 when absent). */
  parallelism?: number;
  /** Releases what it holds (worker threads). */
  close?(): Promise<void>;
}

/** The real core. */
export const defaultCore: ServerCore = {
  generate: (files, env, flags) => generate(files, env, flags),
  check: runCheck,
  diff: runDiff,
  postRender: runPostRender,
};
