/**
 * Builds the lock for an intent from the catalog, the way a package lock is refreshed: pins that
 * exist are kept and only what is missing is added (a revision, a behaviour switch), unless
 * `update` asks to re-pin everything from this Meshplane's catalog. Pins of revisions the intent
 * no longer installs are dropped. Pure.
 */
import { behaviourFor, findRevision, revisionMinor, type Catalog } from '../catalog/catalog.js';
import { LOCK_API_VERSION, LOCK_KIND, sealLock, type LockPin, type MeshLock } from './lock-file.js';

/** Inputs of {@link makeLock}. */
export interface MakeLockInput {
  catalog: Catalog;
  /** The intent's revisions. */
  revisions: readonly string[];
  existing?: MeshLock | undefined;
  /** Re-pin every revision from the catalog (`meshplane lock --update`). */
  update?: boolean;
}

/** The new lock and what changed, one line per change (empty when nothing did). */
export interface MadeLock {
  lock: MeshLock;
  changes: string[];
  /** Intent revisions the catalog does not know (left unpinned). */
  unknown: string[];
}

/** Computes the lock for the intent's revisions. */
export function makeLock(input: MakeLockInput): MadeLock {
  const { catalog, existing } = input;
  const changes: string[] = [];
  const revisions: Record<string, LockPin> = {};
  const unknown: string[] = [];
  for (const name of [...input.revisions].sort((a, b) => revisionMinor(a) - revisionMinor(b))) {
    const entry = findRevision(catalog, name);
    if (!entry) {
      unknown.push(name);
      continue;
    }
    const fresh: LockPin = { istio: entry.istio, behaviour: behaviourFor(catalog, revisionMinor(name)) };
    const old = existing?.revisions[name];
    if (!old) {
      revisions[name] = fresh;
      changes.push(`pinned ${name} to Istio ${fresh.istio}`);
    } else if (input.update) {
      revisions[name] = fresh;
      changes.push(...describeUpdate(name, old, fresh));
    } else {
      const added = Object.keys(fresh.behaviour).filter((k) => old.behaviour[k] === undefined).sort();
      revisions[name] = { istio: old.istio, behaviour: { ...old.behaviour, ...Object.fromEntries(added.map((k) => [k, fresh.behaviour[k] as LockPin['behaviour'][string]])) } };
      if (added.length) changes.push(`${name}: pinned ${added.join(', ')}`);
    }
  }
  for (const name of Object.keys(existing?.revisions ?? {}).filter((n) => !input.revisions.includes(n)).sort()) changes.push(`dropped ${name} (no longer in mesh.yaml)`);
  const lock = sealLock({ apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, revisions });
  if (existing && changes.length === 0 && existing.digest !== lock.digest) changes.push('refreshed the digest');
  return { lock, changes, unknown };
}

function describeUpdate(name: string, old: LockPin, fresh: LockPin): string[] {
  const out: string[] = [];
  if (old.istio !== fresh.istio) out.push(`${name}: Istio ${old.istio} → ${fresh.istio}`);
  const keys = [...new Set([...Object.keys(old.behaviour), ...Object.keys(fresh.behaviour)])].sort();
  for (const k of keys) {
    if (old.behaviour[k] !== fresh.behaviour[k]) out.push(`${name}: ${k} ${JSON.stringify(old.behaviour[k] ?? null)} → ${JSON.stringify(fresh.behaviour[k] ?? null)}`);
  }
  return out;
}
