/**
 * The registry test: walks EVERY registered rule and checks its contract — the id matches its
 * file, it has a description and a readme, it has passing and failing fixtures, and running the
 * real check over them gives no finding of that rule for `pass` and at least one for `fail`.
 * It also checks that every rule file in src/rules/ is registered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { checkFixture, fixturesOf } from '../../test/helpers/rule-fixtures.js';
import { allRules, findRule, RULES, ruleIds } from './index.js';

const RULES_DIR = path.join(REPO_ROOT, 'src', 'rules');
/** Files of src/rules/ that are not rules. */
const NOT_RULES = new Set(['index.ts', 'types.ts']);

describe('rule registry', () => {
  it('registers every rule file of src/rules/, and nothing else', () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_RULES.has(f));
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), ruleIds());
  });

  it('is keyed by id, and findRule finds each rule', () => {
    for (const [id, rule] of RULES) {
      assert.equal(rule.id, id);
      assert.equal(findRule(id), rule);
    }
    assert.equal(findRule('no-such-rule'), undefined);
  });

  for (const rule of allRules()) {
    describe(rule.id, () => {
      it('has a kebab-case id matching its file, a severity, a description and a readme', () => {
        assert.match(rule.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        assert.ok(existsSync(path.join(RULES_DIR, `${rule.id}.ts`)), `src/rules/${rule.id}.ts`);
        assert.ok(['error', 'warning'].includes(rule.severity));
        assert.ok(rule.description.length > 20, 'description says what the rule checks');
        const readme = path.join(RULES_DIR, `${rule.id}.md`);
        assert.ok(existsSync(readme), `src/rules/${rule.id}.md`);
        assert.match(readFileSync(readme, 'utf8'), new RegExp(`^# ${rule.id}\\b`), 'the readme starts with the rule id');
      });

      const fixtures = fixturesOf(rule.id);
      it('has at least one passing and one failing fixture', () => {
        assert.ok(fixtures.some((f) => f.expect === 'pass'), 'a pass fixture');
        assert.ok(fixtures.some((f) => f.expect === 'fail'), 'a fail fixture');
      });

      for (const f of fixtures) {
        it(`${f.expect}/${f.name}`, async () => {
          const report = await checkFixture(f.dir);
          const mine = report.violations.filter((v) => v.ruleId === rule.id);
          const result = report.rules.find((r) => r.ruleId === rule.id);
          assert.ok(result, 'the report has an outcome for the rule');
          if (f.expect === 'pass') {
            assert.deepEqual(mine, [], 'no finding of this rule');
            assert.ok(['pass', 'skip'].includes(result.outcome));
          } else {
            assert.ok(mine.length >= 1, 'at least one finding of this rule');
            assert.equal(result.outcome, rule.severity === 'error' ? 'fail' : 'warn');
            for (const v of mine) {
              assert.equal(v.severity, rule.severity);
              assert.match(v.resource, /^[^/]+\/[^/]+\/[^/]+\/[^/]+$/, 'resource is group/Kind/namespace/name');
              assert.ok(v.where && v.where.line >= 1, 'a source position');
              assert.ok(!v.where.file.startsWith('templates/'), 'the position is in the source, not in a template');
              assert.ok(v.message && v.remediation, 'message and remediation');
            }
          }
        });
      }
    });
  }
});
