/**
 * What istiod gets when a mesh lifts the Gateway API refusal (an unexpired exception for rule
 * gateway-api-unsupported), and what it gets otherwise. Upstream facts: istiod's defaults
 * PILOT_ENABLE_GATEWAY_API / PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER = true
 * (pilot/pkg/features/experimental.go, 1.30.2); the chart leaves both unset and renders the
 * istiod-gateway-controller ClusterRole unless the deployment controller is "false"
 * (istio-discovery templates/clusterrole.yaml, 1.30.2), with HPA and PDB rules from 1.26.4.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/types.js';
import { find, renderMesh } from '../helpers/mesh-render.js';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
type Deployment = KubeObject & { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } };

const GATEWAY_ENV = ['PILOT_ENABLE_GATEWAY_API', 'PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER'];
const ROLE = 'istiod-gateway-controller-asm-1-30-aks-istio-system';

function gatewayEnv(objects: KubeObject[]): Record<string, string | undefined> {
  const env = find<Deployment>(objects, 'Deployment', 'istiod-asm-1-30').spec.template.spec.containers[0]?.env ?? [];
  return Object.fromEntries(env.filter((e) => GATEWAY_ENV.includes(e.name)).map((e) => [e.name, e.value]));
}

describe('Gateway API support in istiod', () => {
  it('refused (the default): both Gateway API controllers off, no gateway-controller role', async () => {
    const objects = await renderMesh({ revisions: ['asm-1-30'], kubernetesVersion: '1.33' });
    assert.deepEqual(gatewayEnv(objects), { PILOT_ENABLE_GATEWAY_API: 'false', PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER: 'false' });
    assert.equal(objects.some((o) => o.metadata?.name === ROLE), false);
  });

  it('accepted: istiod keeps its defaults and gets the deployment controller role with HPA and PDB rules', async () => {
    const objects = await renderMesh({ revisions: ['asm-1-30'], kubernetesVersion: '1.33', gatewayApi: true });
    assert.deepEqual(gatewayEnv(objects), {});
    const role = find<{ rules: Rule[] }>(objects, 'ClusterRole', ROLE);
    const grants = (group: string, resource: string): string[] => role.rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs).sort();
    const all = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    assert.deepEqual(grants('autoscaling', 'horizontalpodautoscalers'), all);
    assert.deepEqual(grants('policy', 'poddisruptionbudgets'), all);
    assert.deepEqual(grants('apps', 'deployments'), all);
    const binding = find<{ roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> }>(objects, 'ClusterRoleBinding', ROLE);
    assert.equal(binding.roleRef.name, ROLE);
    assert.deepEqual(binding.subjects.map((s) => `${s.namespace}/${s.name}`), ['aks-istio-system/istiod-asm-1-30']);
  });
});
