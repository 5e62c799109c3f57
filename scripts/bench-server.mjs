// `npm run bench:server`: load on a real `meshplane serve` (docs/server.md "Load figures").
// Starts the server on 127.0.0.1 (a free port), warms one request into the cache, then runs N
// concurrent clients for a bounded time: K of them send renders nobody asked for before (a fresh
// mesh name each time: a cache miss and a jsonnet evaluation), the others send the cached one.
// (A closed loop with a share of uncached requests instead would end with every client waiting
// on a render, which measures the queue, not the server.) Prints throughput, p50/p99 per kind,
// errors, 503s and the server's RSS before and after (plus the latency of cache hits from a
// single client first, one request at a time), then stops the server with SIGTERM and
// reports its exit code. Bounded: requests still open 10 s after the end are cut; < 60 s in all.
//
// Options: --clients N (64) --uncached-clients K (4) --seconds S (15) --example NAME (canary)
//          --max-concurrent N (server default: one per core)
// --fleet runs the fleet figures instead (bench/fleet.mjs): --clusters N (1000) renders of one
//          intent with per-cluster parameters and --distinct N (40) distinct intents, at 1 and
//          2 workers, then a soak of --soak-seconds S (120; 600 for the 10-minute soak) at 2
//          workers sampling RSS. Writes bench/results/fleet.json.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileSync as writeFile, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { cacheMiB, fleetRun, jsonnetBaseline, soak } from '../bench/fleet.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (text) => process.stderr.write(`${text}\n`);

function options() {
  const { values } = parseArgs({ options: { clients: { type: 'string' }, seconds: { type: 'string' }, 'uncached-clients': { type: 'string' }, example: { type: 'string' }, 'max-concurrent': { type: 'string' }, fleet: { type: 'boolean' }, clusters: { type: 'string' }, distinct: { type: 'string' }, 'soak-seconds': { type: 'string' } } });
  const num = (v, d, ok) => {
    const n = v === undefined ? d : Number(v);
    if (!ok(n)) throw new Error(`bad option value: ${v}`);
    return n;
  };
  const clients = num(values.clients, 64, (n) => Number.isInteger(n) && n > 0 && n <= 1024);
  return {
    clients,
    seconds: num(values.seconds, 15, (n) => n > 0 && n <= 40),
    uncachedClients: num(values['uncached-clients'], Math.min(4, clients), (n) => Number.isInteger(n) && n >= 0 && n <= clients),
    example: values.example ?? 'canary',
    maxConcurrent: values['max-concurrent'],
    fleet: values.fleet === true,
    clusters: num(values.clusters, 1000, (n) => Number.isInteger(n) && n > 0 && n <= 100_000),
    distinct: num(values.distinct, 40, (n) => Number.isInteger(n) && n > 0 && n <= 10_000),
    soakSeconds: num(values['soak-seconds'], 120, (n) => n >= 0 && n <= 3600),
  };
}

/** The example's manifest files, as a request's `files`. */
function exampleFiles(name) {
  const dir = path.join(root, 'examples', name);
  const out = {};
  const walk = (rel) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(e.name)) out[p] = readFileSync(path.join(dir, p), 'utf8');
    }
  };
  walk('');
  return out;
}

function startServer(maxConcurrent, extra = []) {
  const args = [path.join(root, 'bin', 'meshplane'), 'serve', '--host', '127.0.0.1', '--port', '0', ...extra];
  if (maxConcurrent) args.push('--max-concurrent', maxConcurrent);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let buf = '';
    let url;
    const timer = setTimeout(() => reject(new Error(`the server was not ready within 30 s:\n${buf.slice(-2000)}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (url && buf === '') return; // ready: logs are drained and dropped
      buf += d;
      for (const line of buf.split('\n').slice(0, -1)) {
        let rec;
        try { rec = JSON.parse(line); } catch { continue; }
        if (rec.msg === 'listening') url = `http://127.0.0.1:${rec.port}`;
        if (rec.msg === 'warm-up render passed: ready' && url) {
          clearTimeout(timer);
          buf = '';
          resolve({ child, url, exited });
        }
      }
    });
    exited.then(({ code }) => reject(new Error(`the server exited (${code}) before it was ready:\n${buf.slice(-2000)}`)));
  });
}

/** CPU seconds (user + system, every thread) a process has used (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const load1 = () => Math.round(loadavg()[0] * 100) / 100;

/** Resident set size of a process in MiB (Linux /proc; `ps` elsewhere). */
function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return Number.NaN;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Grace after the end of the run for requests still open; later ones are cut (and counted). */
const GRACE_MS = 10_000;

/**
 * One POST with node's http client on a keep-alive agent (lighter than fetch: the load generator
 * shares the machine with the server, and its own cost must stay small). Resolves with the status.
 */
function postRender(agent, url, payload, signal) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/render`, { method: 'POST', agent, signal, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Cached requests from one client, one at a time: the latency of a cache hit without queueing. */
const SEQUENTIAL_REQUESTS = 300;

async function sequential(url, body, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const payload = JSON.stringify(body);
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await postRender(agent, url, payload);
    if (status !== 200) throw new Error(`a cached request answered ${status}`);
    times.push(performance.now() - t0);
  }
  agent.destroy();
  return times;
}

async function drive(url, body, opts, stopAt) {
  const stats = { cached: [], uncached: [], status: new Map(), errors: 0, cut: 0, errorSamples: new Set() };
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
  const cachedPayload = JSON.stringify(body);
  let unique = 0;
  const meshName = /name: \S+/;
  const cutAt = AbortSignal.timeout(stopAt + GRACE_MS - Date.now());
  setMaxListeners(opts.clients + 1, cutAt);
  const client = async (fresh) => {
    while (Date.now() < stopAt) {
      const payload = fresh ? JSON.stringify({ files: { ...body.files, 'mesh.yaml': body.files['mesh.yaml'].replace(meshName, `name: bench-${process.pid}-${unique++}`) } }) : cachedPayload;
      const t0 = performance.now();
      try {
        const status = await postRender(agent, url, payload, cutAt);
        const ms = performance.now() - t0;
        stats.status.set(status, (stats.status.get(status) ?? 0) + 1);
        if (status === 200) (fresh ? stats.uncached : stats.cached).push(ms);
        else if (status !== 503) stats.errors++;
      } catch (err) {
        if (cutAt.aborted) stats.cut++;
        else {
          stats.errors++;
          stats.errorSamples.add(err.code ?? err.name ?? String(err));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i < opts.uncachedClients)));
  agent.destroy();
  return stats;
}

function report(opts, stats, elapsed, rss, exit, single) {
  const line = (label, list) => {
    const s = [...list].sort((a, b) => a - b);
    return `${label.padEnd(10)} ${String(s.length).padStart(7)}   p50 ${quantile(s, 0.5).toFixed(2).padStart(8)} ms   p99 ${quantile(s, 0.99).toFixed(2).padStart(8)} ms`;
  };
  const total = [...stats.status.values()].reduce((a, b) => a + b, 0);
  const ok = stats.cached.length + stats.uncached.length;
  const out = [
    `meshplane server load: ${opts.clients} clients (${opts.uncachedClients} sending uncached renders), ${elapsed.toFixed(1)} s, example ${opts.example}`,
    `throughput ${(total / elapsed).toFixed(0)} answers/s (${(ok / elapsed).toFixed(0)} of them 200)`,
    line('cached/1', single),
    line('cached', stats.cached),
    line('uncached', stats.uncached),
    `statuses   ${[...stats.status.entries()].sort().map(([s, n]) => `${s}: ${n}`).join(', ')}`,
    `503 count  ${stats.status.get(503) ?? 0} (deliberate shedding: queue full or past the deadline)`,
    `errors     ${stats.errors}${stats.errorSamples.size ? ` (${[...stats.errorSamples].join(', ')})` : ''} (anything but 200/503, or no answer)`,
    `cut        ${stats.cut} (still open ${GRACE_MS / 1000} s after the end of the run)`,
    `server RSS ${rss.before.toFixed(0)} MiB before, ${rss.after.toFixed(0)} MiB after`,
    `SIGTERM    exit ${exit.code ?? exit.signal}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** The fleet figures (see the header): a fresh server per worker count, then the soak. */
async function fleet(opts, files) {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100) };
  log('baseline: jsonnet CLI on the same templates and input (5 runs)');
  const jsonnetMs = await jsonnetBaseline(root, path.join(root, 'examples', opts.example));
  const runs = [];
  for (const workers of [1, 2]) {
    log(`fleet at ${workers} worker(s): ${opts.clusters} cluster renders, ${opts.distinct} distinct intents`);
    // A queue and deadline large enough that the fleet queues instead of being shed (503).
    const server = await startServer(String(workers), ['--workers', String(workers), '--max-queue', String(opts.clusters + 100), '--deadline-ms', '600000']);
    try {
      const before = rssMiB(server.child.pid);
      const cpuBefore = cpuSeconds(server.child.pid);
      const loadBefore = load1();
      const r = await fleetRun(server.url, files, { clusters: opts.clusters, distinct: opts.distinct, workers });
      // The server's CPU seconds (all threads) for both parts: comparable between runs on a busy machine, unlike wall time.
      const serverCpuSeconds = Math.round((cpuSeconds(server.child.pid) - cpuBefore) * 100) / 100;
      runs.push({ workers, ...r, loadAverage1: { start: loadBefore, end: load1() }, serverCpuSeconds, rssMiB: { before: Math.round(before), after: Math.round(rssMiB(server.child.pid)) }, cacheMiBAfter: await cacheMiB(server.url) });
      let soakResult;
      if (workers === 2 && opts.soakSeconds > 0) {
        log(`soak: ${opts.soakSeconds} s at 2 workers`);
        soakResult = await soak(server.url, files, opts.soakSeconds, () => rssMiB(server.child.pid));
        runs[runs.length - 1].soak = soakResult;
      }
    } finally {
      server.child.kill('SIGTERM');
      await Promise.race([server.exited, new Promise((r) => setTimeout(r, 15_000))]);
      server.child.kill('SIGKILL');
    }
  }
  const record = { date: new Date().toISOString(), machine, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100), example: opts.example, baseline: { jsonnetCliMs: Math.round(jsonnetMs), rendersPerSecondPerCore: 1000 / jsonnetMs }, runs };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFile(path.join(root, 'bench', 'results', 'fleet.json'), `${JSON.stringify(record, null, 2)}\n`);
  const lines = [`fleet (${opts.example}; ${machine.cpus} × ${machine.cpuModel}; load average ${machine.loadAverageAtStart[0]} at start, ${record.loadAverageAtEnd[0]} at end)`, `baseline: jsonnet CLI ${Math.round(jsonnetMs)} ms per render = ${record.baseline.rendersPerSecondPerCore.toFixed(2)} renders/s per core`];
  for (const r of runs) {
    lines.push(`${r.workers} worker(s), load average ${r.loadAverage1.start} → ${r.loadAverage1.end}, server CPU ${r.serverCpuSeconds} s: ${r.oneIntent.requests} renders of one intent in ${r.oneIntent.seconds.toFixed(1)} s (${(r.oneIntent.seconds / r.oneIntent.requests * 1000).toFixed(1)} s per 1,000: target < 10 s ${r.oneIntent.seconds / r.oneIntent.requests * 1000 < 10 ? 'met' : 'NOT met'}; statuses ${JSON.stringify(r.oneIntent.statuses)}); ${r.distinct.requests} distinct intents at ${r.distinct.perSecond.toFixed(2)}/s = ${r.distinct.perSecondPerWorker.toFixed(2)}/s per worker (target ≥ 4: ${r.distinct.perSecondPerWorker >= 4 ? 'met' : 'NOT met'}; ${(r.distinct.perSecondPerWorker / record.baseline.rendersPerSecondPerCore).toFixed(2)}× the jsonnet CLI's rate); RSS ${r.rssMiB.before} → ${r.rssMiB.after} MiB (response cache ${r.cacheMiBAfter} MiB of it)`);
    if (r.soak) lines.push(`soak ${r.soak.seconds} s, ${r.soak.requests} requests: RSS MiB (response cache MiB) ${r.soak.samples.filter((s) => s.rssMiB !== undefined).map((s) => `${s.t}s ${Math.round(s.rssMiB)} (${s.cacheMiB})`).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  log('results written to bench/results/fleet.json');
}

async function main() {
  const opts = options();
  if (opts.fleet) return fleet(opts, exampleFiles(opts.example));
  statSync(path.join(root, 'dist', 'src', 'server', 'app.js'));
  const body = { files: exampleFiles(opts.example) };
  log(`starting meshplane serve (${opts.example}, ${opts.clients} clients, ${opts.seconds} s)…`);
  const server = await startServer(opts.maxConcurrent);
  try {
    const warm = await fetch(`${server.url}/v1/render`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (warm.status !== 200) throw new Error(`the warm-up request failed: ${warm.status} ${await warm.text()}`);
    const before = rssMiB(server.child.pid);
    const single = await sequential(server.url, body, SEQUENTIAL_REQUESTS);
    const started = Date.now();
    const stats = await drive(server.url, body, opts, started + opts.seconds * 1000);
    const elapsed = (Date.now() - started) / 1000;
    const after = rssMiB(server.child.pid);
    server.child.kill('SIGTERM');
    const exit = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 15_000))]);
    report(opts, stats, elapsed, { before, after }, exit, single);
  } finally {
    server.child.kill('SIGKILL');
  }
}

main().catch((err) => {
  log(`bench-server: ${err.stack ?? err}`);
  process.exit(1);
});
