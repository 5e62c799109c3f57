/**
 * Check reports of every kind the report formats must render: a clean run, findings with
 * waived/expired/unused exceptions and policy lines, a crashed rule, a skipped rule, and the
 * hostile variant of each (test/schemas/hostile-report.ts). Built by running the real check.
 */
import path from 'node:path';
import { check, type CheckReport } from '../../src/guardrails/check.js';
import { render } from '../../src/pipeline/render.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import type { Rule } from '../../src/rules/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { checkFixture, RULE_CASES } from '../helpers/rule-fixtures.js';
import { hostileReport } from './hostile-report.js';

/** Every sample report by name (`hostile-…` for the hostile variants). */
export async function sampleReports(): Promise<Record<string, CheckReport>> {
  const cleanDir = path.join(RULE_CASES, 'forbidden-kind', 'pass', 'virtual-service');
  const out: Record<string, CheckReport> = {
    clean: await checkFixture(cleanDir),
    findings: await checkFixture(path.join(REPO_ROOT, 'test', 'cases', 'check', 'exceptions')),
  };
  const files = await readSourceTree(cleanDir);
  const boom: Rule = { id: 'schema-invalid', severity: 'error', description: 'throws <on> purpose & more', check: () => { throw new Error('boom <&> "quoted"'); } };
  out.crashed = check(await render({ files, env: {} }), { now: new Date('2026-06-15T00:00:00Z'), rules: [boom] });
  for (const name of Object.keys(out)) out[`hostile-${name}`] = hostileReport(out[name]!);
  return out;
}
