/** The registry test: every entry of the command table is complete, documented and consistent with the code. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATE_FORMATS } from '../../flows/generate.js';
import { packagePath } from '../../core/paths.js';
import { REPORT_FORMATS } from '../../integrations/preflight/report.js';
import { formatNames } from '../../output/index.js';
import { DEFAULT_CACHE_BYTES } from '../../server/context.js';
import { DEFAULT_LIMITS } from '../../server/limits.js';
import type { Io } from '../io.js';
import { main, resolvePath } from '../main.js';
import { parseCommandLine } from '../parse.js';
import { envNames, flagsOf, type CommandSpec } from '../spec.js';
import { LOG_LEVELS } from './serve.js';
import { COMMAND_TABLE } from './table.js';

function captureIo(): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd: process.cwd(), isTTY: false, readStdin: async () => '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** Every command path of the table. */
function paths(specs: readonly CommandSpec[] = COMMAND_TABLE, parents: CommandSpec[] = []): CommandSpec[][] {
  return specs.flatMap((s) => [[...parents, s], ...paths(s.subcommands ?? [], [...parents, s])]);
}

/** The words after `meshplane <path>` in an example, up to a shell operator. */
function exampleWords(example: string, name: string): string[] {
  const at = example.indexOf(`meshplane ${name}`);
  assert.ok(at >= 0, `"${example}" runs meshplane ${name}`);
  const words = example.slice(at + 'meshplane '.length).split(/\s+/);
  const end = words.findIndex((w) => ['|', '>', '&&', ';'].includes(w));
  return (end < 0 ? words : words.slice(0, end)).map((w) => w.replace(/\)$/, ''));
}

const docs = readFileSync(packagePath('docs', 'cli.md'), 'utf8');
const ALL = paths();

describe('command table', () => {
  it('names are unique at every level', () => {
    for (const level of [COMMAND_TABLE, ...COMMAND_TABLE.map((c) => c.subcommands ?? [])]) {
      assert.equal(new Set(level.map((c) => c.name)).size, level.length);
    }
  });
  it('is light: it imports nothing but the spec types (cold start of generate)', () => {
    const source = readFileSync(fileURLToPath(new URL('./table.js', import.meta.url)), 'utf8');
    assert.deepEqual([...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]), ['../spec.js']);
  });
  for (const path of ALL) {
    const name = path.map((c) => c.name).join(' ');
    const spec = path[path.length - 1] as CommandSpec;
    it(`${name}: summary, flags described, env documented in docs/cli.md`, () => {
      assert.ok(spec.summary.length > 10);
      for (const [flag, def] of Object.entries(flagsOf(path))) {
        assert.ok(def.description.length > 5, `--${flag} has a description`);
        assert.ok(def.short === undefined || /^[a-zA-Z]$/.test(def.short), `--${flag}: one-letter alias`);
        if (def.deprecatedFor) assert.ok(flagsOf(path)[def.deprecatedFor], `--${flag} is deprecated for an existing flag`);
        if (def.choices && typeof def.default === 'string') assert.ok(def.choices.includes(def.default), `--${flag}: default among the choices`);
        for (const env of envNames(def)) assert.ok(docs.includes(`\`${env}\``), `${env} (--${flag}) is documented in docs/cli.md`);
      }
      if (spec.subcommands) assert.equal(spec.positionals, undefined, 'a command with subcommands takes none itself');
      else assert.ok(spec.name === 'help' || path.some((c) => c.load), 'a runnable command has a handler');
    });
    it(`${name}: every example parses`, () => {
      assert.ok(spec.examples.length > 0);
      for (const example of spec.examples) {
        const [first, ...rest] = exampleWords(example, name);
        const resolved = resolvePath(first as string, rest);
        assert.deepEqual(resolved.path.slice(0, path.length), path, example);
        if (spec.name !== 'help') assert.doesNotThrow(() => parseCommandLine(resolved.path, resolved.words, {}), example);
      }
    });
    it(`${name}: --help lists every flag with its default and environment variable`, async () => {
      const io = captureIo();
      assert.equal(await main([...name.split(' '), '--help'], io), 0);
      assert.equal(io.err, '');
      assert.match(io.out, new RegExp(`Usage:\\n  meshplane ${name}`));
      for (const [flag, def] of Object.entries(flagsOf(path))) {
        const line = io.out.split('\n').find((l) => l.includes(`--${flag} `) || l.endsWith(`--${flag}`)) ?? '';
        assert.ok(line, `--${flag} is listed`);
        const shown = def.defaultText ?? def.default;
        if (shown !== undefined && !def.deprecatedFor) assert.ok(line.includes(`default: ${String(shown)}`), `--${flag} shows its default`);
        for (const env of envNames(def)) assert.ok(line.includes(env), `--${flag} names ${env}`);
      }
      const again = captureIo();
      assert.equal(await main(['help', ...name.split(' ')], again), 0);
      assert.equal(again.out, io.out, '`meshplane help <cmd>` is `meshplane <cmd> --help`');
    });
  }
});

describe('command table ↔ code', () => {
  const flag = (command: string, name: string) => COMMAND_TABLE.find((c) => c.name === command)?.flags[name];
  it('report formats are the formatters the code has', () => {
    assert.deepEqual(flag('check', 'output')?.choices, formatNames());
    assert.deepEqual(flag('generate', 'output')?.choices, GENERATE_FORMATS);
    assert.deepEqual(flag('preflight', 'output')?.choices, REPORT_FORMATS);
    assert.deepEqual([...(flag('serve', 'log-level')?.choices ?? [])].sort(), [...LOG_LEVELS].sort());
  });
  it('server defaults shown in help are the ones the server uses', () => {
    assert.equal(flag('serve', 'max-body-bytes')?.defaultText, String(DEFAULT_LIMITS.maxBodyBytes));
    assert.equal(flag('serve', 'max-queue')?.defaultText, String(DEFAULT_LIMITS.maxQueue));
    assert.equal(flag('serve', 'deadline-ms')?.defaultText, String(DEFAULT_LIMITS.deadlineMs));
    assert.equal(flag('serve', 'cache-bytes')?.defaultText, String(DEFAULT_CACHE_BYTES));
  });
  it('the global help lists every command', async () => {
    const io = captureIo();
    assert.equal(await main(['--help'], io), 0);
    for (const c of COMMAND_TABLE) assert.match(io.out, new RegExp(`^  ${c.name} `, 'm'));
  });
  it('without a command: usage on stderr, exit 2', async () => {
    const io = captureIo();
    assert.equal(await main([], io), 2);
    assert.equal(io.out, '');
    assert.match(io.err, /Usage: meshplane <command>/);
  });
  const errors: Array<{ argv: string[]; err: RegExp }> = [
    { argv: ['gen'], err: /^error\[usage\]: unknown command "gen"; did you mean generate\?\n/ },
    { argv: ['chekc'], err: /unknown command "chekc"; did you mean check\?/ },
    { argv: ['-v'], err: /unknown flag "-v" before the command; did you mean --version\?/ },
    { argv: ['--verison'], err: /did you mean --version\?/ },
    { argv: ['upgrade', 'pln'], err: /unknown subcommand of `meshplane upgrade` "pln"; did you mean plan\?/ },
    { argv: ['upgrade'], err: /meshplane upgrade: say what to do: plan, start, advance, complete, rollback, status/ },
    { argv: ['help', 'generate', 'extra'], err: /unexpected argument "extra"/ },
    { argv: ['completion', 'tcsh'], err: /unknown shell "tcsh": bash, zsh or fish/ },
  ];
  for (const c of errors) {
    it(`usage error: meshplane ${c.argv.join(' ')}`, async () => {
      const io = captureIo();
      assert.equal(await main(c.argv, io), 2);
      assert.equal(io.out, '');
      assert.match(io.err, c.err);
    });
  }
});
