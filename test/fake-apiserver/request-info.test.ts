/**
 * requestInfo and RBAC against what k8s.io/apiserver v0.36.3 requestinfo.go, the RBAC
 * authorizer's RuleAllows and errors.go forbiddenMessage + apimachinery NewForbidden make of a
 * request. Table-driven: one row per request form.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allows, forbiddenMessage, goQuote, type Attributes, type Rule } from './rbac.js';
import { requestInfo } from './request-info.js';
import { forbidden } from './status.js';

const USER = 'system:serviceaccount:kube-system:sa';

describe('requestInfo', () => {
  const rows: Array<[string, string, Record<string, string>, Attributes | undefined]> = [
    ['GET', '/version', {}, { kind: 'url', verb: 'get', path: '/version' }],
    ['POST', '/healthz', {}, { kind: 'url', verb: 'post', path: '/healthz' }],
    ['GET', '/api/v1', {}, { kind: 'url', verb: 'get', path: '/api/v1' }],
    ['GET', '/apis/apps/v1', {}, { kind: 'url', verb: 'get', path: '/apis/apps/v1' }],
    ['GET', '/api/v1/nodes', {}, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'nodes' }],
    ['GET', '/api/v1/nodes', { watch: 'true' }, { kind: 'resource', verb: 'watch', apiGroup: '', resource: 'nodes' }],
    ['GET', '/api/v1/nodes', { watch: 'False' }, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'nodes' }],
    ['GET', '/api/v1/nodes', { watch: 'yes' }, { kind: 'resource', verb: 'watch', apiGroup: '', resource: 'nodes' }],
    ['GET', '/api/v1/nodes/n1/status', {}, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'status', name: 'n1' }],
    ['GET', '/api/v1/nodes/n1/proxy/metrics', {}, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy', name: 'n1' }],
    ['GET', '/api/v1/proxy/nodes/n1/metrics', {}, { kind: 'resource', verb: 'proxy', apiGroup: '', resource: 'nodes', name: 'n1' }],
    ['GET', '/api/v1/watch/namespaces/shop/pods', {}, { kind: 'resource', verb: 'watch', apiGroup: '', resource: 'pods', namespace: 'shop' }],
    ['GET', '/api/v1/watch', {}, undefined],
    ['GET', '/api/v1/namespaces/shop/pods/web-0/log', {}, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web-0' }],
    ['POST', '/api/v1/namespaces/shop/pods/web-0/eviction', {}, { kind: 'resource', verb: 'create', apiGroup: '', resource: 'pods', subresource: 'eviction', namespace: 'shop', name: 'web-0' }],
    ['PATCH', '/apis/apps/v1/namespaces/shop/deployments/web/scale', {}, { kind: 'resource', verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop', name: 'web' }],
    ['PUT', '/apis/apps/v1/namespaces/shop/deployments/web/status', {}, { kind: 'resource', verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'status', namespace: 'shop', name: 'web' }],
    // A namespace is asked about "in" itself, its status and finalize are its subresources.
    ['GET', '/api/v1/namespaces/shop', {}, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'namespaces', namespace: 'shop', name: 'shop' }],
    ['GET', '/api/v1/namespaces/shop/status', {}, { kind: 'resource', verb: 'get', apiGroup: '', resource: 'namespaces', subresource: 'status', namespace: 'shop', name: 'shop' }],
    ['PUT', '/api/v1/namespaces/shop/finalize', {}, { kind: 'resource', verb: 'update', apiGroup: '', resource: 'namespaces', subresource: 'finalize', namespace: 'shop', name: 'shop' }],
    ['GET', '/api/v1/namespaces', {}, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'namespaces' }],
    ['GET', '/api/v1/namespaces/shop/pods', { fieldSelector: 'spec.nodeName=n1,metadata.name==web-0' }, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods', namespace: 'shop', name: 'web-0' }],
    ['GET', '/api/v1/namespaces/shop/pods', { fieldSelector: 'metadata.name!=web-0' }, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods', namespace: 'shop' }],
    ['GET', '/api/v1/pods', { fieldSelector: 'metadata.name=a%b' }, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods' }],
    ['DELETE', '/api/v1/namespaces/shop/pods', {}, { kind: 'resource', verb: 'deletecollection', apiGroup: '', resource: 'pods', namespace: 'shop' }],
    ['DELETE', '/api/v1/namespaces/shop/pods/web-0', {}, { kind: 'resource', verb: 'delete', apiGroup: '', resource: 'pods', namespace: 'shop', name: 'web-0' }],
  ];
  for (const [method, path, query, want] of rows) {
    it(`${method} ${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`, () => assert.deepEqual(requestInfo(method, path, query), want));
  }
});

describe('RBAC rules on subresources and names (RuleAllows)', () => {
  const log: Attributes = { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web-0' };
  const pod: Attributes = { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'shop', name: 'web-0' };
  const rows: Array<[string, Rule, Attributes, boolean]> = [
    ['the resource alone does not grant its subresource', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, log, false],
    ['resource/subresource grants it', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, log, true],
    ['*/subresource grants it', { apiGroups: [''], resources: ['*/log'], verbs: ['get'] }, log, true],
    ['*/subresource grants no plain resource', { apiGroups: [''], resources: ['*/log'], verbs: ['get'] }, pod, false],
    ['* grants both', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, log, true],
    ['resourceNames: the name listed', { apiGroups: [''], resources: ['pods'], resourceNames: ['web-0'], verbs: ['get'] }, pod, true],
    ['resourceNames: another name', { apiGroups: [''], resources: ['pods'], resourceNames: ['web-1'], verbs: ['get'] }, pod, false],
    ['resourceNames: a list has no name', { apiGroups: [''], resources: ['pods'], resourceNames: ['web-0'], verbs: ['list'] }, { kind: 'resource', verb: 'list', apiGroup: '', resource: 'pods' }, false],
  ];
  for (const [name, rule, a, want] of rows) it(name, () => assert.equal(allows([rule], a), want));
});

describe('the 403 Status (forbiddenMessage + NewForbidden)', () => {
  const rows: Array<[string, Attributes, string, Record<string, string>]> = [
    ['a subresource: the prefix without it, the reason with it',
      { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web-0' },
      `pods "web-0" is forbidden: User "${USER}" cannot get resource "pods/log" in API group "" in the namespace "shop"`, { name: 'web-0', kind: 'pods' }],
    ['a grouped subresource',
      { kind: 'resource', verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop', name: 'web' },
      `deployments.apps "web" is forbidden: User "${USER}" cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"`, { name: 'web', group: 'apps', kind: 'deployments' }],
    ['a cluster-scoped subresource',
      { kind: 'resource', verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy', name: 'n1' },
      `nodes "n1" is forbidden: User "${USER}" cannot get resource "nodes/proxy" in API group "" at the cluster scope`, { name: 'n1', kind: 'nodes' }],
    ['a namespace\'s status: in the namespace itself',
      { kind: 'resource', verb: 'get', apiGroup: '', resource: 'namespaces', subresource: 'status', namespace: 'shop', name: 'shop' },
      `namespaces "shop" is forbidden: User "${USER}" cannot get resource "namespaces/status" in API group "" in the namespace "shop"`, { name: 'shop', kind: 'namespaces' }],
    ['a collection', { kind: 'resource', verb: 'list', apiGroup: '', resource: 'nodes' },
      `nodes is forbidden: User "${USER}" cannot list resource "nodes" in API group "" at the cluster scope`, { kind: 'nodes' }],
    ['a path', { kind: 'url', verb: 'get', path: '/healthz' }, `forbidden: User "${USER}" cannot get path "/healthz"`, {}],
  ];
  for (const [name, a, message, details] of rows) {
    it(name, () => {
      const s = forbidden(forbiddenMessage(USER, a), a);
      assert.deepEqual([s.code, s.reason, s.status, s.message, s.details], [403, 'Forbidden', 'Failure', message, details]);
    });
  }

  it('Go-quotes the user and HTML-escapes the authorizer\'s part, not the name', () => {
    const a: Attributes = { kind: 'resource', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'shop', name: 'a<b' };
    assert.equal(forbiddenMessage('me "x" <y>&\t\u00a0é', a), 'pods "a<b" is forbidden: User "me \\"x\\" &lt;y&gt;&amp;\\t\\u00a0é" cannot get resource "pods" in API group "" in the namespace "shop"');
    assert.deepEqual(['', 'a\\b', '\u0001', '\u{1F600}', '\u{E0001}'].map(goQuote), ['""', '"a\\\\b"', '"\\x01"', '"\u{1F600}"', '"\\U000e0001"']);
  });
});
