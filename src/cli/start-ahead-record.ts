/**
 * The records of the start-ahead step (./start-ahead.ts): written by a `generate` whose output
 * ended in the output cache, so that the next one asked the same does not start an evaluation it
 * will not need. Apart from the step itself because it writes through the disk cache (atomic,
 * checksummed, bounded), which loads node:crypto; the step only reads.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { GenerateEnv } from '../core/generate-env.js';
import { DiskCache, type DiskCacheLimits } from '../engine/disk-cache.js';
import { pinned, RECORD_FORMAT, recordsDir, type AheadRecord, type StartAhead } from './start-ahead.js';

/**
 * Why these: a record is ~100 bytes per source file; 256 records cover twice the outputs the
 * output cache keeps (src/engine/output-cache.ts), and a tree of over 512 files is not recorded
 * (checking it would cost more stats than starting ahead saves).
 */
const RECORD_LIMITS: DiskCacheLimits = { maxEntries: 256, maxBytes: 4 * 1024 * 1024 };
const MAX_RECORDED_FILES = 512;

/** The record key of this process's generate, handed over by bin/meshplane through the CLI's entry (./cli-entry.ts `adoptStartAhead`). */
let current: { key: string; env: GenerateEnv } | undefined;

/** Remembers the step's outcome for {@link recordStartAhead}. */
export function noteStartAhead(outcome: Pick<StartAhead, 'key'>, env: GenerateEnv): void {
  current = outcome.key !== undefined ? { key: outcome.key, env } : undefined;
}

/**
 * Called by `generate` once its output is in the output cache: records that the next generate
 * asked the same need not start ahead. `root` is the source folder, `files` what was read from it
 * (paths relative to it). Errors are swallowed: a record only predicts.
 */
export function recordStartAhead(root: string, files: readonly { path: string }[]): void {
  if (!current) return;
  const dir = recordsDir(current.env);
  if (dir === undefined) return;
  const record: AheadRecord = { format: RECORD_FORMAT };
  if (!pinned(current.env)) {
    if (files.length > MAX_RECORDED_FILES) return;
    try {
      record.files = files.map((f) => {
        const file = path.join(root, f.path);
        const st = statSync(file);
        return [file, st.size, st.mtimeMs];
      });
    } catch {
      return;
    }
  }
  const store = new DiskCache(dir, RECORD_LIMITS);
  const text = JSON.stringify(record);
  if (store.get(current.key) !== text) store.set(current.key, text);
}
