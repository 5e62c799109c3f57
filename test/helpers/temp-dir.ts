/** Test helpers: a fresh temporary folder per test. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A test body that runs `run` in a new temporary folder (named `<prefix>…`) and removes it afterwards, whatever the outcome. */
export function inTempDir(prefix: string, run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
