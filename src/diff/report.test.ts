/**
 * The shared wording of every diff format (text, markdown, JSON): the summary line, the line
 * counts, the guardrail counts and the move lines a reviewer reads. Expected strings are written
 * from what each helper's doc comment promises, not captured from its output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffResult, ResourceDiff } from './diff-objects.js';
import type { Violation } from '../rules/types.js';
import { guardrailCounts, lineCounts, moveNote, namespaceMoveLine, patchChanges, patchLines, residualCount, summaryLine, violationWhere, type DiffReport, type HeadGuardrails } from './report.js';

const result = (summary: DiffResult['summary']): DiffResult => ({ resources: [], summary, moves: [], namespaceMoves: [], hidden: [], refusedUpdates: [] });
const resource = (over: Partial<ResourceDiff>): ResourceDiff => ({ key: 'core/ConfigMap/ns/a', change: 'changed', lines: [], additions: 0, deletions: 0, ...over });
const violation = (severity: Violation['severity'], where?: Violation['where']): Violation => ({ ruleId: 'forbidden-kind', severity, resource: 'core/Service/ns/s', message: 'm', remediation: 'r', ...(where ? { where } : {}) });

describe('summaryLine', () => {
  const cases: Array<[string, DiffResult['summary'], string]> = [
    ['no hidden noise: no noise clause', { added: 2, removed: 0, changed: 3, unchanged: 40, hidden: 0 }, '2 added, 0 removed, 3 changed, 40 unchanged'],
    ['one hidden field: singular', { added: 0, removed: 1, changed: 0, unchanged: 0, hidden: 1 }, '0 added, 1 removed, 0 changed, 0 unchanged; 1 noise field hidden'],
    ['several hidden fields: plural', { added: 1, removed: 2, changed: 3, unchanged: 4, hidden: 5 }, '1 added, 2 removed, 3 changed, 4 unchanged; 5 noise fields hidden'],
  ];
  for (const [name, summary, want] of cases) it(name, () => assert.equal(summaryLine(result(summary)), want));
});

describe('lineCounts', () => {
  const cases: Array<[number, number, string]> = [[12, 3, '+12 -3'], [1, 0, '+1'], [0, 4, '-4'], [0, 0, '']];
  for (const [additions, deletions, want] of cases) it(`+${additions} -${deletions} → "${want}"`, () => assert.equal(lineCounts(resource({ additions, deletions })), want));
});

describe('moveNote', () => {
  it('names the key the resource replaces, and points to the moves section', () => {
    assert.equal(moveNote(resource({ movedFrom: 'apps/Deployment/x/istiod-asm-1-29' })), 'replaces apps/Deployment/x/istiod-asm-1-29 (see "Moved between revisions")');
  });
  it('names the key that replaces it', () => {
    assert.equal(moveNote(resource({ movedTo: 'apps/Deployment/x/istiod-asm-1-30' })), 'replaced by apps/Deployment/x/istiod-asm-1-30 (see "Moved between revisions")');
  });
  it('is undefined for a resource that is not part of a move', () => assert.equal(moveNote(resource({})), undefined));
});

describe('guardrailCounts', () => {
  const cases: Array<[string, HeadGuardrails, string]> = [
    ['not run, with the reason', { ran: false, violations: [], note: 'the head did not render' }, 'not run (the head did not render)'],
    ['not run, no reason', { ran: false, violations: [] }, 'not run'],
    ['nothing found', { ran: true, violations: [] }, 'no violations'],
    ['nothing found, some waived', { ran: true, violations: [], note: '2 findings waived' }, 'no violations (2 findings waived)'],
    ['one error', { ran: true, violations: [violation('error')] }, '1 error, 0 warnings'],
    ['one warning', { ran: true, violations: [violation('warning')] }, '0 errors, 1 warning'],
    ['a mix, with a note', { ran: true, violations: [violation('error'), violation('error'), violation('warning'), violation('warning'), violation('warning')], note: 'n' }, '2 errors, 3 warnings (n)'],
  ];
  for (const [name, g, want] of cases) it(name, () => assert.equal(guardrailCounts(g), want));
});

describe('violationWhere', () => {
  it('is file:line:col when the position is known', () => assert.equal(violationWhere(violation('error', { file: 'mesh/intent.yaml', line: 7, column: 3 })), 'mesh/intent.yaml:7:3'));
  it('is empty when it is not', () => assert.equal(violationWhere(violation('error')), ''));
});

describe('residualCount', () => {
  const cases: Array<[string[], number]> = [
    [[], 0],
    [['@@ -1,2 +1,2 @@', ' same', '-old', '+new'], 2],
    [['@@ -1 +1 @@', ' a', ' b'], 0],
    [['+only added'], 1],
  ];
  for (const [lines, want] of cases) it(`${JSON.stringify(lines)} → ${want}`, () => assert.equal(residualCount(lines), want));
});

describe('namespaceMoveLine', () => {
  it('names the label once when it stays (a tag that moved)', () => {
    assert.equal(namespaceMoveLine({ namespace: 'shop', labelFrom: 'wave-1', labelTo: 'wave-1', from: 'asm-1-29', to: 'asm-1-30' }), 'shop: asm-1-29 → asm-1-30 (istio.io/rev: wave-1)');
  });
  it('names both labels when the label itself changed', () => {
    assert.equal(namespaceMoveLine({ namespace: 'shop', labelFrom: 'asm-1-29', labelTo: 'wave-1', from: 'asm-1-29', to: 'asm-1-30' }), 'shop: asm-1-29 → asm-1-30 (istio.io/rev: asm-1-29 → wave-1)');
  });
});

describe('patchChanges', () => {
  const rev = (name: string, istioVersion: string) => ({ name, istioVersion });
  it('lists revisions on both sides whose patch differs, sorted by name', () => {
    assert.deepEqual(patchChanges([rev('b', '1.30.2-2'), rev('a', '1.29.1-1'), rev('c', '1.28.0-1')], [rev('c', '1.28.0-1'), rev('b', '1.30.3-1'), rev('a', '1.29.2-1')]), [
      { revision: 'a', base: '1.29.1-1', head: '1.29.2-1' },
      { revision: 'b', base: '1.30.2-2', head: '1.30.3-1' },
    ]);
  });
  it('leaves out revisions rendered on one side only (they are added or removed, not patched)', () => {
    assert.deepEqual(patchChanges([rev('old', '1.29.1-1')], [rev('new', '1.30.3-1')]), []);
  });
});

describe('patchLines', () => {
  const base: DiffReport = { base: 'b', head: 'h', result: result({ added: 0, removed: 0, changed: 0, unchanged: 0, hidden: 0 }), guardrails: { ran: true, violations: [] }, noiseShown: false };
  it('one line per patch change, with the distroless image tags', () => {
    assert.deepEqual(patchLines({ ...base, patches: [{ revision: 'asm-1-30', base: '1.30.2-2', head: '1.30.3-1' }] }), ['Istio patch: asm-1-30 1.30.2-2 → 1.30.3-1 (images 1.30.2-2-distroless → 1.30.3-1-distroless)']);
  });
  it('says (none) for a side without that revision', () => {
    assert.deepEqual(patchLines({ ...base, patches: [{ revision: 'r', base: null, head: '1.30.3-1' }, { revision: 's', base: '1.29.1-1', head: null }] }), [
      'Istio patch: r (none) → 1.30.3-1 (images (none)-distroless → 1.30.3-1-distroless)',
      'Istio patch: s 1.29.1-1 → (none) (images 1.29.1-1-distroless → (none)-distroless)',
    ]);
  });
  it('no lines without patch changes', () => {
    assert.deepEqual(patchLines(base), []);
    assert.deepEqual(patchLines({ ...base, patches: [] }), []);
  });
});
