/**
 * Turns what the client library throws (ApiException for HTTP answers, node-fetch's FetchError
 * for network and TLS failures, AbortError for the deadline) into a MeshplaneError that says
 * what failed, against which server, and how to fix it. Every one of them exits 2.
 */
import { MeshplaneError } from '../../core/errors.js';
import type { Read } from './access.js';

/** What was being attempted when the error happened. */
export interface RequestContext {
  server: string;
  user: string;
  source: string;
  read: Read;
  timeoutMs: number;
}

/** Node's error codes for a certificate the client does not trust. */
const TLS_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

/** Plain-words reasons for the network error codes users meet. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPROTO: 'TLS handshake failed (is the server plain HTTP?)',
};

/** Describes a read for messages: `list pods` or `GET /version`. */
export function describeRead(read: Read): string {
  return read.kind === 'url' ? `GET ${read.url}` : `list ${read.resource}${read.apiGroup ? ` (${read.apiGroup})` : ''}`;
}

/** Maps a client-library error to a MeshplaneError (already-mapped errors pass through). */
export function toClusterError(err: unknown, ctx: RequestContext): MeshplaneError {
  if (err instanceof MeshplaneError) return err;
  const status = httpStatus(err);
  if (status !== undefined) return httpError(status, err, ctx);
  const code = errorCode(err);
  const what = describeRead(ctx.read);
  if (isAbort(err)) {
    return new MeshplaneError('cluster-unreachable', `the Kubernetes API server at ${ctx.server} did not answer ${what} within ${ctx.timeoutMs / 1000} s`, [], 'check that the cluster is up and reachable from here (`kubectl cluster-info`), or raise --timeout');
  }
  if (code && TLS_CODES.has(code)) {
    return new MeshplaneError('cluster-unreachable', `the TLS certificate of the Kubernetes API server at ${ctx.server} is not trusted (${code})`, [], `the certificate-authority-data in ${ctx.source} must be the cluster's CA: fetch a fresh kubeconfig (for AKS: \`az aks get-credentials\`)`);
  }
  const reason = (code && NETWORK_REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new MeshplaneError('cluster-unreachable', `cannot reach the Kubernetes API server at ${ctx.server} (${what}): ${reason}`, [], `check that the cluster is running and that ${ctx.source} and --context point at it (\`kubectl cluster-info\`)`);
}

function httpError(status: number, err: unknown, ctx: RequestContext): MeshplaneError {
  const what = describeRead(ctx.read);
  const serverSays = statusMessage(err);
  if (status === 401) {
    return new MeshplaneError('cluster-auth-failed', `authentication failed: the Kubernetes API server at ${ctx.server} rejected the credentials of user "${ctx.user}" (401 Unauthorized)`, [], `refresh the credentials in ${ctx.source} (tokens expire; for AKS run \`az aks get-credentials\` again, or \`kubelogin convert-kubeconfig\` for Entra ID clusters), then check with \`kubectl get --raw /version\``);
  }
  if (status === 403) {
    return new MeshplaneError('cluster-forbidden', `permission denied: user "${ctx.user}" may not ${what} on ${ctx.server}${serverSays ? `: ${serverSays}` : ''}`, [], 'grant the read-only ClusterRole listed in docs/preflight.md (the PreSync hook renders it as ClusterRole meshplane-preflight-<mesh>)');
  }
  return new MeshplaneError('cluster-unreachable', `the Kubernetes API server at ${ctx.server} answered ${status} to ${what}${serverSays ? `: ${serverSays}` : ''}`, [], 'retry; if it persists, check the API server\'s health (`kubectl get --raw /readyz?verbose`)');
}

function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  const type = (err as { type?: unknown } | null)?.type;
  return name === 'AbortError' || type === 'aborted';
}

/** The `message` of a Kubernetes Status body, when the error carries one. */
export function statusMessage(err: unknown): string | undefined {
  const raw = (err as { body?: unknown } | null)?.body;
  let body = raw;
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      return raw.slice(0, 300) || undefined;
    }
  }
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}
