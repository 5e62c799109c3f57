/**
 * The runtime tree for tests: runs scripts/runtime-tree.mjs (the same script the Dockerfile runs)
 * into a fresh folder that every user can read, so uid-999 tests work whatever the permissions of
 * the checkout's parent folders (a 0700 home directory, CI's clone folder).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** What scripts/runtime-tree.mjs reports. */
export interface RuntimeTree {
  dest: string;
  files: number;
  bytes: number;
  /** Lock-file locations of the production dependencies copied. */
  packages: string[];
  /** Addon binaries and the libraries they load from inside their package. */
  binaries: Array<{ package: string; file: string; needed: string[]; runpath: string[] }>;
}

/** Lays out the runtime tree in `dest` (created; must not exist or be empty). Throws on failure. */
export function layOutRuntimeTree(dest: string): RuntimeTree {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'runtime-tree.mjs'), dest], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`scripts/runtime-tree.mjs ${dest} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as RuntimeTree;
}

/** A world-readable temp folder (mkdtemp makes 0700 folders, which uid 999 cannot enter). */
export function readableTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

let shared: { dir: string; tree: RuntimeTree } | undefined;

/**
 * One runtime tree per test process, in a readable temp folder, removed at exit: what tests that
 * run `meshplane` as uid 999 execute instead of the checkout's bin/meshplane.
 */
export function sharedRuntimeTree(): RuntimeTree {
  if (!shared) {
    const dir = readableTempDir('mp-runtime-');
    const tree = layOutRuntimeTree(path.join(dir, 'meshplane'));
    shared = { dir, tree };
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return shared.tree;
}
