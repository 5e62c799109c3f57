/**
 * serviceMeshProfile → the intent's `spec.mode` and `spec.istio`, copied field by field. The field
 * names are the same on both sides (docs/design.md, "The intent API"), so a field is either copied as is or reported as
 * not imported; nothing is renamed or guessed. Nulls (how the az CLI prints unset fields) are
 * dropped, and so are disabled egress gateways without a name (older API versions), with a notice.
 * Pure.
 */
import type { Notice } from '../core/types.js';
import { formatFieldPath, positionOf, type FieldPath } from '../pipeline/load.js';
import { revisionMinor } from '../catalog/catalog.js';
import { importError, isObject, type AksInput } from './aks-input.js';

/**
 * The fields imported at each level of the profile. Why these lists: they are the
 * serviceMeshProfile fields the intent schema mirrors (see docs/design.md,
 * "The serviceMeshProfile object"): those of the stable managed-cluster API 2025-10-01, plus
 * `proxyRedirectionMechanism`, which no stable version up to 2025-10-01 has and
 * 2025-10-02-preview does (Azure/azure-rest-api-specs, the aks managedClusters.json of each
 * version). Anything else is reported as not imported.
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
  if (mode === 'Istio') redirectionNotice(input, ctx, notices);
  if (mode === 'Disabled' && istio && (!Array.isArray(revisions) || revisions.length === 0)) {
    notices.push({ level: 'info', message: 'serviceMeshProfile is Disabled and names no revision: spec.istio is left out' });
    return { mode };
  }
  return istio ? { mode, istio } : { mode };
}

/**
 * First revision whose new installs use CNIChaining by default; a mesh upgraded to it keeps its
 * mechanism (azure-aks-docs articles/aks/istio-cni.md at fb060ab, "Enable Istio CNI").
 */
const CNI_DEFAULT_SINCE = 30;

/**
 * When the input has no `proxyRedirectionMechanism` at all, says that InitContainers (the add-on's
 * default up to asm-1-29; for asm-1-30 and later only a warning's guess) is assumed and how to
 * export the field. Why: no stable API version up to 2025-10-01
 * has it (2025-10-02-preview does), so `az aks show` without the aks-preview extension, or
 * `az rest` at a stable version, leaves it out even on a cluster that runs Istio CNI. A null
 * (how the az CLI prints a field its model knows but the cluster does not set) needs no notice
 * up to asm-1-29, whose unset mechanism is InitContainers; from asm-1-30 an unset mechanism is
 * CNIChaining for a new install, so a null is as much a guess as an absent field: a warning.
 */
function redirectionNotice(input: AksInput, ctx: Copier, notices: Notice[]): void {
  const istio = input.profile.istio;
  const components = isObject(istio) ? istio.components : undefined;
  const revisions = isObject(istio) && Array.isArray(istio.revisions) ? istio.revisions.filter((r): r is string => typeof r === 'string') : [];
  const cniByDefault = revisions.filter((r) => revisionMinor(r) >= CNI_DEFAULT_SINCE);
  if (isObject(components) && 'proxyRedirectionMechanism' in components) {
    if (components.proxyRedirectionMechanism === null && cniByDefault.length > 0) {
      const field = [...input.profilePath, 'istio', 'components', 'proxyRedirectionMechanism'];
      notices.push({
        level: 'warning',
        where: ctx.at(field),
        message: `${formatFieldPath(field)} is null in the input (the cluster sets no mechanism), so InitContainers is assumed, although ${cniByDefault.join(', ')} installs with CNIChaining unless told otherwise: ` +
          'InitContainers is right only if the mesh was upgraded from an earlier revision or enabled with InitContainers, so check before you migrate. ' +
          'If Istio CNI is on for this cluster, set spec.istio.components.proxyRedirectionMechanism: CNIChaining in mesh.yaml',
      });
    }
    return;
  }
  const path = [...input.profilePath, 'istio', ...(isObject(components) ? ['components'] : [])];
  const assumed = cniByDefault.length === 0
    ? "so InitContainers (the add-on's default) is assumed. "
    : `so InitContainers is assumed, although ${cniByDefault.join(', ')} installs with CNIChaining unless told otherwise: InitContainers is right only if the mesh was upgraded from an earlier revision or enabled with InitContainers, so check before you migrate. `;
  notices.push({
    level: cniByDefault.length === 0 ? 'info' : 'warning',
    where: ctx.at(path),
    message: `${formatFieldPath([...input.profilePath, 'istio', 'components', 'proxyRedirectionMechanism'])} is not in the input, ${assumed}` +
      'Stable API versions up to 2025-10-01 do not carry the field; if Istio CNI is on for this cluster (`az aks mesh proxy-redirection-mechanism --mechanism CNIChaining`), export again with the aks-preview extension ' +
      '(`az extension add --name aks-preview`, then `az aks show`) or with `az rest` at api-version 2025-10-02-preview, or set spec.istio.components.proxyRedirectionMechanism: CNIChaining in mesh.yaml',
  });
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
    const list = out.ingressGateways;
    if (Array.isArray(list)) out.ingressGateways = list.map((g, i) => (isObject(g) ? this.pick(g, FIELDS.ingressGateway, [...path, 'ingressGateways', i]) : g));
    if (Array.isArray(out.egressGateways)) {
      const kept = this.egressGateways(out.egressGateways, [...path, 'egressGateways']);
      if (kept.length > 0 || out.egressGateways.length === 0) out.egressGateways = kept;
      else delete out.egressGateways;
    }
    return out;
  }

  /**
   * Egress gateways, less the nameless ones an export through an API version before 2025-09-01
   * holds: the stable 2025-08-01 IstioEgressGateway has only `enabled`; `name` (required),
   * `namespace` and `gatewayConfigurationName` arrive in 2025-09-01 (azure-rest-api-specs,
   * aks/stable/<version>/managedClusters.json). A disabled one runs nothing and is left out with a
   * notice; an enabled one cannot be imported without its name.
   */
  egressGateways(list: unknown[], path: FieldPath): unknown[] {
    const kept: unknown[] = [];
    list.forEach((g, i) => {
      if (!isObject(g)) kept.push(g);
      else if (g.name !== undefined && g.name !== null) kept.push(this.pick(g, FIELDS.egressGateway, [...path, i]));
      else this.namelessEgress(g, [...path, i]);
    });
    return kept;
  }

  /** Drops a nameless egress gateway with a notice, or refuses it when it is enabled. */
  namelessEgress(gateway: Record<string, unknown>, path: FieldPath): void {
    const field = formatFieldPath(path);
    const why = 'the input was exported through an Azure API version before 2025-09-01, which gives an egress gateway only `enabled`';
    if (gateway.enabled === true) {
      throw importError(
        `${field} is enabled but has no name: ${why}`,
        this.at(path),
        'export the cluster again with Azure CLI 2.80.0 or later (`az upgrade`, then `az aks show -g <rg> -n <cluster> -o json`), or at API version 2025-10-01: `az rest --method get --url "https://management.azure.com/subscriptions/<subscription>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<cluster>?api-version=2025-10-01"`',
        field,
      );
    }
    this.notices.push({ level: 'info', where: this.at(path), message: `${field} is left out: it is not enabled and has no name (${why})` });
  }
}
