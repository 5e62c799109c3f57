// Fleet figures of `npm run bench:server -- --fleet`: what one `meshplane serve` does for an
// ApplicationSet that renders one intent for many clusters, each with its own parameters.
// - one intent, N clusters: N requests, each with the same source and the cluster's own
//   KUBE_VERSION (patch level) and `security.mtls` parameter (ARGOCD_APP_PARAMETERS), 16 at a
//   time; every request is distinct to the server's response cache, few are distinct renders.
// - distinct intents: requests whose mesh name is new each time, so each one evaluates the
//   templates: renders per second, divided by the workers.
// - both with 1 and with 2 render workers (a fresh server each), and a soak that mixes the two
//   kinds for a while and samples the server's RSS.
// Baseline, measured in the same run: the C++ jsonnet CLI evaluating the same bundled templates
// with the example's input (median of 5): 1 / that time is one core's render rate with no server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './measure.mjs';

/** Concurrent clients of the fleet runs. Why 16: an ApplicationSet refresh syncs many Applications at once; more only queues. */
const FLEET_CLIENTS = 16;

/** One POST /v1/render; resolves with the status code. */
function post(agent, url, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/render`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends `payloads` with `clients` in flight; returns { seconds, statuses }. */
async function sendAll(url, payloads, clients = FLEET_CLIENTS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const statuses = new Map();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < payloads.length) {
      const p = payloads[next++];
      let status;
      try {
        status = await post(agent, url, p);
      } catch (err) {
        status = err.code ?? 'error';
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }));
  agent.destroy();
  return { seconds: (performance.now() - t0) / 1000, statuses: Object.fromEntries(statuses) };
}

/** Requests of one intent for `n` clusters, each with its own parameters. */
export function clusterPayloads(files, n) {
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    files,
    env: { KUBE_VERSION: `v1.32.${i}`, ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'security.mtls', string: i % 2 ? 'STRICT' : 'PERMISSIVE' }]) },
  }));
}

let unique = 0;
/** Requests whose intent is new each time (a fresh mesh name): every one evaluates the templates. */
export function distinctPayloads(files, n) {
  return Array.from({ length: n }, () => JSON.stringify({ files: { ...files, 'mesh.yaml': files['mesh.yaml'].replace(/name: \S+/, `name: fleet-${process.pid}-${unique++}`) } }));
}

/** Median time of the jsonnet CLI on the example's bundled templates and input (the baseline). */
export async function jsonnetBaseline(root, exampleDir) {
  const lib = (rel) => import(pathToFileURL(path.join(root, 'dist', rel)).href);
  const { render } = await lib('src/pipeline/render.js');
  const { readSourceTree } = await lib('src/pipeline/load.js');
  const { bundleTemplates } = await lib('src/engine/bundle.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fleet-'));
  try {
    const input = (await render({ files: await readSourceTree(exampleDir), env: {} })).input;
    writeFileSync(path.join(work, 'input.json'), JSON.stringify(input));
    writeFileSync(path.join(work, 'bundle.jsonnet'), bundleTemplates(path.join(root, 'templates')));
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync('jsonnet', ['--tla-str-file', `input=${path.join(work, 'input.json')}`, path.join(work, 'bundle.jsonnet')], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(`the jsonnet CLI failed: ${String(r.stderr).slice(-300)}`);
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs the fleet figures against a started server; `rss()` reads its RSS in MiB. */
export async function fleetRun(url, files, opts) {
  const one = await sendAll(url, clusterPayloads(files, opts.clusters));
  const distinct = await sendAll(url, distinctPayloads(files, opts.distinct));
  return {
    oneIntent: { requests: opts.clusters, seconds: one.seconds, perSecond: opts.clusters / one.seconds, statuses: one.statuses },
    distinct: { requests: opts.distinct, seconds: distinct.seconds, perSecond: opts.distinct / distinct.seconds, perSecondPerWorker: opts.distinct / distinct.seconds / opts.workers, statuses: distinct.statuses },
  };
}

/**
 * MiB of answers the server's response cache holds (its /metrics gauge): the part of the RSS
 * that is meant to grow, up to the cache's byte budget (256 MiB by default), as new answers come.
 */
export async function cacheMiB(url) {
  const text = await new Promise((resolve, reject) => {
    http.get(`${url}/metrics`, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => { body += d; }).on('end', () => resolve(body)).on('error', reject);
    }).on('error', reject);
  });
  const m = /^meshplane_cache_bytes (\S+)$/m.exec(text);
  return m ? Math.round(Number(m[1]) / 1048576) : undefined;
}

/** Mixes both kinds for `seconds`, sampling RSS (and the cache's share of it) every `everySeconds`. */
export async function soak(url, files, seconds, rss, everySeconds = 10) {
  const samples = [{ t: 0, rssMiB: Math.round(rss()), cacheMiB: await cacheMiB(url), load1: Math.round(os.loadavg()[0] * 100) / 100 }];
  const started = performance.now();
  let requests = 0;
  while ((performance.now() - started) / 1000 < seconds) {
    const r = await sendAll(url, [...clusterPayloads(files, 40), ...distinctPayloads(files, 4)]);
    requests += 44;
    const t = (performance.now() - started) / 1000;
    if (t - samples[samples.length - 1].t >= everySeconds) samples.push({ t: Math.round(t), rssMiB: Math.round(rss()), cacheMiB: await cacheMiB(url), load1: Math.round(os.loadavg()[0] * 100) / 100 });
    if (Object.keys(r.statuses).some((s) => s !== '200')) samples.push({ t: Math.round(t), statuses: r.statuses });
  }
  return { seconds, requests, samples };
}
