/**
 * The public diff API (pure): two object lists → per-resource changes paired by resourceKey(),
 * each changed resource with a unified diff of its canonical YAML, Secret values masked, noise
 * hidden and listed, and moves between Istio revisions summarised. Rendering the two sides and
 * printing the result are the shell's job (src/cli/commands/diff.ts, src/diff/format-*.ts).
 */
import { MeshplaneError } from '../core/errors.js';
import { resourceKey, resourceRef } from '../core/resource-key.js';
import type { KubeObject } from '../core/types.js';
import { unifiedLines } from './line-diff.js';
import { findMoves, type RevisionMove } from './moves.js';
import { findNamespaceMoves, type NamespaceMove } from './namespace-moves.js';
import { NOISE_RULES, stripNoise, type NoiseField, type NoiseRule } from './noise.js';
import { findRefusedUpdates, type RefusedUpdate } from './refused-updates.js';
import { maskSecretPair } from './secrets.js';
import { canonicalize, objectToYaml } from '../pipeline/emit.js';

/** What happened to one resource between base and head. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One resource that differs (after noise is hidden). */
export interface ResourceDiff {
  key: string;
  change: ChangeKind;
  /** Unified diff of the canonical YAML (hunk headers + ' '/'-'/'+' lines); Secret values masked. */
  lines: string[];
  additions: number;
  deletions: number;
  /** When the resource is one side of a move between revisions: the key on the other side. */
  movedFrom?: string;
  movedTo?: string;
}

/** A noise field that differs between the sides and was hidden. */
export interface HiddenField {
  key: string;
  path: string;
}

/** A move between revisions, with the diff of each renamed pair once the revision is ignored. */
export interface MoveSummary extends RevisionMove {
  /** For each renamed pair (same order): what differs besides the revision name. */
  residual: string[][];
}

/** The whole comparison. */
export interface DiffResult {
  /** Added, removed and changed resources, sorted by key. */
  resources: ResourceDiff[];
  summary: { added: number; removed: number; changed: number; unchanged: number; hidden: number };
  moves: MoveSummary[];
  /** Namespaces whose injecting revision changes (their istio.io/rev label, or the tag it names, moved). */
  namespaceMoves: NamespaceMove[];
  /** Noise that differed and was hidden, sorted by key then path. */
  hidden: HiddenField[];
  /** Changes of immutable fields that the API server will refuse to apply (./refused-updates.ts). */
  refusedUpdates: RefusedUpdate[];
}

/** Options of {@link diffObjects}. */
export interface DiffOptions {
  /** Unchanged lines around each change (default 3). */
  context?: number;
  /** Noise rules (default {@link NOISE_RULES}); `[]` shows everything. */
  noise?: readonly NoiseRule[];
}

/** Compares two object lists. Throws when one side holds two objects with the same identity. */
export function diffObjects(base: readonly KubeObject[], head: readonly KubeObject[], options: DiffOptions = {}): DiffResult {
  const b = byKey(base, 'base');
  const h = byKey(head, 'head');
  const keys = [...new Set([...b.keys(), ...h.keys()])].sort(compare);
  const resources: ResourceDiff[] = [];
  const hidden: HiddenField[] = [];
  let unchanged = 0;
  for (const key of keys) {
    const compared = compareOne(key, b.get(key), h.get(key), options);
    hidden.push(...compared.hidden);
    if (compared.diff) resources.push(compared.diff);
    else unchanged++;
  }
  const moves = summariseMoves(resources, b, h, options);
  return { resources, summary: { ...count(resources), unchanged, hidden: hidden.length }, moves, namespaceMoves: findNamespaceMoves(base, head), hidden, refusedUpdates: findRefusedUpdates(b, h) };
}

function byKey(objects: readonly KubeObject[], side: string): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const obj of objects) {
    const key = resourceKey(obj);
    if (map.has(key)) {
      throw new MeshplaneError('yaml-invalid', `the ${side} holds two objects with the identity ${key}`, [{ message: `${key} appears more than once` }], 'remove the duplicate from the source; Kubernetes keeps only one object per group/Kind/namespace/name');
    }
    map.set(key, obj);
  }
  return map;
}

function compareOne(key: string, base: KubeObject | undefined, head: KubeObject | undefined, options: DiffOptions): { diff?: ResourceDiff; hidden: HiddenField[] } {
  const [mb, mh] = maskSecretPair(base, head);
  // Noise is a difference between two versions of one object: an added or removed object is
  // shown whole, with nothing hidden.
  const paired = mb !== undefined && mh !== undefined;
  const nb = mb && (paired ? stripNoise(mb, typeKey(mb), options.noise ?? NOISE_RULES) : { object: mb, removed: [] });
  const nh = mh && (paired ? stripNoise(mh, typeKey(mh), options.noise ?? NOISE_RULES) : { object: mh, removed: [] });
  const hidden = differingNoise(nb?.removed ?? [], nh?.removed ?? []).map((path) => ({ key, path }));
  // Most objects of a preview are unchanged: comparing canonical JSON first skips their YAML (the costly part).
  if (nb && nh && JSON.stringify(canonicalize(nb.object)) === JSON.stringify(canonicalize(nh.object))) return { hidden };
  const lines = unifiedLines(yamlLines(nb?.object), yamlLines(nh?.object), options.context ?? 3);
  if (lines.length === 0) return { hidden };
  const change: ChangeKind = !base ? 'added' : !head ? 'removed' : 'changed';
  const additions = lines.filter((l) => l.startsWith('+')).length;
  const deletions = lines.filter((l) => l.startsWith('-')).length;
  return { diff: { key, change, lines, additions, deletions }, hidden };
}

/** `group/Kind` of an object (core group = `core`), as noise rules name kinds. */
function typeKey(obj: KubeObject): string {
  const ref = resourceRef(obj);
  return `${ref.group || 'core'}/${ref.kind}`;
}

function yamlLines(obj: KubeObject | undefined): string[] {
  if (!obj) return [];
  return objectToYaml(obj).replace(/\n$/, '').split('\n');
}

/** Paths of noise fields whose value differs, or that exist on one side only. */
function differingNoise(base: NoiseField[], head: NoiseField[]): string[] {
  const b = new Map(base.map((f) => [f.path, JSON.stringify(f.value)]));
  const h = new Map(head.map((f) => [f.path, JSON.stringify(f.value)]));
  const paths = [...new Set([...b.keys(), ...h.keys()])].sort(compare);
  return paths.filter((p) => b.get(p) !== h.get(p));
}

function summariseMoves(resources: ResourceDiff[], b: Map<string, KubeObject>, h: Map<string, KubeObject>, options: DiffOptions): MoveSummary[] {
  const pick = (change: ChangeKind, side: Map<string, KubeObject>): Map<string, KubeObject> =>
    new Map(resources.filter((r) => r.change === change).map((r) => [r.key, side.get(r.key) as KubeObject]));
  const kept = new Map<string, [KubeObject, KubeObject]>();
  for (const r of resources) if (r.change === 'changed') kept.set(r.key, [b.get(r.key) as KubeObject, h.get(r.key) as KubeObject]);
  const moves = findMoves({ removed: pick('removed', b), added: pick('added', h), kept });
  const byKeyDiff = new Map(resources.map((r) => [r.key, r]));
  return moves.map((m) => ({
    ...m,
    residual: m.renamed.map((pair) => {
      const from = byKeyDiff.get(pair.from);
      const to = byKeyDiff.get(pair.to);
      if (from) from.movedTo = pair.to;
      if (to) to.movedFrom = pair.from;
      return residualDiff(b.get(pair.from) as KubeObject, h.get(pair.to) as KubeObject, m.from, m.to, options);
    }),
  }));
}

/** The diff of a renamed pair after writing the old revision as the new one everywhere. */
function residualDiff(before: KubeObject, after: KubeObject, fromRev: string, toRev: string, options: DiffOptions): string[] {
  const [mb, mh] = maskSecretPair(before, after);
  const nb = stripNoise(mb as KubeObject, typeKey(before), options.noise ?? NOISE_RULES).object;
  const nh = stripNoise(mh as KubeObject, typeKey(after), options.noise ?? NOISE_RULES).object;
  const renamed = yamlLines(nb).map((l) => l.split(fromRev).join(toRev));
  return unifiedLines(renamed, yamlLines(nh), options.context ?? 3);
}

function count(resources: ResourceDiff[]): { added: number; removed: number; changed: number } {
  const n = (c: ChangeKind): number => resources.filter((r) => r.change === c).length;
  return { added: n('added'), removed: n('removed'), changed: n('changed') };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
