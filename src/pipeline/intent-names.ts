/**
 * Stage `names` (after render, before output): every name Meshplane composed — object names,
 * namespaces, label keys and values, a Grafana instance selector — is checked against the limits the Kubernetes API server enforces,
 * so an intent value that is valid on its own but too long once composed (a 53-character tag
 * becomes the 73-character Service `istiod-revision-tag-<tag>`) fails closed here, naming the
 * intent field to change, instead of failing the sync in the cluster.
 *
 * The limits are those of k8s.io/apimachinery pkg/util/validation/validation.go (v0.34.10):
 * IsDNS1123Label and IsDNS1035Label (63, dns1123LabelFmt / dns1035LabelFmt), IsDNS1123Subdomain
 * (253), IsValidLabelValue (63, labelValueFmt); which kind uses which is in kubernetes
 * pkg/apis/core/validation/validation.go (ValidateServiceName = NameIsDNS1035Label,
 * ValidateNamespaceName = NameIsDNSLabel, most others NameIsDNSSubdomain) and
 * pkg/apis/rbac/validation (ValidateRBACName = path.IsValidPathSegmentName).
 */
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import { resourceKey } from '../core/resource-key.js';
import type { KubeObject, LocatedObject } from '../core/types.js';
import type { FoundIntent } from './intent.js';
import { positionOf, type FieldPath } from './load.js';

/** A Kubernetes name rule: its name (for messages), its length limit and its pattern. */
export interface NameRule {
  name: string;
  max: number;
  pattern: RegExp;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** IsDNS1123Label. */
export const DNS1123_LABEL: NameRule = { name: 'a DNS-1123 label', max: 63, pattern: new RegExp(`^${LABEL}$`) };
/** IsDNS1035Label. */
export const DNS1035_LABEL: NameRule = { name: 'a DNS-1035 label (starting with a letter)', max: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/ };
/** IsDNS1123Subdomain. */
export const DNS1123_SUBDOMAIN: NameRule = { name: 'a DNS-1123 subdomain', max: 253, pattern: new RegExp(`^${LABEL}(\\.${LABEL})*$`) };
/** IsValidLabelValue (the empty value is valid). */
export const LABEL_VALUE: NameRule = { name: 'a label value', max: 63, pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/ };
/**
 * IsLabelKey / IsQualifiedName (k8s.io/apimachinery pkg/api/validate/content/kube.go, v0.36.3):
 * an optional DNS-1123 subdomain prefix of at most 253 characters and '/', then a name of at most
 * 63 characters that starts and ends alphanumeric.
 */
export const LABEL_KEY: NameRule = {
  name: 'a label key ([prefix/]name: prefix a DNS-1123 subdomain, name at most 63 of [-A-Za-z0-9_.] starting and ending alphanumeric)',
  max: 253 + 1 + 63,
  pattern: /^(?=(?:[^/]{1,253}\/)?[^/]{1,63}$)(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/,
};
/** path.IsValidPathSegmentName (RBAC names): no `/` or `%`, not `.` or `..`. No length limit of its own. */
export const PATH_SEGMENT: NameRule = { name: 'a path segment name', max: Number.POSITIVE_INFINITY, pattern: /^(?!\.\.?$)[^/%]+$/ };

/** The rule an object's name must follow, by API group and kind (see the module comment). */
export function nameRuleFor(obj: KubeObject): NameRule {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  if (group === '' && obj.kind === 'Service') return DNS1035_LABEL;
  if (group === '' && obj.kind === 'Namespace') return DNS1123_LABEL;
  if (group === 'rbac.authorization.k8s.io') return PATH_SEGMENT;
  return DNS1123_SUBDOMAIN;
}

/** Why `value` breaks `rule`, or undefined when it follows it. */
export function nameProblem(value: string, rule: NameRule): string | undefined {
  if (value.length > rule.max) return `is ${value.length} characters, over the ${rule.max} of ${rule.name}`;
  if (!rule.pattern.test(value)) return `is not ${rule.name}`;
  return undefined;
}

/** One composed string to check: what it is, its value and its rule. */
interface Composed {
  what: string;
  value: string;
  rule: NameRule;
}

function labelsAt(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The names, namespace, label keys and values of one object (pod template labels included), and
 * the matchLabels of a grafana-operator instanceSelector: the operator lists Grafana CRs with them
 * (grafana/grafana-operator v5.24.0 controllers/controller_shared.go GetScopedMatchingInstances)
 * and a Grafana CR can only carry valid labels, so a selector entry that is no valid label matches
 * no Grafana and the dashboard is never imported. The CRD does not check this.
 */
function composedOf(obj: KubeObject): Composed[] {
  const out: Composed[] = [];
  const name = obj.metadata?.name;
  if (typeof name === 'string') out.push({ what: 'name', value: name, rule: nameRuleFor(obj) });
  const ns = obj.metadata?.namespace;
  if (typeof ns === 'string') out.push({ what: 'namespace', value: ns, rule: DNS1123_LABEL });
  const spec = obj.spec as { template?: { metadata?: { labels?: unknown } }; instanceSelector?: { matchLabels?: unknown } } | undefined;
  const selector = obj.apiVersion.startsWith('grafana.integreatly.org/') ? spec?.instanceSelector?.matchLabels : undefined;
  for (const [where, labels] of [['label', obj.metadata?.labels], ['pod template label', spec?.template?.metadata?.labels], ['instanceSelector label', selector]] as const) {
    for (const [k, v] of Object.entries(labelsAt(labels))) {
      out.push({ what: `${where} key`, value: k, rule: LABEL_KEY });
      if (typeof v === 'string') out.push({ what: `${where} ${k}`, value: v, rule: LABEL_VALUE });
    }
  }
  return out;
}

/** Intent values that end up in composed names, with their field paths. */
function intentSources(found: FoundIntent): Array<{ path: FieldPath; value: string }> {
  const spec = found.intent.spec;
  const out: Array<{ path: FieldPath; value: string }> = [{ path: ['metadata', 'name'], value: found.intent.metadata.name }];
  for (const tag of Object.keys(spec.tags ?? {})) out.push({ path: ['spec', 'tags', tag], value: tag });
  (spec.istio?.components?.egressGateways ?? []).forEach((g, i) => {
    out.push({ path: ['spec', 'istio', 'components', 'egressGateways', i, 'name'], value: g.name });
    if (g.namespace) out.push({ path: ['spec', 'istio', 'components', 'egressGateways', i, 'namespace'], value: g.namespace });
  });
  // Copied as they are onto the monitoring objects (templates/monitoring.libsonnet).
  for (const [key, value] of Object.entries(spec.monitoring?.prometheusLabels ?? {})) out.push({ path: ['spec', 'monitoring', 'prometheusLabels', key], value }, { path: ['spec', 'monitoring', 'prometheusLabels'], value: key });
  // Copied as they are into every GrafanaDashboard's instanceSelector.matchLabels.
  for (const [key, value] of Object.entries(spec.monitoring?.grafanaInstanceSelector ?? {})) out.push({ path: ['spec', 'monitoring', 'grafanaInstanceSelector', key], value }, { path: ['spec', 'monitoring', 'grafanaInstanceSelector'], value: key });
  return out.filter((s) => s.value !== '');
}

function formatPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : /^[A-Za-z0-9_]+$/.test(p) ? `.${p}` : `["${p}"]`)).join('');
}

/**
 * Checks every rendered object (the source's own objects are the author's, and the cluster
 * judges them). Throws one `intent-invalid` error listing every bad name with the intent field
 * it came from, or a `template-failed` error when no intent value explains it.
 */
export function checkComposedNames(objects: readonly LocatedObject[], found: FoundIntent): void {
  const sources = intentSources(found).sort((a, b) => b.value.length - a.value.length);
  const details: ErrorDetail[] = [];
  let unexplained = 0;
  for (const o of objects) {
    if (o.origin.kind === 'source') continue;
    for (const c of composedOf(o.object)) {
      const problem = nameProblem(c.value, c.rule);
      if (!problem) continue;
      const source = sources.find((s) => c.value.includes(s.value));
      if (!source) unexplained++;
      const shown = c.value.length > 80 ? `${c.value.slice(0, 80)}…` : c.value;
      details.push({
        ...(source ? { where: positionOf(found.document, source.path), path: formatPath(source.path) } : {}),
        message: `the ${c.what} "${shown}" of ${resourceKey(o.object)} ${problem}`,
        hint: source ? `shorten or change ${formatPath(source.path)} ("${source.value.slice(0, 63)}") so the composed ${c.what} fits` : 'this name comes from the templates alone: please report it',
      });
    }
  }
  if (details.length === 0) return;
  const code = unexplained === details.length ? 'template-failed' : 'intent-invalid';
  throw new MeshplaneError(code, `${details.length} name${details.length === 1 ? '' : 's'} Meshplane would render ${details.length === 1 ? 'is' : 'are'} not valid in Kubernetes`, details, 'docs/intent-reference.md lists the length limits of names that are composed from intent values');
}
