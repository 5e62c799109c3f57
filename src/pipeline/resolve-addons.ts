/**
 * Part of stage `resolve`: the plug-in CA wiring and the API versions of the mesh-wide security
 * objects, decided in code so the templates get plain data.
 */
import { crdsFor, type Catalog } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import type { ServiceMesh } from '../intent/types.js';
import { KEY_VAULT_ID_FORM, parseKeyVaultId, type KeyVaultRef } from './key-vault.js';

/** One Key Vault secret and the file it becomes in istiod's /etc/cacerts. */
export interface CaObject {
  objectName: string;
  fileName: string;
}

/** What templates/plugin-ca.libsonnet needs. */
export interface PluginCaInput {
  keyVaultId: string;
  keyVault: KeyVaultRef;
  tenantId: string;
  identityClientId: string;
  cloudName: string | null;
  /** Sorted by file name. */
  objects: CaObject[];
}

/**
 * The plug-in CA input, or null when no plug-in CA is set. Why these file names: istiod reads
 * exactly ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem from /etc/cacerts
 * (docs/design.md, "Plug-in CA"). checkIntent reports a bad id or missing access with file:line first;
 * the throws here guard callers that skip it.
 */
export function resolvePluginCa(intent: ServiceMesh): PluginCaInput | null {
  const plugin = intent.spec.istio?.certificateAuthority?.plugin;
  if (!plugin || intent.spec.mode !== 'Istio') return null;
  const parsed = parseKeyVaultId(plugin.keyVaultId);
  if (!parsed.ok) throw new MeshplaneError('intent-invalid', `spec.istio.certificateAuthority.plugin.keyVaultId is not a valid Key Vault resource id: ${parsed.reason}`, [], `use ${KEY_VAULT_ID_FORM}`);
  const access = intent.spec.keyVaultAccess;
  if (!access) throw new MeshplaneError('intent-invalid', 'a plug-in CA needs spec.keyVaultAccess (tenantId, identityClientId)', [], 'see docs/intent-reference.md "spec.keyVaultAccess"');
  const objects: CaObject[] = [
    { objectName: plugin.certObjectName, fileName: 'ca-cert.pem' },
    { objectName: plugin.keyObjectName, fileName: 'ca-key.pem' },
    { objectName: plugin.certChainObjectName, fileName: 'cert-chain.pem' },
    { objectName: plugin.rootCertObjectName, fileName: 'root-cert.pem' },
  ];
  return {
    keyVaultId: plugin.keyVaultId,
    keyVault: parsed.ref,
    tenantId: access.tenantId,
    identityClientId: access.identityClientId,
    cloudName: access.cloudName ?? null,
    objects,
  };
}

/** apiVersions of the mesh-wide security objects. */
export interface SecurityApis {
  peerAuthentication: string;
  authorizationPolicy: string;
}

/**
 * The newest security.istio.io version every installed revision serves (v1 where the oldest
 * revision's CRDs serve it, e.g. PeerAuthentication from 1.22; else the storage version), so
 * the older istiod of a canary still reads the objects.
 */
export function resolveSecurityApis(catalog: Catalog, oldestMinor: number): SecurityApis {
  const crds = crdsFor(catalog, oldestMinor);
  const pick = (kind: string): string => {
    const crd = crds.find((c) => c.group === 'security.istio.io' && c.kind === kind);
    if (!crd) throw new Error(`catalog/istio-crds.yaml has no security.istio.io ${kind} for Istio 1.${oldestMinor}`);
    return `security.istio.io/${crd.versions.includes('v1') ? 'v1' : crd.storage}`;
  };
  return { peerAuthentication: pick('PeerAuthentication'), authorizationPolicy: pick('AuthorizationPolicy') };
}

/**
 * Which optional template parts the intent uses. Why this exists: libjsonnet parses its standard
 * library again for every imported file (~30-50 ms each, measured), and imports are lazy, so
 * templates/main.jsonnet imports a part only when it renders something.
 */
export interface PartsInput {
  ingressGateways: boolean;
  egressGateways: boolean;
  monitoring: boolean;
  security: boolean;
  coreDNS: boolean;
}

/** The optional parts to evaluate for this intent. */
export function resolveParts(intent: ServiceMesh): PartsInput {
  const s = intent.spec;
  const scrape = s.monitoring?.prometheus === 'azure-managed' || s.monitoring?.prometheus === 'prometheus-operator';
  return {
    ingressGateways: (s.istio?.components?.ingressGateways ?? []).some((g) => g.enabled),
    egressGateways: (s.istio?.components?.egressGateways ?? []).some((g) => g.enabled),
    monitoring: scrape || s.monitoring?.grafana === 'grafana-operator',
    security: s.security?.mtls !== undefined || s.security?.defaultDeny === true,
    coreDNS: s.platform?.coreDNS?.enabled === true,
  };
}
