import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import type { ServiceMesh } from '../intent/types.js';
import { checkIntent } from './intent-checks.js';
import { ladderProblem } from './intent-checks-addons.js';
import { MAX_EGRESS_GUESSES, MAX_LISTED_EGRESS_NAMES } from './intent-checks-gateways.js';
import { parseSourceFile } from './load.js';

const HEAD = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n';
const KV = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults';

/** Runs checkIntent on `HEAD + body` (lines of the body start at 6). */
function run(body: string): { warnings: string[]; error?: MeshplaneError } {
  const doc = parseSourceFile({ path: 'mesh.yaml', text: HEAD + body })[0];
  assert.ok(doc);
  try {
    const warnings = checkIntent({ intent: doc.value as ServiceMesh, document: doc });
    return { warnings: warnings.map((w) => `${w.where?.line}: ${w.message}`) };
  } catch (e) {
    assert.ok(e instanceof MeshplaneError, String(e));
    return { warnings: [], error: e };
  }
}

function errorLines(e: MeshplaneError | undefined): string[] {
  return (e?.details ?? []).map((d) => `${d.where?.file}:${d.where?.line}: ${d.message}`);
}

describe('checkIntent: errors (exit 2), each at its line', () => {
  const cases: Array<{ name: string; body: string; want: RegExp[] }> = [
    {
      name: 'a Service annotation outside the allowlist',
      body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      ingressGateways: [{mode: External, enabled: true}]\n  gateways:\n    external:\n      serviceAnnotations:\n        service.beta.kubernetes.io/azure-pip-name: ip\n        example.com/team: shop\n',
      want: [/^mesh\.yaml:14: annotation "example\.com\/team" is not one the add-on lets users set on the aks-istio-ingressgateway-external Service$/],
    },
    {
      name: 'the internal-LB annotation, with the reason',
      body: '  istio: {revisions: [asm-1-28]}\n  gateways:\n    internal:\n      serviceAnnotations:\n        service.beta.kubernetes.io/azure-load-balancer-internal: "true"\n',
      want: [/^mesh\.yaml:10: .*enable \{mode: Internal\} instead/],
    },
    {
      name: 'a near-miss annotation gets a suggestion',
      body: '  istio: {revisions: [asm-1-28]}\n  gateways:\n    external:\n      serviceAnnotations:\n        service.beta.kubernetes.io/azure-pip-nam: x\n',
      want: [/^mesh\.yaml:10: .*did you mean "service\.beta\.kubernetes\.io\/azure-pip-name"/],
    },
    {
      name: 'duplicate egress names in one namespace (default namespace spelled out or not)',
      body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n        - {name: eg, enabled: true, gatewayConfigurationName: a}\n        - {name: eg, enabled: false, namespace: aks-istio-egress}\n        - {name: eg, enabled: true, namespace: other, gatewayConfigurationName: a}\n',
      want: [/^mesh\.yaml:11: egress gateway "eg" in namespace aks-istio-egress is already declared at line 10 \(entry 0\)$/],
    },
    {
      // istioctl/pkg/tag/generate.go (1.20.8, 1.30.2) refuses a tag whose revision has no injector.
      name: 'a revision tag pointing at a revision that is not installed',
      body: '  istio: {revisions: [asm-1-28]}\n  tags:\n    prod: asm-1-28\n    old: asm-1-27\n',
      want: [/^mesh\.yaml:9: the tag "old" points at asm-1-27, which spec\.istio\.revisions \(asm-1-28\) does not install: .*istio\.io\/rev=old would get no sidecar$/],
    },
    {
      name: 'an egress name that cannot name a Service',
      body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n        - {name: eg.v2, enabled: true, gatewayConfigurationName: a}\n',
      want: [/^mesh\.yaml:10: egress gateway name "eg\.v2" cannot name its Service$/],
    },
    {
      name: 'overrides for an undeclared egress gateway',
      body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways: [{name: egress-a, enabled: true, gatewayConfigurationName: a}]\n  gateways:\n    egress:\n      egress-b: {autoscaling: {maxReplicas: 3}}\n',
      want: [/^mesh\.yaml:12: no egress gateway named "egress-b" is declared \(did you mean "egress-a"\?\)$/],
    },
    {
      name: 'maxReplicas below minReplicas, also below the default minimum',
      body: '  istio: {revisions: [asm-1-28]}\n  controlPlane:\n    autoscaling: {minReplicas: 4, maxReplicas: 3}\n  gateways:\n    external:\n      autoscaling:\n        maxReplicas: 1\n',
      want: [/^mesh\.yaml:8: maxReplicas 3 is below minReplicas 4$/, /^mesh\.yaml:12: maxReplicas 1 is below minReplicas 2$/],
    },
    {
      name: 'a plug-in CA without keyVaultAccess and with a vault name the schema lets through',
      body: `  istio:\n    revisions: [asm-1-28]\n    certificateAuthority:\n      plugin:\n        keyVaultId: ${KV}/mesh--kv\n        certObjectName: a\n        keyObjectName: b\n        rootCertObjectName: c\n        certChainObjectName: d\n`,
      want: [/^mesh\.yaml:10: ".*mesh--kv" is not a valid Key Vault resource id: the vault name "mesh--kv"/, /^mesh\.yaml:9: a plug-in CA needs spec\.keyVaultAccess/],
    },
    {
      name: 'a CoreDNS ladder that goes down',
      body: '  istio: {revisions: [asm-1-28]}\n  platform:\n    coreDNS:\n      enabled: true\n      nodesToReplicas:\n        - [1, 2]\n        - [8, 4]\n        - [4, 5]\n',
      want: [/^mesh\.yaml:13: step \[4,5\] does not follow \[8,4\]$/],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { error } = run(c.body);
      assert.equal(error?.code, 'intent-invalid');
      const lines = errorLines(error);
      assert.equal(lines.length, c.want.length, lines.join('\n'));
      c.want.forEach((re, i) => assert.match(lines[i] ?? '', re));
      for (const d of error?.details ?? []) assert.ok(d.hint, `${d.message} has a fix`);
    });
  }

  it('suggests nothing for an annotation that is merely long and similar', () => {
    const { error } = run('  istio: {revisions: [asm-1-28]}\n  gateways:\n    external:\n      serviceAnnotations: {service.beta.kubernetes.io/azure-dns-label-name: x}\n');
    assert.doesNotMatch(error?.details[0]?.message ?? '', /did you mean/);
  });

  it('lists every allowed annotation in the fix', () => {
    const { error } = run('  istio: {revisions: [asm-1-28]}\n  gateways:\n    external:\n      serviceAnnotations: {x/y: z}\n');
    const hint = error?.details[0]?.hint ?? '';
    assert.match(hint, /external-dns\.alpha\.kubernetes\.io\/hostname/);
    assert.match(hint, /service\.beta\.kubernetes\.io\/port_\{80,443\}_\{no_lb_rule,.*health-probe_request-path\}/);
    assert.match(hint, /catalog\/gateway-service-annotations\.yaml/);
  });

  it('rejects more than 500 enabled egress gateways, counting enabled ones only', () => {
    const entries = (n: number, enabled: boolean): string => Array.from({ length: n }, (_, i) => `        - {name: eg-${enabled ? 'on' : 'off'}-${i}, enabled: ${enabled}, gatewayConfigurationName: a}\n`).join('');
    const over = run(`  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n${entries(501, true)}`);
    assert.match(errorLines(over.error).join('\n'), /mesh\.yaml:9: 501 egress gateways are enabled; the add-on allows at most 500/);
    const at = run(`  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n${entries(500, true)}${entries(3, false)}`);
    assert.equal(at.error, undefined);
  });
});

describe('checkIntent: undeclared egress overrides of a large mesh.yaml stay bounded', () => {
  // n overrides, each one letter away from one of n declared gateways: every key is a typo.
  const n = MAX_EGRESS_GUESSES + 20;
  const gateways = Array.from({ length: n }, (_, i) => `        - {name: egress-${i}-a, enabled: false}\n`).join('');
  const overrides = Array.from({ length: n }, (_, i) => `      egress-${i}-b: {}\n`).join('');
  const { error } = run(`  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n${gateways}  gateways:\n    egress:\n${overrides}`);
  const details = error?.details ?? [];

  it('reports every undeclared override', () => assert.equal(details.length, n));

  it(`guesses a name for the first ${MAX_EGRESS_GUESSES} only (each guess compares the key with every declared name)`, () => {
    const guessed = details.filter((d) => /did you mean "egress-\d+-a"/.test(d.message)).length;
    assert.equal(guessed, MAX_EGRESS_GUESSES);
    assert.match(details[0]?.message ?? '', /did you mean/);
    assert.doesNotMatch(details[n - 1]?.message ?? '', /did you mean/);
  });

  it(`quotes at most ${MAX_LISTED_EGRESS_NAMES} declared names in each fix and counts the rest`, () => {
    for (const d of details) {
      assert.equal(d.hint?.match(/egress-\d+-a/g)?.length, MAX_LISTED_EGRESS_NAMES);
      assert.match(d.hint ?? '', new RegExp(`\\(${n} in all\\)$`));
    }
  });
});

describe('checkIntent: warnings for settings without effect', () => {
  const cases: Array<{ name: string; body: string; want: RegExp }> = [
    { name: 'overrides for a disabled ingress mode', body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      ingressGateways: [{mode: Internal, enabled: false}]\n  gateways:\n    internal: {externalTrafficPolicy: Local}\n', want: /^11: spec\.gateways\.internal has no effect/ },
    { name: 'keyVaultAccess without a plug-in CA', body: `  istio: {revisions: [asm-1-28]}\n  keyVaultAccess: {tenantId: 11111111-1111-1111-1111-111111111111, identityClientId: 22222222-2222-2222-2222-222222222222}\n`, want: /^7: spec\.keyVaultAccess has no effect/ },
    { name: 'a CoreDNS ladder while CoreDNS is off', body: '  istio: {revisions: [asm-1-28]}\n  platform:\n    coreDNS:\n      coresToReplicas: [[1, 2]]\n', want: /^9: spec\.platform\.coreDNS\.coresToReplicas has no effect/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.body);
      assert.equal(r.error, undefined, errorLines(r.error).join('\n'));
      assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
      assert.match(r.warnings[0] ?? '', c.want);
    });
  }
  it('a complete, valid intent has neither errors nor warnings', () => {
    const r = run(`  istio:\n    revisions: [asm-1-28]\n    components:\n      ingressGateways: [{mode: External, enabled: true}]\n      egressGateways: [{name: eg, enabled: true, gatewayConfigurationName: a}]\n    certificateAuthority:\n      plugin: {keyVaultId: ${KV}/mesh-kv, certObjectName: a, keyObjectName: b, rootCertObjectName: c, certChainObjectName: d}\n  keyVaultAccess: {tenantId: 11111111-1111-1111-1111-111111111111, identityClientId: 22222222-2222-2222-2222-222222222222}\n  gateways:\n    external: {serviceAnnotations: {service.beta.kubernetes.io/azure-pip-name: ip}, autoscaling: {maxReplicas: 2}}\n    egress: {eg: {autoscaling: {minReplicas: 3}}}\n  platform: {coreDNS: {enabled: true, nodesToReplicas: [[1, 2], [4, 2], [8, 3]]}}\n`);
    assert.equal(r.error, undefined, errorLines(r.error).join('\n'));
    assert.deepEqual(r.warnings, []);
  });
});

describe('ladderProblem', () => {
  const cases: Array<{ name: string; ladder: Array<[number, number]>; want: number }> = [
    { name: 'one step', ladder: [[1, 2]], want: -1 },
    { name: 'ascending, replicas flat', ladder: [[1, 2], [8, 2], [16, 3]], want: -1 },
    { name: 'equal thresholds', ladder: [[1, 2], [1, 3]], want: 1 },
    { name: 'replicas decrease', ladder: [[1, 3], [8, 2]], want: 1 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(ladderProblem(c.ladder), c.want));
});
