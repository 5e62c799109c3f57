/** Golden-file comparison for whole outputs: refreshed only when UPDATE_GOLDEN=1. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** True when the run refreshes golden files instead of comparing against them. */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Asserts `actual` equals the golden file (path relative to the repo root), or rewrites it under UPDATE_GOLDEN=1. */
export function assertGolden(relPath: string, actual: string): void {
  const file = path.join(REPO_ROOT, relPath);
  if (UPDATE_GOLDEN) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${relPath} is missing; create it with UPDATE_GOLDEN=1 and review it`);
  const want = readFileSync(file, 'utf8');
  if (want === actual) return;
  const a = want.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i < 0 ? a.length : i;
  assert.fail(`${relPath} differs from the output (UPDATE_GOLDEN=1 refreshes it after an intended change)\nline ${at + 1}:\n  golden: ${JSON.stringify(a[at])}\n  output: ${JSON.stringify(b[at])}`);
}
