/**
 * A stand-in for Helm 3's exec post-renderer (helm/helm v3.10 pkg/postrender/exec.go, as
 * described in docs/design.md, "Helm post-renderers"): the binary is started with the
 * `--post-renderer-args`, the rendered manifests are written to its stdin, its stdout is the new
 * manifest stream, and a failure becomes `error while running command <path>. error output:\n<stderr>`.
 * Helm 4 adds one rule kept here too: an empty or whitespace-only output is an error.
 */
import { spawn } from 'node:child_process';

/** What Helm would get back from a post-renderer run. */
export type HelmPostRenderOutcome = { ok: true; manifests: string } | { ok: false; error: string };

/** Runs `binary args...` the way Helm runs a post-renderer (bounded by `timeoutMs`). */
export function helmPostRender(binary: string, args: string[], manifests: string, options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; helm4?: boolean } = {}): Promise<HelmPostRenderOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) return resolve({ ok: false, error: `error while running command ${binary}. error output:\n${Buffer.concat(err).toString('utf8')}` });
      if (options.helm4 && stdout.trim() === '') return resolve({ ok: false, error: `post-renderer "${binary}" produced empty output` });
      resolve({ ok: true, manifests: stdout });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(manifests);
  });
}
