import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
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

  // Documents that hold no object, as Helm and kubectl skip them: each is dropped with an info notice.
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n';
  const empty: Array<{ name: string; text: string; template?: string }> = [
    { name: 'a comment-only document (a template that renders only comments, Helm 3)', text: `---\n# Source: shop/templates/x.yaml\n# nothing else\n---\n${cm}`, template: 'shop/templates/x.yaml' },
    { name: "a `# HIDDEN` document (helm install --dry-run --hide-secret, Helm 3)", text: `---\n# Source: shop/templates/s.yaml\n# HIDDEN: The Secret output has been suppressed\n---\n${cm}`, template: 'shop/templates/s.yaml' },
    { name: 'an empty document after ---', text: `---\n---\n${cm}` },
    { name: 'a trailing ---', text: `${cm}---\n` },
    { name: 'a `~` document', text: `${cm}---\n~\n` },
    { name: 'a `null` document', text: `${cm}---\nnull\n` },
    { name: 'a document of blank lines', text: `---\n\n\n---\n${cm}` },
  ];
  for (const c of empty) {
    it(`skips ${c.name}, with an info notice`, async () => {
      const r = await postRender(c.text, { check: pass });
      assert.equal(r.output, `---\n${cm}`);
      assert.deepEqual(r.notices.map((n) => [n.level, n.where?.template]), [['info', c.template]]);
      assert.match(r.notices[0]?.message ?? '', /^document \d holds no object \(empty, comments only or null\): skipped/);
    });
  }

  it('keeps the error for a non-null document without apiVersion/kind, with its template and a fix that names it', async () => {
    await assert.rejects(postRender(`---\n# Source: shop/templates/x.yaml\nfoo: bar\n---\n${cm}`, { check: pass }), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.deepEqual(e.details[0]?.where, { file: '<stdin>', line: 3, column: 1, template: 'shop/templates/x.yaml' });
      assert.equal(e.details[0]?.hint, 'give the document apiVersion and kind in the template shop/templates/x.yaml, or render nothing there');
      assert.match(e.hint ?? '', /empty, comments only or null are skipped/);
      return true;
    });
  });

  it('an empty map is not skipped: it is a document without apiVersion/kind', async () => {
    await assert.rejects(postRender(`${cm}---\n{}\n`, { check: pass }), /not a Kubernetes object/);
  });

  it('writes each document\'s # Source: line back before its objects; List items keep the List\'s; canonical output comes back byte for byte', async () => {
    const text = `# a header comment\n---\n# Source: shop/templates/ns.yaml\n# a template comment\n${ns('b')}---\n# Source: shop/templates/list.yaml\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c1, namespace: b}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c2, namespace: b}}\n---\n${ns('plain')}`;
    const r = await postRender(text, { check: pass });
    const want = '---\n# Source: shop/templates/ns.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n'
      + '---\n# Source: shop/templates/list.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: b\n'
      + '---\n# Source: shop/templates/list.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c2\n  namespace: b\n'
      + '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: plain\n';
    assert.equal(r.output, want);
    assert.equal((await postRender(want, { check: pass })).output, want);
  });

  it('reads the # Source: line after a byte order mark, and ignores one that holds a line break or control character', async () => {
    assert.match((await postRender(`\ufeff---\n# Source: shop/templates/a.yaml\n${ns('a')}`, { check: pass })).output ?? '', /^---\n# Source: shop\/templates\/a\.yaml\n/);
    assert.equal((await postRender(`---\n# Source: shop/\u0085x.yaml\n${ns('a')}`, { check: pass })).output, `---\n${ns('a')}`);
  });

  it('names the template of each finding as Helm reads it back: the # Source: line (Helm 3) for every object of its document, else the annotation (Helm 4)', async () => {
    const annotated = (name: string, file: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\n  annotations:\n    postrenderer.helm.sh/postrender-filename: ${file}\n`;
    const text = [
      `---\n# Source: shop/templates/three.yaml\n${ns('h3')}`,
      `---\n${annotated('h4', 'shop/templates/four.yaml')}`,
      `---\n# Source: shop/templates/list.yaml\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: i1, namespace: a}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: i2\n      namespace: a\n      annotations: {postrenderer.helm.sh/postrender-filename: shop/templates/item.yaml}\n`,
      `---\n${ns('none')}`,
    ].join('');
    const every: GuardrailCheck = async (objects) => objects.map((o) => ({ ruleId: 'r', severity: 'warning', resource: String(o.object.metadata?.name), where: { file: o.origin.file, line: o.origin.line + 1, column: 1 }, message: 'm', remediation: 'f' }));
    const r = await postRender(text, { check: every });
    assert.deepEqual(r.violations.map((v) => [v.resource, v.where?.template]), [
      ['h3', 'shop/templates/three.yaml'],
      ['h4', 'shop/templates/four.yaml'],
      ['i1', 'shop/templates/list.yaml'],
      ['i2', 'shop/templates/list.yaml'],
      ['none', undefined],
    ]);
  });

  it('gives each item of a List annotated by Helm 4 the List\'s annotation unless it has its own, and names its findings so; not under a # Source: line', async () => {
    const list = (head: string, kind: string) => `---\n${head}apiVersion: v1\nkind: ${kind}\nmetadata:\n  annotations: {postrenderer.helm.sh/postrender-filename: shop/templates/list.yaml}\nitems:\n`
      + '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: bare, namespace: a}}\n'
      + '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: noted, namespace: a, annotations: {x: y}}}\n'
      + '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: own, namespace: a, annotations: {postrenderer.helm.sh/postrender-filename: shop/templates/own.yaml}}}\n';
    const every: GuardrailCheck = async (objects) => objects.map((o) => ({ ruleId: 'r', severity: 'warning', resource: String(o.object.metadata?.name), where: { file: o.origin.file, line: o.origin.line, column: o.origin.column + 1 }, message: 'm', remediation: 'f' }));
    const fileOf = (o: unknown) => (o as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.['postrenderer.helm.sh/postrender-filename'];
    for (const kind of ['List', 'ConfigMapList']) {
      const r = await postRender(list('', kind), { check: every });
      assert.deepEqual(parseAllDocuments(r.output ?? '').map((d) => fileOf(d.toJS())), ['shop/templates/list.yaml', 'shop/templates/list.yaml', 'shop/templates/own.yaml'], kind);
      assert.deepEqual(parseAllDocuments(r.output ?? '').map((d) => (d.toJS() as { metadata: { annotations: Record<string, string> } }).metadata.annotations.x), [undefined, 'y', undefined], `${kind}: other annotations kept`);
      assert.deepEqual(r.violations.map((v) => [v.resource, v.where?.template]), [['bare', 'shop/templates/list.yaml'], ['noted', 'shop/templates/list.yaml'], ['own', 'shop/templates/own.yaml']], kind);
      const helm3 = await postRender(list('# Source: shop/templates/list.yaml\n', kind), { check: every });
      assert.deepEqual(parseAllDocuments(helm3.output ?? '').map((d) => fileOf(d.toJS())), [undefined, undefined, 'shop/templates/own.yaml'], `${kind}: Helm 3 reads no annotation; none added`);
      assert.deepEqual(helm3.violations.map((v) => v.where?.template), ['shop/templates/list.yaml', 'shop/templates/list.yaml', 'shop/templates/list.yaml'], `${kind}: Helm 3 files every item under the # Source: line`);
    }
  });

  it('names the template of each item of a flow-style List on one line by its column', async () => {
    const item = (kind: string, name: string, file: string) => `{apiVersion: v1, kind: ${kind}, metadata: {name: ${name}, namespace: s, annotations: {postrenderer.helm.sh/postrender-filename: ${file}}}}`;
    const text = `---\napiVersion: v1\nkind: List\nitems: [${item('ConfigMap', 'first', 'shop/templates/first.yaml')}, ${item('ConfigMap', 'second', 'shop/templates/second.yaml')}]\n`;
    const at: GuardrailCheck = async (objects) => objects.map((o) => ({ ruleId: 'r', severity: 'warning', resource: String(o.object.metadata?.name), where: { file: o.origin.file, line: o.origin.line, column: o.origin.column + 1 }, message: 'm', remediation: 'f' }));
    const r = await postRender(text, { check: at });
    assert.deepEqual(r.violations.map((v) => [v.resource, v.where?.line, v.where?.template]), [['first', 4, 'shop/templates/first.yaml'], ['second', 4, 'shop/templates/second.yaml']]);
  });

  it('writes a # Source: line back only when it is at most 4096 characters (it is repeated before every item of a List)', async () => {
    const list = (source: string) => `---\n# Source: ${source}\napiVersion: v1\nkind: List\nitems:\n${['a', 'b', 'c'].map((n) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ${n}, namespace: s}}\n`).join('')}`;
    const kept = (await postRender(list(`c/${'x'.repeat(4094)}`), { check: pass })).output ?? '';
    assert.equal(kept.split('# Source: ').length - 1, 3);
    const long = (await postRender(list(`c/${'x'.repeat(4095)}`), { check: pass })).output ?? '';
    assert.equal(long.includes('# Source:'), false);
  });

  it('leaves a finding in another file (the intent) as it is', async () => {
    const v: Violation = { ruleId: 'r', severity: 'warning', resource: 'x', where: { file: 'mesh.yaml', line: 1, column: 1 }, message: 'm', remediation: 'f' };
    const r = await postRender(`---\n# Source: shop/templates/a.yaml\n${ns('a')}`, { check: async () => [v] });
    assert.equal(r.violations[0], v);
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
