/**
 * Argo CD dynamic parameter announcements: the JSON array `meshplane parameters` prints for the
 * Application's Parameters tab (docs/design.md, "Argo CD config-management plugins"). Types, titles and tooltips come from
 * the intent JSON Schema; the value shown is the one the intent in the app folder has now
 * (defaults applied). Argo CD never sends these values back: an unset parameter keeps the intent.
 */
import type { ServiceMesh } from '../../intent/types.js';
import { codecOf, collectionOf, ingressModes, itemTypeOf, PARAMETERS, schemaAt, type CollectionType, type ParameterSpec, type SchemaNode } from './parameter-table.js';

/** One entry of Argo CD's ParameterAnnouncement list (repository.proto field names). */
export interface ParameterAnnouncement {
  name: string;
  title: string;
  tooltip: string;
  required: boolean;
  itemType: string;
  collectionType: CollectionType;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/** Builds the announcement list for an intent (defaults already applied), in table order. */
export function announceParameters(schema: SchemaNode, intent: ServiceMesh): ParameterAnnouncement[] {
  return PARAMETERS.map((spec) => announce(schema, spec, valueAt(intent, spec.path)));
}

function announce(schema: SchemaNode, spec: ParameterSpec, current: unknown): ParameterAnnouncement {
  const node = schemaAt(schema, spec.path);
  const codec = codecOf(spec, node);
  const out: ParameterAnnouncement = {
    name: spec.name,
    title: titleOf(spec.name),
    tooltip: tooltipOf(spec, node),
    required: false,
    itemType: itemTypeOf(codec),
    collectionType: collectionOf(codec),
  };
  if (current === undefined || current === null) return out;
  if (codec === 'ingress-gateways') out.map = gatewayMap(schema, current);
  else if (codec === 'string-array') out.array = (current as unknown[]).map(String);
  else if (codec === 'string-map') out.map = stringMap(current as Record<string, unknown>);
  else out.string = String(current);
  return out;
}

/** Spellings a camel-case split cannot produce. Why: the UI title should read as the docs do. */
const ACRONYMS: Readonly<Record<string, string>> = { cpu: 'CPU', mtls: 'mTLS' };

/** `monitoring.grafanaInstanceSelector` → `Monitoring / Grafana instance selector`. */
export function titleOf(name: string): string {
  return name
    .split('.')
    .map((part) => {
      const words = part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').split(' ');
      const spelled = words.map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
      const first = spelled[0] ?? '';
      spelled[0] = ACRONYMS[first.toLowerCase()] ? first : first.charAt(0).toUpperCase() + first.slice(1);
      return spelled.join(' ');
    })
    .join(' / ');
}

/** The schema description, plus the allowed values and what leaving the parameter unset means. */
function tooltipOf(spec: ParameterSpec, node: SchemaNode): string {
  const parts: string[] = [];
  if (node.description) parts.push(node.description.trim());
  if (node.enum) parts.push(`Allowed: ${node.enum.map(String).join(', ')}.`);
  if (spec.codec === 'ingress-gateways') parts.push('As a parameter: a map of mode (External, Internal) to "true" or "false".');
  const field = spec.path.join('.');
  if (spec.unset !== undefined) parts.push(spec.unset);
  else parts.push(collectionOf(codecOf(spec, node)) === 'string'
    ? `Unset: ${field} from mesh.yaml applies; an empty value removes the field, so Meshplane's default applies.`
    : `Unset: ${field} from mesh.yaml applies; a value replaces the whole field (entries are not merged).`);
  return parts.join(' ');
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function gatewayMap(schema: SchemaNode, current: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const mode of ingressModes(schema)) {
    const gw = (current as Array<{ mode: string; enabled: boolean }>).find((g) => g.mode === mode);
    out[mode] = String(gw?.enabled === true);
  }
  return out;
}

function stringMap(current: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(current).sort()) out[k] = String(current[k]);
  return out;
}
