/**
 * The guardrails a post-render runs: the rule engine (src/guardrails/check.ts) over the stream's
 * objects, in the mesh context from --intent or flags. The chart's objects stand where a render's
 * objects would; the mesh's own manifests are not part of a chart's release, so they are not added.
 */
import { check } from '../../guardrails/check.js';
import { MeshplaneError } from '../../core/errors.js';
import type { RenderResult } from '../../pipeline/render.js';
import type { MeshContext } from './mesh-context.js';
import type { GuardrailCheck } from './post-render.js';

/** Inputs of the post-render guardrails besides the objects. */
export interface PostRenderCheckOptions {
  context: MeshContext | undefined;
  now: Date;
  /** KUBE_API_VERSIONS split at commas, when known. */
  kubeApiVersions?: string[];
}

/** The guardrail function handed to postRender(); it refuses to run without a mesh context. */
export function postRenderGuardrails(options: PostRenderCheckOptions): GuardrailCheck {
  const context = options.context;
  if (!context) {
    throw new MeshplaneError(
      'usage',
      'meshplane post-render needs the mesh the release goes to: its installed revisions, tags and Kubernetes version',
      [],
      'pass --intent <mesh.yaml> (or set MESHPLANE_INTENT), or --revision <rev> [--tag name=rev] --kube-version 1.32',
    );
  }
  return async (objects, documents) => {
    const render: RenderResult = { ...context, documents: [context.intentDocument, ...documents], objects };
    const opts = options.kubeApiVersions ? { now: options.now, kubeApiVersions: options.kubeApiVersions } : { now: options.now };
    return check(render, opts).violations;
  };
}
