/**
 * The intent fields an Argo CD Application may set as plugin parameters, and how each one's type,
 * title and tooltip are read from the intent JSON Schema (the single source for validation, docs
 * and announcements, docs/design.md, "The intent API"). The table names the fields; everything else is derived.
 */

/** How a parameter's Argo CD value (always strings) becomes an intent value. */
export type Codec = 'string' | 'integer' | 'boolean' | 'string-array' | 'string-map' | 'ingress-gateways';

/** Argo CD's collection types (ParameterAnnouncement.collectionType). */
export type CollectionType = 'string' | 'array' | 'map';

/** A parameter as an Application sets it (Argo CD's ApplicationSourcePluginParameter). */
export interface SetParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/** One settable intent field. */
export interface ParameterSpec {
  /** The parameter name an Application uses: the field's dotted path below `spec`, nothing else. */
  name: string;
  /** Field path from the document root (`spec` and then the segments of `name`). */
  path: readonly string[];
  /** Set only where the schema type alone cannot say how strings map to the value. */
  codec?: Codec;
  /** The name this parameter had before every name became the dotted path; still read, with a deprecation notice. */
  formerly?: string;
  /** What an unset or empty parameter means, where the tooltip's generic sentence ("mesh.yaml applies") would be wrong. */
  unset?: string;
}

/** A parameter whose name is its field path below `spec`. */
function field(name: string, extra: Omit<ParameterSpec, 'name' | 'path'> = {}): ParameterSpec {
  return { name, path: ['spec', ...name.split('.')], ...extra };
}

/**
 * Why only these fields: each is a single knob an operator may reasonably turn per cluster or per
 * environment from the Argo CD UI or an ApplicationSet (revision, gateways, monitoring flavour,
 * target version, mTLS mode, replica bounds). Left out on purpose: `mode` (flipping a mesh to
 * Disabled from a UI would delete it), `policy.forbiddenKinds` and `policy.exceptions` (guardrails
 * are weakened only in reviewed Git history, never by a parameter), the plug-in CA and Key Vault
 * access (identity and trust settings belong in review), and free-form objects such as
 * `meshConfig` and gateway Service annotations (no string form round-trips them safely).
 * One naming scheme: a parameter is named by the intent field it sets, as a dotted path below
 * `spec`. The three istio fields had short names before (`formerly`), which are still accepted.
 */
export const PARAMETERS: readonly ParameterSpec[] = [
  field('istio.revisions', { formerly: 'revisions' }),
  field('istio.components.ingressGateways', { codec: 'ingress-gateways', formerly: 'ingressGateways' }),
  field('istio.components.proxyRedirectionMechanism', { formerly: 'proxyRedirectionMechanism' }),
  // KUBE_VERSION, which Argo CD always sets, ranks above mesh.yaml (src/pipeline/resolve.ts resolveKubeVersion).
  field('cluster.kubernetesVersion', { unset: "Unset: KUBE_VERSION (the cluster's version) applies; mesh.yaml's value only when KUBE_VERSION is empty. An empty value removes mesh.yaml's value too." }),
  field('cluster.tier'),
  field('tags'),
  field('controlPlane.autoscaling.minReplicas'),
  field('controlPlane.autoscaling.maxReplicas'),
  field('controlPlane.autoscaling.targetCPUUtilizationPercentage'),
  field('monitoring.prometheus'),
  field('monitoring.prometheusLabels'),
  field('monitoring.grafana'),
  field('monitoring.grafanaInstanceSelector'),
  field('security.mtls'),
  field('security.defaultDeny'),
  field('policy.preflightHook'),
];

/** A JSON Schema node (the subset read here). */
export interface SchemaNode {
  type?: string;
  description?: string;
  enum?: unknown[];
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  [keyword: string]: unknown;
}

/** Resolves a local `#/definitions/x` reference; the referring node's description wins. */
function deref(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace(/^#\/definitions\//, '');
  const target = (root.definitions as Record<string, SchemaNode> | undefined)?.[name];
  if (!target) throw new Error(`schema reference ${node.$ref} does not resolve`);
  const resolved = deref(root, target);
  return node.description ? { ...resolved, description: node.description } : resolved;
}

/** The schema node of a field path, or an error naming the first missing segment. */
export function schemaAt(root: SchemaNode, path: readonly string[]): SchemaNode {
  let node = root;
  for (const key of path) {
    const next = deref(root, node).properties?.[key];
    if (!next) throw new Error(`the intent schema has no field ${path.join('.')} (missing "${key}")`);
    node = next;
  }
  return deref(root, node);
}

/** The codec a schema node implies; throws for shapes no string form can carry. */
export function codecOf(spec: ParameterSpec, node: SchemaNode): Codec {
  if (spec.codec) return spec.codec;
  if (node.type === 'integer') return 'integer';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'string' || (node.enum && node.enum.every((v) => typeof v === 'string'))) return 'string';
  if (node.type === 'array' && node.items?.type === 'string') return 'string-array';
  const values = node.additionalProperties;
  if (node.type === 'object' && typeof values === 'object' && values.type === 'string') return 'string-map';
  throw new Error(`parameter ${spec.name}: the schema shape of ${spec.path.join('.')} has no string form`);
}

/** Argo CD's collection type for a codec. */
export function collectionOf(codec: Codec): CollectionType {
  if (codec === 'string-array') return 'array';
  if (codec === 'string-map' || codec === 'ingress-gateways') return 'map';
  return 'string';
}

/** Argo CD's itemType UI hint for a codec (values always travel as strings). */
export function itemTypeOf(codec: Codec): string {
  if (codec === 'integer') return 'number';
  if (codec === 'boolean' || codec === 'ingress-gateways') return 'boolean';
  return 'string';
}

/** The ingress gateway modes, in the order the schema lists them. */
export function ingressModes(root: SchemaNode): string[] {
  const spec = PARAMETERS.find((p) => p.codec === 'ingress-gateways') as ParameterSpec;
  const mode = deref(root, schemaAt(root, spec.path).items ?? {}).properties?.mode;
  return (mode?.enum ?? []).map(String);
}

/**
 * Argo CD's env-var form of a name: upper-case, every character outside [A-Z0-9_] becomes `_`
 * (types.go `escaped`). Lossy: `a.b` and `a-b` collide, and map keys lose their case.
 */
export function escapeParamName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The parameter of a name (exact match), if any. */
export function findParameter(name: string): ParameterSpec | undefined {
  return PARAMETERS.find((p) => p.name === name);
}

/** The parameter a deprecated name stands for (exact match), if any. */
export function findFormerName(name: string): ParameterSpec | undefined {
  return PARAMETERS.find((p) => p.formerly === name);
}

/** The stderr notice for a deprecated parameter name, naming the new one. */
export function formerNameNotice(spec: ParameterSpec, used: string): string {
  return `parameter "${used}" is deprecated: it is now "${spec.name}" (the field path below spec); rename it in spec.source.plugin.parameters, the old name will be removed in a later release`;
}
