/** Test helpers for the server: a context on a real listener (port 0), small mesh sources, a spawned `meshplane serve`. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/server/app.js';
import { createContext, type ContextOptions, type ServerContext } from '../../src/server/context.js';
import { createLogger } from '../../src/server/log.js';
import { warmupSource } from '../../src/server/warmup.js';
import { BIN, REPO_ROOT } from './cli.js';

/** A listening test server and its captured log lines. */
export interface TestServer {
  ctx: ServerContext;
  server: Server;
  url: string;
  logs: string[];
  close(): Promise<void>;
}

/** Builds a context (ready unless told otherwise) and listens on 127.0.0.1:0. */
export async function listenTest(options: ContextOptions & { ready?: boolean } = {}): Promise<TestServer> {
  const logs: string[] = [];
  const ctx = createContext({ logger: createLogger((l) => void logs.push(l), 'info'), ...options });
  ctx.state.ready = options.ready ?? true;
  const server = createApp(ctx).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { ctx, server, url: `http://127.0.0.1:${port}`, logs, close };
}

/** The minimal mesh of the warm-up (newest revision), as a request's `files`. */
export function meshFiles(extra: Record<string, string> = {}): Record<string, string> {
  const [mesh] = warmupSource();
  return { [mesh?.path ?? 'mesh.yaml']: mesh?.text ?? '', ...extra };
}

/** A forbidden kind: the source fails the guardrails with forbidden-kind. */
export const ENVOY_FILTER = 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: lua\n  namespace: shop\nspec: {}\n';

/** A spawned `bin/meshplane serve` with its stderr collected. */
export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `meshplane serve --port 0 …` and resolves once it logged "listening" and is ready (bounded wait). */
export function spawnServe(args: string[] = [], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<SpawnedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let url: string | undefined;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`meshplane serve did not get ready within ${timeoutMs} ms:\n${err}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      for (const line of err.split('\n').slice(0, -1)) {
        const rec = parseLine(line);
        if (rec?.msg === 'listening') url = `${rec.tls === true ? 'https' : 'http'}://127.0.0.1:${String(rec.port)}`;
        if (rec?.msg === 'warm-up render passed: ready' && url) {
          clearTimeout(timer);
          resolve({ child, url, stderr: () => err, exited });
        }
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`meshplane serve exited (${code}) before it was ready:\n${err}`));
    });
  });
}

/** One JSON log line, or undefined. */
export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A supertest body parser that keeps the raw text of any content type (YAML included). */
export function rawText(res: unknown, callback: (err: Error | null, body: string) => void): void {
  const stream = res as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('end', () => callback(null, text));
}
