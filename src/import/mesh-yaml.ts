/**
 * Writes an imported intent as mesh.yaml text (a header saying where it came from, the examples'
 * layout) and validates it with the stages `generate` runs. Pure.
 */
import { Document, isPair, isScalar, isSeq, visit } from 'yaml';
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { Notice, SourcePosition } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import { findIntent, validateIntent } from '../pipeline/intent.js';
import { checkIntent } from '../pipeline/intent-checks.js';
import { parseSourceFile, type FieldPath } from '../pipeline/load.js';

/** Where an import came from, for the header. */
export interface Provenance {
  source: string;
  shape: 'az-cli' | 'arm' | 'profile';
  cluster: string | undefined;
  resourceGroup: string | undefined;
  keyVaultAccess: 'cluster' | undefined;
  /** Revisions whose istio-shared-configmap-<rev> gave spec.meshConfig (empty: none was given). */
  meshConfigFrom?: readonly string[];
}

/** The mesh.yaml text of an intent, with a comment header. Deterministic. */
export function intentYaml(intent: ServiceMesh, p: Provenance): string {
  const doc = new Document(intent);
  visit(doc, {
    Seq: (_key, node, path) => {
      const parent = path[path.length - 1];
      if (isPair(parent) && isScalar(parent.key) && parent.key.value === 'revisions') node.flow = true;
    },
    Map: (_key, node, path) => {
      if (isSeq(path[path.length - 1])) node.flow = true;
    },
  });
  doc.commentBefore = header(p).map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function header(p: Provenance): string[] {
  const from = p.shape === 'profile' ? `the serviceMeshProfile in ${p.source}` : `\`az aks show\` output in ${p.source}${p.shape === 'arm' ? ' (ARM shape)' : ''}`;
  const lines = [`Imported by \`meshplane import --aks\` from ${from}.`];
  if (p.cluster) lines.push(`AKS cluster: ${p.cluster}${p.resourceGroup ? ` (resource group ${p.resourceGroup})` : ''}.`);
  lines.push(
    'spec.mode and spec.istio (revisions, components, certificateAuthority) are copied field by',
    'field from serviceMeshProfile; spec.cluster comes from the cluster\'s Kubernetes version and',
    'support plan (or --kube-version).',
  );
  if (p.keyVaultAccess) lines.push('spec.keyVaultAccess: the tenant of the cluster identity and the client id of the', 'azure-keyvault-secrets-provider identity (or --tenant-id / --identity-client-id).');
  if (p.meshConfigFrom?.length) lines.push(`spec.meshConfig: data.mesh of ${p.meshConfigFrom.map((r) => `istio-shared-configmap-${r}`).join(' and ')} (--shared-configmap).`);
  lines.push('Review it, commit it as mesh.yaml, then run `meshplane generate` and `meshplane upgrade plan`.');
  return lines;
}

/**
 * Runs find → schema → intent checks on the text, as `generate` would. Problems in spec.mode and
 * spec.istio point at the same fields of the input (`locateInProfile`); returns the warnings.
 */
export function validateImported(text: string, locateInProfile: (path: FieldPath) => SourcePosition): Notice[] {
  try {
    const found = validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text })));
    return checkIntent(found).map((n) => ({ level: n.level, message: n.message }));
  } catch (err) {
    if (!(err instanceof MeshplaneError)) throw err;
    const details = err.details.map((d) => repoint(d, locateInProfile));
    throw new MeshplaneError('import-invalid', `the imported mesh intent would not be valid (${details.length} problem${details.length === 1 ? '' : 's'}); nothing was written`, details, 'fix the input (or the flags) and import again; the field names are the same as in the intent');
  }
}

function repoint(d: ErrorDetail, locate: (path: FieldPath) => SourcePosition): ErrorDetail {
  const path = parseFieldPath(d.path ?? '');
  const { where: _generated, ...rest } = d;
  if (path[0] !== 'spec' || (path[1] !== 'mode' && path[1] !== 'istio')) return rest;
  return { ...rest, where: locate(path.slice(1)) };
}

/** `spec.istio.revisions[2]` → ['spec', 'istio', 'revisions', 2]. */
export function parseFieldPath(text: string): FieldPath {
  const out: Array<string | number> = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}
