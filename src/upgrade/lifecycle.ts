/**
 * The three moves of a canary upgrade, as decisions on the intent (pure). `start` adds a higher
 * revision the plan offers; `complete` keeps the higher revision and removes the lower; `rollback`
 * keeps the lower and removes the higher (docs/design.md, "Upgrades"). Both are refused while a tag
 * still points at the revision they remove (the workloads move and restart first, in a commit of
 * their own). Illegal moves are refused with the reason and the fix.
 */
import { MeshplaneError } from '../core/errors.js';
import type { SourcePosition } from '../core/types.js';
import { findRevision, revisionMinor, type Catalog } from '../catalog/catalog.js';
import type { ServiceMesh } from '../intent/types.js';
import type { UpgradePlan } from './plan.js';

/** The verbs of `meshplane upgrade` that edit mesh.yaml (`advance` moves one wave: src/upgrade/wave-moves.ts). */
export type Verb = 'start' | 'advance' | 'complete' | 'rollback';

/** One tag that changes revision. */
export interface TagMove {
  tag: string;
  from: string;
  to: string;
}

/** What a move changes in the intent. */
export interface Move {
  verb: Verb;
  before: string[];
  /** spec.istio.revisions after the move, ascending. */
  after: string[];
  tagMoves: TagMove[];
}

/** Where refusals point: the position of a field path in mesh.yaml. */
export type Locate = (fieldPath: ReadonlyArray<string | number>) => SourcePosition;

/** Decides `upgrade start <revision>`, or refuses it. `plan` is the plan for the same intent. */
export function startMove(intent: ServiceMesh, catalog: Catalog, plan: UpgradePlan, revision: string, locate: Locate): Move {
  const before = installedRevisions(intent, 'start', locate);
  const at = locate(['spec', 'istio', 'revisions']);
  if (!findRevision(catalog, revision)) {
    const known = catalog.revisions.map((r) => r.name).join(', ');
    throw refuse(`${revision} is not a revision Meshplane knows`, at, `pick one of the catalog's revisions (${known}); \`meshplane upgrade plan\` lists the ones this mesh may move to`);
  }
  if (before.length >= 2) throw refuse(`a canary upgrade (${before.join(' → ')}) is already in progress; a third revision is not allowed`, at, 'finish it first: `meshplane upgrade complete` keeps the higher revision, `meshplane upgrade rollback` keeps the lower');
  const current = before[0] as string;
  if (revision === current) throw refuse(`${revision} is already the installed revision`, at, '`meshplane upgrade plan` lists the revisions this mesh may move to');
  if (revisionMinor(revision) < revisionMinor(current)) throw refuse(`${revision} is lower than the installed ${current}: downgrades are not allowed`, at, 'only a canary can go back (`meshplane upgrade rollback` while both revisions are installed); keep the installed revision');
  if (!plan.targets.some((t) => t.revision === revision)) {
    const reasons = plan.notOffered.find((n) => n.revision === revision)?.reasons.join('; ') ?? 'not offered';
    const offered = plan.targets.map((t) => t.revision);
    const fix = offered.length ? `start one of the offered revisions instead (${offered.join(', ')})` : (plan.next[0] ?? 'run `meshplane upgrade plan`');
    throw refuse(`${revision} is not an upgrade target for ${current} on Kubernetes ${plan.kubernetes} (${plan.tier} tier) as of ${plan.now}: ${reasons}`, at, fix);
  }
  return { verb: 'start', before, after: [current, revision], tagMoves: [] };
}

/** Decides `upgrade complete` (keep the higher revision) or `upgrade rollback` (keep the lower). */
export function finishMove(intent: ServiceMesh, verb: 'complete' | 'rollback', locate: Locate): Move {
  const before = installedRevisions(intent, verb, locate);
  if (before.length !== 2) {
    throw refuse(`no canary upgrade is in progress (spec.istio.revisions holds only ${before[0]}), so there is nothing to ${verb === 'complete' ? 'complete' : 'roll back'}`, locate(['spec', 'istio', 'revisions']), 'start one with `meshplane upgrade start <revision>` (see `meshplane upgrade plan`)');
  }
  const [low, high] = [...before].sort((a, b) => revisionMinor(a) - revisionMinor(b)) as [string, string];
  const [keep, drop] = verb === 'complete' ? [high, low] : [low, high];
  const onDrop = Object.entries(intent.spec.tags ?? {}).filter(([, rev]) => rev === drop).map(([tag]) => tag);
  if (onDrop.length > 0) throw tagsNotMoved(verb, onDrop, drop, keep, locate);
  return { verb, before, after: [keep], tagMoves: [] };
}

/**
 * `complete` or `rollback` while tags still point at the revision it removes. The add-on's upgrade
 * guide (azure-aks-docs articles/aks/istio-upgrade.md at fb060ab, "Minor revision upgrade") moves
 * the namespaces (their label, or the tag they use, with `istioctl tag set --overwrite`) to the
 * revision that stays and restarts the workloads, then runs `az aks mesh upgrade complete`; its
 * rollback keeps the same order (relabel or re-tag to the previous revision, restart, then
 * `az aks mesh upgrade rollback`). A tag moves only new pods (istio/istio istioctl/pkg/tag/tag.go at 1.27.3:
 * `tag set` is followed by `kubectl rollout restart`), so moving it in the commit that removes the
 * other control plane would leave that tag's pods on sidecars of an istiod that no longer exists
 * until they restart; `istioctl uninstall --revision` asks for confirmation for the same reason
 * when proxies still connect to the revision it removes (operator/cmd/mesh/uninstall.go at 1.27.3,
 * preCheckWarnings).
 */
function tagsNotMoved(verb: 'complete' | 'rollback', tags: string[], drop: string, keep: string, locate: Locate): MeshplaneError {
  const edits = tags.map((t) => `spec.tags.${t}: ${keep}`).join(', ');
  const steps = verb === 'complete' ? "move the workloads first, as the add-on's upgrade guide does" : "move the workloads back first, as the add-on's rollback steps do";
  return refuse(
    `${tags.map((t) => `spec.tags.${t}`).join(', ')} still point${tags.length === 1 ? 's' : ''} at ${drop}, which \`${verb}\` removes: the pods of the namespaces that use ${tags.length === 1 ? 'that tag' : 'those tags'} still run ${drop}'s sidecars`,
    locate(['spec', 'tags', tags[0] as string]),
    `${steps}: set ${edits} (its own commit), sync, restart the workloads of those namespaces (\`meshplane upgrade restart --namespaces <ns> --revision ${keep}\` or kubectl rollout restart) and check them, then run \`meshplane upgrade ${verb}\` again (a tag no namespace uses may be removed instead)`,
    `spec.tags.${tags[0] as string}`,
  );
}

function installedRevisions(intent: ServiceMesh, verb: Verb, locate: Locate): string[] {
  const revisions = intent.spec.mode === 'Istio' ? (intent.spec.istio?.revisions ?? []) : [];
  if (revisions.length === 0) {
    throw refuse(`the mesh is disabled (spec.mode: ${intent.spec.mode}), so there is no revision to ${verb === 'start' ? 'upgrade from' : verb}`, locate(['spec', 'mode']), 'set spec.mode: Istio with one revision in spec.istio.revisions first', 'spec.mode');
  }
  if (revisions.length > 2) {
    throw refuse(`spec.istio.revisions holds ${revisions.length} revisions; the add-on allows at most two (during a canary)`, locate(['spec', 'istio', 'revisions', 2]), 'remove revisions by hand until one (or a canary pair) remains', 'spec.istio.revisions[2]');
  }
  return [...revisions];
}

/** A refusal (exit 2, nothing written): what is wrong, the field it is about (file:line), and how to go on. */
export function refuse(message: string, where: SourcePosition, hint: string, path = 'spec.istio.revisions'): MeshplaneError {
  return new MeshplaneError('upgrade-refused', message, [{ where, path, message: 'nothing was changed', hint }]);
}

/** One line per change, for the report on stderr. */
export function describeMove(move: Move): string[] {
  const lines = [`spec.istio.revisions: [${move.before.join(', ')}] → [${move.after.join(', ')}]`];
  for (const t of move.tagMoves) lines.push(`spec.tags.${t.tag}: ${t.from} → ${t.to}`);
  return lines;
}
