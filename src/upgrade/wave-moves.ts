/**
 * The wave steps of a canary upgrade, as decisions on the intent (pure). With spec.upgrade.waves:
 * `start` also points every wave's tag at the stable revision; `advance` points the next wave's
 * tag at the canary; `complete` is refused until every wave's tag points at the canary;
 * `rollback` is refused while a wave's tag points at the canary (its namespaces move back and
 * restart first, as for any tag: finishMove in lifecycle.ts).
 * Each step is one small mesh.yaml edit, applied by edit.ts.
 */
import type { ServiceMesh } from '../intent/types.js';
import { refuse, type Locate, type Move, type TagMove } from './lifecycle.js';
import { waveLabel, waveProgress, type WaveState } from '../intent/waves.js';

/** `start` with waves: the revision is added and every wave's tag is put on the stable revision. */
export function withWavesOnStable(intent: ServiceMesh, move: Move): Move {
  const stable = move.before[0] as string;
  const tags = intent.spec.tags ?? {};
  const extra: TagMove[] = (intent.spec.upgrade?.waves ?? [])
    .filter((w) => tags[w.tag] !== stable)
    .map((w) => ({ tag: w.tag, from: tags[w.tag] as string, to: stable }));
  return { ...move, tagMoves: [...move.tagMoves, ...extra] };
}

/** Decides `upgrade advance`: the first wave (in order) not yet on the canary moves to it. */
export function advanceMove(intent: ServiceMesh, locate: Locate): { move: Move; wave: WaveState } {
  const progress = waveProgress(intent);
  const wavesAt = locate(['spec', 'upgrade', 'waves']);
  if (progress.waves.length === 0) {
    throw refuse('spec.upgrade.waves is not set, so there is no wave to advance', locate(['spec']), 'declare the waves (spec.upgrade.waves: [{tag: …, namespaces: […]}], docs/upgrades.md) or move tags by hand', 'spec.upgrade.waves');
  }
  if (!progress.canary) {
    throw refuse(`no canary upgrade is in progress (spec.istio.revisions: [${progress.revisions.join(', ')}]), so no wave can move`, locate(['spec', 'istio', 'revisions']), 'start one with `meshplane upgrade start <revision>` (see `meshplane upgrade plan`)');
  }
  const next = progress.waves.find((w) => !w.moved);
  if (!next) throw refuse(`every wave is already on the canary ${progress.canary}`, wavesAt, 'check the rollout with `meshplane upgrade status`, then `meshplane upgrade complete`', 'spec.upgrade.waves');
  const move: Move = {
    verb: 'advance',
    before: [...(intent.spec.istio?.revisions ?? [])],
    after: [...(intent.spec.istio?.revisions ?? [])],
    tagMoves: [{ tag: next.tag, from: next.revision as string, to: progress.canary }],
  };
  return { move, wave: next };
}

/** Refuses `upgrade complete` while a wave's tag is not on the canary, naming those waves. */
export function assertAllWavesMoved(intent: ServiceMesh, locate: Locate, members: readonly string[][] = []): void {
  const progress = waveProgress(intent);
  if (!progress.canary) return;
  const behind = progress.waves.filter((w) => !w.moved);
  if (behind.length === 0) return;
  const first = behind[0] as WaveState;
  const names = behind.map((w) => `${waveLabel(w, members[w.index])} on ${w.revision ?? 'no revision'}`);
  // The other tags `complete` refuses (lifecycle.ts finishMove) are named now, not in a second round.
  const others = otherTagsOn(intent, progress.stable);
  const alsoFix = others.length ? `; also move ${others.map((t) => `spec.tags.${t}`).join(', ')} to ${progress.canary} (in its own commit, then restart the namespaces that use ${others.length === 1 ? 'it' : 'them'})` : '';
  throw refuse(
    `${behind.length} of ${progress.waves.length} waves have not moved to the canary ${progress.canary}: ${names.join('; ')}${alsoOn(others, progress.stable)}`,
    locate(['spec', 'tags', first.tag]),
    `run \`meshplane upgrade advance\` ${behind.length === 1 ? 'once' : `${behind.length} times`} (one reviewed commit per wave), check each with \`meshplane upgrade status\`${alsoFix}, then complete`,
    `spec.tags.${first.tag}`,
  );
}

/**
 * Refuses `upgrade rollback` while a wave's tag points at the canary it removes, naming those waves
 * and their namespaces (the ones to restart). The add-on's rollback steps (azure-aks-docs
 * articles/aks/istio-upgrade.md at fb060ab) re-tag or relabel the namespaces to the previous
 * revision and restart their workloads before `az aks mesh upgrade rollback`.
 */
export function assertNoWaveOnCanary(intent: ServiceMesh, locate: Locate, members: readonly string[][] = []): void {
  const progress = waveProgress(intent);
  if (!progress.canary || !progress.stable) return;
  const moved = progress.waves.filter((w) => w.moved);
  if (moved.length === 0) return;
  const first = moved[0] as WaveState;
  // The other tags `rollback` refuses (lifecycle.ts finishMove) go into the same edit, not a second round.
  const others = otherTagsOn(intent, progress.canary);
  const edits = [...moved.map((w) => w.tag), ...others].map((t) => `spec.tags.${t}: ${progress.stable as string}`).join(', ');
  const namespaces = [...new Set(moved.flatMap((w) => members[w.index] ?? []))].sort();
  throw refuse(
    `${moved.length} of ${progress.waves.length} waves ${moved.length === 1 ? 'is' : 'are'} on the canary ${progress.canary}, which \`rollback\` removes: ${moved.map((w) => waveLabel(w, members[w.index])).join('; ')}; their pods still run ${progress.canary}'s sidecars${alsoOn(others, progress.canary)}`,
    locate(['spec', 'tags', first.tag]),
    `move ${moved.length === 1 ? 'that wave' : 'those waves'} back first, as the add-on's rollback steps do: set ${edits} (its own commit), sync, restart their namespaces (\`meshplane upgrade restart --namespaces ${namespaces.length ? namespaces.join(',') : '<ns>'} --revision ${progress.stable}\`)${others.length ? ` and those that use ${others.map((t) => `spec.tags.${t}`).join(', ')} (a tag no namespace uses may be removed instead)` : ''} and check them with \`meshplane upgrade status\`, then run \`meshplane upgrade rollback\` again`,
    `spec.tags.${first.tag}`,
  );
}

/** The tags of spec.tags on `revision` that no wave is bound to, sorted. */
function otherTagsOn(intent: ServiceMesh, revision: string | undefined): string[] {
  const waveTags = new Set((intent.spec.upgrade?.waves ?? []).map((w) => w.tag));
  return Object.entries(intent.spec.tags ?? {})
    .filter(([tag, rev]) => rev === revision && !waveTags.has(tag))
    .map(([tag]) => tag)
    .sort();
}

/** The message's tail naming those tags ('' without any). */
function alsoOn(tags: readonly string[], revision: string | undefined): string {
  if (tags.length === 0) return '';
  return `; ${tags.map((t) => `spec.tags.${t}`).join(', ')} (no wave's tag) ${tags.length === 1 ? 'points' : 'point'} at ${revision ?? 'it'} too`;
}
