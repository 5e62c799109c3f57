/**
 * serviceMeshProfile → the intent's `spec.mode` and `spec.istio`, copied field by field. The field
 * names are the same on both sides (docs/design.md, "The intent API"), so a field is either copied as is or reported as
 * not imported; nothing is renamed or guessed. Nulls (how the az CLI prints unset fields) are
 * dropped. Pure.
 */
import type { Notice } from '../core/types.js';
import { formatFieldPath, positionOf, type FieldPath } from '../pipeline/load.js';
import { revisionMinor } from '../catalog/catalog.js';
import { importError, isObject, type AksInput } from './aks-input.js';

/**
 * The fields imported at each level of the profile. Why these lists: they are the
 * serviceMeshProfile fields of the 2025-10-01 API (docs/design.md, "The serviceMeshProfile object") that the intent
 * schema mirrors; anything else is reported as not imported.
 */
const FIELDS = {
  profile: ['mode', 'istio'],
  istio: ['revisions', 'components', 'certificateAuthority'],
  components: ['ingressGateways', 'egressGateways', 'proxyRedirectionMechanism'],
  ingressGateway: ['mode', 'enabled'],
  egressGateway: ['name', 'enabled', 'namespace', 'gatewayConfigurationName'],
  certificateAuthority: ['plugin'],
  plugin: ['keyVaultId', 'certObjectName', 'keyObjectName', 'rootCertObjectName', 'certChainObjectName'],
} as const;

/** Fields the API still returns but the add-on no longer uses (why: the API marks nodeSelector obsolete; docs/design.md, "The serviceMeshProfile object"). */
const OBSOLETE = new Set(['nodeSelector']);

/** What the profile becomes. */
export interface ImportedProfile {
  mode: 'Istio' | 'Disabled';
  istio?: Record<string, unknown>;
}

/** Copies the profile; checks the two facts the add-on itself requires (a mode; revisions under Istio). */
export function importProfile(input: AksInput, notices: Notice[]): ImportedProfile {
  const ctx = new Copier(input, notices);
  const profile = ctx.pick(input.profile, FIELDS.profile, input.profilePath);
  const mode = profile.mode;
  if (mode !== 'Istio' && mode !== 'Disabled') {
    const what = mode === undefined ? 'has no mode' : `has mode ${JSON.stringify(mode)}`;
    throw importError(`serviceMeshProfile ${what}; it must be Istio or Disabled`, ctx.at([...input.profilePath, 'mode']), 'export the profile of a cluster with the add-on enabled (`az aks mesh enable`), or fix the field', formatFieldPath([...input.profilePath, 'mode']));
  }
  const istio = isObject(profile.istio) ? ctx.istio(profile.istio, [...input.profilePath, 'istio']) : undefined;
  const revisions = istio?.revisions;
  if (mode === 'Istio' && (!Array.isArray(revisions) || revisions.length === 0)) {
    throw importError('serviceMeshProfile has mode Istio but no istio.revisions', ctx.at([...input.profilePath, 'istio']), 'export the cluster again once `az aks show --query serviceMeshProfile.istio.revisions` lists its revision', formatFieldPath([...input.profilePath, 'istio', 'revisions']));
  }
  if (mode === 'Disabled' && istio && (!Array.isArray(revisions) || revisions.length === 0)) {
    notices.push({ level: 'info', message: 'serviceMeshProfile is Disabled and names no revision: spec.istio is left out' });
    return { mode };
  }
  return istio ? { mode, istio } : { mode };
}

class Copier {
  constructor(
    private readonly input: AksInput,
    private readonly notices: Notice[],
  ) {}

  at(path: FieldPath) {
    return positionOf(this.input.doc, path);
  }

  /** Copies the listed non-null fields of `obj`; reports the others. */
  pick(obj: Record<string, unknown>, fields: readonly string[], path: FieldPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of fields) if (obj[f] !== null && obj[f] !== undefined) out[f] = obj[f];
    for (const [k, v] of Object.entries(obj)) {
      if (fields.includes(k) || v === null) continue;
      const why = OBSOLETE.has(k) ? 'obsolete in the add-on API' : 'not a serviceMeshProfile field Meshplane knows';
      this.notices.push({ level: 'warning', where: this.at([...path, k]), message: `${formatFieldPath([...path, k])} is not imported (${why})` });
    }
    return out;
  }

  istio(obj: Record<string, unknown>, path: FieldPath): Record<string, unknown> {
    const istio = this.pick(obj, FIELDS.istio, path);
    if (Array.isArray(istio.revisions)) istio.revisions = this.revisions(istio.revisions, [...path, 'revisions']);
    if (isObject(istio.components)) istio.components = this.components(istio.components, [...path, 'components']);
    if (isObject(istio.components) && Object.keys(istio.components).length === 0) delete istio.components;
    if (isObject(istio.certificateAuthority)) {
      const ca = this.pick(istio.certificateAuthority, FIELDS.certificateAuthority, [...path, 'certificateAuthority']);
      if (isObject(ca.plugin)) ca.plugin = this.pick(ca.plugin, FIELDS.plugin, [...path, 'certificateAuthority', 'plugin']);
      if (Object.keys(ca).length > 0) istio.certificateAuthority = ca;
      else delete istio.certificateAuthority;
    }
    return istio;
  }

  /** Revisions in ascending order (the intent's convention); the API keeps them in any order. */
  revisions(list: unknown[], path: FieldPath): unknown[] {
    if (!list.every((r) => typeof r === 'string' && Number.isFinite(revisionMinor(r)))) return list;
    const sorted = [...(list as string[])].sort((a, b) => revisionMinor(a) - revisionMinor(b));
    if (sorted.join() !== list.join()) this.notices.push({ level: 'info', where: this.at(path), message: `revisions written in ascending order: [${sorted.join(', ')}]` });
    return sorted;
  }

  components(obj: Record<string, unknown>, path: FieldPath): Record<string, unknown> {
    const out = this.pick(obj, FIELDS.components, path);
    const each = (key: 'ingressGateways' | 'egressGateways', fields: readonly string[]): void => {
      const list = out[key];
      if (Array.isArray(list)) out[key] = list.map((g, i) => (isObject(g) ? this.pick(g, fields, [...path, key, i]) : g));
    };
    each('ingressGateways', FIELDS.ingressGateway);
    each('egressGateways', FIELDS.egressGateway);
    return out;
  }
}
