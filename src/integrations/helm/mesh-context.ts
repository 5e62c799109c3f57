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
import { checkIntent } from '../../pipeline/intent-checks.js';
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
  // The same checks as generate's intent stage (pipeline/render.ts), so a mesh.yaml that generate
  // refuses (a tag pointing at a revision it does not install, intent-checks-tags.ts) is refused
  // here too instead of being read as a mesh without that tag. Not OUTPUT_CHECKS: a post-render
  // outputs the release, never the mesh, so a Disabled mesh prunes nothing through it.
  const found = blamingFlags(file, flags, () => {
    const valid = validateIntent(findIntent(parseSourceFile(file)));
    return { found: valid, warnings: checkIntent(valid) };
  });
  const intent = applyDefaults(found.found.intent);
  const { input, notices } = resolve(intent, env, loadCatalog());
  return { intent, intentDocument: found.found.document, input, notices: [...found.warnings, ...notices] };
}

/**
 * Runs `fn` on the intent built from flags; an error it throws about that intent is re-raised
 * naming the flag each problem comes from. Why: a position in `<flags>` is a line of a document
 * the user never sees; `--tag prod=asm-1-28` is what they typed and can fix.
 */
function blamingFlags<T>(file: SourceFile, flags: MeshFlags, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (file.path !== FLAGS_FILE || !(err instanceof MeshplaneError)) throw err;
    const details = err.details.map(({ where: _where, ...d }) => ({ ...d, message: `${d.message} (${flagOf(d.path, flags)})` }));
    throw new MeshplaneError(err.code, `the mesh given by --revision/--tag is not valid (${details.length} problem${details.length === 1 ? '' : 's'})`, details, 'fix the --revision and --tag flags (the revision and tag query parameters of POST /v1/post-render); `meshplane post-render --help` shows their form');
  }
}

/** The flag that set the intent field at `path` (spec.istio.revisions[i] or spec.tags.<name>). */
function flagOf(path: string | undefined, flags: MeshFlags): string {
  const revision = /^spec\.istio\.revisions\[(\d+)\]/.exec(path ?? '');
  if (revision) return `--revision ${flags.revisions[Number(revision[1])] ?? ''}`.trimEnd();
  if (path === 'spec.istio.revisions') return 'the --revision flags';
  if (path?.startsWith('spec.tags.')) {
    const name = path.slice('spec.tags.'.length);
    const pair = flags.tags.find((t) => t.startsWith(`${name}=`));
    return pair === undefined ? 'the --tag flags' : `--tag ${pair}`;
  }
  return path === 'spec.tags' ? 'the --tag flags' : 'the --revision/--tag flags';
}

/** An intent document equivalent to `--revision`/`--tag` flags. */
export function intentFromFlags(flags: MeshFlags): SourceFile {
  // A Map, then own properties: assigning `__proto__` to an object literal sets its prototype
  // instead of adding a key, so `--tag __proto__=…` vanished before the schema could refuse it.
  const tags = new Map<string, string>();
  for (const pair of flags.tags) {
    const [name, revision, ...rest] = pair.split('=');
    if (!name || !revision || rest.length > 0) {
      throw new MeshplaneError('usage', `meshplane post-render: --tag ${pair} is not name=revision`, [], 'e.g. --tag prod-stable=asm-1-27');
    }
    const earlier = tags.get(name);
    if (earlier !== undefined) {
      // A tag points at one revision (istioctl tag set overwrites, it never holds two); one of two values would be dropped without a word.
      throw new MeshplaneError('usage', `meshplane post-render: --tag ${name}= is given twice (${name}=${earlier} and ${pair})`, [], `keep one --tag ${name}=<revision>`);
    }
    tags.set(name, revision);
  }
  const doc = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'post-render' },
    spec: { mode: 'Istio', istio: { revisions: flags.revisions }, ...(tags.size > 0 ? { tags: Object.fromEntries(tags) } : {}) },
  };
  return { path: FLAGS_FILE, text: stringify(doc) };
}
