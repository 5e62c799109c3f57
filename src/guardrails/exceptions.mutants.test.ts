/**
 * Tests that kill the mutants `npm run mutate exceptions` found alive: the exact text of the
 * malformed-exception error (what, where, how to fix), and the matching and counting of
 * applyExceptions called directly (check.test.ts reaches both only through a whole check).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import type { SourcePosition } from '../core/types.js';
import { applyExceptions, evaluateExceptions } from './exceptions.js';
import type { ServiceMesh, PolicyException } from '../intent/types.js';
import type { Violation } from '../rules/types.js';
import type { ExceptionState } from '../pipeline/policy.js';

const RULES = ['forbidden-kind', 'ca-key-in-source'];
const NOW = new Date('2030-06-01T12:00:00Z');
const GOOD: PolicyException = { rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/lua', reason: 'r', expires: '2030-12-31' };
const mesh = (exceptions: PolicyException[]): ServiceMesh =>
  ({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { policy: { exceptions } } }) as unknown as ServiceMesh;
/** A position that encodes the path it was asked for, so each detail's `where` can be checked. */
const locate = (p: Array<string | number>): SourcePosition => ({ file: p.join('.'), line: 1, column: 1 });

const thrown = (exceptions: PolicyException[]): MeshplaneError => {
  try {
    evaluateExceptions(mesh(exceptions), NOW, RULES, locate);
  } catch (e) {
    assert.ok(e instanceof MeshplaneError);
    return e;
  }
  return assert.fail('expected a MeshplaneError');
};

describe('evaluateExceptions: the error for malformed exceptions', () => {
  const RULE_HINT = 'rule ids: forbidden-kind, ca-key-in-source';
  const REF_HINT = 'write group/Kind/namespace/name (core group as core, cluster-scoped objects as group/Kind/name; * matches any name), e.g. networking.istio.io/EnvoyFilter/shop/lua-headers';
  const DATE_HINT = 'write the last day the exception holds as YYYY-MM-DD';
  const cases: Array<{ name: string; exceptions: PolicyException[]; message: string; details: Array<{ path: string; message: string; hint: string }> }> = [
    {
      name: 'an unknown rule close to a known one: a suggestion',
      exceptions: [{ ...GOOD, rule: 'forbiden-kind' }],
      message: 'spec.policy.exceptions has 1 problem',
      details: [{ path: 'spec.policy.exceptions[0].rule', message: 'unknown rule "forbiden-kind" (did you mean "forbidden-kind"?)', hint: RULE_HINT }],
    },
    {
      name: 'an unknown rule far from every known one: no suggestion',
      exceptions: [GOOD, { ...GOOD, rule: 'zzzzzzzzzzzzzzzzzzzzzzzz' }],
      message: 'spec.policy.exceptions has 1 problem',
      details: [{ path: 'spec.policy.exceptions[1].rule', message: 'unknown rule "zzzzzzzzzzzzzzzzzzzzzzzz"', hint: RULE_HINT }],
    },
    {
      name: 'a bad resource reference',
      exceptions: [{ ...GOOD, resource: 'EnvoyFilter/lua' }],
      message: 'spec.policy.exceptions has 1 problem',
      details: [{ path: 'spec.policy.exceptions[0].resource', message: '"EnvoyFilter/lua" is not a resource reference', hint: REF_HINT }],
    },
    {
      name: 'an impossible date',
      exceptions: [{ ...GOOD, expires: '2030-02-30' }],
      message: 'spec.policy.exceptions has 1 problem',
      details: [{ path: 'spec.policy.exceptions[0].expires', message: '"2030-02-30" is not a calendar date', hint: DATE_HINT }],
    },
    {
      name: 'two problems in one exception: plural',
      exceptions: [{ ...GOOD, resource: 'x', expires: 'soon' }],
      message: 'spec.policy.exceptions has 2 problems',
      details: [
        { path: 'spec.policy.exceptions[0].resource', message: '"x" is not a resource reference', hint: REF_HINT },
        { path: 'spec.policy.exceptions[0].expires', message: '"soon" is not a calendar date', hint: DATE_HINT },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = thrown(c.exceptions);
      assert.equal(e.code, 'intent-invalid');
      assert.equal(e.message, c.message);
      assert.equal(e.hint, 'every exception needs a known rule id, a resource reference and an expiry date');
      assert.deepEqual(e.details.map((d) => ({ path: d.path, message: d.message, hint: d.hint })), c.details);
      assert.deepEqual(e.details.map((d) => d.where?.file), c.details.map((d) => d.path.replace(/\[(\d+)\]/, '.$1')), 'each detail points at its field');
    });
  }

  it('returns the states of well-formed exceptions', () => {
    const states = evaluateExceptions(mesh([GOOD]), NOW, RULES, locate);
    assert.deepEqual(states.map((s) => [s.index, s.expired, s.ref?.name]), [[0, false, 'lua']]);
  });
});

describe('applyExceptions: matching and counting', () => {
  const violation = (ruleId: string, resource: string): Violation => ({ ruleId, severity: 'error', resource, message: 'm', remediation: 'r' });
  const state = (e: PolicyException, index: number): ExceptionState => evaluateExceptions(mesh([e]), NOW, RULES, locate).map((s) => ({ ...s, index }))[0] as ExceptionState;
  const at = (index: number): SourcePosition => ({ file: 'mesh.yaml', line: 10 + index, column: 1 });
  const LUA = 'networking.istio.io/EnvoyFilter/shop/lua';
  const CRASHED: Violation = { ...violation('forbidden-kind', LUA), message: 'the rule crashed' };
  const cases: Array<{ name: string; violations: Violation[]; states: ExceptionState[]; remaining: Violation[]; waived: Array<[string, number]>; report: Array<[string, number]>; unwaivable?: (v: Violation) => boolean }> = [
    {
      name: 'one exception waives two violations: counted twice',
      violations: [violation('forbidden-kind', LUA), violation('forbidden-kind', LUA)],
      states: [state(GOOD, 0)],
      remaining: [],
      waived: [[LUA, 0], [LUA, 0]],
      report: [['active', 2]],
    },
    {
      name: 'same resource, other rule: not waived',
      violations: [violation('ca-key-in-source', LUA)],
      states: [state(GOOD, 0)],
      remaining: [violation('ca-key-in-source', LUA)],
      waived: [],
      report: [['unused', 0]],
    },
    {
      name: 'an unexpired state without a parsed reference waives nothing (and does not throw)',
      violations: [violation('forbidden-kind', LUA)],
      states: [{ ...state(GOOD, 0), ref: undefined }],
      remaining: [violation('forbidden-kind', LUA)],
      waived: [],
      report: [['unused', 0]],
    },
    {
      // A rule that crashed fails the check closed: its violation stays even though the
      // exception matches it, and the exception counts nothing.
      name: 'an unwaivable violation stays; a waivable one beside it is waived',
      violations: [CRASHED, violation('forbidden-kind', LUA)],
      states: [state(GOOD, 0)],
      unwaivable: (v) => v.message === CRASHED.message,
      remaining: [CRASHED],
      waived: [[LUA, 0]],
      report: [['active', 1]],
    },
    {
      name: 'an expired exception waives nothing and is reported expired',
      violations: [violation('forbidden-kind', LUA)],
      states: [state({ ...GOOD, expires: '2030-05-31' }, 0)],
      remaining: [violation('forbidden-kind', LUA)],
      waived: [],
      report: [['expired', 0]],
    },
    {
      name: 'the first of two matching exceptions takes the violation; the second is unused',
      violations: [violation('forbidden-kind', LUA)],
      states: [state({ ...GOOD, expires: '2030-05-31' }, 0), state(GOOD, 1), state(GOOD, 2)],
      remaining: [],
      waived: [[LUA, 1]],
      report: [['expired', 0], ['active', 1], ['unused', 0]],
    },
    {
      name: 'a * name and an exact name: the earlier exception takes the violation, in either order',
      violations: [violation('forbidden-kind', LUA), violation('forbidden-kind', 'networking.istio.io/EnvoyFilter/shop/other')],
      states: [state({ ...GOOD, resource: 'networking.istio.io/EnvoyFilter/shop/*' }, 0), state(GOOD, 1)],
      remaining: [],
      waived: [[LUA, 0], ['networking.istio.io/EnvoyFilter/shop/other', 0]],
      report: [['active', 2], ['unused', 0]],
    },
    {
      name: 'an exact name before a * name takes its resource; the * takes the rest',
      violations: [violation('forbidden-kind', LUA), violation('forbidden-kind', 'networking.istio.io/EnvoyFilter/shop/other')],
      states: [state(GOOD, 0), state({ ...GOOD, resource: 'networking.istio.io/EnvoyFilter/shop/*' }, 1)],
      remaining: [],
      waived: [[LUA, 0], ['networking.istio.io/EnvoyFilter/shop/other', 1]],
      report: [['active', 1], ['active', 1]],
    },
    {
      name: 'the core group written as core matches an object of the core group; another namespace does not',
      violations: [violation('forbidden-kind', 'core/Secret/shop/ca'), violation('forbidden-kind', 'core/Secret/other/ca')],
      states: [state({ ...GOOD, resource: 'core/Secret/shop/ca' }, 0)],
      remaining: [violation('forbidden-kind', 'core/Secret/other/ca')],
      waived: [['core/Secret/shop/ca', 0]],
      report: [['active', 1]],
    },
    {
      name: 'nothing to waive: empty lists',
      violations: [],
      states: [state(GOOD, 0)],
      remaining: [],
      waived: [],
      report: [['unused', 0]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = applyExceptions(c.violations, c.states, at, c.unwaivable ?? (() => false));
      assert.deepEqual(r.remaining, c.remaining);
      assert.deepEqual(r.waived.map((w) => [w.violation.resource, w.exception]), c.waived);
      assert.deepEqual(r.exceptions.map((e) => [e.status, e.waived]), c.report);
      assert.deepEqual(r.exceptions.map((e) => e.where), c.states.map((s) => at(s.index)));
    });
  }
});

describe('applyExceptions: many violations and many exceptions', () => {
  it('reads each exception a bounded number of times, not once per violation (one exception per resource)', () => {
    const n = 2000;
    const ref = (i: number): string => `networking.istio.io/EnvoyFilter/shop/f${i}`;
    const plain = evaluateExceptions(mesh(Array.from({ length: n }, (_, i) => ({ ...GOOD, resource: ref(i) }))), NOW, RULES, locate);
    let reads = 0;
    const states = new Proxy(plain, { get: (t, k) => ((typeof k === 'string' && /^\d+$/.test(k) && reads++), Reflect.get(t, k)) });
    const violations: Violation[] = Array.from({ length: n }, (_, i) => ({ ruleId: 'forbidden-kind', severity: 'error', resource: ref(n - 1 - i), message: 'm', remediation: 'r' }));
    const r = applyExceptions(violations, states, () => ({ file: 'mesh.yaml', line: 1, column: 1 }), () => false);
    assert.equal(r.remaining.length, 0);
    assert.deepEqual(r.waived.slice(0, 2).map((w) => w.exception), [n - 1, n - 2]);
    // Trying the exceptions in order for each violation reads about n * n / 2 = 2,000,000.
    assert.ok(reads <= 4 * n, `${reads} reads of ${n} exceptions for ${n} violations`);
  });
});
