/**
 * The bad-input corpus, test/cases/hostile/<case>/: each folder has a `case.yaml` (expected exit
 * code, a regexp stderr must match, and how to run it) and usually a `source/` tree. Inputs that
 * cannot live in Git (hundreds of MB, symlinks, pipes, exact bytes) are made at test time: by a
 * named generator below, or from base64 `write` entries in case.yaml.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

/** The corpus folder. */
export const HOSTILE_DIR = path.join(REPO_ROOT, 'test', 'cases', 'hostile');

/** One case, as read from case.yaml. */
export interface HostileCase {
  name: string;
  /**
   * `cli` (default): spawn bin/meshplane (for inputs that test the process: sizes, memory, stack
   * depth, the file tree, stdin). `in-process`: the same argv through the CLI's main() with a
   * captured Io (for inputs whose hostility is their content; commands never touch process.*, so
   * this is the same code path without the start-up cost). `engine`: render through the library
   * with a broken copy of templates/.
   */
  mode: 'cli' | 'in-process' | 'engine';
  exit: number;
  stderr: RegExp;
  /** Patterns stderr must NOT match (forged lines, raw control characters). */
  stderrNot: RegExp[];
  /**
   * For commands whose report is their stdout (`check --output markdown`): a pattern stdout must
   * match, and patterns it must not. Without `stdoutMatch`, stdout must be empty.
   */
  stdoutMatch?: RegExp;
  stdoutNot: RegExp[];
  /** Where stdout goes (cli mode): see runMeasured's `stdoutTo`. */
  stdoutTo: 'pipe' | 'dev-full' | 'closed';

  /** argv; `{source}` stands for the prepared source folder. Default: generate {source}. */
  command: string[];
  env: Record<string, string>;
  /** A file of the prepared source folder piped to stdin. */
  stdin?: string;
  generate?: string;
  maxSeconds: number;
  maxRssMb?: number;
  write: Array<{ path: string; base64: string }>;
  /** Engine mode: files of templates/ replaced by these texts. */
  templates: Record<string, string>;
}

/** Reads every case.yaml, sorted by folder name. */
export function loadCases(): HostileCase[] {
  return readdirSync(HOSTILE_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const raw = parse(readFileSync(path.join(HOSTILE_DIR, name, 'case.yaml'), 'utf8')) as Record<string, unknown>;
      return {
        name,
        mode: raw.mode === 'engine' || raw.mode === 'in-process' ? raw.mode : 'cli',
        exit: Number(raw.exit),
        stderr: new RegExp(String(raw.stderr)),
        stderrNot: ((raw.stderrNot as string[] | undefined) ?? []).map((r) => new RegExp(r, 'm')),
        ...(raw.stdoutMatch ? { stdoutMatch: new RegExp(String(raw.stdoutMatch), 'm') } : {}),
        stdoutNot: ((raw.stdoutNot as string[] | undefined) ?? []).map((r) => new RegExp(r, 'm')),
        stdoutTo: raw.stdoutTo === 'dev-full' || raw.stdoutTo === 'closed' ? raw.stdoutTo : 'pipe',
        command: (raw.command as string[] | undefined) ?? ['generate', '{source}'],
        env: (raw.env as Record<string, string> | undefined) ?? {},
        ...(raw.stdin ? { stdin: String(raw.stdin) } : {}),
        ...(raw.generate ? { generate: String(raw.generate) } : {}),
        maxSeconds: Number(raw.maxSeconds ?? 20),
        ...(raw.maxRssMb ? { maxRssMb: Number(raw.maxRssMb) } : {}),
        write: (raw.write as HostileCase['write'] | undefined) ?? [],
        templates: (raw.templates as Record<string, string> | undefined) ?? {},
      };
    });
}

/** A valid intent, for generated sources that need one beside the hostile file. */
const INTENT = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: hostile}\nspec:\n  mode: Istio\n  istio: {revisions: [asm-1-30]}\n  cluster: {kubernetesVersion: "1.33"}\n';

const MB = 1024 * 1024;

/** Streams `mb` megabytes of `a` as one scalar, so the test itself never holds the file in memory. */
function writeHugeScalar(file: string, mb: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: "');
  const chunk = Buffer.alloc(MB, 'a');
  for (let i = 0; i < mb; i++) writeSync(fd, chunk);
  writeSync(fd, '"\n');
  closeSync(fd);
}

function nested(open: string, inner: string, close: string, depth: number): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** Nesting depth of the deep-nesting cases (the reliability target: 10,000 nested lists). */
const DEPTH = 10_000;

/**
 * Generators of test-time inputs, by the name case.yaml gives. Each writes into `src` and may
 * return extra environment variables. Why these exist: sizes beyond what belongs in Git,
 * file types Git cannot hold (symlinks out of the tree, named pipes), and environment values
 * near the kernel's 128 KB limit for one variable.
 */
export const GENERATORS: Readonly<Record<string, (src: string) => Record<string, string> | void>> = {
  'deep-lists': (src) => writeSources(src, { 'apps/deep.yaml': `a: ${nested('[', '', ']', DEPTH)}\n` }),
  'deep-maps': (src) => writeSources(src, { 'apps/deep.yaml': `a: ${nested('{a: ', '1', '}', DEPTH)}\n` }),
  'deep-json': (src) => writeSources(src, { 'apps/deep.json': nested('[', '', ']', DEPTH) }),
  'huge-scalar': (src) => {
    writeSources(src, {});
    writeHugeScalar(path.join(src, 'apps', 'huge.yaml'), 40);
  },
  'huge-sparse-file': (src) => {
    writeSources(src, {});
    writeFileSync(path.join(src, 'big.yaml'), '');
    truncateSync(path.join(src, 'big.yaml'), 400 * MB);
  },
  'total-over-limit': (src) => {
    writeSources(src, {});
    for (let i = 0; i < 6; i++) {
      writeFileSync(path.join(src, 'apps', `part-${i}.yaml`), '');
      truncateSync(path.join(src, 'apps', `part-${i}.yaml`), 15 * MB);
    }
  },
  'too-many-files': (src) => {
    writeSources(src, {});
    for (let i = 0; i < 5001; i++) writeFileSync(path.join(src, 'apps', `cm-${String(i).padStart(4, '0')}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\n`);
  },
  'symlink-out': (src) => {
    writeSources(src, {});
    symlinkSync('/etc/passwd', path.join(src, 'passwd.yaml'));
  },
  'symlink-dir-out': (src) => {
    writeSources(src, {});
    symlinkSync('/', path.join(src, 'apps', 'root'));
  },
  'symlink-broken': (src) => {
    writeSources(src, {});
    symlinkSync('./nowhere.yaml', path.join(src, 'apps', 'gone.yaml'));
  },
  'symlink-loop': (src) => {
    writeSources(src, {});
    symlinkSync('..', path.join(src, 'apps', 'loop'));
  },
  'empty-dir': () => undefined,
  fifo: (src) => {
    mkdirSync(path.join(src, 'apps'), { recursive: true });
    const r = spawnSync('mkfifo', [path.join(src, 'apps', 'pipe.yaml')]);
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  },
  'intent-fifo': (src) => {
    writeSources(src, {});
    const r = spawnSync('mkfifo', [path.join(src, 'pipe.yaml')]);
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  },
  'intent-sparse': (src) => {
    writeSources(src, {});
    writeFileSync(path.join(src, 'big.yaml'), '');
    truncateSync(path.join(src, 'big.yaml'), 20 * MB);
  },
  'stdin-sparse': (src) => {
    writeSources(src, {});
    writeFileSync(path.join(src, 'stdin.yaml'), '');
    truncateSync(path.join(src, 'stdin.yaml'), 80 * MB);
  },
  // 4 MB of anchored list, referenced 99 times (inside the yaml library's alias count): ~400 MB if expanded.
  'alias-amplification': (src) => {
    writeSources(src, {});
    const fd = openSync(path.join(src, 'apps', 'amp.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: amp}\nx-big: &big\n');
    const line = Buffer.from(`  - "${'a'.repeat(1000)}"\n`);
    for (let i = 0; i < 4000; i++) writeSync(fd, line);
    writeSync(fd, `x-copies: [${Array.from({ length: 99 }, () => '*big').join(', ')}]\n`);
    closeSync(fd);
  },
  // The same through merge keys: one 4 MB map merged into 99 maps.
  'merge-amplification': (src) => {
    writeSources(src, {});
    const fd = openSync(path.join(src, 'apps', 'amp.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: amp}\nx-big: &big\n');
    for (let i = 0; i < 4000; i++) writeSync(fd, `  k${i}: "${'a'.repeat(1000)}"\n`);
    writeSync(fd, 'data:\n');
    for (let i = 0; i < 99; i++) writeSync(fd, `  c${i}:\n    <<: *big\n`);
    closeSync(fd);
  },
  // A file name whose bytes are Latin-1, not UTF-8 ("café.yaml" saved by a Latin-1 system).
  'non-utf8-name': (src) => {
    writeSources(src, {});
    writeFileSync(Buffer.concat([Buffer.from(path.join(src, 'apps', 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]), 'a: 1\n');
  },
  // Folders nested past PATH_MAX (4096 bytes): made with relative mkdir from inside, as no absolute call could.
  'path-over-path-max': (src) => {
    writeSources(src, {});
    const script = "const fs = require('fs'); for (let i = 0; i < 22; i++) { fs.mkdirSync('d'.repeat(200)); process.chdir('d'.repeat(200)); } fs.writeFileSync('deep.yaml', 'a: 1');";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: path.join(src, 'apps') });
    if (r.status !== 0) throw new Error(`deep mkdir failed: ${r.stderr}`);
  },
  // A file name that carries a newline and a forged Meshplane error line, holding invalid YAML so the name is printed.
  'newline-file-name': (src) => writeSources(src, { 'apps/evil\nerror[forged]: forged line\n  fix: trust me.yaml': 'a: [\n' }),
  // A file name with ANSI escapes (clear screen, red) and a carriage return, holding invalid YAML.
  'ansi-file-name': (src) => writeSources(src, { 'apps/\u001b[2J\u001b[31mred\rover.yaml': 'a: [\n' }),
  'huge-params': () => ({ ARGOCD_APP_PARAMETERS: nested('[', '', ']', 60_000) }),
  'huge-param-string': () => ({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'security.mtls', string: 'S'.repeat(120_000) }]) }),
  // 20,000 lines of tags (400 KB): within every file limit, but each tag renders a webhook configuration and a Service.
  'many-tags': (src) => writeSources(src, { 'mesh.yaml': `${INTENT}  tags:\n${Array.from({ length: 20_000 }, (_, i) => `    t${i}: asm-1-30\n`).join('')}` }),
  'many-bad-tag-names': (src) => writeSources(src, { 'mesh.yaml': `${INTENT}  tags:\n${Array.from({ length: 20_000 }, (_, i) => `    T${i}: asm-1-30\n`).join('')}` }),
  // 200,000 one-line ConfigMaps (13 MB, under every byte limit): the parse alone needs ~3 KB of heap each.
  'many-tiny-flow-documents': (src) => {
    writeSources(src, {});
    writeManyDocuments(path.join(src, 'apps', 'many.yaml'), 200_000, (i) => `---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}\n`);
  },
  // The same objects in block style (12 MB).
  'many-tiny-block-documents': (src) => {
    writeSources(src, {});
    writeManyDocuments(path.join(src, 'apps', 'many.yaml'), 200_000, (i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`);
  },
  // One document holding one flow list of 3,000,000 one-digit numbers (9 MB): no document boundary to stop at.
  'one-huge-flow-list': (src) => {
    writeSources(src, {});
    const fd = openSync(path.join(src, 'apps', 'list.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: list}\nx-list: [');
    const chunk = '1, '.repeat(100_000);
    for (let i = 0; i < 30; i++) writeSync(fd, chunk);
    writeSync(fd, '1]\n');
    closeSync(fd);
  },
  // The flow documents on post-render's stdin.
  'many-tiny-documents-stdin': (src) => {
    writeSources(src, {});
    writeManyDocuments(path.join(src, 'stdin.yaml'), 200_000, (i) => `---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}\n`);
  },
  // One ConfigMap whose data holds 80,000 keys (950 KB), the last repeating the first: the yaml
  // library's own duplicate-key check compares every key with every earlier one (103 s here).
  'one-mapping-many-keys-stdin': (src) => {
    writeSources(src, {});
    const fd = openSync(path.join(src, 'stdin.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n');
    for (let start = 0; start < 80_000; start += 10_000) {
      writeSync(fd, Array.from({ length: 10_000 }, (_, i) => `  k${start + i}: v\n`).join(''));
    }
    writeSync(fd, '  k0: again\n');
    closeSync(fd);
  },
  'huge-revision-param': () => ({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'istio.revisions', array: [`asm-1-${'9'.repeat(120_000)}x`] }]) }),
};

/** Writes `count` documents made by `doc` to `file`, in chunks, so the test never holds the file as one string. */
function writeManyDocuments(file: string, count: number, doc: (i: number) => string): void {
  const fd = openSync(file, 'w');
  for (let start = 0; start < count; start += 10_000) {
    writeSync(fd, Array.from({ length: Math.min(10_000, count - start) }, (_, k) => doc(start + k)).join(''));
  }
  closeSync(fd);
}

function writeSources(src: string, files: Record<string, string>): void {
  mkdirSync(path.join(src, 'apps'), { recursive: true });
  writeFileSync(path.join(src, 'mesh.yaml'), INTENT);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(src, rel), text);
}

/** A prepared case: its source folder and the environment its generator adds. */
export interface PreparedCase {
  dir: string;
  source: string;
  env: Record<string, string>;
}

/** Copies the case's source/ (if any) to a fresh temp folder, writes `write` entries, runs the generator. */
export function prepareCase(c: HostileCase): PreparedCase {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mp-hostile-${c.name}-`));
  const source = path.join(dir, 'source');
  const fixture = path.join(HOSTILE_DIR, c.name, 'source');
  if (existsSync(fixture)) cpSync(fixture, source, { recursive: true });
  else mkdirSync(source);
  for (const w of c.write) {
    mkdirSync(path.dirname(path.join(source, w.path)), { recursive: true });
    writeFileSync(path.join(source, w.path), Buffer.from(w.base64, 'base64'));
  }
  const generator = c.generate === undefined ? undefined : GENERATORS[c.generate];
  if (c.generate !== undefined && !generator) throw new Error(`${c.name}: unknown generator "${c.generate}"`);
  const env = { ...c.env, ...(generator?.(source) ?? {}) };
  return { dir, source, env };
}
