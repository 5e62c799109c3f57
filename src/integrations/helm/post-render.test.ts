import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../../core/errors.js';
import type { LocatedObject } from '../../core/types.js';
import type { Violation } from '../../rules/types.js';
import { intentFromFlags, meshContext } from './mesh-context.js';
import { postRender, type GuardrailCheck } from './post-render.js';

const pass: GuardrailCheck = async () => [];
const ns = (name: string, labels?: Record<string, string>): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels ? `  labels: ${JSON.stringify(labels)}\n` : ''}`;

describe('postRender', () => {
  it('emits canonical YAML in stream order and unwraps Lists', async () => {
    const text = `${ns('b')}---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: b}, data: {k: v}}\n`;
    const r = await postRender(text, { check: pass });
    assert.equal(r.output, '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: b\ndata:\n  k: v\n');
  });

  it('gives the guardrails every object with its <stdin> position, and withholds all output on an error finding', async () => {
    let seen: LocatedObject[] = [];
    const deny: GuardrailCheck = async (objects) => {
      seen = objects;
      return [{ ruleId: 'forbidden-kind', severity: 'error', resource: 'x', message: 'no', remediation: 'remove' }];
    };
    const r = await postRender(`${ns('a')}---\n${ns('b')}`, { check: deny });
    assert.equal(r.output, undefined);
    assert.deepEqual(seen.map((o) => [o.origin.file, o.origin.line]), [['<stdin>', 1], ['<stdin>', 6]]);
  });

  it('still emits the stream when the findings are warnings only', async () => {
    const warn: GuardrailCheck = async (): Promise<Violation[]> => [{ ruleId: 'r', severity: 'warning', resource: 'x', message: 'm', remediation: 'f' }];
    const r = await postRender(ns('a'), { check: warn });
    assert.match(r.output ?? '', /name: a/);
    assert.equal(r.violations.length, 1);
  });

  const bad: Array<{ name: string; text: string; line: number; match: RegExp }> = [
    { name: 'a document without kind', text: `${ns('a')}---\nfoo: bar\n`, line: 6, match: /no apiVersion\/kind/ },
    { name: 'a mesh intent in the stream', text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\n', line: 1, match: /ServiceMesh intent/ },
    { name: 'broken YAML', text: 'apiVersion: v1\nkind: [\n', line: 3, match: /not valid YAML/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name} with its position in <stdin>`, async () => {
      await assert.rejects(postRender(c.text, { check: pass }), (e: unknown) => {
        assert.ok(e instanceof MeshplaneError);
        const where = e.details[0]?.where;
        assert.equal(where?.file, '<stdin>');
        assert.equal(where?.line, c.line);
        assert.match(`${e.message} ${e.details[0]?.message}`, c.match);
        return true;
      });
    });
  }

  it('--label-revision labels only namespaces without a revision label', async () => {
    const r = await postRender(`${ns('a')}---\n${ns('b', { 'istio.io/rev': 'prod-stable' })}`, { check: pass, labelRevision: 'asm-1-28' });
    assert.match(r.output ?? '', /istio\.io\/rev: asm-1-28\n {2}name: a/);
    assert.match(r.output ?? '', /istio\.io\/rev: prod-stable\n {2}name: b/);
  });

  it('warns on an empty stream (Helm 4 rejects empty post-renderer output)', async () => {
    const r = await postRender('# nothing rendered\n', { check: pass });
    assert.equal(r.output, '');
    assert.match(r.notices[0]?.message ?? '', /no Kubernetes objects/);
  });
});

describe('meshContext', () => {
  it('turns --revision/--tag flags into a validated intent with the tags resolved', async () => {
    const ctx = await meshContext(undefined, { revisions: ['asm-1-27', 'asm-1-28'], tags: ['prod-stable=asm-1-27'] }, { kubeVersionFlag: '1.32' });
    assert.deepEqual(ctx?.input.revisions.map((r) => r.name), ['asm-1-27', 'asm-1-28']);
    assert.deepEqual(ctx?.input.tags, [{ name: 'prod-stable', revision: 'asm-1-27' }]);
    assert.equal(ctx?.intentDocument.file, '<flags>');
  });

  it('is undefined without an intent or flags', async () => {
    assert.equal(await meshContext(undefined, { revisions: [], tags: [] }, {}), undefined);
  });

  const usage: Array<{ name: string; run: () => unknown; match: RegExp }> = [
    { name: 'a malformed --tag', run: () => intentFromFlags({ revisions: ['asm-1-28'], tags: ['prod'] }), match: /--tag prod is not name=revision/ },
    { name: '--tag without --revision', run: () => meshContext(undefined, { revisions: [], tags: ['a=b'] }, {}), match: /--tag needs the installed revisions/ },
    { name: '--intent with flags', run: () => meshContext({ path: 'mesh.yaml', text: '' }, { revisions: ['asm-1-28'], tags: [] }, {}), match: /exclude each other/ },
  ];
  for (const c of usage) {
    it(`rejects ${c.name}`, async () => {
      await assert.rejects(async () => c.run(), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && c.match.test(e.message));
    });
  }
});
