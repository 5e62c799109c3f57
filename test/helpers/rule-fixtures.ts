/**
 * Rule fixtures: small source trees under test/cases/rules/<rule-id>/{pass,fail}/<case>/, each
 * with a mesh.yaml. An optional `check-options.env` (not a manifest, so the loader never reads it)
 * sets KUBE_API_VERSIONS=… and NOW=YYYY-MM-DD for that case.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { check, type CheckReport } from '../../src/guardrails/check.js';
import { render } from '../../src/pipeline/render.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT } from './cli.js';

/** Root of the rule fixtures. */
export const RULE_CASES = path.join(REPO_ROOT, 'test', 'cases', 'rules');

/** The clock every fixture runs with, unless its options say otherwise (after asm-1-26's end of life, before asm-1-28's). */
export const FIXTURE_NOW = '2026-06-15';

/** One fixture folder. */
export interface Fixture {
  ruleId: string;
  expect: 'pass' | 'fail';
  name: string;
  dir: string;
}

/** The fixtures of one rule (empty when the rule has none). */
export function fixturesOf(ruleId: string): Fixture[] {
  const out: Fixture[] = [];
  for (const expect of ['pass', 'fail'] as const) {
    const base = path.join(RULE_CASES, ruleId, expect);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) out.push({ ruleId, expect, name, dir: path.join(base, name) });
  }
  return out;
}

/** Reads `check-options.env` of a fixture folder. */
export function fixtureOptions(dir: string): { now: Date; kubeApiVersions?: string[] } {
  const file = path.join(dir, 'check-options.env');
  const vars = new Map<string, string>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) vars.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  const apis = vars.get('KUBE_API_VERSIONS');
  const now = new Date(`${vars.get('NOW') ?? FIXTURE_NOW}T00:00:00Z`);
  return apis ? { now, kubeApiVersions: apis.split(',') } : { now };
}

/** Renders and checks a fixture folder with the real pipeline. */
export async function checkFixture(dir: string): Promise<CheckReport> {
  const files = await readSourceTree(dir);
  const options = fixtureOptions(dir);
  const result = await render({ files, env: { now: options.now } });
  return check(result, options);
}
