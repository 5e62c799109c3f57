/**
 * The mesh context of a post-render run: which revisions and tags are installed and which
 * Kubernetes version the cluster runs. A Helm chart's manifests carry none of this, so it comes
 * from the mesh intent (`--intent mesh.yaml`) or from flags, which are turned into an intent
 * document (`<flags>`) so both paths go through the same schema validation, defaults and
 * resolution as `generate`.
 */
import { stringify } from 'yaml';
import { loadCatalog } from '../../catalog/catalog.js';
import type { Notice, SourceFile } from '../../core/types.js';
import type { ServiceMesh } from '../../intent/types.js';
import { applyDefaults } from '../../pipeline/defaults.js';
import { findIntent, loadIntentValidator, validateIntent } from '../../pipeline/intent.js';
import { parseSourceFile, type ParsedDocument } from '../../pipeline/load.js';
import { resolve, type RenderEnv, type RenderInput } from '../../pipeline/resolve.js';
import { MeshplaneError } from '../../core/errors.js';

/** The pseudo file name of an intent built from flags (shown in error positions). */
export const FLAGS_FILE = '<flags>';

/** The resolved mesh context: what a RenderResult holds apart from objects. */
export interface MeshContext {
  intent: ServiceMesh;
  intentDocument: ParsedDocument;
  input: RenderInput;
  notices: Notice[];
}

/** Mesh facts given as flags instead of an intent file. */
export interface MeshFlags {
  revisions: string[];
  /** `name=revision` pairs. */
  tags: string[];
}

/** Builds the context from an intent file's text, or from flags; undefined when neither is given. */
export async function meshContext(intentFile: SourceFile | undefined, flags: MeshFlags, env: RenderEnv): Promise<MeshContext | undefined> {
  if (intentFile && flags.revisions.length + flags.tags.length > 0) {
    throw new MeshplaneError('usage', 'meshplane post-render: --intent and --revision/--tag exclude each other', [], 'describe the mesh either with its mesh.yaml (--intent) or with flags, not both');
  }
  if (!intentFile && flags.tags.length > 0 && flags.revisions.length === 0) {
    throw new MeshplaneError('usage', 'meshplane post-render: --tag needs the installed revisions (--revision)', [], 'e.g. --revision asm-1-27 --revision asm-1-28 --tag prod-stable=asm-1-27');
  }
  const file = intentFile ?? (flags.revisions.length > 0 ? intentFromFlags(flags) : undefined);
  if (!file) return undefined;
  await loadIntentValidator();
  const found = validateIntent(findIntent(parseSourceFile(file)));
  const intent = applyDefaults(found.intent);
  const { input, notices } = resolve(intent, env, loadCatalog());
  return { intent, intentDocument: found.document, input, notices };
}

/** An intent document equivalent to `--revision`/`--tag` flags. */
export function intentFromFlags(flags: MeshFlags): SourceFile {
  const tags: Record<string, string> = {};
  for (const pair of flags.tags) {
    const [name, revision, ...rest] = pair.split('=');
    if (!name || !revision || rest.length > 0) {
      throw new MeshplaneError('usage', `meshplane post-render: --tag ${pair} is not name=revision`, [], 'e.g. --tag prod-stable=asm-1-27');
    }
    tags[name] = revision;
  }
  const doc = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'post-render' },
    spec: { mode: 'Istio', istio: { revisions: flags.revisions }, ...(Object.keys(tags).length > 0 ? { tags } : {}) },
  };
  return { path: FLAGS_FILE, text: stringify(doc) };
}
