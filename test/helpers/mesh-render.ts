/** Test helper: renders a small single-purpose mesh intent in-process. */
import { stringify } from 'yaml';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';

/** Options for {@link renderMesh}. */
export interface MeshOptions {
  revisions: string[];
  kubernetesVersion: string;
  redirection?: 'InitContainers' | 'CNIChaining';
  /** Adds an unexpired exception of rule gateway-api-unsupported (lifts the Gateway API refusal). */
  gatewayApi?: boolean;
  meshConfig?: Record<string, unknown>;
  tags?: Record<string, string>;
}

/** An unexpired exception that lifts the Gateway API refusal for one Gateway. */
export const GATEWAY_API_EXCEPTION = {
  rule: 'gateway-api-unsupported',
  resource: 'gateway.networking.k8s.io/Gateway/shop/web',
  reason: 'the cluster runs the add-on Gateway API support',
  expires: '2099-12-31',
};

/** The mesh.yaml text for the options. */
export function meshYaml(o: MeshOptions): string {
  return stringify({
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'test' },
    spec: {
      mode: 'Istio',
      istio: { revisions: o.revisions, components: { proxyRedirectionMechanism: o.redirection ?? 'InitContainers' } },
      cluster: { kubernetesVersion: o.kubernetesVersion },
      ...(o.tags ? { tags: o.tags } : {}),
      ...(o.meshConfig ? { meshConfig: o.meshConfig } : {}),
      ...(o.gatewayApi ? { policy: { exceptions: [GATEWAY_API_EXCEPTION] } } : {}),
    },
  });
}

/** Renders the mesh described by `o` and returns its objects. */
export async function renderMesh(o: MeshOptions): Promise<KubeObject[]> {
  const result = await render({ files: [{ path: 'mesh.yaml', text: meshYaml(o) }], env: { now: new Date('2026-12-01T00:00:00Z') } });
  return result.objects.map((x) => x.object);
}

/** The object of `kind` and `name`, or a thrown error naming what is missing. */
export function find<T = KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.length} objects`);
  return o as T;
}
