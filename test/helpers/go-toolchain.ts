/**
 * Running Go for the tests that check Meshplane against real Go code (test/injection/check,
 * test/go-yaml/parse). Why `go run` and no binary of our own: Go's build cache keeps the compiled
 * harness between runs (GOCACHE, in the temp folder when the home folder is not writable), so a
 * second run only links. A missing toolchain fails the test with how to install it; it never skips.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a test prints when `go` is not on PATH. */
export const GO_MISSING = 'the Go toolchain (`go`) is not on PATH; install it with `apt-get install golang-go` (CI does)';

/** The environment for `go`: the local toolchain only, no telemetry, and a writable cache and GOPATH. */
export function goEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', GOTELEMETRY: 'off', GOFLAGS: '' };
  let writable = false;
  try {
    accessSync(homedir(), constants.W_OK);
    writable = Boolean(process.env.HOME);
  } catch {
    writable = false;
  }
  if (!writable) {
    env.GOCACHE ??= join(tmpdir(), 'meshplane-go-cache');
    env.GOPATH ??= join(tmpdir(), 'meshplane-go-path');
  }
  return env;
}

/** Runs `go args…` in `cwd`; throws {@link GO_MISSING} when there is no `go` to run. */
export function runGo(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): SpawnSyncReturns<string> {
  const r = spawnSync('go', args, { cwd: options.cwd, env: options.env ?? goEnv(), input: options.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(GO_MISSING);
    throw r.error;
  }
  return r;
}
