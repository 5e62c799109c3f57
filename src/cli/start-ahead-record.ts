/**
 * The records of the start-ahead step (./start-ahead.ts): written by a `generate` whose
 * evaluation ended on disk (or that needed none), so that the next one asked the same way whose
 * intent and lock files are unchanged does not start an evaluation it will not need. Apart from
 * the step itself because it writes through the disk cache (atomic, checksummed, bounded), which
 * loads node:crypto; the step only reads.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { GenerateEnv } from '../core/generate-env.js';
import { DiskCache, type DiskCacheLimits } from '../engine/disk-cache.js';
import { defaultEngine } from '../engine/template-engine.js';
import { inputDigest, RECORD_FORMAT, recordedPath, recordsDir, type AheadRecord, type StartAhead, type StartAheadDecision } from './start-ahead.js';

/**
 * Why these: a record is a few hundred bytes; 256 of them cover as many Applications (or source
 * folders) as the render cache keeps evaluations (src/engine/disk-cache.ts DEFAULT_LIMITS).
 */
const RECORD_LIMITS: DiskCacheLimits = { maxEntries: 256, maxBytes: 1024 * 1024 };

/** This process's start-ahead outcome, handed over by bin/meshplane through the CLI's entry (./cli-entry.ts `adoptStartAhead`). */
let current: { decision: StartAheadDecision; key?: string; recordFiles?: string[]; env: GenerateEnv } | undefined;

/** Remembers the step's outcome for {@link recordStartAhead} and {@link startAheadDecision}. */
export function noteStartAhead(outcome: Pick<StartAhead, 'decision' | 'key' | 'recordFiles'>, env: GenerateEnv): void {
  current = { decision: outcome.decision, env, ...(outcome.key !== undefined ? { key: outcome.key } : {}), ...(outcome.recordFiles !== undefined ? { recordFiles: outcome.recordFiles } : {}) };
}

/** What the step decided in this process; undefined when it did not run (the unbundled CLI, or a bundle without it). */
export function startAheadDecision(): StartAheadDecision | undefined {
  return current?.decision;
}

/**
 * Called by `generate` once it has rendered (printed or not): when the process-wide engine left
 * every evaluation it made on disk, records the files its template input came from (`inputFiles`,
 * relative to the source folder `root`) and a digest of their text. `cwd` is the working folder.
 * Errors are swallowed: a record only predicts.
 */
export function recordStartAhead(cwd: string, root: string, inputFiles: readonly string[]): void {
  if (current?.key === undefined || inputFiles.length === 0 || !defaultEngine().evaluationsStored()) return;
  const { env, key } = current;
  const dir = recordsDir(env);
  if (dir === undefined) return;
  const files = inputFiles.map((f) => recordedPath(env, cwd, path.join(root, f)));
  // The step read this very record and found its files' text unchanged moments ago: nothing to write.
  if (current.decision === 'expected-stored' && isDeepStrictEqual(current.recordFiles, files)) return;
  const digest = inputDigest(cwd, files);
  if (digest === undefined) return;
  const record: AheadRecord = { format: RECORD_FORMAT, files, digest };
  const store = new DiskCache(dir, RECORD_LIMITS);
  const text = JSON.stringify(record);
  if (store.get(key) !== text) store.set(key, text);
}
