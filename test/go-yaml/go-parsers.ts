/**
 * Test support: reads YAML documents with the real Go YAML parsers (test/go-yaml/parse), built in
 * GOPATH mode against Debian's packaged sources, so no module download is needed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnv, runGo } from '../helpers/go-toolchain.js';

/** The parsers the harness runs, by the names it reports them under. */
export const GO_PARSERS = ['gopkg.in/yaml.v2', 'sigs.k8s.io/yaml', 'gopkg.in/yaml.v3', 'gopkg.in/yaml.v3 tags'] as const;

/** One parser's name. */
export type GoParser = (typeof GO_PARSERS)[number];

/** What one parser made of one document: its value as JSON, or why it had none. */
export interface GoReading {
  json?: unknown;
  error?: string;
}

/** Where Debian's golang-*-dev packages put Go sources (a GOPATH). */
const DEBIAN_GOPATH = '/usr/share/gocode';

/** Why these: the import paths test/go-yaml/parse uses, and the Debian package that ships each. */
const SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['gopkg.in/yaml.v2', 'golang-gopkg-yaml.v2-dev'],
  ['gopkg.in/yaml.v3', 'golang-gopkg-yaml.v3-dev'],
  ['sigs.k8s.io/yaml', 'golang-k8s-sigs-yaml-dev'],
];

/** What a test prints when a Go YAML source is missing. */
export const GO_YAML_MISSING = `install Debian's Go YAML sources with \`apt-get install ${SOURCES.map(([, pkg]) => pkg).join(' ')}\` (.ci/run does)`;

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** Throws with {@link GO_YAML_MISSING} when a source the harness imports is not installed. */
function requireSources(): void {
  const missing = SOURCES.filter(([path]) => !existsSync(join(DEBIAN_GOPATH, 'src', path)));
  if (missing.length > 0) throw new Error(`${missing.map(([path]) => path).join(', ')} not under ${DEBIAN_GOPATH}/src: ${GO_YAML_MISSING}`);
}

/** Each document as every Go parser reads it, in input order. */
export function readWithGo(documents: readonly string[]): Array<Record<GoParser, GoReading>> {
  requireSources();
  const env = { ...goEnv(), GO111MODULE: 'off', GOPATH: DEBIAN_GOPATH };
  const r = runGo(['run', join('test', 'go-yaml', 'parse', 'main.go')], { cwd: repoRoot, env, input: JSON.stringify(documents) });
  if (r.status !== 0) throw new Error(`test/go-yaml/parse failed (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as Array<Record<GoParser, GoReading>>;
  if (out.length !== documents.length) throw new Error(`test/go-yaml/parse read ${out.length} of ${documents.length} documents`);
  return out;
}
