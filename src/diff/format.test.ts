import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjects } from './diff-objects.js';
import type { KubeObject } from '../core/types.js';
import { formatJson } from './format-json.js';
import { COMMENT_MARKER, formatMarkdown, MARKDOWN_LIMIT } from './format-markdown.js';
import { formatText } from './format-text.js';
import type { DiffReport } from './report.js';

const cm = (name: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { value } });

function report(base: KubeObject[], head: KubeObject[]): DiffReport {
  return { base: 'base', head: 'head', result: diffObjects(base, head), guardrails: { ran: true, violations: [] }, noiseShown: false };
}

const count = (text: string, s: string): number => text.split(s).length - 1;

describe('formatMarkdown', () => {
  it('stays under the comment limit with a truncation notice, and never cuts a <details> block in half', () => {
    const big = 'x'.repeat(3000);
    const head = Array.from({ length: 60 }, (_, i) => cm(`big-${String(i).padStart(2, '0')}`, big));
    const md = formatMarkdown(report([], head));
    assert.ok(md.length <= MARKDOWN_LIMIT, `${md.length} characters`);
    assert.ok(md.startsWith(COMMENT_MARKER));
    assert.match(md, /\*\*Cut to fit:\*\* the whole comment would be [\d,]+ characters, over the 65,536-character limit/);
    assert.match(md, /\*\*Every changed resource \(60\) is listed\*\*/);
    assert.equal(count(md, '<details>'), count(md, '</details>'));
    assert.ok(md.indexOf('- added <code>core/ConfigMap</code> in <code>ns</code> (60): <code>big-00, big-01') < md.indexOf('<details>'), 'the list of every resource comes before the bodies');
  });

  it('shows changed resources before added ones when not everything fits', () => {
    const head = [...Array.from({ length: 60 }, (_, i) => cm(`a-big-${String(i).padStart(2, '0')}`, 'x'.repeat(3000))), cm('z-changed', '2')];
    const md = formatMarkdown(report([cm('z-changed', '1')], head));
    assert.match(md, /<details><summary>changed <code>core\/ConfigMap\/ns\/z-changed<\/code>/);
    assert.match(md, /Cut to fit/);
  });

  it('has no truncation notice when everything fits, and a summary table row with the counts', () => {
    const md = formatMarkdown(report([cm('a', '1')], [cm('a', '2'), cm('b', '1')]));
    assert.doesNotMatch(md, /Cut to fit/);
    assert.match(md, /\| 1 \| 0 \| 1 \| 0 \| 0 \|/);
    assert.match(md, /<details><summary>changed <code>core\/ConfigMap\/ns\/a<\/code> \(\+1 -1\)<\/summary>/);
  });

  it('shows the first lines of a large added object, saying how many more there are', () => {
    const big: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'ns' }, data: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${String(i).padStart(3, '0')}`, 'v'])) };
    const md = formatMarkdown(report([], [big]));
    assert.match(md, /\+  k143: v\n```\n\n…and 256 more lines \(`--output text` prints the whole object\)/);
    assert.doesNotMatch(md, /k144/);
  });

  it('escapes HTML and table pipes in names, and fences content longer than any backtick run', () => {
    const md = formatMarkdown(report([], [cm('a', 'has ``` fences | and <b>tags</b>')]));
    assert.ok(md.includes('````diff'), 'a four-backtick fence around content with three');
    assert.doesNotMatch(md.split('````diff')[0] ?? '', /<b>/);
  });
});

describe('formatText', () => {
  it('uses ANSI colour only when asked', () => {
    const r = report([cm('a', '1')], [cm('a', '2')]);
    assert.ok(formatText(r, { colour: true }).includes('\u001b[32m'));
    assert.ok(!formatText(r, { colour: false }).includes('\u001b'));
  });

  it('lists the guardrail violations of the head with where and how to fix', () => {
    const r = report([], []);
    r.guardrails = { ran: true, violations: [{ ruleId: 'forbidden-kind', severity: 'error', resource: 'networking.istio.io/EnvoyFilter/shop/x', where: { file: 'shop.yaml', line: 3, column: 1 }, message: 'not allowed', remediation: 'remove it' }] };
    const text = formatText(r, { colour: false });
    assert.match(text, /Guardrails \(head\): 1 error, 0 warnings/);
    assert.match(text, /error forbidden-kind networking\.istio\.io\/EnvoyFilter\/shop\/x \(shop\.yaml:3:1\): not allowed\n {4}fix: remove it/);
  });
});

describe('formatJson', () => {
  it('is one DiffReport document with the summary and per-resource diff lines', () => {
    const doc = JSON.parse(formatJson(report([cm('a', '1')], [cm('a', '2')]))) as { kind: string; summary: { changed: number }; resources: Array<{ key: string; diff: string[] }> };
    assert.equal(doc.kind, 'DiffReport');
    assert.equal(doc.summary.changed, 1);
    assert.deepEqual(doc.resources[0]?.diff.filter((l) => /^[-+]/.test(l)), ['-  value: "1"', '+  value: "2"']);
  });
});
