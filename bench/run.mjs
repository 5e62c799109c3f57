// Runs the figures: each one is verified once (outputs checked), then timed `runs` times with
// the Meshplane side and the baseline interleaved, so a change in machine load during the run
// hits both sides alike. Medians are reported; every raw sample is kept in the JSON.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { max, measure, median } from './measure.mjs';

async function runSide(steps, outDir) {
  const samples = [];
  for (const [i, step] of steps.entries()) {
    const stdoutFile = outDir ? path.join(outDir, `out-${i}`) : undefined;
    const m = await measure(step.cmd, step.args, { stdin: step.stdin, stdoutFile, env: step.env });
    if (!step.expect.includes(m.code)) throw new Error(`${[step.cmd, ...step.args].join(' ')} exited ${m.code}, want ${step.expect.join(' or ')}\n${m.stderr.trim().split('\n').slice(-8).join('\n')}`);
    // Checked on every run, timed ones too: e.g. a client that fell back to rendering in-process.
    const stderrOk = step.checkStderr ? step.checkStderr(m.stderr) : true;
    if (stderrOk !== true) throw new Error(`${[step.cmd, ...step.args].join(' ')}: ${stderrOk}`);
    if (outDir && step.verify) {
      const ok = step.verify(stdoutFile);
      if (ok !== true) throw new Error(`${[step.cmd, ...step.args].join(' ')}: ${ok}`);
    }
    samples.push(m);
  }
  return {
    steps: samples.map((m, i) => ({ label: steps[i].label ?? 'meshplane', wallMs: m.wallMs, cpuMs: m.cpuMs })),
    wallMs: samples.reduce((s, m) => s + m.wallMs, 0),
    cpuMs: samples.every((m) => m.cpuMs !== undefined) ? samples.reduce((s, m) => s + m.cpuMs, 0) : undefined,
    rssKb: max(samples.map((m) => m.rssKb)),
    codes: samples.map((m) => m.code),
  };
}

/** The distinct baselines of a set of figures (figures with the same `baselineKey` share one). */
function baselinesOf(figs) {
  const byKey = new Map();
  for (const f of figs) if (!byKey.has(f.baselineKey)) byKey.set(f.baselineKey, f.baseline);
  return byKey;
}

/** Verifies the outputs of every figure and baseline once (not timed; doubles as a warm-up). Throws when a side is broken. */
export async function verifyFigures(figs, log) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-bench-verify-'));
  try {
    for (const f of figs) {
      mkdirSync(path.join(dir, f.id));
      const { codes } = await runSide(f.meshplane, path.join(dir, f.id));
      log(`${f.id}: output verified (meshplane exited ${codes.join(',')})`);
    }
    for (const [key, steps] of baselinesOf(figs)) {
      mkdirSync(path.join(dir, `baseline-${key}`));
      await runSide(steps, path.join(dir, `baseline-${key}`));
      log(`baseline ${key}: output verified`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Medians of each step of a side made of several commands (e.g. node -e 0 and the jsonnet CLI). */
function stepMedians(samples) {
  if (samples[0].steps.length < 2) return undefined;
  return samples[0].steps.map((step, i) => ({ label: step.label, medianWallMs: median(samples.map((s) => s.steps[i].wallMs)), medianCpuMs: median(samples.map((s) => s.steps[i].cpuMs)) }));
}

function summarise(samples) {
  return {
    steps: stepMedians(samples),
    medianWallMs: median(samples.map((s) => s.wallMs)),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    peakRssKb: max(samples.map((s) => s.rssKb)),
    wallMs: samples.map((s) => Math.round(s.wallMs * 10) / 10),
    cpuMs: samples.map((s) => (s.cpuMs === undefined ? null : Math.round(s.cpuMs))),
    rssKb: samples.map((s) => s.rssKb ?? null),
  };
}

/** A ratio as the figure defines it: Meshplane time over baseline time, or throughput (the inverse). */
function ratioOf(fig, mine, base) {
  if (mine === undefined || base === undefined || mine === 0) return undefined;
  return fig.ratio === 'throughput' ? base / mine : mine / base;
}

function result(fig, runs, mineSamples, baseSamples) {
  const meshplane = summarise(mineSamples);
  const baseline = summarise(baseSamples);
  const ratio = ratioOf(fig, meshplane.medianWallMs, baseline.medianWallMs);
  const cpuRatio = ratioOf(fig, meshplane.medianCpuMs, baseline.medianCpuMs);
  const meets = (r) => (fig.target === undefined || r === undefined ? null : fig.target.kind === 'max' ? r <= fig.target.value : r >= fig.target.value);
  return { id: fig.id, title: fig.title, ...(fig.floorOf ? { floorOf: fig.floorOf } : {}), baselineText: fig.baselineText, ratioKind: fig.ratio, target: fig.target?.text ?? null, met: meets(ratio), cpuMet: meets(cpuRatio), ratio, cpuRatio, runs, meshplane, baseline };
}

/**
 * Times figures `runs` times. Each run measures every figure's Meshplane side, then each
 * distinct baseline once, so sides measured in the same run see the same machine load.
 */
export async function timeFigures(figs, runs, log) {
  const mine = new Map(figs.map((f) => [f.id, []]));
  const base = new Map([...baselinesOf(figs).keys()].map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    const line = [];
    for (const f of figs) {
      const m = await runSide(f.meshplane);
      mine.get(f.id).push(m);
      line.push(`${f.id} ${Math.round(m.wallMs)} ms`);
    }
    for (const [key, steps] of baselinesOf(figs)) {
      const b = await runSide(steps);
      base.get(key).push(b);
      line.push(`baseline ${key} ${Math.round(b.wallMs)} ms`);
    }
    log(`  run ${r + 1}/${runs}: ${line.join(', ')}`);
  }
  return figs.map((f) => result(f, runs, mine.get(f.id), base.get(f.baselineKey)));
}
