import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowedServiceAnnotations, expandAllowlist, isAllowedServiceAnnotation, summarizeAllowlist } from './gateway-annotations.js';

describe('expandAllowlist', () => {
  it('expands every port × suffix and keeps the exact keys, sorted and unique', () => {
    const got = expandAllowlist({ annotations: ['b/x', 'a/y', 'a/y'], perPort: { prefix: 'p/port_', ports: [80, 443], suffixes: ['s1', 's2'] } });
    assert.deepEqual(got, ['a/y', 'b/x', 'p/port_443_s1', 'p/port_443_s2', 'p/port_80_s1', 'p/port_80_s2']);
  });
});

describe('summarizeAllowlist', () => {
  it('lists the exact keys sorted, then the per-port family in brace form', () => {
    const got = summarizeAllowlist({ annotations: ['b/x', 'a/y'], perPort: { prefix: 'p/port_', ports: [80, 443], suffixes: ['s1', 's2'] } });
    assert.equal(got, 'a/y, b/x, p/port_{80,443}_{s1,s2}');
  });
});

describe('the shipped allowlist', () => {
  const cases: Array<{ name: string; key: string; want: boolean }> = [
    { name: 'external-dns hostname', key: 'external-dns.alpha.kubernetes.io/hostname', want: true },
    { name: 'static public IP', key: 'service.beta.kubernetes.io/azure-load-balancer-ipv4', want: true },
    { name: 'pip name', key: 'service.beta.kubernetes.io/azure-pip-name', want: true },
    { name: 'port 443 probe path', key: 'service.beta.kubernetes.io/port_443_health-probe_request-path', want: true },
    { name: 'port 80 no LB rule', key: 'service.beta.kubernetes.io/port_80_no_lb_rule', want: true },
    { name: 'status port is not a traffic port', key: 'service.beta.kubernetes.io/port_15021_no_probe_rule', want: false },
    { name: 'internal LB is decided by the gateway mode', key: 'service.beta.kubernetes.io/azure-load-balancer-internal', want: false },
    { name: 'DNS label name is not on the list', key: 'service.beta.kubernetes.io/azure-dns-label-name', want: false },
    { name: 'arbitrary annotation', key: 'example.com/owner', want: false },
  ];
  for (const c of cases) it(c.name, () => assert.equal(isAllowedServiceAnnotation(c.key), c.want));
  it('holds the 12 exact keys and 2 ports × 7 per-port families', () => {
    assert.equal(allowedServiceAnnotations().length, 12 + 14);
  });
});
