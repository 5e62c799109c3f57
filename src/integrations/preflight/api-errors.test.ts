import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { READS } from './access.js';
import { toClusterError, type RequestContext } from './api-errors.js';

const ctx: RequestContext = { server: 'https://aks.example:443', user: 'clusterUser_rg_aks', source: '--kubeconfig /tmp/kc', read: READS.nodes, timeoutMs: 20_000 };

function systemError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(`request to https://aks.example:443/api/v1/nodes failed, reason: ${message}`), { name: 'FetchError', type: 'system', code, errno: code });
}

const cases: Array<{ name: string; err: unknown; code: string; match: RegExp }> = [
  { name: '401 → authentication failed, naming the user and server', err: new ApiException(401, 'Unauthorized', undefined, {}), code: 'cluster-auth-failed', match: /authentication failed: .*aks\.example.*clusterUser_rg_aks.*401/ },
  { name: '403 → permission denied with the server\'s reason', err: new ApiException(403, 'Unknown API Status Code!', '{"kind":"Status","message":"nodes is forbidden: User \\"x\\" cannot list resource \\"nodes\\""}', {}), code: 'cluster-forbidden', match: /may not list nodes on https:\/\/aks\.example:443: nodes is forbidden/ },
  { name: 'connection refused', err: systemError('ECONNREFUSED'), code: 'cluster-unreachable', match: /cannot reach .*aks\.example:443 \(list nodes\): connection refused/ },
  { name: 'unknown host', err: systemError('ENOTFOUND'), code: 'cluster-unreachable', match: /host name not found/ },
  { name: 'untrusted certificate', err: systemError('SELF_SIGNED_CERT_IN_CHAIN'), code: 'cluster-unreachable', match: /TLS certificate .* not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/ },
  { name: 'deadline', err: Object.assign(new Error('The operation was aborted.'), { name: 'AbortError', type: 'aborted' }), code: 'cluster-unreachable', match: /did not answer list nodes within 20 s/ },
  { name: '500 with a plain-text body', err: new ApiException(500, 'Unknown API Status Code!', 'etcdserver: request timed out', {}), code: 'cluster-unreachable', match: /answered 500 to list nodes: etcdserver: request timed out/ },
];

describe('cluster errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const e = toClusterError(c.err, ctx);
      assert.equal(e.code, c.code);
      assert.match(e.message, c.match);
      assert.ok(e.hint && e.hint.length > 20, 'says how to fix it');
    });
  }
});
