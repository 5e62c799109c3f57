/**
 * Where a meshed workload may be scheduled: node labels it selects (nodeSelector and node
 * affinity, required or preferred), for the windows/virtual-node rules.
 */
import type { LocatedObject } from '../../core/types.js';
import type { FieldPath } from '../../pipeline/load.js';
import { INJECTION_LABEL, label, namespaces, REV_LABEL } from './injection.js';
import { field, namespaceOf, podTemplatePath } from './objects.js';
import type { RuleContext } from '../types.js';

/** A node label value a pod template asks for, and where it is written. */
export interface NodeSelection {
  key: string;
  value: string;
  path: FieldPath;
}

function expressions(terms: unknown, base: FieldPath, inner: FieldPath): NodeSelection[] {
  if (!Array.isArray(terms)) return [];
  const out: NodeSelection[] = [];
  terms.forEach((term, t) => {
    const exprs = field(term, [...inner, 'matchExpressions']);
    if (!Array.isArray(exprs)) return;
    exprs.forEach((e, i) => {
      const values = field(e, ['values']);
      if (field(e, ['operator']) !== 'In' || !Array.isArray(values)) return;
      for (const v of values) out.push({ key: String(field(e, ['key'])), value: String(v), path: [...base, t, ...inner, 'matchExpressions', i] });
    });
  });
  return out;
}

/** Every node label value the pod spec at `spec` (path `base`) selects. */
export function nodeSelections(spec: unknown, base: FieldPath): NodeSelection[] {
  const out: NodeSelection[] = [];
  const selector = field(spec, ['nodeSelector']);
  if (selector && typeof selector === 'object') {
    for (const [key, value] of Object.entries(selector)) out.push({ key, value: String(value), path: [...base, 'nodeSelector', key] });
  }
  const affinity = [...base, 'affinity', 'nodeAffinity'];
  out.push(...expressions(field(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']), [...affinity, 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'], []));
  out.push(...expressions(field(spec, ['affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution']), [...affinity, 'preferredDuringSchedulingIgnoredDuringExecution'], ['preference']));
  const nodeName = field(spec, ['nodeName']);
  if (typeof nodeName === 'string') out.push({ key: 'nodeName', value: nodeName, path: [...base, 'nodeName'] });
  return out;
}

/** A workload whose pods would join the mesh, with its pod spec path. */
export interface MeshedWorkload {
  o: LocatedObject;
  specPath: FieldPath;
}

/**
 * Source workloads whose pods get a sidecar: the pod template (or its namespace, when the
 * source defines it) carries istio.io/rev, and the template does not opt out with
 * sidecar.istio.io/inject=false.
 */
export function meshedWorkloads(ctx: RuleContext): MeshedWorkload[] {
  const meshedNs = new Set(
    namespaces(ctx.objects)
      .filter((n) => label(n, REV_LABEL) !== undefined && label(n, INJECTION_LABEL) !== 'disabled')
      .map((n) => n.object.metadata?.name),
  );
  const out: MeshedWorkload[] = [];
  for (const o of ctx.objects) {
    const tpl = o.origin.kind === 'source' ? podTemplatePath(o.object) : undefined;
    if (!tpl) continue;
    const labels = (field(o.object, [...tpl, 'metadata', 'labels']) ?? {}) as Record<string, unknown>;
    if (String(labels['sidecar.istio.io/inject']) === 'false') continue;
    const ns = namespaceOf(o.object);
    if (labels[REV_LABEL] !== undefined || (ns !== undefined && meshedNs.has(ns))) out.push({ o, specPath: [...tpl, 'spec'] });
  }
  return out;
}
