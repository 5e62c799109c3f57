/**
 * A fake Kubernetes API server: an Express app over real HTTPS (throwaway CA from tls.ts) that
 * answers with the API's own shapes (VersionInfo, APIVersions, APIGroupList, <Kind>List with
 * metadata.resourceVersion and continue tokens, Status errors), checks a bearer token (401),
 * optionally enforces ClusterRole rules (403), and records every request, so tests can run the
 * real @kubernetes/client-node against it and compare what it asked for with what RBAC grants.
 */
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { applyPatch, PATCH_TYPES } from './patch.js';
import { FakeCluster, type FakeClusterSpec, type KubeObj, type WriteError } from './cluster.js';
import { discovery, listResponse, resourceList } from './responses.js';
import { allows, forbiddenMessage, type Attributes, type Rule } from './rbac.js';
import { requestInfo } from './request-info.js';
import { parseApiPath, type ApiPath } from './routes.js';
import { badRequest, details, forbidden, notFoundObject, notFoundPath, status, unauthorized, type Status } from './status.js';
import { testCertificates } from './tls.js';

/** Settings of a fake server. */
export interface FakeServerOptions {
  /** The bearer token clients must send. */
  token: string;
  /** ClusterRole rules to enforce; undefined allows everything. */
  rules?: Rule[];
  /** The user name in 403 messages. */
  user?: string;
  /** Serve plain HTTP even when openssl is available. */
  plainHttp?: boolean;
  /** Accept creates (POST) and deletes (DELETE); without it the server only reads (405). */
  writable?: boolean;
}

/** One request the server answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  attributes?: Attributes;
  /** The Content-Type of a PATCH (the patch type the client chose). */
  contentType?: string;
  status: number;
}

/** A running fake server. */
export interface FakeApiServer {
  url: string;
  /** PEM of the CA that signed the server certificate (undefined over plain HTTP). */
  caPem?: string;
  requests: RecordedRequest[];
  /** The served objects, for tests that change them while a client runs (a controller's status update). */
  cluster: FakeCluster;
  close(): Promise<void>;
}

/** Builds the Express app over a cluster (exported for in-process tests with supertest). */
export function createFakeApiApp(cluster: FakeCluster, opts: FakeServerOptions, log: RecordedRequest[], serverAddress: () => string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // JSON bodies (POST) as objects; every other body (PATCH's merge and strategic-merge types) as text.
  app.use(express.json({ limit: '50mb' }));
  app.use(express.text({ type: () => true, limit: '1mb' }));
  app.use((req: Request, res: Response) => {
    const url = new URL(req.originalUrl, 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const parsed = parseApiPath(url.pathname);
    const attributes = requestInfo(req.method, url.pathname, query);
    const contentType = req.method === 'PATCH' ? req.headers['content-type'] : undefined;
    res.on('finish', () => log.push({ method: req.method, path: url.pathname, query, ...(attributes ? { attributes } : {}), ...(contentType ? { contentType } : {}), status: res.statusCode }));
    const send = (body: unknown, code = 200): void => void res.status(code).type('application/json').send(JSON.stringify(body));
    const fail = (s: Status): void => send(s, s.code);
    if (req.headers.authorization !== `Bearer ${opts.token}`) return fail(unauthorized());
    // As the server's filter chain: authentication, then authorization of every request (any path), then routing.
    if (!attributes) return fail(notFoundPath());
    if (opts.rules && !allows(opts.rules, attributes)) return fail(forbidden(forbiddenMessage(opts.user ?? 'fake-user', attributes), attributes));
    if (!parsed) return fail(notFoundPath());
    if (parsed.kind === 'resource' && parsed.subresource) return serveSubresource(cluster, parsed, req.method, send, fail);
    if (req.method === 'PATCH' && parsed.kind === 'resource' && parsed.name) return servePatch(cluster, parsed, req, send, fail);
    const write = req.method === 'POST' || req.method === 'DELETE';
    if (req.method !== 'GET' && !(write && opts.writable && parsed.kind === 'resource')) return fail(status(405, 'MethodNotAllowed', opts.writable ? `the fake API server creates, deletes, patches and reads (got ${req.method} ${url.pathname})` : `the fake API server only reads and patches objects (got ${req.method})`));
    if (parsed.kind === 'url') return send(discovery(cluster, parsed.path, serverAddress()));
    if (parsed.kind === 'group-version') {
      const list = resourceList(cluster, parsed.group, parsed.version);
      return list ? send(list) : fail(notFoundPath());
    }
    if (req.method === 'POST') return createResource(cluster, parsed, req.body as KubeObj, send, fail);
    if (req.method === 'DELETE') return deleteResource(cluster, parsed, send, fail);
    return serveResource(cluster, parsed, query, send, fail);
  });
  return app;
}

function serveResource(cluster: FakeCluster, p: Extract<ApiPath, { kind: 'resource' }>, query: Record<string, string>, send: (b: unknown) => void, fail: (s: Status) => void): void {
  const type = cluster.find(p.group, p.version, p.plural);
  if (!type || (p.namespace && !type.namespaced)) return fail(notFoundPath());
  if (query.watch === 'true' || query.watch === '1') return fail(badRequest('the fake API server does not implement watch'));
  if (p.name) {
    const obj = cluster.list(type).find((o) => o.metadata.name === p.name && (o.metadata.namespace ?? undefined) === p.namespace);
    return obj ? send(obj) : fail(notFoundObject(p.group, p.plural, p.name));
  }
  try {
    send(listResponse(cluster, type, p, query));
  } catch (err) {
    fail(badRequest((err as Error).message));
  }
}

/**
 * A subresource: GET `status` answers the whole object, as the status subresource's GET does; the
 * fake serves no other subresource (logs, scale, eviction, proxy, …) and answers those with the
 * server's 404 for a path it does not serve, after authorizing them as the real server does.
 */
function serveSubresource(cluster: FakeCluster, p: Extract<ApiPath, { kind: 'resource' }>, method: string, send: (b: unknown) => void, fail: (s: Status) => void): void {
  const type = cluster.find(p.group, p.version, p.plural);
  if (!type || p.subresource !== 'status' || method !== 'GET' || (p.namespace && !type.namespaced)) return fail(notFoundPath());
  const obj = cluster.get(type, p.namespace, p.name as string);
  return obj ? send(obj) : fail(notFoundObject(p.group, p.plural, p.name as string));
}

function servePatch(cluster: FakeCluster, p: Extract<ApiPath, { kind: 'resource' }>, req: Request, send: (b: unknown) => void, fail: (s: Status) => void): void {
  const type = cluster.find(p.group, p.version, p.plural);
  if (!type || (p.namespace && !type.namespaced)) return fail(notFoundPath());
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (!(PATCH_TYPES as readonly string[]).includes(contentType)) return fail(status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`));
  const obj = cluster.get(type, p.namespace, p.name as string);
  if (!obj) return fail(notFoundObject(p.group, p.plural, p.name as string));
  let patch: unknown;
  try {
    patch = JSON.parse(typeof req.body === 'string' ? req.body : '');
  } catch (err) {
    return fail(badRequest(`error decoding patch: ${(err as Error).message}`));
  }
  try {
    send(cluster.update(type, applyPatch(obj, patch, contentType as (typeof PATCH_TYPES)[number])));
  } catch (err) {
    fail(badRequest((err as Error).message));
  }
}

const WRITE_STATUS: Readonly<Record<WriteError['reason'], number>> = { AlreadyExists: 409, NotFound: 404, NamespaceNotFound: 404 };

function isWriteError(r: KubeObj | WriteError): r is WriteError {
  return 'reason' in r && !('metadata' in r);
}

function createResource(cluster: FakeCluster, p: Extract<ApiPath, { kind: 'resource' }>, body: KubeObj, send: (b: unknown, code?: number) => void, fail: (s: Status) => void): void {
  const type = cluster.find(p.group, p.version, p.plural);
  if (!type || p.name || (p.namespace && !type.namespaced)) return fail(notFoundPath());
  if (!body || typeof body !== 'object' || !body.metadata?.name) return fail(badRequest('the object has no metadata.name'));
  if (type.namespaced && !p.namespace) return fail(notFoundPath());
  if (body.metadata.namespace !== undefined && body.metadata.namespace !== p.namespace) return fail(badRequest(`the namespace of the provided object does not match the namespace sent on the request`));
  const obj: KubeObj = { ...body, metadata: { ...body.metadata, ...(p.namespace ? { namespace: p.namespace } : {}) } };
  const r = cluster.create(type, obj);
  if (isWriteError(r)) {
    const about = r.reason === 'NamespaceNotFound' ? details('', 'namespaces', p.namespace) : details(type.group, type.plural, body.metadata.name);
    return fail(status(WRITE_STATUS[r.reason], r.reason === 'NamespaceNotFound' ? 'NotFound' : r.reason, r.message, about));
  }
  send(r, 201);
}

function deleteResource(cluster: FakeCluster, p: Extract<ApiPath, { kind: 'resource' }>, send: (b: unknown) => void, fail: (s: Status) => void): void {
  const type = cluster.find(p.group, p.version, p.plural);
  if (!type || !p.name || (p.namespace && !type.namespaced)) return fail(notFoundPath());
  const r = cluster.remove(type, p.name, p.namespace);
  if (isWriteError(r)) return fail(status(WRITE_STATUS[r.reason], r.reason, r.message, details(type.group, type.plural, p.name)));
  send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...details(p.group, p.plural, p.name), uid: (r.metadata as { uid?: string }).uid } });
}

/** Starts a fake server on 127.0.0.1 (random port), over HTTPS when openssl is available. */
export async function startFakeApiServer(spec: FakeClusterSpec, opts: FakeServerOptions): Promise<FakeApiServer> {
  const cluster = new FakeCluster(spec);
  const requests: RecordedRequest[] = [];
  const certs = opts.plainHttp ? undefined : testCertificates();
  let address = '';
  const app = createFakeApiApp(cluster, opts, requests, () => address);
  const server = certs ? https.createServer({ cert: certs.certPem, key: certs.keyPem }, app) : http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${certs ? 'https' : 'http'}://${address}`,
    ...(certs ? { caPem: certs.caPem } : {}),
    requests,
    cluster,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
