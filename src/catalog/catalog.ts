/**
 * Version data: the revision catalog and the Istio CRD inventory, read from catalog/*.yaml.
 * The files are data (with their sources and dates); this module only parses and indexes them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from '../core/yaml-parse.js';
import { readDataFile } from './data-file.js';

/** A Kubernetes minor-version range, inclusive, as "1.NN" strings. */
export interface KubeRange {
  min: string;
  max: string;
}

/** One Istio patch of a revision as the AKS release notes announced it. */
export interface PatchEntry {
  /** The AKS patch, e.g. `1.29.5-2` (the image tags are `<version>-distroless`). */
  version: string;
  /** Date of the release notes that announced the patch (YYYY-MM-DD). */
  released: string;
  /** The upstream Istio patch it is built from, e.g. `1.29.5`. */
  upstream: string;
  /** Date upstream tagged `upstream`. */
  upstreamTagged: string;
  /** Set when AKS withdrew the patch before its revision's end of life. */
  endOfSupport?: string;
}

/** One add-on revision as recorded in catalog/revisions.yaml. */
export interface RevisionEntry {
  name: string;
  /** The patch an unlocked mesh renders (the newest of {@link patches}). */
  istio: string;
  /** Every known patch, oldest first. */
  patches: PatchEntry[];
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

/** A behaviour switch as a lock pins it: on/off, or the entry's value. */
export type PinnedBehaviour = boolean | string;

/** One upstream snapshot the revision catalog was read from (catalog/revisions.yaml `sources`). */
export interface SourceSnapshot {
  /** GitHub owner/name, e.g. `Azure/AKS`. */
  repo: string;
  /** The file read, e.g. `CHANGELOG.md`. */
  path: string;
  commit: string;
  /** The snapshot's commit date (YYYY-MM-DD): what happened upstream after it, the catalog cannot know. */
  date: string;
}

/** The whole catalog. */
export interface Catalog {
  revisions: RevisionEntry[];
  /**
   * The upstream snapshots the revisions were read from; absent in a catalog from before they
   * were recorded (an older Meshplane's) and in catalogs built in memory.
   */
  sources?: SourceSnapshot[];
  behaviour: Record<string, BehaviourEntry>;
  crds: CrdEntry[];
  /**
   * Behaviour pinned by a lock file, per Istio minor: wins over {@link behaviour} for that minor
   * (see src/lock/apply.ts). Absent in the catalog as shipped.
   */
  pinnedBehaviour?: Record<number, Record<string, PinnedBehaviour>>;
}

let cached: Catalog | undefined;

/** Loads (once) and returns the catalog shipped in catalog/. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const rev = readDataFile<Pick<Catalog, 'revisions' | 'behaviour' | 'sources'>>('revisions.yaml');
  const crd = readDataFile<Pick<Catalog, 'crds'>>('istio-crds.yaml');
  cached = assemble(rev, crd);
  return cached;
}

/**
 * Loads the catalog from another folder holding revisions.yaml and istio-crds.yaml (e.g. the
 * catalog/ of another Meshplane release, for `meshplane diff --base-catalog`). Not cached.
 */
export function loadCatalogFrom(dir: string): Catalog {
  // A folder the user names (`--base-catalog`): parsed with the linear duplicate-key check, as all input is.
  const read = <T>(name: string): T => parseYaml(readFileSync(path.join(dir, name), 'utf8')) as T;
  return assemble(read<Pick<Catalog, 'revisions' | 'behaviour' | 'sources'>>('revisions.yaml'), read<Pick<Catalog, 'crds'>>('istio-crds.yaml'));
}

function assemble(rev: Pick<Catalog, 'revisions' | 'behaviour' | 'sources'>, crd: Pick<Catalog, 'crds'>): Catalog {
  const sources = rev.sources?.map((s) => ({ repo: String(s.repo), path: String(s.path), commit: String(s.commit), date: String(s.date) }));
  return { revisions: rev.revisions.map(normaliseDates), behaviour: rev.behaviour, crds: crd.crds, ...(sources ? { sources } : {}) };
}

function normaliseDates(r: RevisionEntry): RevisionEntry {
  // A catalog from before patches were recorded (an older Meshplane's) knows one patch: `istio`.
  const listed = r.patches?.length ? r.patches : [{ version: r.istio, released: r.released, upstream: String(r.istio).replace(/-.*$/, ''), upstreamTagged: '' }];
  const patches = listed.map((p) => ({ ...p, version: String(p.version), released: String(p.released), upstream: String(p.upstream), upstreamTagged: String(p.upstreamTagged), ...(p.endOfSupport === undefined ? {} : { endOfSupport: String(p.endOfSupport) }) }));
  return { ...r, istio: String(r.istio), released: String(r.released), endOfLife: String(r.endOfLife), patches };
}

/** The catalog entry of patch `version` of `entry`, or undefined when the catalog does not know it. */
export function findPatch(entry: RevisionEntry, version: string): PatchEntry | undefined {
  return entry.patches.find((p) => p.version === version);
}

/** The last day patch `patch` of `entry` is supported: its own end of support, else the revision's end of life. */
export function patchEndOfSupport(entry: RevisionEntry, patch: PatchEntry): string {
  return patch.endOfSupport ?? entry.endOfLife;
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

/** True when behaviour `key` applies to Istio minor `minor` (a lock's pin for that minor wins). */
export function behaves(catalog: Catalog, key: string, minor: number): boolean {
  const pinned = catalog.pinnedBehaviour?.[minor]?.[key];
  if (pinned !== undefined) return pinned !== false;
  const b = catalog.behaviour[key];
  if (!b) throw new Error(`catalog/revisions.yaml has no behaviour "${key}"`);
  return minor >= b.since;
}

/**
 * The value of behaviour `key` for Istio minor `minor`: the pinned string, else the entry's
 * `value` when it applies; undefined otherwise.
 */
export function behaviourValue(catalog: Catalog, key: string, minor: number): string | undefined {
  const pinned = catalog.pinnedBehaviour?.[minor]?.[key];
  if (typeof pinned === 'string') return pinned;
  const b = catalog.behaviour[key];
  return b && minor >= b.since ? b.value : undefined;
}

/** Every behaviour switch as it applies to Istio minor `minor`, sorted by key (what a lock pins). */
export function behaviourFor(catalog: Catalog, minor: number): Record<string, PinnedBehaviour> {
  const out: Record<string, PinnedBehaviour> = {};
  for (const key of Object.keys(catalog.behaviour).sort()) out[key] = behaviourValue(catalog, key, minor) ?? behaves(catalog, key, minor);
  return out;
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

/**
 * The two newest revisions released on `now` (YYYY-MM-DD). Why two: the AKS support policy
 * (azure-aks-docs articles/aks/istio-support-policy.md, commit fb060ab, "Supported revisions")
 * keeps at least two revisions supported at any time, which outranks an estimated end of life.
 */
export function newestReleased(catalog: Catalog, now: string): string[] {
  return catalog.revisions
    .filter((r) => r.released <= now)
    .sort((a, b) => revisionMinor(b.name) - revisionMinor(a.name))
    .slice(0, 2)
    .map((r) => r.name);
}

/**
 * True when a revision whose end of life is only estimated stays supported after that date,
 * because it is one of the two newest released on `now` (see {@link newestReleased}).
 */
export function keptByTwoNewest(catalog: Catalog, entry: RevisionEntry, now: string): boolean {
  return entry.endOfLifeEstimated === true && newestReleased(catalog, now).includes(entry.name);
}
