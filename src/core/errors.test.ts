import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, formatPosition, MAX_SHOWN_DETAILS, MeshplaneError, SHOWN_VALUE_CHARS, shownValue } from './errors.js';

describe('formatPosition', () => {
  it('is file:line:column', () => assert.equal(formatPosition({ file: 'apps/mesh.yaml', line: 12, column: 3 }), 'apps/mesh.yaml:12:3'));
  it('names the template of a stream position after it', () => assert.equal(formatPosition({ file: '<stdin>', line: 8, column: 1, template: 'shop/templates/web.yaml' }), '<stdin>:8:1 (shop/templates/web.yaml)'));
});

describe('MeshplaneError', () => {
  it('keeps its code, message, details and hint; details default to none', () => {
    const e = new MeshplaneError('usage', 'bad flag');
    assert.equal(e.name, 'MeshplaneError');
    assert.equal(e.code, 'usage');
    assert.equal(e.message, 'bad flag');
    assert.deepEqual(e.details, []);
    assert.equal(e.hint, undefined);
    assert.ok(e instanceof Error);
  });
});

describe('formatError', () => {
  // What every user-facing error prints: what (code and summary), where (file:line:column and
  // field path), and how to fix it, one line each, with user text escaped for the terminal.
  const where = { file: 'mesh.yaml', line: 4, column: 7 };
  const cases: Array<[string, MeshplaneError, string]> = [
    ['summary only', new MeshplaneError('intent-missing', 'no ServiceMesh found'), 'error[intent-missing]: no ServiceMesh found'],
    ['summary and fix', new MeshplaneError('usage', 'unknown flag --x', [], 'run meshplane help'), 'error[usage]: unknown flag --x\n  fix: run meshplane help'],
    [
      'a detail with position, path and its own fix',
      new MeshplaneError('intent-invalid', 'the intent is invalid', [{ where, path: 'spec.mode', message: 'must be Istio or Disabled', hint: 'set spec.mode: Istio' }]),
      'error[intent-invalid]: the intent is invalid\n  mesh.yaml:4:7: spec.mode: must be Istio or Disabled\n    fix: set spec.mode: Istio',
    ],
    ['a detail without position or path', new MeshplaneError('template-failed', 'templates failed', [{ message: 'line 1' }]), 'error[template-failed]: templates failed\n  line 1'],
    ['a detail with a path only', new MeshplaneError('parameter-invalid', 'bad parameter', [{ path: 'cluster.kubernetesVersion', message: 'not a version' }]), 'error[parameter-invalid]: bad parameter\n  cluster.kubernetesVersion: not a version'],
    [
      'details in order, then the error\'s own fix last',
      new MeshplaneError('yaml-invalid', 'two problems', [{ where, message: 'a' }, { message: 'b', hint: 'fix b' }], 'fix everything'),
      'error[yaml-invalid]: two problems\n  mesh.yaml:4:7: a\n  b\n    fix: fix b\n  fix: fix everything',
    ],
    [
      'control characters in user text cannot forge a line',
      new MeshplaneError('source-unreadable', 'cannot read x\nerror[internal]: forged', [{ message: 'bell\u0007', hint: 'esc\u001b[31m' }]),
      'error[source-unreadable]: cannot read x\\nerror[internal]: forged\n  bell\\u0007\n    fix: esc\\u001b[31m',
    ],
  ];
  for (const [name, err, text] of cases) it(name, () => assert.equal(formatError(err), text));

  // An error lists every problem, but prints at most MAX_SHOWN_DETAILS of them and says how many
  // more there are: 20,000 bad tag names once printed 20,002 details (5 MB of stderr).
  const many = (n: number) => new MeshplaneError('intent-invalid', `${n} problems`, Array.from({ length: n }, (_, i) => ({ message: `p${i}` })), 'fix them');
  const bounds: Array<[string, number, number, string | undefined]> = [
    ['exactly the bound: all listed, no omission line', MAX_SHOWN_DETAILS, MAX_SHOWN_DETAILS, undefined],
    ['one over the bound: one not listed', MAX_SHOWN_DETAILS + 1, MAX_SHOWN_DETAILS, '  … and 1 more problem not listed'],
    ['40,000 problems: the first 100 and the count', 40_000, MAX_SHOWN_DETAILS, `  … and ${40_000 - MAX_SHOWN_DETAILS} more problems not listed`],
  ];
  for (const [name, n, listed, omission] of bounds) {
    it(name, () => {
      const lines = formatError(many(n)).split('\n');
      assert.equal(lines.filter((l) => /^ {2}p\d+$/.test(l)).length, listed);
      assert.equal(lines.find((l) => l.includes('not listed')), omission);
      assert.equal(lines.at(-1), '  fix: fix them');
    });
  }
});

describe('shownValue', () => {
  const cases: Array<[string, string, string]> = [
    ['a short value whole', 'asm-1-28', 'asm-1-28'],
    ['exactly the bound whole', 'a'.repeat(SHOWN_VALUE_CHARS), 'a'.repeat(SHOWN_VALUE_CHARS)],
    ['one over: clipped with its length', 'a'.repeat(SHOWN_VALUE_CHARS + 1), `${'a'.repeat(SHOWN_VALUE_CHARS)}… (${SHOWN_VALUE_CHARS + 1} characters)`],
    ['120 KB: clipped', '9'.repeat(120_000), `${'9'.repeat(SHOWN_VALUE_CHARS)}… (120000 characters)`],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(shownValue(value), want));
});
