/**
 * The compact layout of a PR comment that does not fit (cutToFit), driven with hand-made pieces
 * so every promise is checked exactly: the notice names each part left out and nothing else,
 * the list names every changed resource (grouped by change, type and namespace) or counts the
 * rest by type, blocks are kept whole and in order, and the result never exceeds the limit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDiff } from './diff-objects.js';
import { cutToFit, type CutInput } from './markdown-cut.js';

const FULL_DIFF_AT = 'For the full diff, run `meshplane diff --output text` (or `--output json`) on the same two sides: those outputs are never cut.';
const EVERY = (n: string) => `**Every changed resource (${n}) is listed** below, security-relevant ones (PeerAuthentication, AuthorizationPolicy, webhooks, RBAC, Secrets) first.`;

const res = (key: string, change: ResourceDiff['change'] = 'changed'): ResourceDiff => ({ key, change, lines: [], additions: 0, deletions: 0 });
const escape = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function input(over: Partial<CutInput> = {}): CutInput {
  const resources = over.resources ?? [res('security.istio.io/PeerAuthentication/x/default'), res('core/ConfigMap/ns/a'), res('core/ConfigMap/ns/b'), res('core/Namespace/_cluster/shop', 'added')];
  return {
    limit: 65_536,
    fullLength: 123_456,
    header: 'HEADER\n',
    guardrailLine: 'GUARDRAILS\n',
    violationTable: 'FINDINGS\n',
    violations: 3,
    resources,
    moves: 'MOVES\n',
    details: resources.map((r) => `DETAIL ${r.key}\n`),
    hidden: 'HIDDEN\n',
    escape,
    ...over,
  };
}

const notice = (body: string): string => `> **Cut to fit:** the whole comment would be 123,456 characters, over the 65,536-character limit of a comment. ${body} ${FULL_DIFF_AT}\n\n`;

describe('cutToFit: what is kept and what the notice says', () => {
  it('everything but the full layout fits: the compact list, every block, and no "Left out" clause', () => {
    assert.equal(cutToFit(input()), [
      'HEADER\n',
      notice(EVERY('4')),
      'GUARDRAILS\n',
      'FINDINGS\n',
      '#### Every changed resource\n\n',
      '- changed <code>security.istio.io/PeerAuthentication</code> in <code>x</code> (1): <code>default</code>\n',
      '- changed <code>core/ConfigMap</code> in <code>ns</code> (2): <code>a, b</code>\n',
      '- added <code>core/Namespace</code> cluster-scoped (1): <code>shop</code>\n',
      '\n',
      'MOVES\n',
      'DETAIL security.istio.io/PeerAuthentication/x/default\n',
      'DETAIL core/ConfigMap/ns/a\n',
      'DETAIL core/ConfigMap/ns/b\n',
      'DETAIL core/Namespace/_cluster/shop\n',
      'HIDDEN\n',
    ].join(''));
  });

  const big = 'Z'.repeat(70_000);
  const cases: Array<{ name: string; over: Partial<CutInput>; leftOut: string; absent: string[]; present: string[] }> = [
    { name: 'a findings table too large', over: { violationTable: big }, leftOut: 'the table of 3 guardrail findings (the counts above are complete; `meshplane check` lists them)', absent: [big], present: ['MOVES\n', 'HIDDEN\n'] },
    { name: 'a moves section too large', over: { moves: big }, leftOut: 'the "Moved between revisions" section', absent: [big], present: ['FINDINGS\n', 'HIDDEN\n'] },
    { name: 'a hidden-noise list too large', over: { hidden: big }, leftOut: 'the list of hidden noise fields', absent: [big], present: ['FINDINGS\n', 'MOVES\n', 'DETAIL core/Namespace/_cluster/shop\n'] },
    {
      name: 'a diff too large: it and every diff after it (a prefix of the review order), and the hidden list after them',
      over: { details: ['DETAIL 1\n', 'DETAIL 2\n', big, 'DETAIL 4\n'] },
      leftOut: 'the diffs of 2 of 4 resources (shown: the first 2 in review order); the list of hidden noise fields',
      absent: [big, 'DETAIL 4\n', 'HIDDEN\n'],
      present: ['DETAIL 1\nDETAIL 2\n', 'FINDINGS\n', 'MOVES\n'],
    },
    {
      name: 'everything optional too large, named in order',
      over: { violationTable: big, moves: big, details: [big, 'd', 'd', 'd'], hidden: big },
      leftOut: 'the diffs of 4 of 4 resources (shown: the first 0 in review order); the table of 3 guardrail findings (the counts above are complete; `meshplane check` lists them); the "Moved between revisions" section; the list of hidden noise fields',
      absent: [big],
      present: [],
    },
  ];
  for (const c of cases) {
    it(`left out: ${c.name}`, () => {
      const md = cutToFit(input(c.over));
      assert.ok(md.includes(notice(`${EVERY('4')} Left out: ${c.leftOut}.`)), md.slice(0, 900));
      for (const s of c.absent) assert.ok(!md.includes(s), `${s.slice(0, 20)} is left out`);
      for (const s of c.present) assert.ok(md.includes(s), `${s} is kept`);
      assert.ok(md.length <= 65_536);
    });
  }

  it('everything optional left out: header, notice, guardrail counts and the list, nothing else', () => {
    const big = 'Z'.repeat(70_000);
    assert.equal(cutToFit(input({ violationTable: big, moves: big, details: [big, 'd', 'd', 'd'], hidden: big })), [
      'HEADER\n',
      notice(`${EVERY('4')} Left out: the diffs of 4 of 4 resources (shown: the first 0 in review order); the table of 3 guardrail findings (the counts above are complete; \`meshplane check\` lists them); the "Moved between revisions" section; the list of hidden noise fields.`),
      'GUARDRAILS\n',
      '#### Every changed resource\n\n',
      '- changed <code>security.istio.io/PeerAuthentication</code> in <code>x</code> (1): <code>default</code>\n',
      '- changed <code>core/ConfigMap</code> in <code>ns</code> (2): <code>a, b</code>\n',
      '- added <code>core/Namespace</code> cluster-scoped (1): <code>shop</code>\n',
      '\n',
    ].join(''));
  });

  it('a list that fits is never cut to keep room for a count row it does not need', () => {
    const resources = Array.from({ length: 10 }, (_, i) => res(`core/ConfigMap/ns/${'n'.repeat(80)}${i}`));
    const md = cutToFit(input({ resources, details: resources.map(() => 'D'.repeat(5_000)), limit: 2_600 }));
    assert.ok(md.length <= 2_600, `${md.length}`);
    assert.ok(md.includes(EVERY('10')), md.slice(0, 800));
  });

  it('sections that do not exist are not "left out"', () => {
    const md = cutToFit(input({ violationTable: '', violations: 0, moves: '', hidden: '' }));
    assert.ok(md.includes(notice(EVERY('4'))), md.slice(0, 600));
    assert.doesNotMatch(md, /Left out/);
  });

  it('no changed resources: says so instead of an empty list', () => {
    const md = cutToFit(input({ resources: [], details: [] }));
    assert.ok(md.includes('GUARDRAILS\nFINDINGS\nNo resource changes.\n\nMOVES\nHIDDEN\n'), md);
  });

  it('counts above a thousand with separators', () => {
    const resources = Array.from({ length: 1_200 }, (_, i) => res(`core/ConfigMap/ns/c${i}`, 'added'));
    const md = cutToFit(input({ resources, details: resources.map(() => 'x'.repeat(200)), limit: 200_000 }));
    assert.ok(md.includes('**Every changed resource (1,200) is listed**'));
    assert.match(md, /Left out: the diffs of [\d,]+ of 1,200 resources \(shown: the first [\d,]+ in review order\)/);
  });
});

describe('cutToFit: the list of every changed resource', () => {
  it('groups only neighbours with the same change, type and namespace, and keeps names with slashes whole', () => {
    const resources = [res('core/ConfigMap/a/x'), res('core/ConfigMap/b/y'), res('core/ConfigMap/a/z'), res('core/ConfigMap/a/w', 'removed'), res('apps/Deployment/a/v'), res('core/ConfigMap/a/p/q'), res('core/ConfigMap/a/r/s')];
    const md = cutToFit(input({ resources, details: resources.map(() => '') }));
    const list = md.slice(md.indexOf('#### Every changed resource'), md.indexOf('MOVES'));
    assert.equal(list, [
      '#### Every changed resource\n\n',
      '- changed <code>core/ConfigMap</code> in <code>a</code> (1): <code>x</code>\n',
      '- changed <code>core/ConfigMap</code> in <code>b</code> (1): <code>y</code>\n',
      '- changed <code>core/ConfigMap</code> in <code>a</code> (1): <code>z</code>\n',
      '- removed <code>core/ConfigMap</code> in <code>a</code> (1): <code>w</code>\n',
      '- changed <code>apps/Deployment</code> in <code>a</code> (1): <code>v</code>\n',
      '- changed <code>core/ConfigMap</code> in <code>a</code> (2): <code>p/q, r/s</code>\n',
      '\n',
    ].join(''));
  });

  it('escapes types, namespaces and names', () => {
    const md = cutToFit(input({ resources: [res('core/Config<Map/n&s/a<b')], details: [''] }));
    assert.ok(md.includes('- changed <code>core/Config&lt;Map</code> in <code>n&amp;s</code> (1): <code>a&lt;b</code>\n'));
  });

  // Names of 240 characters: a few hundred of them cannot fit in a small comment.
  const long = (i: number): string => `n${String(i).padStart(4, '0')}-${'x'.repeat(234)}`;
  const named = (md: string): number => (md.match(/n\d{4}-x/g) ?? []).length;

  it('names what fits, says how many more each group has, and counts the rest by change and type', () => {
    const resources = [
      ...Array.from({ length: 100 }, (_, i) => res(`core/ConfigMap/ns/${long(i)}`)),
      ...Array.from({ length: 30 }, (_, i) => res(`apps/Deployment/ns/${long(100 + i)}`, 'added')),
      ...Array.from({ length: 30 }, (_, i) => res(`core/Service/ns/${long(130 + i)}`, 'added')),
    ];
    const md = cutToFit(input({ resources, details: resources.map(() => ''), limit: 12_000 }));
    assert.ok(md.length <= 12_000, `${md.length}`);
    const k = named(md);
    assert.ok(k > 0 && k < 100, `${k} named, all in the first group`);
    assert.ok(md.includes(`**${k} of 160 changed resources are named** below (security-relevant first); the last line counts the other ${160 - k} by change and type.`));
    assert.ok(md.includes(`- changed <code>core/ConfigMap</code> in <code>ns</code> (100): <code>${long(0)}, `));
    assert.ok(md.includes(`</code> … and ${100 - k} more not named here\n`));
    // Most first; equal counts by change and type name.
    const cm = `${100 - k} changed core/ConfigMap`;
    const order = 100 - k > 30 ? [cm, '30 added apps/Deployment', '30 added core/Service'] : ['30 added apps/Deployment', '30 added core/Service', cm];
    assert.ok(md.includes(`- … ${160 - k} not named here for lack of space, counted by change and type: ${order.join(', ')}\n\n`), md.slice(md.indexOf('- …'), md.indexOf('- …') + 300));
    assert.doesNotMatch(md, /apps\/Deployment<\/code> in/, 'no later group is named once one is cut');
  });

  it('stops naming at the first group it cuts: a later short group is counted, not named', () => {
    const resources = [...Array.from({ length: 100 }, (_, i) => res(`core/ConfigMap/ns/${long(i)}`)), res('core/Service/ns/z', 'added')];
    // Several limits, so that in some the room left after the cut group would hold the short line.
    for (let limit = 12_000; limit < 12_250; limit += 25) {
      const md = cutToFit(input({ resources, details: resources.map(() => ''), limit }));
      const k = named(md);
      assert.ok(k > 0 && k < 100);
      assert.doesNotMatch(md, /<code>core\/Service<\/code>/, `limit ${limit}`);
      assert.ok(md.includes(`counted by change and type: ${100 - k} changed core/ConfigMap, 1 added core/Service\n`), md.slice(md.indexOf('- …'), md.indexOf('- …') + 300));
    }
  });

  it('the count row puts the most numerous types first, ties by name', () => {
    const resources = [
      ...Array.from({ length: 60 }, (_, i) => res(`core/ConfigMap/ns/${long(i)}`)),
      ...Array.from({ length: 70 }, (_, i) => res(`core/Service/ns/${long(60 + i)}`, 'added')),
      ...Array.from({ length: 70 }, (_, i) => res(`apps/Deployment/ns/${long(130 + i)}`, 'added')),
    ];
    const md = cutToFit(input({ resources, details: resources.map(() => ''), limit: 12_000 }));
    const k = named(md);
    assert.ok(k > 0 && k < 60, `${k}`);
    assert.ok(md.includes(`counted by change and type: 70 added apps/Deployment, 70 added core/Service, ${60 - k} changed core/ConfigMap\n`), md.slice(md.indexOf('- …'), md.indexOf('- …') + 300));
  });

  it('names whole groups while they fit, then part of the next one', () => {
    const resources = [
      ...Array.from({ length: 3 }, (_, i) => res(`core/Secret/ns/${long(i)}`)),
      ...Array.from({ length: 200 }, (_, i) => res(`core/ConfigMap/ns/${long(3 + i)}`)),
    ];
    const md = cutToFit(input({ resources, details: resources.map(() => ''), limit: 12_000 }));
    assert.ok(md.includes(`- changed <code>core/Secret</code> in <code>ns</code> (3): <code>${long(0)}, ${long(1)}, ${long(2)}</code>\n`));
    const k = named(md) - 3;
    assert.ok(k > 0 && k < 200);
    assert.ok(md.includes(`… and ${200 - k} more not named here\n- … ${200 - k} not named here for lack of space, counted by change and type: ${200 - k} changed core/ConfigMap\n`));
  });

  it('when not one name of a group fits, the group has no line and is counted in the last row', () => {
    const huge = (i: number) => `h${i}-${'y'.repeat(20_000)}`;
    const resources = [res(`core/ConfigMap/ns/${huge(1)}`), res(`core/ConfigMap/ns/${huge(2)}`, 'removed')];
    const md = cutToFit(input({ resources, details: ['', ''], limit: 8_000 }));
    assert.ok(md.length <= 8_000);
    assert.ok(md.includes('**0 of 2 changed resources are named**'));
    assert.ok(md.includes('#### Every changed resource\n\n- … 2 not named here for lack of space, counted by change and type: 1 changed core/ConfigMap, 1 removed core/ConfigMap\n\n'), md.slice(0, 2000));
  });

  it('the count row stays within its budget: many types are summed up as "other types"', () => {
    const resources = Array.from({ length: 120 }, (_, i) => res(`example.io/Kind${String(i).padStart(3, '0')}${'k'.repeat(30)}/ns/${long(i)}`, 'added'));
    const md = cutToFit(input({ resources, details: resources.map(() => ''), limit: 6_000 }));
    assert.ok(md.length <= 6_000, `${md.length}`);
    const row = md.slice(md.indexOf('- … '), md.indexOf('\n', md.indexOf('- … ')) + 1);
    assert.ok(row.length <= 1_500, `${row.length}`);
    const m = /^- … (\d+) not named here for lack of space, counted by change and type: (.*), and (\d+) of (\d+) other types\n$/.exec(row);
    assert.ok(m, row);
    const parts = (m[2] ?? '').split(', ');
    assert.ok(parts.every((p) => /^1 added example\.io\/Kind\d{3}k{30}$/.test(p)), 'one per type, each counted once');
    assert.equal(parts.length + Number(m[4]), 120 - named(md), 'every unnamed type is either listed or counted');
    assert.equal(Number(m[3]), Number(m[4]), 'one resource per type');
    assert.equal(Number(m[1]), 120 - named(md));
    // Equal counts are ordered by name.
    assert.deepEqual(parts, [...parts].sort());
  });

  it('the count row stays within its budget with many short type names too', () => {
    const resources = Array.from({ length: 300 }, (_, i) => res(`x/K${i}/ns/${long(i)}`, 'added'));
    const md = cutToFit(input({ resources, details: resources.map(() => ''), limit: 6_000 }));
    const row = md.slice(md.indexOf('- … '), md.indexOf('\n', md.indexOf('- … ')) + 1);
    assert.ok(row.length <= 1_500, `${row.length}`);
    assert.match(row, /, and \d+ of \d+ other types\n$/);
  });

  it('a type name longer than the row: no type listed, all counted', () => {
    const resources = [res(`example.io/${'K'.repeat(2_000)}/ns/${'a'.repeat(9_000)}`), res(`example.io/${'K'.repeat(2_000)}/ns/${'b'.repeat(9_000)}`)];
    const md = cutToFit(input({ resources, details: ['', ''], limit: 8_000 }));
    assert.ok(md.includes('#### Every changed resource\n\n- … 2 not named here for lack of space, counted by change and type: 2 of 1 other types\n\n'), md.slice(0, 3000));
  });
});

describe('cutToFit: the limit', () => {
  it('never exceeds the limit when the blocks fill the budget to the last character and every notice clause is needed', () => {
    for (const n of [3, 9, 10, 99, 100, 999, 1_000, 4_321]) {
      const resources = Array.from({ length: n }, (_, i) => res(`core/ConfigMap/ns/c${i}`, 'added'));
      for (const limit of [3_000, 3_001, 3_017, 5_555, 20_000, 40_000]) {
        const md = cutToFit(input({ resources, details: resources.map(() => 'x'), limit, fullLength: 9_999_999, violationTable: 'V'.repeat(90_000), violations: 12_345, moves: 'M'.repeat(90_000), hidden: 'H'.repeat(90_000) }));
        assert.ok(md.length <= limit, `${n} resources, limit ${limit}: ${md.length}`);
      }
    }
  });

  it('never exceeds the limit, whatever the limit, and keeps every <details> whole', () => {
    const resources = Array.from({ length: 40 }, (_, i) => res(`core/ConfigMap/ns/${'c'.repeat(60)}${i}`, i % 3 === 0 ? 'removed' : 'added'));
    const details = resources.map((r, i) => `<details>${r.key} ${'d'.repeat(50 * (i + 1))}</details>\n`);
    for (let limit = 2_500; limit <= 40_000; limit += 137) {
      const md = cutToFit(input({ resources, details, limit, header: 'H'.repeat(300), guardrailLine: 'G'.repeat(200), violationTable: 'V'.repeat(900), moves: 'M'.repeat(700), hidden: 'N'.repeat(400) }));
      assert.ok(md.length <= limit, `limit ${limit}: ${md.length}`);
      assert.equal(md.split('<details>').length, md.split('</details>').length, `limit ${limit}`);
    }
  });
});
