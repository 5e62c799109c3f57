/**
 * Applies a lock to the catalog before `resolve`: every pinned revision renders its pinned patch
 * and behaviour, whatever this Meshplane's catalog would choose today. The lock is checked
 * against the catalog (the patch must still be known, and supported at the render's clock: past
 * a confirmed end of support the render fails; past an expected one only the rule warns);
 * a newer patch, a stale digest and unpinned revisions are reported as notices.
 */
import { findPatch, findRevision, patchEndOfSupport, revisionMinor, type Catalog, type RevisionEntry } from '../catalog/catalog.js';
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import { positionOf } from '../pipeline/load.js';
import { LOCK_FILE_NAME, lockDigest, type FoundLock, type LockPin } from './lock-file.js';

/** The catalog to resolve with, plus what the user should hear about the lock. */
export interface LockedCatalog {
  catalog: Catalog;
  notices: Notice[];
}

/** Inputs of {@link applyLock}. */
export interface ApplyLockInput {
  catalog: Catalog;
  lock: FoundLock | undefined;
  /** The intent's revisions (those the catalog does not know are left to the revision-unknown rule). */
  revisions: readonly string[];
  /** The render's clock: a pinned patch past its end of support fails the render. */
  now: Date;
}

/**
 * The catalog as the lock pins it. Throws `lock-unusable` (every problem, each at its lock
 * line) when a pinned patch is unknown to the catalog or past its end of support.
 */
export function applyLock(input: ApplyLockInput): LockedCatalog {
  const { catalog, lock } = input;
  const known = input.revisions.filter((n) => findRevision(catalog, n));
  if (!lock) return { catalog, notices: known.length ? [unlockedNotice(catalog, known)] : [] };
  const notices: Notice[] = [];
  const problems: ErrorDetail[] = [];
  const today = input.now.toISOString().slice(0, 10);
  const pinnedBehaviour: NonNullable<Catalog['pinnedBehaviour']> = {};
  const revisions = catalog.revisions.map((entry) => {
    const pin = known.includes(entry.name) ? lock.lock.revisions[entry.name] : undefined;
    if (!pin) return entry;
    const found = checkPin(lock, entry, pin, today, problems);
    if (found) notices.push(...pinNotices(lock, entry, pin, catalog));
    pinnedBehaviour[revisionMinor(entry.name)] = pin.behaviour;
    return { ...entry, istio: pin.istio };
  });
  if (problems.length) {
    throw new MeshplaneError('lock-unusable', `${lock.document.file} pins ${problems.length === 1 ? 'a patch' : 'patches'} this Meshplane cannot render`, problems, 'nothing was rendered; fix the pins named above and commit the lock');
  }
  for (const name of known.filter((n) => !lock.lock.revisions[n])) {
    notices.push({ level: 'warning', message: `${name} is not pinned in ${lock.document.file}: it renders this Meshplane's default patch ${findRevision(catalog, name)?.istio ?? '?'}, which a Meshplane upgrade can change; run \`meshplane lock\` to pin it`, where: at(lock, ['revisions']) });
  }
  for (const name of Object.keys(lock.lock.revisions).filter((n) => !input.revisions.includes(n))) {
    notices.push({ level: 'info', message: `${lock.document.file} pins ${name}, which mesh.yaml does not install; \`meshplane lock\` drops the pin`, where: at(lock, ['revisions', name]) });
  }
  if (lockDigest(lock.lock) !== lock.lock.digest) {
    notices.push({ level: 'warning', message: `the digest of ${lock.document.file} does not match its pins (edited by hand or by a bot); the pins are rendered as written; run \`meshplane lock\` to check them and refresh the digest`, where: at(lock, ['digest']) });
  }
  return { catalog: { ...catalog, revisions, pinnedBehaviour }, notices };
}

/**
 * Why `info` (printed with --verbose): an unlocked mesh renders exactly as before this feature,
 * and every command that renders (preflight, check) would otherwise print it on each run;
 * `meshplane lock --check` in CI is the enforcing form.
 */
function unlockedNotice(catalog: Catalog, names: string[]): Notice {
  const patches = names.map((n) => `${n} → ${findRevision(catalog, n)?.istio ?? '?'}`).join(', ');
  return { level: 'info', message: `this mesh has no ${LOCK_FILE_NAME}: it renders this Meshplane's default patches (${patches}), which a Meshplane upgrade changes without a commit; run \`meshplane lock\` and commit the file to pin them` };
}

/** Records a problem and returns false when the pin cannot be rendered. */
function checkPin(lock: FoundLock, entry: RevisionEntry, pin: LockPin, today: string, problems: ErrorDetail[]): boolean {
  const where = at(lock, ['revisions', entry.name, 'istio']);
  const patch = findPatch(entry, pin.istio);
  if (!patch) {
    problems.push({
      where, path: `revisions.${entry.name}.istio`,
      message: `${entry.name} is locked to Istio ${pin.istio}, which this Meshplane's catalog does not have (it knows ${entry.patches.map((p) => p.version).join(', ') || 'no patches'})`,
      hint: `run \`meshplane upgrade patch\` to move to ${entry.istio} and review the diff, or render with the Meshplane release that wrote the lock`,
    });
    return false;
  }
  const end = patchEndOfSupport(entry, patch);
  if (today > end && !patch.endOfSupport && entry.endOfLifeEstimated) {
    // An expected end of life is not a date to stop a sync on: warn (the revision-end-of-life rule warns too, unless the revision is one of the two newest, which the support policy keeps supported, and the date is within what the catalog can vouch for: catalog/horizon.ts).
    return true;
  }
  if (today > end) {
    const newest = findPatch(entry, entry.istio);
    const newestOk = newest && today <= patchEndOfSupport(entry, newest) && newest.version !== patch.version;
    problems.push({
      where, path: `revisions.${entry.name}.istio`,
      message: `${entry.name} is locked to Istio ${pin.istio}, out of support since ${end}${patch.endOfSupport ? ' (AKS withdrew this patch)' : ` (the end of life of ${entry.name})`}`,
      hint: newestOk ? `run \`meshplane upgrade patch\` to move to ${entry.istio}, then review and merge the PR` : `${entry.name} itself is out of support: move to a newer revision (\`meshplane upgrade plan\`), then \`meshplane lock\``,
    });
    return false;
  }
  return true;
}

function pinNotices(lock: FoundLock, entry: RevisionEntry, pin: LockPin, catalog: Catalog): Notice[] {
  const notices: Notice[] = [];
  const index = entry.patches.findIndex((p) => p.version === pin.istio);
  const newer = entry.patches.slice(index + 1);
  const newest = newer[newer.length - 1];
  if (newest) {
    notices.push({ level: 'warning', message: `${entry.name} is locked to Istio ${pin.istio}; this Meshplane knows ${newer.length === 1 ? 'a newer patch' : `${newer.length} newer patches`}, newest ${newest.version} (released ${newest.released}); run \`meshplane upgrade patch\` to bump the lock in a PR`, where: at(lock, ['revisions', entry.name, 'istio']) });
  }
  const missing = Object.keys(catalog.behaviour).filter((k) => pin.behaviour[k] === undefined).sort();
  if (missing.length) {
    notices.push({ level: 'warning', message: `${entry.name}: ${lock.document.file} does not pin ${missing.join(', ')} (new in this Meshplane); the catalog's value applies; run \`meshplane lock\` to pin ${missing.length === 1 ? 'it' : 'them'}`, where: at(lock, ['revisions', entry.name, 'behaviour']) });
  }
  return notices;
}

function at(lock: FoundLock, path: string[]): ReturnType<typeof positionOf> {
  return positionOf(lock.document, path);
}
