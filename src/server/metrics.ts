/**
 * Prometheus metrics on a registry of the server's own (never prom-client's global default, so
 * two servers in one process, e.g. in tests, never share counters). Route labels are the fixed
 * route names, never raw URLs, so a scanner cannot blow up the label set.
 *
 * Names follow https://prometheus.io/docs/practices/naming/: ours carry the `meshplane_` prefix,
 * base units (`_seconds`, `_bytes`) and `_total` on counters only; Node's process metrics keep
 * their standard unprefixed names (`process_cpu_seconds_total`, `nodejs_*`) so stock dashboards work.
 * The test scrapes /metrics over HTTP and runs Prometheus' own linter (`promtool check metrics`) on it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BuildInfo, CatalogKnowledge } from './build-info.js';
import type { AnswerCache } from './cache.js';
import type { RenderGate } from './limits.js';

/** The metrics the server updates. */
export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  requestSeconds: Histogram<'route' | 'status'>;
  renderSeconds: Histogram<'route' | 'outcome'>;
  violations: Counter<'rule' | 'severity'>;
  shed: Counter<'reason'>;
  cacheHits: Counter<'route'>;
  cacheMisses: Counter<'route'>;
}

/** Latency buckets (seconds): from a cached answer (~1 ms) to the deadline. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * prom-client default gauges whose names end in `_total` although they are not counters (the
 * naming rules and promtool reject that). Why dropping them loses nothing: each one is the sum
 * over the `type` label of its unsuffixed twin (`nodejs_active_handles` etc.), which stays.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Creates the registry and every metric; cache and gate figures are read at scrape time. */
export function createMetrics(cache: AnswerCache, gate: RenderGate, build: BuildInfo, knowledge?: CatalogKnowledge): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
  const registers = [registry];
  const labels = Object.keys(build) as Array<keyof BuildInfo>;
  new Gauge({ name: 'meshplane_build_info', help: 'Always 1; the labels tell the Meshplane version, Node version, catalog date and commit of this process', labelNames: labels, registers }).set(build, 1);
  const m: ServerMetrics = {
    registry,
    requests: new Counter({ name: 'meshplane_http_requests_total', help: 'HTTP requests answered, by route, method and status', labelNames: ['route', 'method', 'status'], registers }),
    requestSeconds: new Histogram({ name: 'meshplane_http_request_duration_seconds', help: 'Time from arrival to answer, by route and status', labelNames: ['route', 'status'], buckets: LATENCY_BUCKETS, registers }),
    renderSeconds: new Histogram({ name: 'meshplane_render_duration_seconds', help: 'Time in the core (render, check, diff, post-render) per uncached request, queue wait excluded', labelNames: ['route', 'outcome'], buckets: LATENCY_BUCKETS, registers }),
    violations: new Counter({ name: 'meshplane_violations_total', help: 'Guardrail findings in computed answers (a cached answer is not counted again), by rule and severity', labelNames: ['rule', 'severity'], registers }),
    shed: new Counter({ name: 'meshplane_shed_total', help: 'Requests refused with 503, by reason (overloaded, deadline-exceeded, shutting-down)', labelNames: ['reason'], registers }),
    cacheHits: new Counter({ name: 'meshplane_cache_hits_total', help: 'Requests answered from the cache, by route', labelNames: ['route'], registers }),
    cacheMisses: new Counter({ name: 'meshplane_cache_misses_total', help: 'Cacheable requests that had to be computed, by route', labelNames: ['route'], registers }),
  };
  gauges(registry, cache, gate);
  if (knowledge) catalogGauges(registry, knowledge);
  return m;
}

/** Seconds since the epoch at the end of a YYYY-MM-DD day (UTC): a day "until" which something holds includes that day. */
export function endOfDaySeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000 + 24 * 60 * 60;
}

/**
 * The revision catalog's horizon as timestamps, so an alert can fire when the shipped catalog
 * can no longer vouch for a revision's support (`time() > meshplane_catalog_vouched_until_timestamp_seconds{revision="asm-1-29"}`)
 * instead of someone reading `meshplane version`.
 */
function catalogGauges(registry: Registry, k: CatalogKnowledge): void {
  const registers = [registry];
  new Gauge({ name: 'meshplane_catalog_knowledge_timestamp_seconds', help: 'Start of the day (UTC) up to which the shipped revision catalog knows AKS releases (its oldest source snapshot)', registers }).set(Date.parse(`${k.asOf}T00:00:00Z`) / 1000);
  const until = new Gauge({ name: 'meshplane_catalog_vouched_until_timestamp_seconds', help: 'End of the last day (UTC) the shipped revision catalog vouches for each revision\'s support; later, upgrade Meshplane for a newer catalog', labelNames: ['revision'], registers });
  for (const v of k.vouchedUntil) until.set({ revision: v.revision }, endOfDaySeconds(v.until));
}

function gauges(registry: Registry, cache: AnswerCache, gate: RenderGate): void {
  const registers = [registry];
  const read = (name: string, help: string, value: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(value()); } });
  read('meshplane_renders_in_flight', 'Renders running now', () => gate.running);
  read('meshplane_renders_queued', 'Requests waiting for a render slot', () => gate.queued);
  read('meshplane_cache_bytes', 'Bytes of answers held by the cache', () => cache.bytes);
  read('meshplane_cache_entries', 'Answers held by the cache', () => cache.size);
  let evicted = 0;
  new Counter({
    name: 'meshplane_cache_evictions_total',
    help: 'Answers dropped to stay within the byte budget',
    registers,
    collect() {
      this.inc(cache.stats.evictions - evicted);
      evicted = cache.stats.evictions;
    },
  });
}
