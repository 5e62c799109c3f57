/**
 * A child process for the relocation test (not a test file): renders every example through the
 * CMP emulator as uid 999 with HOME=/tmp, using a relocated runtime tree's `meshplane` and its
 * plugin.yaml, and prints one JSON line per example. The test starts it inside a mount namespace
 * in which the checkout's addon build tree is hidden, so nothing can load from there.
 *
 *   node relocated-render.js <tree folder>
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';
import { defaultApp } from './cmp-env.js';
import { CmpEmulator } from './cmp-emulator.js';
import { readPluginConfig } from './plugin-config.js';
import { SIDECAR_UID, sidecarEnv } from './sidecar.js';

/** One example's outcome, as printed. */
export interface RelocatedRender {
  example: string;
  status: string;
  error?: string;
  stdout: string;
  stderr: string;
}

async function main(tree: string): Promise<void> {
  const env = sidecarEnv(path.join(tree, 'bin', 'meshplane'), SIDECAR_UID);
  // The image sets HOME=/tmp (the sidecar's own emptyDir); PATH keeps the folder with `meshplane`.
  const cmp = new CmpEmulator(readPluginConfig(path.join(tree, 'plugin.yaml')), { sidecarEnv: { ...env, HOME: '/tmp' }, uid: SIDECAR_UID, gid: SIDECAR_UID });
  try {
    for (const example of exampleNames()) await renderOne(cmp, example);
  } finally {
    rmSync(env.HOME as string, { recursive: true, force: true });
  }
}

async function renderOne(cmp: CmpEmulator, example: string): Promise<void> {
  {
    const out = await cmp.generate(EXAMPLES_DIR, defaultApp({ path: example, name: example }), cmp.address);
    const line: RelocatedRender = { example, status: out.status, ...(out.error ? { error: out.error } : {}), stdout: out.result?.stdout ?? '', stderr: out.result?.stderr ?? '' };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

const tree = process.argv[2];
if (!tree) {
  process.stderr.write('usage: relocated-render.js <runtime tree>\n');
  process.exit(2);
}
await main(path.resolve(tree));
