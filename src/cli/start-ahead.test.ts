import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { recordName, startAhead, startAheadKey, type StartAhead, type StartAheadRequest } from './start-ahead.js';
import { noteStartAhead, recordStartAhead } from './start-ahead-record.js';
import { enableDiskCache } from '../engine/template-engine.js';
import type { GenerateEnv } from '../core/generate-env.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'mp-start-ahead-'));
chmodSync(scratch, 0o700);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Every evaluation a test started must end, or the test process cannot. */
function done(outcome: StartAhead): StartAhead['decision'] {
  outcome.started?.refuse(new Error('test over'));
  return outcome.decision;
}

describe('startAhead: when it does not start', () => {
  const cases: Array<[string, string[], GenerateEnv, string]> = [
    ['another command', ['check', '.'], {}, 'not generate'],
    ['no command', [], {}, 'not generate'],
    ['turned off', ['generate', '.'], { MESHPLANE_START_AHEAD: 'off' }, 'MESHPLANE_START_AHEAD=off'],
    ['help', ['generate', '--help'], {}, 'help'],
    ['-h', ['generate', '-h'], {}, 'help'],
    ['client mode by flag', ['generate', '.', '--server', 'http://x'], {}, 'client mode'],
    ['client mode by flag=value', ['generate', '--server=http://x'], {}, 'client mode'],
    ['client mode by variable', ['generate', '.'], { MESHPLANE_SERVER: 'http://x' }, 'client mode'],
  ];
  for (const [name, argv, env, reason] of cases) {
    it(`${name}: skipped (${reason})`, () => {
      const outcome = startAhead({ argv, env: { MESHPLANE_RENDER_CACHE: 'off', ...env }, cwd: scratch });
      assert.deepEqual({ decision: done(outcome), reason: outcome.reason }, { decision: 'skipped', reason });
    });
  }
  it('a generate starts (render cache off: no records, so no key)', () => {
    const outcome = startAhead({ argv: ['generate', '.'], env: { MESHPLANE_RENDER_CACHE: 'off' }, cwd: scratch });
    assert.equal(outcome.key, undefined);
    assert.equal(done(outcome), 'started');
  });
});

describe('startAheadKey', () => {
  const base: StartAheadRequest = { argv: ['generate', '.'], env: { KUBE_VERSION: '1.32', PATH: '/bin' }, cwd: '/src/a' };
  const argo: StartAheadRequest = { ...base, env: { ...base.env, ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_REVISION: 'f'.repeat(40), ARGOCD_APP_SOURCE_PATH: 'clusters/prod' }, cwd: '/tmp/_cmp_server/1' };
  const key = (r: StartAheadRequest, build = '// meshplane-bundle 1', day = '2026-12-03') => startAheadKey(r, build, day);
  const differs: Array<[string, StartAheadRequest, string, string?, string?]> = [
    ['another argument', { ...base, argv: ['generate', '.', '-o', 'json'] }, 'base'],
    ['another variable the render reads', { ...base, env: { ...base.env, KUBE_VERSION: '1.33' } }, 'base'],
    ['an Argo CD parameter', { ...base, env: { ...base.env, PARAM_X: '1' } }, 'base'],
    ['another working folder', { ...base, cwd: '/src/b' }, 'base'],
    ['another build', base, 'base', '// meshplane-bundle 2'],
    ['another day', base, 'base', undefined, '2026-12-04'],
    ['in Argo CD: another Application', { ...argo, env: { ...argo.env, ARGOCD_APP_NAME: 'other' } }, 'argo'],
    ['in Argo CD: another source path', { ...argo, env: { ...argo.env, ARGOCD_APP_SOURCE_PATH: 'clusters/dev' } }, 'argo'],
  ];
  for (const [name, r, against, build, day] of differs) {
    it(`${name} → another key`, () => assert.notEqual(key(r, build, day), key(against === 'argo' ? argo : base)));
  }
  it('a variable nothing reads → the same key', () => assert.equal(key({ ...base, env: { ...base.env, PATH: '/usr/bin', HOME: '/root' } }), key(base)));
  it('in Argo CD, neither the temporary folder of each render nor the commit counts (the record digests mesh.yaml itself)', () => {
    assert.equal(key({ ...argo, cwd: '/tmp/_cmp_server/2' }), key(argo));
    assert.equal(key({ ...argo, env: { ...argo.env, ARGOCD_APP_REVISION: 'e'.repeat(40) } }), key(argo));
  });
  it('is a name the disk cache accepts', () => assert.match(key(base), /^[0-9a-f]{64}$/));
});

describe('recordName', () => {
  it('is deterministic, 64 hex digits, and tells field boundaries apart', () => {
    assert.equal(recordName(['a', 'bc']), recordName(['a', 'bc']));
    assert.match(recordName([]), /^[0-9a-f]{64}$/);
    const names = [['a', 'bc'], ['ab', 'c'], ['abc'], ['a', 'b', 'c'], ['', 'abc'], ['abc', '']].map(recordName);
    assert.equal(new Set(names).size, names.length);
  });
  it('names what the first version named (a record written before stays readable)', () => {
    // Computed by the array-and-closure version this one replaced (same lanes, same mixing).
    const vectors: Array<[string[], string]> = [
      [['a', 'bcd'], 'ab8c2da40156c9fb330319a276babba168647b48acb7877fdcef89d6338c6e35'],
      [['', ''], '08495a4cc31d78a7d90b1e5ee8416231cb14e3c87624c2235d388e9a0178457d'],
      [['x'.repeat(3000)], 'c155cc8f2bf1db8a9cc2eca54a0eb66891fb7b8326baab5ebf7c891953b2b4fc'],
      [['ünï', '€😀', '\n'], '3e85a56917638e18dfbcbf8fcd843a4eebd56f55071d89c433917d4b3cfa807a'],
    ];
    for (const [fields, name] of vectors) assert.equal(recordName(fields), name, JSON.stringify(fields).slice(0, 40));
  });
  it('spreads over every lane (no lane stays at its start value)', () => {
    const a = recordName(['x']);
    const b = recordName(['y']);
    for (let i = 0; i < 64; i += 8) assert.notEqual(a.slice(i, i + 8), b.slice(i, i + 8), `lane ${i / 8}`);
  });
});

describe('startAhead: records of earlier generates', () => {
  /** A source folder with the intent and an application file, and a render cache folder the process-wide engine uses, all fresh. */
  function setUp(name: string) {
    const src = path.join(scratch, name);
    mkdirSync(src);
    writeFileSync(path.join(src, 'mesh.yaml'), 'kind: ServiceMesh\n');
    writeFileSync(path.join(src, 'app.yaml'), 'kind: ConfigMap\n');
    const cache = path.join(scratch, `${name}-cache`);
    const env: GenerateEnv = { MESHPLANE_RENDER_CACHE_DIR: cache };
    // The records are written only when the process-wide engine left its evaluations on disk (it made none here).
    enableDiskCache(cache);
    return { src, env, request: { argv: ['generate', src], env, cwd: src } };
  }

  it('after a generate whose evaluation is on disk, the next one asked the same expects it, until the intent\'s file changes', () => {
    const { src, request } = setUp('local');
    const first = startAhead(request);
    assert.equal(done(first), 'started');
    assert.match(first.key ?? '', /^[0-9a-f]{64}$/);
    noteStartAhead(first, request.env);
    recordStartAhead(src, src, ['mesh.yaml']);
    assert.equal(done(startAhead(request)), 'expected-stored');
    writeFileSync(path.join(src, 'app.yaml'), 'kind: Secret\n');
    assert.equal(done(startAhead(request)), 'expected-stored', 'an application file changed: the evaluation is the same');
    assert.equal(done(startAhead({ ...request, argv: [...request.argv, '-o', 'json'] })), 'started', 'asked differently');
    writeFileSync(path.join(src, 'mesh.yaml'), 'kind: ServiceMesh\n# changed\n');
    assert.equal(done(startAhead(request)), 'started', 'the intent changed');
  });

  it('a generate the record predicted leaves it as it is; one whose input files differ from the record\'s writes a new one', () => {
    const { src, request } = setUp('unchanged');
    const first = startAhead(request);
    done(first);
    noteStartAhead(first, request.env);
    recordStartAhead(src, src, ['mesh.yaml']);
    const record = path.join(request.env.MESHPLANE_RENDER_CACHE_DIR!, 'start-ahead', first.key!);
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(record, past, past);
    const second = startAhead(request);
    assert.deepEqual({ decision: done(second), recordFiles: second.recordFiles }, { decision: 'expected-stored', recordFiles: [path.join(src, 'mesh.yaml')] });
    assert.ok(statSync(record).mtimeMs > past.getTime(), 'the step marks the record it used as recently used (the folder evicts the oldest)');
    utimesSync(record, past, past);
    noteStartAhead(second, request.env);
    recordStartAhead(src, src, ['mesh.yaml']);
    assert.equal(statSync(record).mtimeMs, past.getTime(), 'not read for a rewrite, not touched');
    writeFileSync(path.join(src, 'meshplane.lock'), 'lock: 1\n');
    recordStartAhead(src, src, ['mesh.yaml', 'meshplane.lock']);
    assert.notEqual(statSync(record).mtimeMs, past.getTime(), 'the lock joined the input: a new record');
    const third = startAhead(request);
    assert.deepEqual({ decision: done(third), recordFiles: third.recordFiles }, { decision: 'expected-stored', recordFiles: [path.join(src, 'mesh.yaml'), path.join(src, 'meshplane.lock')] });
  });

  it('in Argo CD, any folder of the same Application whose mesh.yaml is unchanged expects it, whatever the commit', () => {
    const { src, env } = setUp('argo');
    const argoEnv = { ...env, ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_REVISION: 'a'.repeat(40) };
    const first = startAhead({ argv: ['generate', '.'], env: argoEnv, cwd: src });
    assert.equal(done(first), 'started');
    noteStartAhead(first, argoEnv);
    recordStartAhead(src, src, ['mesh.yaml']);
    const next = path.join(scratch, 'argo-next-commit');
    mkdirSync(next);
    writeFileSync(path.join(next, 'mesh.yaml'), 'kind: ServiceMesh\n');
    const nextEnv = { ...argoEnv, ARGOCD_APP_REVISION: 'b'.repeat(40) };
    assert.equal(done(startAhead({ argv: ['generate', '.'], env: nextEnv, cwd: next })), 'expected-stored');
    writeFileSync(path.join(next, 'mesh.yaml'), 'kind: ServiceMesh\nspec: {}\n');
    assert.equal(done(startAhead({ argv: ['generate', '.'], env: nextEnv, cwd: next })), 'started', 'this commit changed mesh.yaml');
    assert.equal(done(startAhead({ argv: ['generate', '.'], env: { ...argoEnv, ARGOCD_APP_NAME: 'other' }, cwd: src })), 'started', 'another Application');
  });

  it('nothing is recorded without a key (render cache off) or without input files, and a record that is not one is ignored', () => {
    const { src, request } = setUp('nokey');
    noteStartAhead({ decision: 'skipped' }, request.env);
    recordStartAhead(src, src, ['mesh.yaml']);
    assert.equal(done(startAhead(request)), 'started');
    const first = startAhead(request);
    done(first);
    noteStartAhead(first, request.env);
    recordStartAhead(src, src, []);
    assert.equal(done(startAhead(request)), 'started', 'no input files: nothing to digest');
    writeFileSync(path.join(request.env.MESHPLANE_RENDER_CACHE_DIR!, 'start-ahead', first.key!), 'garbage');
    assert.equal(done(startAhead(request)), 'started');
  });

  it('a record that is not a regular file (a FIFO, a link to a device) is ignored at once, never waited on or read', () => {
    // In a child with a time limit: a blocking open of a FIFO would stop this process's test runner too.
    const module = fileURLToPath(new URL('./start-ahead.js', import.meta.url));
    for (const kind of ['fifo', 'device'] as const) {
      const { request } = setUp(`hostile-${kind}`);
      const first = startAhead(request);
      done(first);
      const record = path.join(request.env.MESHPLANE_RENDER_CACHE_DIR!, 'start-ahead', first.key!);
      if (kind === 'fifo') assert.equal(spawnSync('mkfifo', [record]).status, 0, 'mkfifo is needed for this test');
      else symlinkSync('/dev/zero', record);
      const script = `import(${JSON.stringify(module)}).then(({ startAhead }) => { const o = startAhead(${JSON.stringify(request)}); o.started?.refuse(new Error('x')); process.stdout.write(o.decision); })`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.signal, null, `${kind}: not killed by the time limit`);
      assert.equal(r.stdout, 'started', `${kind}: ${r.stderr}`);
    }
  });
});
