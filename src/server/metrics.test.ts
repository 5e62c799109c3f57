/**
 * /metrics as Prometheus reads it: a real scrape over HTTP (supertest against the Express app),
 * checked twice. First by Prometheus' own linter, `promtool check metrics` (Debian package
 * `prometheus`; .ci/run installs it), which applies util/promlint of prometheus/prometheus.
 * Then family by family against the naming rules of https://prometheus.io/docs/practices/naming/
 * as written out below (snake_case, our prefix, base units, `_total` only on counters, histogram
 * series, HELP and TYPE), so a failure names the family and the rule.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { ENVOY_FILTER, listenTest, meshFiles, type TestServer } from '../../test/helpers/server.js';
import { catalogKnowledge } from './build-info.js';
import { loadCatalog } from '../catalog/catalog.js';
import { catalogHorizon, supportUnvouched } from '../catalog/horizon.js';
import { endOfDaySeconds } from './metrics.js';

/** One metric family of a text exposition. */
interface Family {
  name: string;
  help?: string;
  type?: string;
  samples: string[];
}

/** Parses the text exposition format (version 0.0.4) into families, keyed by the HELP/TYPE name. */
function parseExposition(text: string): Family[] {
  const families = new Map<string, Family>();
  const family = (name: string) => families.get(name) ?? families.set(name, { name, samples: [] }).get(name) as Family;
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
    if (meta) {
      current = family(meta[2] as string);
      if (meta[1] === 'HELP') current.help = meta[3];
      else current.type = meta[3];
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1] ?? '';
    const owner = current && (sample === current.name || sample.startsWith(`${current.name}_`)) ? current : family(sample);
    owner.samples.push(sample);
  }
  return [...families.values()];
}

/** Unit words that are not base units (naming page, "Base units"), as name segments. */
const NON_BASE_UNITS = ['milliseconds', 'microseconds', 'nanoseconds', 'ms', 'kilobytes', 'megabytes', 'gigabytes', 'kb', 'mb', 'minutes', 'hours', 'percent'];

/** Prefixes allowed besides ours: the standard process and Node.js metrics of prom-client. */
const STANDARD_PREFIXES = ['process_', 'nodejs_'];

/** The naming-rule problems of one family (empty when it follows them). */
function lintFamily(f: Family): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(f.name) || f.name.includes('__')) problems.push('name is not snake_case');
  if (!f.name.startsWith('meshplane_') && !STANDARD_PREFIXES.some((p) => f.name.startsWith(p))) problems.push('name lacks the meshplane_ prefix');
  if (!f.help) problems.push('no HELP line');
  if (!f.type) problems.push('no TYPE line');
  const segments = f.name.split('_');
  for (const unit of NON_BASE_UNITS) if (segments.includes(unit)) problems.push(`unit "${unit}" is not a base unit`);
  if (f.type === 'counter' && !f.name.endsWith('_total')) problems.push('counter without _total');
  if (f.type !== 'counter' && f.name.endsWith('_total')) problems.push('non-counter ends in _total');
  if (f.type === 'histogram') {
    for (const suffix of ['_bucket', '_sum', '_count']) if (!f.samples.includes(f.name + suffix)) problems.push(`histogram without ${suffix} series`);
    if (f.samples.some((s) => s !== f.name + '_bucket' && s !== f.name + '_sum' && s !== f.name + '_count')) problems.push('histogram with a series other than _bucket/_sum/_count');
  } else {
    if (f.samples.some((s) => s !== f.name)) problems.push(`series name differs from the family name (${f.samples.find((s) => s !== f.name)})`);
    for (const suffix of ['_bucket', '_count', '_sum']) if (f.name.endsWith(suffix)) problems.push(`non-histogram ends in ${suffix}`);
  }
  return problems;
}

describe('GET /metrics naming', () => {
  let t: TestServer;
  let text: string;
  before(async () => {
    t = await listenTest();
    // Traffic first, so every labelled family has samples (a family with none prints only HELP/TYPE).
    await request(t.server).post('/v1/render').send({ files: meshFiles() });
    await request(t.server).post('/v1/render').send({ files: meshFiles() });
    await request(t.server).post('/v1/check').send({ files: meshFiles({ 'f.yaml': ENVOY_FILTER }) });
    const res = await request(t.server).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
    text = res.text;
  });
  after(() => t.close());

  it('passes promtool check metrics (Prometheus\' own linter) with no finding', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(r.error, undefined, `promtool could not run (${String(r.error)}): install the Debian package "prometheus" (.ci/run does)`);
    assert.equal(r.status, 0, `promtool findings:\n${r.stdout}${r.stderr}`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
  });

  it('every family follows the naming rules', () => {
    const families = parseExposition(text);
    assert.ok(families.length > 20, `only ${families.length} families`);
    const problems = families.flatMap((f) => lintFamily(f).map((p) => `${f.name}: ${p}`));
    assert.deepEqual(problems, []);
  });

  it('keeps the standard process metrics unprefixed and adds meshplane_build_info = 1', () => {
    const names = new Set(parseExposition(text).map((f) => f.name));
    for (const standard of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) assert.ok(names.has(standard), standard);
    assert.ok(![...names].some((n) => n.startsWith('meshplane_process_') || n.startsWith('meshplane_nodejs_')));
    const info = /^meshplane_build_info\{(.*)\} (\S+)$/m.exec(text);
    assert.ok(info, 'meshplane_build_info has one series');
    assert.equal(info[2], '1');
    assert.match(info[1] ?? '', /version="\d+\.\d+\.\d+[^"]*"/);
    assert.match(info[1] ?? '', new RegExp(`node_version="${process.version.replace(/\./g, '\\.')}"`));
    assert.match(info[1] ?? '', /catalog_date="\d{4}-\d{2}-\d{2}"/);
    assert.match(text, /# TYPE meshplane_build_info gauge/);
  });

  it('has a vouched-until series exactly for the revisions whose support the catalog can stop vouching for (horizon.ts supportUnvouched)', () => {
    const catalog = loadCatalog();
    const h = catalogHorizon(catalog);
    assert.ok(h);
    const series = [...text.matchAll(/^meshplane_catalog_vouched_until_timestamp_seconds\{revision="([^"]+)"\} (\S+)$/gm)].map((m) => m[1]);
    // A revision is in the series when some day after its release makes supportUnvouched true: then
    // upgrade plan says "unverified" and the guardrail warns. One far-off day decides it.
    const farOff = '2999-12-31';
    const unvouchable = catalog.revisions.filter((r) => supportUnvouched(h, r, farOff)).map((r) => r.name);
    assert.ok(unvouchable.length > 0 && unvouchable.length < catalog.revisions.length, `${unvouchable.length} of ${catalog.revisions.length}`);
    assert.deepEqual(series, unvouchable);
  });

  it('reports the catalog horizon as timestamps, one vouched-until series per revision with an expected end of life', () => {
    const k = catalogKnowledge();
    assert.ok(k, 'the shipped catalog has dated revisions');
    const asOf = /^meshplane_catalog_knowledge_timestamp_seconds (\S+)$/m.exec(text);
    assert.equal(Number(asOf?.[1]), Date.parse(`${k.asOf}T00:00:00Z`) / 1000);
    const series = [...text.matchAll(/^meshplane_catalog_vouched_until_timestamp_seconds\{revision="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(series, k.vouchedUntil.map((v) => [v.revision, endOfDaySeconds(v.until)]));
    assert.ok(series.length >= 2, `only ${series.length} revisions`);
    // The newest revision is vouched for longer than the older ones (the second minor after it makes it n-2).
    const last = series[series.length - 1] as [string, number];
    const first = series[0] as [string, number];
    assert.ok(last[1] > first[1], `${last[0]} ${last[1]} vs ${first[0]} ${first[1]}`);
  });
});

describe('endOfDaySeconds', () => {
  // [date, seconds]: a day "until" which the catalog vouches includes all of that day.
  const table: Array<[string, number]> = [
    ['1970-01-01', 86400],
    ['2026-11-16', Date.parse('2026-11-17T00:00:00Z') / 1000],
    ['2028-02-29', Date.parse('2028-03-01T00:00:00Z') / 1000],
  ];
  for (const [date, want] of table) it(date, () => assert.equal(endOfDaySeconds(date), want));
});

describe('lintFamily (the rules themselves can fail)', () => {
  const table: Array<[string, Family, RegExp]> = [
    ['a gauge ending in _total', { name: 'meshplane_x_total', help: 'h', type: 'gauge', samples: ['meshplane_x_total'] }, /non-counter ends in _total/],
    ['a counter without _total', { name: 'meshplane_hits', help: 'h', type: 'counter', samples: ['meshplane_hits'] }, /counter without _total/],
    ['a renamed process metric', { name: 'app_process_cpu_seconds_total', help: 'h', type: 'counter', samples: ['app_process_cpu_seconds_total'] }, /prefix/],
    ['milliseconds', { name: 'meshplane_render_milliseconds', help: 'h', type: 'gauge', samples: ['meshplane_render_milliseconds'] }, /base unit/],
    ['camelCase', { name: 'meshplane_cacheBytes', help: 'h', type: 'gauge', samples: ['meshplane_cacheBytes'] }, /snake_case/],
    ['no HELP', { name: 'meshplane_x', type: 'gauge', samples: ['meshplane_x'] }, /no HELP/],
    ['a histogram without _count', { name: 'meshplane_d_seconds', help: 'h', type: 'histogram', samples: ['meshplane_d_seconds_bucket', 'meshplane_d_seconds_sum'] }, /_count/],
  ];
  for (const [what, family, rule] of table) it(`flags ${what}`, () => assert.match(lintFamily(family).join('; '), rule));
  it('passes a well-named counter', () => assert.deepEqual(lintFamily({ name: 'meshplane_hits_total', help: 'h', type: 'counter', samples: ['meshplane_hits_total'] }), []));
});
