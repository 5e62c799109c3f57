/**
 * `meshplane upgrade patch`: move every pinned revision to the newest patch this Meshplane's
 * catalog knows, as a minimal edit of meshplane.lock.yaml (only the `istio:` values and the
 * digest change; comments and layout stay byte for byte), plus a PR title and body.
 */
import { isDeepStrictEqual } from 'node:util';
import { isScalar, type Scalar } from 'yaml';
import { parseYamlDocument } from '../core/yaml-parse.js';
import { findPatch, findRevision, type Catalog, type PatchEntry } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import { IMAGE_HUB } from '../pipeline/resolve.js';
import { lockDigest, lockedRevisionNames, type LockBody, type MeshLock } from './lock-file.js';

/** One revision's move. */
export interface PatchBump {
  revision: string;
  from: string;
  to: PatchEntry;
  /** Patches between `from` and `to` that the mesh never ran (oldest first). */
  skipped: string[];
}

/** The bumps a lock needs (revisions already on the newest patch are left out). */
export function planPatchBumps(catalog: Catalog, lock: LockBody): PatchBump[] {
  const bumps: PatchBump[] = [];
  for (const name of lockedRevisionNames(lock)) {
    const entry = findRevision(catalog, name);
    const pin = lock.revisions[name];
    const newest = entry && findPatch(entry, entry.istio);
    if (!entry || !pin || !newest || pin.istio === newest.version) continue;
    const from = entry.patches.findIndex((p) => p.version === pin.istio);
    const to = entry.patches.indexOf(newest);
    // A pin newer than this catalog's default (written by a newer Meshplane) is never moved back.
    if (from > to) continue;
    bumps.push({ revision: name, from: pin.istio, to: newest, skipped: entry.patches.slice(from + 1, to).map((p) => p.version) });
  }
  return bumps;
}

/** The lock after the bumps (digest recomputed). */
export function bumpedLock(lock: LockBody, bumps: readonly PatchBump[]): MeshLock {
  const revisions = structuredClone(lock.revisions);
  for (const b of bumps) (revisions[b.revision] as { istio: string }).istio = b.to.version;
  const body: LockBody = { apiVersion: lock.apiVersion, kind: lock.kind, revisions };
  return { ...body, digest: lockDigest(body) };
}

/**
 * The lock file's new text: each bumped `istio:` value and the digest are replaced in place; all
 * other bytes stay. The result is parsed again and must equal `after`.
 */
export function applyBumpsToText(file: string, text: string, bumps: readonly PatchBump[], after: MeshLock): string {
  const doc = parseYamlDocument(text, { strict: true });
  const splices: Array<{ start: number; end: number; text: string }> = [];
  for (const b of bumps) splices.push(splice(file, doc.getIn(['revisions', b.revision, 'istio'], true), JSON.stringify(b.to.version), `revisions.${b.revision}.istio`));
  splices.push(splice(file, doc.getIn(['digest'], true), after.digest, 'digest'));
  let out = text;
  for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  const reread = parseYamlDocument(out).toJS() as MeshLock;
  if (!isDeepStrictEqual(reread.revisions, after.revisions) || reread.digest !== after.digest) {
    throw new MeshplaneError('upgrade-refused', `${file} cannot be edited in place: the edited file does not read back as the bumped lock`, [{ where: { file, line: 1, column: 1 }, message: 'the file was left unchanged' }], 'run `meshplane lock --update` to rewrite the lock whole, and review the diff');
  }
  return out;
}

function splice(file: string, node: unknown, text: string, at: string): { start: number; end: number; text: string } {
  if (!isScalar(node) || !(node as Scalar).range) {
    throw new MeshplaneError('upgrade-refused', `${file} cannot be edited in place: ${at} is not a plain value`, [{ where: { file, line: 1, column: 1 }, message: 'the file was left unchanged' }], 'run `meshplane lock --update` to rewrite the lock whole');
  }
  const [start, end] = (node as Scalar).range as [number, number, number];
  return { start, end, text };
}

/** A pull request for the bump: a one-line title and a markdown body. */
export interface PullRequestText {
  title: string;
  body: string;
}

/** The PR title and body for `bumps` of the lock at `file` (app folder `dir` for the diff command). */
export function pullRequestText(file: string, dir: string, bumps: readonly PatchBump[]): PullRequestText {
  const moves = bumps.map((b) => `${b.revision} ${b.from} → ${b.to.version}`);
  const title = bumps.length === 1 ? `mesh: bump Istio patch ${moves[0]}` : `mesh: bump Istio patches (${moves.join(', ')})`;
  const rows = bumps.map((b) => `| ${b.revision} | ${b.from} | ${b.to.version} | ${b.to.released} | ${b.to.upstream} (${b.to.upstreamTagged}) | ${b.skipped.length ? b.skipped.join(', ') : '–'} |`);
  const images = bumps.flatMap((b) => ['pilot', 'proxyv2'].map((img) => `- \`${IMAGE_HUB}/${img}:${b.from}-distroless\` → \`${IMAGE_HUB}/${img}:${b.to.version}-distroless\``));
  const body = [
    `Bumps the Istio patch pinned in \`${file}\` to the newest patch this Meshplane knows.`,
    '',
    '| Revision | From | To | AKS release notes | Upstream tag | Skipped patches |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Images:',
    ...images,
    '',
    'What happens on sync: istiod and the gateways roll to the new images; sidecars and the',
    'init containers move only when their pods restart (restart the workloads of each revision).',
    '',
    `Review the rendered change with \`meshplane diff --base origin/main --head HEAD --path ${dir}\`.`,
    '',
    '_Generated by `meshplane upgrade patch`._',
  ].join('\n');
  return { title, body: `${body}\n` };
}
