import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READS, requiredRules, type Read } from './access.js';

describe('preflight access', () => {
  it('derives one sorted list rule per API group and one get rule for URLs', () => {
    const reads: Read[] = [
      { kind: 'resource', apiGroup: 'apps', resource: 'deployments', verb: 'list', why: 'x' },
      { kind: 'url', url: '/version', verb: 'get', why: 'x' },
      { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'x' },
      { kind: 'resource', apiGroup: '', resource: 'nodes', verb: 'list', why: 'x' },
    ];
    assert.deepEqual(requiredRules(reads), [
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
      { nonResourceURLs: ['/version'], verbs: ['get'] },
    ]);
  });

  it('does not depend on the order of the reads', () => {
    const reads = Object.values(READS) as Read[];
    assert.deepEqual(requiredRules([...reads].reverse()), requiredRules(reads));
  });

  it('reads nothing but lists and discovery GETs, each with a reason', () => {
    for (const [name, r] of Object.entries(READS) as Array<[string, Read]>) {
      assert.ok(r.why.length > 5, name);
      assert.equal(r.verb, r.kind === 'url' ? 'get' : 'list', name);
    }
  });
});
