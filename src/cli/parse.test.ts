import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { parseCommandLine } from './parse.js';
import type { CommandSpec } from './spec.js';

/** A command written for this test (not from the table), so the cases do not move with it. */
const SPEC: CommandSpec = {
  name: 'demo',
  summary: 'a test command',
  positionals: [{ name: 'dir', optional: true, description: 'a folder' }],
  flags: {
    output: { type: 'string', short: 'o', choices: ['text', 'json'], default: 'text', description: 'format' },
    format: { type: 'string', deprecatedFor: 'output', description: 'old name' },
    verbose: { type: 'boolean', default: false, description: 'more' },
    version: { type: 'boolean', description: 'a second v-flag' },
    server: { type: 'string', env: 'DEMO_SERVER', description: 'url' },
    tag: { type: 'string', multiple: true, description: 'tags' },
    'kube-version': { type: 'string', env: 'KUBE_VERSION', envReadBy: 'render', intentField: 'spec.x', description: 'k' },
    now: { type: 'string', env: 'DEMO_NOW', envReadBy: 'render', description: 'date' },
  },
  examples: ['meshplane demo'],
};

const START: CommandSpec = { name: 'start', summary: 's', positionals: [{ name: 'revision', description: 'the revision' }, { name: 'dir', optional: true, description: 'd' }], flags: {}, examples: [] };

describe('parseCommandLine: accepted', () => {
  const cases: Array<{ name: string; argv: string[]; env?: Record<string, string>; values?: Record<string, unknown>; positionals?: Record<string, unknown>; given?: string[]; notices?: string[] }> = [
    { name: 'defaults', argv: [], values: { output: 'text', verbose: false, color: 'auto' }, positionals: { dir: undefined }, given: [] },
    { name: 'short alias and positional', argv: ['-o', 'json', 'here'], values: { output: 'json' }, positionals: { dir: 'here' }, given: ['output'] },
    { name: '--name=value', argv: ['--output=json'], values: { output: 'json' } },
    { name: 'a value after -- is positional', argv: ['--', '--odd-folder'], positionals: { dir: '--odd-folder' } },
    { name: 'a lone - is positional', argv: ['-'], positionals: { dir: '-' } },
    { name: 'repeatable flag', argv: ['--tag', 'a', '--tag', 'b'], values: { tag: ['a', 'b'] } },
    { name: 'deprecated spelling maps to the new flag with a notice', argv: ['--format', 'json'], values: { output: 'json' }, given: ['output'], notices: ['--format is deprecated; use -o/--output'] },
    { name: 'environment fills a shell-read flag', argv: [], env: { DEMO_SERVER: 'http://e' }, values: { server: 'http://e' }, given: [] },
    { name: 'the flag beats the environment, with a notice', argv: ['--server', 'http://f'], env: { DEMO_SERVER: 'http://e' }, values: { server: 'http://f' }, notices: ['--server http://f overrides DEMO_SERVER=http://e'] },
    { name: 'no notice when flag and environment agree', argv: ['--server', 'http://e'], env: { DEMO_SERVER: 'http://e' }, notices: [] },
    { name: 'a render-read variable is left to the render', argv: [], env: { DEMO_NOW: '2026-01-01' }, values: { now: undefined } },
    { name: 'a render-read variable overridden by the flag is noted', argv: ['--now', '2026-02-02'], env: { DEMO_NOW: '2026-01-01' }, notices: ['--now 2026-02-02 overrides DEMO_NOW=2026-01-01'] },
    { name: 'a flag with a mesh.yaml layer leaves the notice to the render', argv: ['--kube-version', '1.34'], env: { KUBE_VERSION: '1.33' }, values: { 'kube-version': '1.34' }, notices: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = parseCommandLine([SPEC], c.argv, c.env ?? {});
      for (const [k, v] of Object.entries(c.values ?? {})) assert.deepEqual(p.values[k], v, k);
      for (const [k, v] of Object.entries(c.positionals ?? {})) assert.deepEqual(p.positionals[k], v, k);
      if (c.given) assert.deepEqual([...p.given].sort(), [...c.given].sort());
      if (c.notices) assert.deepEqual(p.notices.map((n) => n.message), c.notices);
    });
  }
  it('assigns required and optional positionals in order', () => {
    assert.deepEqual(parseCommandLine([START], ['asm-1-28', 'dir'], {}).positionals, { revision: 'asm-1-28', dir: 'dir' });
  });
});

describe('parseCommandLine: usage errors', () => {
  const cases: Array<{ name: string; argv: string[]; env?: Record<string, string>; spec?: CommandSpec; error: RegExp }> = [
    { name: 'an extra positional is named', argv: ['a', 'b'], error: /^meshplane demo: unexpected argument "b": `meshplane demo` takes \[dir\]$/ },
    { name: 'a missing required positional', argv: [], spec: START, error: /missing argument <revision> \(the revision\)/ },
    { name: 'unknown long flag with a suggestion', argv: ['--verbos'], error: /^meshplane demo: unknown flag "--verbos"; did you mean --verbose\?$/ },
    { name: 'unknown short flag lists the long flags it may mean', argv: ['-v'], error: /unknown flag "-v"; did you mean --verbose or --version\?$/ },
    { name: 'unknown flag without a close name', argv: ['--zzzzzzzz'], error: /unknown flag "--zzzzzzzz"$/ },
    { name: 'a value outside the choices', argv: ['-o', 'jsn'], error: /--output must be one of text, json \(got "jsn"\); did you mean json\?/ },
    { name: 'a missing value', argv: ['--output'], error: /--output needs a value/ },
    { name: 'a flag where the value should be', argv: ['--server', '--verbose'], error: /--server needs a value; write --server=--verbose if "--verbose" is the value/ },
    { name: 'a value given to a boolean', argv: ['--verbose=yes'], error: /--verbose takes no value \(got "yes"\)/ },
    { name: 'the colour choice', argv: ['--color', 'sometimes'], error: /--color must be one of auto, always, never/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => parseCommandLine([c.spec ?? SPEC], c.argv, c.env ?? {}), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && c.error.test(e.message) && /--help/.test(e.hint ?? ''));
    });
  }
});
