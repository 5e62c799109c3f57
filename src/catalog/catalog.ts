/**
 * Version data: the revision catalog and the Istio CRD inventory, read from catalog/*.yaml.
 * The files are data (with their sources and dates); this module only parses and indexes them.
 */
import { readDataFile } from './data-file.js';

/** A Kubernetes minor-version range, inclusive, as "1.NN" strings. */
export interface KubeRange {
  min: string;
  max: string;
}

/** One add-on revision as recorded in catalog/revisions.yaml. */
export interface RevisionEntry {
  name: string;
  istio: string;
  kubernetes: KubeRange;
  kubernetesLts?: KubeRange;
  released: string;
  endOfLife: string;
  endOfLifeEstimated?: boolean;
}

/** A behaviour switch that applies from an Istio minor on. */
export interface BehaviourEntry {
  since: number;
  value?: string;
}

/** One CRD era: the versions served from Istio minor `since` on. */
export interface CrdEra {
  since: number;
  versions: string[];
  storage: string;
}

/** One Istio CRD with its eras. */
export interface CrdEntry {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  eras: CrdEra[];
}

/** The whole catalog. */
export interface Catalog {
  revisions: RevisionEntry[];
  behaviour: Record<string, BehaviourEntry>;
  crds: CrdEntry[];
}

let cached: Catalog | undefined;

/** Loads (once) and returns the catalog shipped in catalog/. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const rev = readDataFile<Pick<Catalog, 'revisions' | 'behaviour'>>('revisions.yaml');
  const crd = readDataFile<Pick<Catalog, 'crds'>>('istio-crds.yaml');
  cached = { revisions: rev.revisions.map(normaliseDates), behaviour: rev.behaviour, crds: crd.crds };
  return cached;
}

function normaliseDates(r: RevisionEntry): RevisionEntry {
  return { ...r, released: String(r.released), endOfLife: String(r.endOfLife) };
}

/** The Istio minor of a revision name: `asm-1-27` → 27. NaN for other shapes. */
export function revisionMinor(name: string): number {
  const m = /^asm-1-(?<minor>\d+)$/.exec(name);
  return m?.groups?.minor ? Number(m.groups.minor) : Number.NaN;
}

/** The catalog entry of a revision, or undefined when the catalog does not know it. */
export function findRevision(catalog: Catalog, name: string): RevisionEntry | undefined {
  return catalog.revisions.find((r) => r.name === name);
}

/** True when behaviour `key` applies to Istio minor `minor`. */
export function behaves(catalog: Catalog, key: string, minor: number): boolean {
  const b = catalog.behaviour[key];
  if (!b) throw new Error(`catalog/revisions.yaml has no behaviour "${key}"`);
  return minor >= b.since;
}

/** The CRDs (with the versions served) of Istio minor `minor`. */
export function crdsFor(catalog: Catalog, minor: number): Array<Omit<CrdEntry, 'eras'> & CrdEra> {
  const out: Array<Omit<CrdEntry, 'eras'> & CrdEra> = [];
  for (const { eras, ...crd } of catalog.crds) {
    const era = [...eras].reverse().find((e) => minor >= e.since);
    if (era) out.push({ ...crd, ...era });
  }
  return out;
}

/** Parses "1.32", "v1.32.3" or "1.32.3+aks" into a Kubernetes minor number (32); NaN if not 1.x. */
export function kubeMinor(version: string): number {
  const m = /^v?1\.(?<minor>\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return m?.groups?.minor ? Number(m.groups.minor) : Number.NaN;
}

/** The newest revision the catalog knows (highest minor), for examples in hints: never a hard-coded name that ages. */
export function newestRevision(catalog: Catalog): string {
  const sorted = [...catalog.revisions].sort((a, b) => revisionMinor(b.name) - revisionMinor(a.name));
  return sorted[0]?.name ?? 'asm-1-<minor>';
}
