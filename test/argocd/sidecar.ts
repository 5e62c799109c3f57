/**
 * The Meshplane sidecar as the emulator runs it: plugin.yaml from the repo root, `meshplane` on
 * PATH through a symlink (as the image links /usr/local/bin/meshplane to bin/meshplane), HOME in
 * the sidecar's own temp dir, and optionally uid/gid 999 like the real sidecar. As uid 999 it runs
 * the runtime tree (scripts/runtime-tree.mjs, what the image holds) laid out in a world-readable
 * temp folder, not the checkout: the checkout's parents may be 0700 (a home folder, a CI clone).
 */
import { mkdtempSync, chmodSync, chownSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { sharedRuntimeTree } from '../helpers/runtime-tree.js';
import { CmpEmulator, type EmulatorOptions } from './cmp-emulator.js';
import { readPluginConfig } from './plugin-config.js';

/** The uid (and gid) argocd-cmp-server runs as in the sidecar. */
export const SIDECAR_UID = 999;

/** plugin.yaml at the repo root. */
export const PLUGIN_FILE = path.join(REPO_ROOT, 'plugin.yaml');

/** Why uid 999 cannot be used here, or undefined when it can (only root may switch users). */
export function uid999Unavailable(): string | undefined {
  if (typeof process.getuid !== 'function') return 'no POSIX user ids on this platform';
  if (process.getuid() !== 0) return `running as uid ${process.getuid()}, not root: cannot spawn as uid ${SIDECAR_UID}`;
  return undefined;
}

/**
 * A sidecar environment: PATH = a bin folder holding `meshplane` → `<meshplaneBin>` first, then
 * node's folder and the system folders; HOME = a private folder (the image sets HOME=/tmp).
 */
export function sidecarEnv(meshplaneBin: string, owner?: number): Record<string, string> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cmp-sidecar-'));
  chmodSync(home, 0o755);
  symlinkSync(meshplaneBin, path.join(home, 'meshplane'));
  if (owner !== undefined) chownSync(home, owner, owner);
  const PATH = [home, path.dirname(process.execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
  return { PATH, HOME: home, LANG: 'C.UTF-8' };
}

/** An emulator of the Meshplane sidecar for plugin.yaml (as root, or as 999 with `asSidecarUser`). */
export function meshplaneSidecar(options: Partial<EmulatorOptions> & { asSidecarUser?: boolean; meshplaneBin?: string } = {}): CmpEmulator {
  const owner = options.asSidecarUser ? SIDECAR_UID : undefined;
  const bin = options.meshplaneBin ?? (owner !== undefined ? path.join(sharedRuntimeTree().dest, 'bin', 'meshplane') : path.join(REPO_ROOT, 'bin', 'meshplane'));
  const env = sidecarEnv(bin, owner);
  const { asSidecarUser: _a, meshplaneBin: _b, ...rest } = options;
  return new CmpEmulator(readPluginConfig(PLUGIN_FILE), { sidecarEnv: env, ...(owner !== undefined ? { uid: owner, gid: owner } : {}), ...rest });
}
