import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatError, formatPosition, MeshplaneError } from './errors.js';

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
});
