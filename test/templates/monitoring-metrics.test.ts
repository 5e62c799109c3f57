/**
 * What Meshplane's alerts and its control-plane dashboard query, and what its scrape objects
 * keep, against istiod's own source: every metric named is one istiod exports at every Istio
 * minor the catalog serves, every label filter can match, and the PodMonitor and ServiceMonitor
 * agree with Istio's published prometheus-operator objects. The expectation is
 * test/templates/fixtures/istiod-metrics-upstream.yaml (facts read from istio/istio at the tags
 * it names), never our own output: an alert on a metric istiod never exports can never fire.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { renderExample } from '../helpers/examples.js';

interface MetricFact { type: 'gauge' | 'sum' | 'distribution'; file: string; labels?: Record<string, string[]> }
interface Facts {
  tags: string[];
  metrics: Record<string, MetricFact>;
  outside: string[];
  monitors: { serviceMonitorTargetLabels: string[]; podMonitorScrapeKeepLabel: string };
}

const FACTS = parse(readFileSync(path.join(REPO_ROOT, 'test', 'templates', 'fixtures', 'istiod-metrics-upstream.yaml'), 'utf8')) as Facts;

/** One series selector of a query: the metric name and its label matchers. */
interface Selector { metric: string; matchers: Array<{ label: string; op: string; value: string }> }

/** The series selectors of a PromQL expression: every name not called as a function, with its `{...}` matchers. */
export function selectorsOf(expr: string): Selector[] {
  const out: Selector[] = [];
  // Aggregation clauses name labels, not metrics; range selectors ([5m], [$__rate_interval]) hold durations.
  const text = expr.replace(/\b(by|without)\s*\([^)]*\)/g, ' ').replace(/\[\$?[a-z_0-9]+(?::[a-z_0-9]*)?\]/g, ' ');
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?(\s*\()?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, name, braces, call] = m;
    if (call || /^\d/.test(name as string)) continue;
    const matchers = [...(braces ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map((x) => ({ label: x[1] as string, op: x[2] as string, value: x[3] as string }));
    out.push({ metric: name as string, matchers });
  }
  return out;
}

/** The fact a series name stands for: the metric itself, or the histogram a _bucket/_sum/_count series belongs to. */
function factOf(series: string): MetricFact | undefined {
  const direct = FACTS.metrics[series];
  if (direct) return direct;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  const fact = FACTS.metrics[base];
  return base !== series && fact?.type === 'distribution' ? fact : undefined;
}

describe('monitoring: metrics and scrape objects against istiod\'s source', () => {
  let objects: Array<KubeObject & { spec?: any }> = [];
  let queries: Array<{ where: string; expr: string }> = [];
  before(async () => {
    objects = (await renderExample('full')) as typeof objects;
    const rule = objects.find((o) => o.kind === 'PrometheusRule');
    const alerts = (rule?.spec.groups ?? []).flatMap((g: { rules: Array<{ alert: string; expr: string }> }) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })));
    const own = objects.find((o) => o.kind === 'GrafanaDashboard' && o.metadata?.name === 'meshplane-control-plane');
    const panels = (JSON.parse(own?.spec.json ?? '{"panels":[]}').panels as Array<{ title: string; targets?: Array<{ expr: string }> }>);
    queries = [...alerts, ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })))];
  });

  it('finds the alerts and the dashboard queries (examples/full turns both on)', () => {
    assert.ok(queries.filter((q) => q.where.startsWith('alert')).length >= 6, 'alerts');
    assert.ok(queries.filter((q) => q.where.startsWith('panel')).length >= 10, 'panel queries');
  });

  it('every metric queried is one istiod exports at every tag the facts name (or Prometheus\'s own)', () => {
    assert.equal(FACTS.tags.length, 11, 'one tag per served minor, 1.20 to 1.30');
    for (const q of queries) {
      const selectors = selectorsOf(q.expr);
      assert.ok(selectors.length > 0, `${q.where}: no metric in ${q.expr}`);
      for (const s of selectors) assert.ok(factOf(s.metric) || FACTS.outside.includes(s.metric), `${q.where}: istiod exports no metric ${s.metric} (${q.expr})`);
    }
  });

  it('every filter on a label istiod sets can match one of its values', () => {
    for (const q of queries) {
      for (const s of selectorsOf(q.expr)) {
        for (const m of s.matchers) {
          const values = factOf(s.metric)?.labels?.[m.label];
          if (!values) continue;
          const matches = values.filter((v) => (m.op === '=' ? v === m.value : m.op === '=~' ? new RegExp(`^(?:${m.value})$`).test(v) : true));
          assert.ok(matches.length > 0, `${q.where}: ${m.label}${m.op}"${m.value}" matches no ${s.metric} series (values: ${values.join(', ')})`);
        }
      }
    }
  });

  it('the istiod ServiceMonitor carries the target labels of Istio\'s own, and the Service has them', () => {
    const monitor = objects.find((o) => o.kind === 'ServiceMonitor');
    const service = objects.find((o) => o.kind === 'Service' && o.metadata?.labels?.istio === 'pilot' && !o.metadata?.labels?.['istio.io/tag']);
    for (const label of FACTS.monitors.serviceMonitorTargetLabels) {
      assert.ok((monitor?.spec.targetLabels as string[]).includes(label), `targetLabels has ${label}`);
      assert.ok(service?.metadata?.labels?.[label], `the istiod Service carries ${label}`);
    }
  });

  it('the proxy PodMonitor keeps pods by the presence of prometheus.io/scrape, as Istio\'s own does', () => {
    const monitor = objects.find((o) => o.kind === 'PodMonitor');
    const keeps = (monitor?.spec.podMetricsEndpoints[0].relabelings as Array<{ action: string; sourceLabels: string[] }>).filter((r) => r.action === 'keep');
    const scrape = keeps.filter((r) => r.sourceLabels.some((l) => l.includes('prometheus_io_scrape')));
    assert.deepEqual(scrape.map((r) => r.sourceLabels), [[FACTS.monitors.podMonitorScrapeKeepLabel]]);
  });
});

describe('selectorsOf', () => {
  const cases: Array<[string, string[]]> = [
    ['sum by (istio_io_rev) (rate(pilot_xds_pushes{type=~"[a-z]+_senderr"}[5m])) > 0', ['pilot_xds_pushes']],
    ['histogram_quantile(0.99, sum by (le, istio_io_rev) (rate(pilot_proxy_convergence_time_bucket[5m]))) > 10', ['pilot_proxy_convergence_time_bucket']],
    ['absent(up{job="istiod", namespace="aks-istio-system"} == 1)', ['up']],
    ['sum by (istio_io_rev, type) (rate(pilot_xds_pushes{istio_io_rev=~"$revision"}[5m]))', ['pilot_xds_pushes']],
  ];
  for (const [expr, want] of cases) it(expr, () => assert.deepEqual(selectorsOf(expr).map((s) => s.metric), want));
  it('reads label matchers', () => assert.deepEqual(selectorsOf('x{type=~"a|b", job="j"}')[0]?.matchers, [{ label: 'type', op: '=~', value: 'a|b' }, { label: 'job', op: '=', value: 'j' }]));
});
