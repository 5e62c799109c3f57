/**
 * A small Dockerfile reader for the static image test (no Docker engine runs in CI): stages, their
 * instructions with line continuations joined, and the path a COPY lands on after WORKDIR.
 */
import path from 'node:path';

/** One instruction, e.g. `{ op: 'COPY', args: '--from=build /src/dist/ dist/', line: 31 }`. */
export interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** One build stage. */
export interface Stage {
  /** The FROM image with global ARGs (those before the first FROM) substituted. */
  image: string;
  /** The FROM argument as written, e.g. `${NODE_IMAGE}`. */
  imageAsWritten: string;
  name?: string;
  instructions: Instruction[];
}

/** A parsed COPY: flags, sources and the absolute destination (WORKDIR applied). */
export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
  line: number;
}

/** The global ARGs of a Dockerfile (declared before the first FROM) with their defaults. */
export function globalArgs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*FROM\s/i.test(line)) break;
    const m = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$/i.exec(line);
    if (m) out[m[1] as string] = m[2] ?? '';
  }
  return out;
}

/** Splits a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const args = globalArgs(text);
  const expand = (v: string): string => v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? '');
  const stages: Stage[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') startLine = i + 1;
    if (line.startsWith('#')) return;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (line.endsWith('\\')) return;
    const [op = '', ...rest] = pending.trim().split(/\s+/);
    const inst = { op: op.toUpperCase(), args: rest.join(' '), line: startLine };
    pending = '';
    if (inst.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(inst.args);
      const written = m?.[1] ?? inst.args;
      stages.push({ image: expand(written), imageAsWritten: written, ...(m?.[2] ? { name: m[2] } : {}), instructions: [] });
    } else stages.at(-1)?.instructions.push(inst);
  });
  return stages;
}

/** The COPY instructions of a stage with destinations resolved against the WORKDIR in effect. */
export function copiesOf(stage: Stage): Copy[] {
  let workdir = '/';
  const out: Copy[] = [];
  for (const inst of stage.instructions) {
    if (inst.op === 'WORKDIR') workdir = path.posix.resolve(workdir, inst.args);
    if (inst.op !== 'COPY') continue;
    const words = inst.args.split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
    const dest = paths.at(-1) as string;
    out.push({ ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: path.posix.resolve(workdir, dest) + (dest.endsWith('/') ? '/' : ''), line: inst.line });
  }
  return out;
}

/**
 * Where a copied source ends up: a directory's contents land in the destination; a file lands in
 * a directory destination under its own name, else at the destination path.
 */
export function landing(copy: Copy, source: string, isDir: boolean): string {
  const dest = copy.dest.replace(/\/$/, '');
  if (isDir) return dest;
  return copy.dest.endsWith('/') || copy.sources.length > 1 ? path.posix.join(dest, path.posix.basename(source)) : dest;
}

/** Values of the stage's ENV instructions (`KEY=value` pairs). */
export function envOf(stage: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const inst of stage.instructions.filter((i) => i.op === 'ENV')) {
    for (const m of inst.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) out[m[1] as string] = m[2] as string;
  }
  return out;
}
