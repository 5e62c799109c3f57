/**
 * Namespace waves (spec.upgrade.waves), pure: which namespaces belong to which wave, and where
 * each wave stands in a canary upgrade. A wave is bound to a revision tag of spec.tags; its
 * namespaces carry `istio.io/rev: <tag>`, so the tag's injection webhook (rendered by
 * templates/tags.libsonnet) decides which revision injects them. Moving a wave = pointing its
 * tag at another revision: one line of mesh.yaml.
 */
import { revisionMinor } from '../catalog/catalog.js';
import type { ServiceMesh, UpgradeWave } from './types.js';

/** A namespace as waves see it: its name and labels. */
export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

/** True when the namespace belongs to the wave (listed by name, or all selector labels match). */
export function waveMatches(wave: UpgradeWave, ns: NamespaceInfo): boolean {
  if (wave.namespaces?.includes(ns.name)) return true;
  const wanted = Object.entries(wave.namespaceSelector?.matchLabels ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => ns.labels[k] === v);
}

/** The waves (indices, in order) a namespace belongs to. */
export function wavesOf(waves: readonly UpgradeWave[], ns: NamespaceInfo): number[] {
  return waves.flatMap((w, i) => (waveMatches(w, ns) ? [i] : []));
}

/**
 * The namespaces of each wave, sorted: the names it lists plus the known namespaces its selector
 * matches (a name listed but not among `known` still counts: it may not exist yet).
 */
export function waveMembers(waves: readonly UpgradeWave[], known: readonly NamespaceInfo[]): string[][] {
  return waves.map((w) => {
    const names = new Set(w.namespaces ?? []);
    for (const ns of known) if (waveMatches(w, ns)) names.add(ns.name);
    return [...names].sort();
  });
}

/** Where one wave stands. */
export interface WaveState {
  index: number;
  tag: string;
  /** The revision the wave's tag points at now (spec.tags), or undefined when the tag is missing. */
  revision: string | undefined;
  /** True when the tag points at the canary (the higher of two revisions). */
  moved: boolean;
}

/** The upgrade as waves see it. */
export interface WaveProgress {
  /** spec.istio.revisions, ascending; `stable` and `canary` only while two are installed. */
  revisions: string[];
  stable: string | undefined;
  canary: string | undefined;
  waves: WaveState[];
}

/** The waves of the intent (empty when none are declared). */
export function intentWaves(intent: ServiceMesh): UpgradeWave[] {
  return intent.spec.upgrade?.waves ?? [];
}

/** Where each wave of the intent stands. */
export function waveProgress(intent: ServiceMesh): WaveProgress {
  const revisions = intent.spec.mode === 'Istio' ? [...(intent.spec.istio?.revisions ?? [])].sort((a, b) => revisionMinor(a) - revisionMinor(b)) : [];
  const canary = revisions.length === 2 ? revisions[1] : undefined;
  const stable = revisions.length === 2 ? revisions[0] : revisions[0];
  const tags = intent.spec.tags ?? {};
  const waves = intentWaves(intent).map((w, index) => {
    const revision = tags[w.tag];
    return { index, tag: w.tag, revision, moved: canary !== undefined && revision === canary };
  });
  return { revisions, stable, canary, waves };
}

/** `wave 2 (tag wave-2: orders, payments)`, for messages. */
export function waveLabel(state: Pick<WaveState, 'index' | 'tag'>, members: readonly string[] | undefined): string {
  const names = members && members.length > 0 ? `: ${members.join(', ')}` : '';
  return `wave ${state.index + 1} (tag ${state.tag}${names})`;
}
