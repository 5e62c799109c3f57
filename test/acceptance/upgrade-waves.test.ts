/**
 * A three-wave canary upgrade end to end through bin/meshplane, on a git copy of examples/waves:
 * `upgrade start`, three `upgrade advance`, `upgrade complete`, one commit per step. The PR diff
 * of each step (`meshplane diff --base HEAD~1 --head HEAD`) must name exactly the namespaces the
 * step moves, and `complete` must be refused (exit 2, file untouched) while a wave has not moved.
 * Expected namespaces come from the example's own namespace files and wave declarations, read
 * here by hand, not from Meshplane's output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-06-15'];

interface Step {
  args: string[];
  /** Namespaces the step's PR diff must list as changing revision, with from → to. */
  moves: string[];
}

// examples/waves: wave-early = docs, search (by name); wave-main = shop, orders (tier: standard);
// wave-critical = payments. start adds asm-1-29 without moving anyone.
const STEPS: Step[] = [
  { args: ['upgrade', 'start', 'asm-1-29', '.', ...NOW], moves: [] },
  { args: ['upgrade', 'advance', '.'], moves: ['docs: asm-1-28 → asm-1-29', 'search: asm-1-28 → asm-1-29'] },
  { args: ['upgrade', 'advance', '.'], moves: ['orders: asm-1-28 → asm-1-29', 'shop: asm-1-28 → asm-1-29'] },
  { args: ['upgrade', 'advance', '.'], moves: ['payments: asm-1-28 → asm-1-29'] },
  { args: ['upgrade', 'complete', '.'], moves: [] },
];

/** The namespaces listed under "Namespaces changing revision" in the JSON report. */
function movedNamespaces(json: string): string[] {
  const report = JSON.parse(json) as { namespaceMoves: Array<{ namespace: string; from: string; to: string }> };
  return report.namespaceMoves.map((m) => `${m.namespace}: ${m.from} → ${m.to}`);
}

describe('a three-wave upgrade through git', () => {
  it('moves exactly one wave per step, shows it in each PR diff, and refuses complete until all moved', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'mp-waves-'));
    try {
      await cp(path.join(REPO_ROOT, 'examples', 'waves'), repo, { recursive: true });
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo } });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'test@example.invalid');
      git('config', 'user.name', 'test');
      git('add', '-A');
      git('commit', '-q', '-m', 'base');
      for (const [i, step] of STEPS.entries()) {
        if (step.args[1] === 'advance') {
          // Mid-way, before each wave moves, complete is refused and writes nothing.
          const tried = await runCli(['upgrade', 'complete', '.'], { cwd: repo });
          assert.equal(tried.code, 2, `complete refused before step ${i + 1}`);
          assert.equal(tried.stdout, '');
          assert.match(tried.stderr, new RegExp(`error\\[upgrade-refused\\]: ${4 - i} of 3 waves have not moved`));
          assert.equal(git('status', '--porcelain'), '', 'a refused complete writes nothing');
        }
        const r = await runCli(step.args, { cwd: repo });
        assert.equal(r.code, 0, `${step.args.join(' ')}: ${r.stderr}`);
        git('commit', '-q', '-am', step.args.slice(0, 2).join(' '));
        const diff = await runCli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--output', 'json', ...NOW], { cwd: repo });
        assert.equal(diff.code, 1, `the step changes the render: ${diff.stderr}`);
        assert.deepEqual(movedNamespaces(diff.stdout), step.moves, `namespaces moved by ${step.args.slice(0, 2).join(' ')} (step ${i + 1})`);
        const text = await runCli(['diff', '--base', 'HEAD~1', '--head', 'HEAD', ...NOW], { cwd: repo });
        for (const m of step.moves) assert.ok(text.stdout.includes(`  ${m} (istio.io/rev: `), `text diff names ${m}`);
      }
      const mesh = await readFile(path.join(repo, 'mesh.yaml'), 'utf8');
      assert.match(mesh, /revisions: \[asm-1-29\]/);
      assert.match(mesh, /wave-early: asm-1-29 {6}# low-risk namespaces go first/, 'comments stay where they were');
      assert.equal(git('log', '--format=%s').trim().split('\n').length, 6);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('names the waves that have not moved when complete is refused', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-waves-'));
    try {
      await cp(path.join(REPO_ROOT, 'examples', 'waves'), dir, { recursive: true });
      assert.equal((await runCli(['upgrade', 'start', 'asm-1-29', '.', ...NOW], { cwd: dir })).code, 0);
      assert.equal((await runCli(['upgrade', 'advance', '.'], { cwd: dir })).code, 0);
      const r = await runCli(['upgrade', 'complete', '.'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /2 of 3 waves have not moved to the canary asm-1-29: wave 2 \(tag wave-main: orders, shop\) on asm-1-28; wave 3 \(tag wave-critical: payments\) on asm-1-28/);
      assert.match(r.stderr, /mesh\.yaml:18:\d+: spec\.tags\.wave-main/);
      // Rollback is refused while wave 1 is on the canary (the add-on's rollback steps: re-tag,
      // restart, then roll back); once its tag is back on asm-1-28, rollback removes the canary.
      const advanced = await readFile(path.join(dir, 'mesh.yaml'), 'utf8');
      const refused = await runCli(['upgrade', 'rollback', '.'], { cwd: dir });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /1 of 3 waves is on the canary asm-1-29, which `rollback` removes: wave 1 \(tag wave-early: docs, search\)/);
      assert.match(refused.stderr, /meshplane upgrade restart --namespaces docs,search --revision asm-1-28/);
      assert.equal(await readFile(path.join(dir, 'mesh.yaml'), 'utf8'), advanced, 'a refused rollback writes nothing');
      await writeFile(path.join(dir, 'mesh.yaml'), advanced.replace('wave-early: asm-1-29', 'wave-early: asm-1-28'));
      const back = await runCli(['upgrade', 'rollback', '.'], { cwd: dir });
      assert.equal(back.code, 0, back.stderr);
      const original = await readFile(path.join(REPO_ROOT, 'examples', 'waves', 'mesh.yaml'), 'utf8');
      assert.equal(await readFile(path.join(dir, 'mesh.yaml'), 'utf8'), original, 'start, advance, move back, rollback gives the original file back');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
