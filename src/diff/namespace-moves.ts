/**
 * Which namespaces change revision between two renders: a Namespace's `istio.io/rev` label names
 * a revision or a revision tag; a tag resolves through its injection webhook
 * `istio-revision-tag-<tag>-<namespace>` (templates/tags.libsonnet; older renders and Istio's
 * chart in istio-system leave the suffix out), whose `istio.io/tag` label names the tag and whose
 * `istio.io/rev` label is the revision it points at. Comparing the resolved revision of each namespace on both sides names
 * exactly the namespaces a tag move (a wave step of `meshplane upgrade advance`) moves.
 */
import type { KubeObject } from '../core/types.js';

/** One namespace whose injecting revision differs between base and head. */
export interface NamespaceMove {
  namespace: string;
  /** The namespace's istio.io/rev label on each side (a revision or a tag). */
  labelFrom: string;
  labelTo: string;
  /** The revision that injects it on each side. */
  from: string;
  to: string;
}

const REV_LABEL = 'istio.io/rev';
const TAG_LABEL = 'istio.io/tag';
const TAG_WEBHOOK_PREFIX = 'istio-revision-tag-';

/** Namespaces present on both sides whose resolved revision changed, sorted by name. */
export function findNamespaceMoves(base: readonly KubeObject[], head: readonly KubeObject[]): NamespaceMove[] {
  const b = resolvedNamespaces(base);
  const h = resolvedNamespaces(head);
  const out: NamespaceMove[] = [];
  for (const [name, before] of b) {
    const after = h.get(name);
    if (!after || after.revision === before.revision) continue;
    out.push({ namespace: name, labelFrom: before.label, labelTo: after.label, from: before.revision, to: after.revision });
  }
  return out.sort((x, y) => (x.namespace < y.namespace ? -1 : x.namespace > y.namespace ? 1 : 0));
}

/** Namespace name → its istio.io/rev label and the revision that label resolves to. */
function resolvedNamespaces(objects: readonly KubeObject[]): Map<string, { label: string; revision: string }> {
  const tags = new Map<string, string>();
  for (const o of objects) {
    const name = o.metadata?.name ?? '';
    const rev = labelOf(o, REV_LABEL);
    if (o.kind === 'MutatingWebhookConfiguration' && name.startsWith(TAG_WEBHOOK_PREFIX) && rev) {
      // The name may end in -<namespace>; the tag label says where the tag name ends.
      tags.set(labelOf(o, TAG_LABEL) ?? name.slice(TAG_WEBHOOK_PREFIX.length), rev);
    }
  }
  const out = new Map<string, { label: string; revision: string }>();
  for (const o of objects) {
    if (o.kind !== 'Namespace' || o.apiVersion !== 'v1') continue;
    const label = labelOf(o, REV_LABEL);
    if (label === undefined) continue;
    out.set(o.metadata?.name ?? '', { label, revision: tags.get(label) ?? label });
  }
  return out;
}

function labelOf(o: KubeObject, key: string): string | undefined {
  const v = (o.metadata?.labels as Record<string, unknown> | undefined)?.[key];
  return v === undefined || v === null ? undefined : String(v);
}
