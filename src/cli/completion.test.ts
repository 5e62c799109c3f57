/**
 * The completion scripts, run by the shells themselves: the bash script is sourced in a real
 * `bash` and its completion function called with COMP_WORDS/COMP_CWORD as bash's programmable
 * completion sets them (bash manual, "Programmable Completion"); zsh's function is called with
 * `words`/`CURRENT` and a stand-in `compadd` that prints what it is given; fish checks its
 * script's syntax (`fish -n`). A shell that is not installed is skipped with the reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMAND_TABLE } from './commands/table.js';
import { completionScript, type Shell } from './completion.js';

function has(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
}

/** Writes the script of `shell` to a temp file and runs `body` after sourcing it. */
function runWith(shell: Shell, body: string, flags: string[] = [], prelude = ''): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-completion-'));
  try {
    const file = path.join(dir, `meshplane.${shell}`);
    writeFileSync(file, completionScript(shell, COMMAND_TABLE));
    const r = spawnSync(shell, [...flags, '-c', `${prelude}source ${JSON.stringify(file)}\n${body}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The shell's own syntax check (`-n`: read, do not run) of its script. */
function checkSyntax(shell: Shell): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), `meshplane-completion-${shell}-`));
  try {
    const file = path.join(dir, `meshplane.${shell}`);
    writeFileSync(file, completionScript(shell, COMMAND_TABLE));
    const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Command line before the cursor → what completion must offer (exactly, in order). */
const CASES: Array<{ line: string[]; want: string[] }> = [
  { line: ['meshplane', ''], want: COMMAND_TABLE.map((c) => c.name) },
  { line: ['meshplane', 'ge'], want: ['generate'] },
  { line: ['meshplane', 'generate', '--kube'], want: ['--kube-version'] },
  { line: ['meshplane', 'generate', '--o'], want: ['--output', '--output-dir'] },
  { line: ['meshplane', 'generate', '-o', ''], want: ['yaml', 'json'] },
  { line: ['meshplane', 'generate', 'examples/canary', '--output', 'j'], want: ['json'] },
  { line: ['meshplane', 'check', '--output', 's'], want: ['sarif'] },
  { line: ['meshplane', 'diff', '--color', 'a'], want: ['auto', 'always'] },
  { line: ['meshplane', 'upgrade', ''], want: ['plan', 'start', 'advance', 'complete', 'rollback', 'status', 'restart', 'patch'] },
  { line: ['meshplane', 'upgrade', 'plan', '--'], want: ['--kube-version', '--now', '--output', '--color', '--help'] },
  { line: ['meshplane', 'upgrade', 'complete', '--'], want: ['--dry-run', '--color', '--help'] },
  { line: ['meshplane', 'serve', '--log-level', 'd'], want: ['debug'] },
  { line: ['meshplane', 'completion', ''], want: ['bash', 'zsh', 'fish'] },
  { line: ['meshplane', '--'], want: ['--help', '--version'] },
];

describe('bash completion', { skip: has('bash') ? false : 'bash is not installed' }, () => {
  for (const c of CASES) {
    it(`${c.line.join(' ')}␣ → ${c.want.join(' ')}`, () => {
      const words = c.line.map((w) => `'${w}'`).join(' ');
      const out = runWith('bash', `COMP_WORDS=(${words}); COMP_CWORD=${c.line.length - 1}; COMPREPLY=(); _meshplane; printf '%s\\n' "\${COMPREPLY[@]}"`);
      assert.deepEqual(out.split('\n').filter(Boolean), c.want);
    });
  }
  it('the value of a flag without choices completes as a file name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-completion-files-'));
    try {
      writeFileSync(path.join(dir, 'mesh-a.yaml'), '');
      const out = runWith('bash', `cd ${JSON.stringify(dir)}; COMP_WORDS=(meshplane post-render --intent mesh); COMP_CWORD=3; _meshplane; printf '%s\\n' "\${COMPREPLY[@]}"`);
      assert.deepEqual(out.split('\n').filter(Boolean), ['mesh-a.yaml']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('registers itself for the meshplane command', () => {
    assert.match(runWith('bash', 'complete -p meshplane'), /complete -F _meshplane meshplane/);
  });
});

describe('zsh completion', { skip: has('zsh') ? false : 'zsh is not installed (apt-get install zsh; .ci/run installs it)' }, () => {
  it('parses (zsh -n)', () => checkSyntax('zsh'));
  for (const c of CASES) {
    it(`${c.line.join(' ')}␣ → ${c.want.join(' ')}`, () => {
      const words = c.line.map((w) => `'${w}'`).join(' ');
      // compdef and compadd exist only inside zsh's completion system; stand-ins record the calls.
      const stand = `compdef() { :; }\ncompadd() { shift; print -l -- "$@"; }\n_files() { print -- '<files>'; }\n`;
      const out = runWith('zsh', `words=(${words}); CURRENT=${c.line.length}; _meshplane`, ['-f'], stand);
      const offered = out.split('\n').filter(Boolean);
      const cur = c.line[c.line.length - 1] as string;
      assert.deepEqual(offered.filter((w) => w.startsWith(cur)), c.want);
    });
  }
});

describe('fish completion', { skip: has('fish') ? false : 'fish is not installed (apt-get install fish; .ci/run installs it)' }, () => {
  it('parses (fish -n)', () => checkSyntax('fish'));
  it('offers a flag and its choices', () => {
    const script = completionScript('fish', COMMAND_TABLE);
    assert.match(script, /^complete -c meshplane -n '__fish_seen_subcommand_from generate' -s o -l output -x -a 'yaml json' -d 'manifest format'$/m);
    assert.match(script, /^complete -c meshplane -n '__fish_use_subcommand' -a generate -d /m);
  });
});
