/**
 * Finding the clusters of a fleet: every mesh intent (`kind: ServiceMesh`) under one tree, one
 * cluster per folder, the way an Argo CD ApplicationSet git generator lays a fleet out (one
 * Application per folder, whose source is that folder and everything below it). The tree is read
 * once, through the same bounded reader as an app source (file count, sizes, path length), plus a
 * depth limit; symlinks are skipped and listed rather than followed.
 */
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { decodeUtf8, readRegularFile } from '../core/read-input.js';
import type { SourceFile } from '../core/types.js';
import { DEFAULT_LOAD_LIMITS, readSourceTree, type LoadLimits } from '../pipeline/load.js';

/** One cluster found in the tree. */
export interface ClusterSource {
  /** The cluster's name: its folder relative to the root (`.` for the root itself). */
  cluster: string;
  /** The folder whose files form the cluster's app source, relative to the root ('' = the root). */
  folder: string;
  /** The cluster's files, with paths relative to `folder` (as `meshplane check <folder>` sees them). */
  files: SourceFile[];
  /** The content of the nearest `kubernetes-version` file, trimmed, when there is one. */
  kubernetesVersionFile?: { path: string; version: string };
  /** Symlinks inside the cluster's folder (a check of that folder refuses them). */
  symlinks: string[];
}

/** The clusters of a tree, sorted by name, and the symlinks that were skipped. */
export interface FleetSource {
  clusters: ClusterSource[];
  symlinks: string[];
}

/**
 * Folders deeper than this are refused. Why 12: the deepest real layouts put a mesh at
 * clusters/<env>/<region>/<cluster>/mesh/ (5 levels); 12 leaves room for more grouping while a
 * runaway tree (a loop of bind mounts, a vendored monorepo) stops early with a clear error.
 */
export const FLEET_MAX_DEPTH = 12;

/** `kubernetes-version` files hold one line such as `1.32`; anything longer is not one. */
const VERSION_FILE_BYTES = 256;

/** The name of the per-cluster Kubernetes version file of the fleet layout (docs/ci/github-actions-diff.yaml). */
export const VERSION_FILE = 'kubernetes-version';

/**
 * Which files hold an intent, decided from the text alone: a `kind: ServiceMesh` key in block
 * style at the start of a line, so a nested `kind:` such as a CRD's `names.kind` does not count
 * (quoted or not, a comment after it allowed), in flow style (`{kind: ServiceMesh, …}`) or
 * in JSON. Why not parse every file: parsing is most of the fleet's cost and the check parses
 * each cluster again anyway; a folder picked by mistake (the text inside a block scalar) is
 * reported as a cluster whose check fails, never silently dropped.
 */
const INTENT_KIND = /^["']?kind["']?[ \t]*:[ \t]*["']?ServiceMesh["']?[ \t]*(?:#.*)?$|["']kind["'][ \t]*:[ \t]*["']ServiceMesh["']|[{,][ \t]*kind[ \t]*:[ \t]*ServiceMesh[ \t]*[,}]/m;

/** True when the file's text declares a mesh intent (see INTENT_KIND). */
export function holdsIntent(text: string): boolean {
  return INTENT_KIND.test(text);
}

/** Reads the tree below `root` and groups its files into clusters. */
export async function discoverFleet(root: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): Promise<FleetSource> {
  const symlinks: string[] = [];
  const files = await readSourceTree(root, limits, { symlinks, maxDepth: FLEET_MAX_DEPTH });
  const folders = [...new Set(files.filter((f) => holdsIntent(f.text)).map((f) => folderOf(f.path)))].sort(compare);
  if (folders.length === 0) {
    throw new MeshplaneError('intent-missing', 'no mesh intent (kind: ServiceMesh) anywhere under the fleet folder', [], 'point `meshplane fleet` at the folder that holds the cluster folders, e.g. `meshplane fleet clusters`');
  }
  const clusters: ClusterSource[] = [];
  for (const folder of folders) {
    const inside = (p: string) => folder === '' || p.startsWith(`${folder}/`);
    const own = files.filter((f) => inside(f.path)).map((f) => ({ path: folder === '' ? f.path : f.path.slice(folder.length + 1), text: f.text }));
    const versionFile = await readVersionFile(root, folder, symlinks);
    const base = { cluster: clusterName(folder), folder, files: own, symlinks: symlinks.filter(inside) };
    clusters.push(versionFile ? { ...base, kubernetesVersionFile: versionFile } : base);
  }
  return { clusters: clusters.sort((a, b) => compare(a.cluster, b.cluster)), symlinks: symlinks.sort(compare) };
}

/**
 * The cluster a mesh folder stands for. In the CI layout (clusters/<cluster>/mesh/mesh.yaml
 * beside clusters/<cluster>/kubernetes-version) the folder is called `mesh` and the cluster is
 * its parent; otherwise the folder itself is the cluster.
 */
export function clusterName(folder: string): string {
  if (folder === '') return '.';
  const parent = folderOf(folder);
  return path.posix.basename(folder) === 'mesh' && parent !== '' ? parent : folder;
}

/**
 * The nearest `kubernetes-version` file: in the mesh folder, else in its parent (the CI layout's
 * cluster folder), never above the root. A symlink is not read (it was listed as skipped).
 */
async function readVersionFile(root: string, folder: string, symlinks: string[]): Promise<{ path: string; version: string } | undefined> {
  const candidates = folder === '' ? [''] : [folder, folderOf(folder)];
  for (const dir of candidates) {
    const rel = dir === '' ? VERSION_FILE : `${dir}/${VERSION_FILE}`;
    if (symlinks.includes(rel)) continue;
    let buf: Buffer;
    try {
      buf = await readRegularFile(path.join(root, rel), { shown: rel, fix: 'make it a regular file holding one line such as 1.32' }, VERSION_FILE_BYTES);
    } catch (err) {
      if (err instanceof MeshplaneError && err.code === 'source-unreadable' && / no such file$/.test(err.message)) continue;
      throw err;
    }
    return { path: rel, version: decodeUtf8(buf, rel).trim() };
  }
  return undefined;
}

function folderOf(rel: string): string {
  const dir = path.posix.dirname(rel);
  return dir === '.' ? '' : dir;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
