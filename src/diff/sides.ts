/**
 * The two sides of `meshplane diff` (I/O): a side is a directory, or a git revision of the
 * repository around the working directory, read locally with `git archive` into a temporary
 * directory and loaded with the same `readSourceTree` as `generate` (so both sides follow the
 * same file rules). Git never touches the network here: no remote is named, and lazy fetches
 * of partial clones are switched off (GIT_NO_LAZY_FETCH).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import type { SourceFile } from '../core/types.js';
import { readSourceTree } from '../pipeline/load.js';

/** One side, read: how to name it in the output, and its files (absent = the app folder is not there). */
export interface Side {
  label: string;
  files: SourceFile[] | undefined;
}

/** Options of {@link readSide}. */
export interface SideOptions {
  cwd: string;
  /** App folder inside the side (relative to the directory, or to the repository root for a revision). */
  subPath?: string;
  role: 'base' | 'head';
  env: Record<string, string | undefined>;
}

/** Reads one side: a directory if `spec` names one, else a git revision. */
export async function readSide(spec: string, options: SideOptions): Promise<Side> {
  const sub = checkSubPath(options.subPath);
  const dir = path.resolve(options.cwd, spec);
  if (await isDirectory(dir)) {
    const root = path.join(dir, sub);
    const label = sub ? `${spec}/${sub}` : spec;
    return { label, files: (await isDirectory(root)) ? await readSourceTree(root) : undefined };
  }
  return readRevision(spec, sub, options);
}

function checkSubPath(sub: string | undefined): string {
  if (!sub) return '';
  const norm = path.posix.normalize(sub.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (path.posix.isAbsolute(norm) || norm === '..' || norm.startsWith('../')) {
    throw new MeshplaneError('usage', `--path ${sub} leaves the repository`, [], 'give the app folder relative to the repository root, e.g. --path clusters/prod/mesh');
  }
  return norm === '.' ? '' : norm;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function readRevision(spec: string, sub: string, options: SideOptions): Promise<Side> {
  const env = gitEnv(options.env);
  // Only git's own failure means "not a repository"; git that cannot start is reported as such.
  const top = (await git(['rev-parse', '--show-toplevel'], options.cwd, env).catch(unlessCannotRun))?.toString('utf8').trim();
  if (!top) throw notASide(spec, options.role, 'it is not a directory, and the working directory is not inside a git repository');
  const sha = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`], top, env).catch(() => undefined))?.toString('utf8').trim();
  if (!sha) throw notASide(spec, options.role, `it is neither a directory nor a revision of ${top}`);
  const label = `${spec} (${sha.slice(0, 12)})${sub ? `:${sub}` : ''}`;
  if (sub && !(await hasPath(top, sha, sub, env))) return { label, files: undefined };
  const tmp = await mkdtemp(path.join(os.tmpdir(), `meshplane-${options.role}-`));
  try {
    await extract(top, sha, sub, tmp, env);
    return { label, files: await readSourceTree(path.join(tmp, sub)) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** A failed git run as "no answer", except when git could not be started at all (rethrown). */
function unlessCannotRun(e: unknown): undefined {
  if (e instanceof MeshplaneError) throw e;
  return undefined;
}

function notASide(spec: string, role: string, why: string): MeshplaneError {
  return new MeshplaneError('usage', `--${role} ${spec}: ${why}`, [], `pass a folder (e.g. --${role} examples/canary) or a revision of the current repository (e.g. --${role} origin/main); fetch the branch first in CI (actions/checkout with fetch-depth: 0)`);
}

/** The environment git runs with: no prompts, no lazy fetches, no pager. */
export function gitEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1', GIT_PAGER: 'cat', LC_ALL: 'C' };
}

async function hasPath(top: string, sha: string, sub: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const out = await git(['ls-tree', '-d', '--name-only', sha, '--', sub], top, env);
  return out.toString('utf8').trim() !== '';
}

/** Bytes of git output kept at most. Why: a revision's file list is small; more is a mistake. */
const MAX_GIT_OUTPUT = 8 * 1024 * 1024;

/** Runs git and returns stdout; rejects with git's stderr on a non-zero exit. */
function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= MAX_GIT_OUTPUT) out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e) => reject(new MeshplaneError('usage', `cannot run git: ${e.message}`, [], 'install git, or pass directories to --base and --head')));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(err.trim() || `git ${args[0]} exited with ${code}`))));
  });
}

/** `git archive <sha> -- <sub> | tar -x -C <dest>`, failing when either side fails. */
function extract(top: string, sha: string, sub: string, dest: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', sha, '--', ...(sub ? [sub] : [])], { cwd: top, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const untar = spawn('tar', ['-x', '-f', '-', '-C', dest], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(untar.stdin);
    let err = '';
    archive.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    untar.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const fail = (e: Error): void => reject(new MeshplaneError('source-unreadable', `cannot read ${sha.slice(0, 12)}${sub ? `:${sub}` : ''} from git: ${e.message}`, [], 'check that git and tar are installed and the revision is fetched'));
    archive.on('error', fail);
    untar.on('error', fail);
    let pending = 2;
    const done = (code: number | null): void => {
      if (code !== 0) return fail(new Error(err.trim() || `exit code ${code}`));
      if (--pending === 0) resolve();
    };
    archive.on('close', done);
    untar.on('close', done);
  });
}
