/**
 * `POST /v1/post-render`: the Helm post-renderer over HTTP. The body is either the raw manifest
 * stream (`Content-Type: application/yaml`, the mesh given by query parameters `revision`, `tag`,
 * `kubeVersion`, `labelRevision`, `now`, `kubeApiVersions`) or JSON `{manifests, intent,
 * intentPath, revisions, tags, env, options}`. The answer is what `meshplane post-render` prints:
 * 200 the checked stream (application/yaml) · 422 error findings (nothing passed on) · 400 · 413.
 */
import type { Request, Response } from 'express';
import { RESULT_MEDIA_TYPE } from '../../cli/remote-generate.js';
import type { PostRenderResult } from '../../integrations/helm/post-render.js';
import { answerWith, countViolations, jsonAnswer, textAnswer, violationsError, type Answer } from '../answer.js';
import { CacheKey } from '../cache.js';
import { keyPart, validateOptions } from '../options.js';
import type { ServerContext } from '../context.js';
import type { PostRenderInput } from '../core.js';
import { HttpError, invalidRequest } from '../errors.js';
import { CLUSTER_ENV, environment, isClusterEnvName, objectWith, optionalObject, optionalString, optionalStrings, type Json } from '../request.js';
import { pathProblem } from '../source-files.js';
import { dayOf } from './common.js';

/** Media types read as a raw YAML stream. Why four: YAML has had several unofficial types before application/yaml (RFC 9512); clients send any of them. */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Query parameters of the raw form (each maps to a `meshplane post-render` flag). */
const QUERY_KEYS = ['revision', 'tag', 'kubeVersion', 'labelRevision', 'now', 'kubeApiVersions'];

/** The handler of POST /v1/post-render. */
export function postRenderRoute(ctx: ServerContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const input = req.is(YAML_TYPES) && typeof req.body === 'string' ? fromQuery(req.body, objectWith({ ...(req.query as Json) }, 'query', QUERY_KEYS)) : fromJson(req);
    const structured = (req.get('accept') ?? '').includes(RESULT_MEDIA_TYPE);
    validateOptions('post-render', input);
    const key = new CacheKey()
      .add('post-render').add(structured ? 'structured' : 'raw').add(ctx.fingerprint).add(dayOf(ctx))
      .add(input.manifests).addAll('intent', input.intent ? [input.intent.path, input.intent.text] : [])
      .addAll('revisions', input.revisions).addAll('tags', input.tags).addAll('env', Object.entries(input.env).flat())
      .addAll('flags', [keyPart(input.kubeVersion), keyPart(input.labelRevision), keyPart(input.now)])
      .digest();
    await answerWith(ctx, req, res, key, async () => {
      const result = await ctx.core.postRender(input);
      countViolations(ctx, result.violations);
      return postRenderAnswer(result, structured);
    });
  };
}

function fromQuery(manifests: string, q: Json): PostRenderInput {
  const one = (k: string) => {
    const v = q[k];
    if (Array.isArray(v)) throw invalidRequest(`query parameter ${k} is given more than once`, `query.${k}`);
    return typeof v === 'string' ? v : undefined;
  };
  const many = (k: string) => (q[k] === undefined ? [] : ([] as unknown[]).concat(q[k]).map(String));
  const apis = one('kubeApiVersions');
  return { manifests, revisions: many('revision'), tags: many('tag'), env: apis === undefined ? {} : { KUBE_API_VERSIONS: apis }, kubeVersion: one('kubeVersion'), labelRevision: one('labelRevision'), now: one('now') };
}

function fromJson(req: Request): PostRenderInput {
  if (req.body === undefined || !req.is(['application/json', 'application/*+json'])) {
    throw new HttpError(415, 'unsupported-media-type', `this route takes application/yaml (the manifest stream) or application/json (got ${req.get('content-type') ?? 'no content type'})`, { hint: 'e.g. helm template x ./chart | curl --data-binary @- -H "Content-Type: application/yaml" "http://127.0.0.1:8686/v1/post-render?revision=asm-1-28"' });
  }
  const body = objectWith(req.body, 'body', ['manifests', 'intent', 'intentPath', 'revisions', 'tags', 'env', 'options']);
  const manifests = optionalString(body, 'manifests', 'body');
  if (manifests === undefined) throw invalidRequest('body.manifests is required: the YAML stream to check', 'body.manifests');
  const intentText = optionalString(body, 'intent', 'body');
  const intentPath = optionalString(body, 'intentPath', 'body') ?? 'mesh.yaml';
  const problem = pathProblem(intentPath);
  if (problem) throw invalidRequest(`body.intentPath is not a valid file path: ${problem}`, 'body.intentPath');
  const o = optionalObject(body, 'options', 'body', ['kubeVersion', 'labelRevision', 'now']);
  return {
    manifests,
    intent: intentText === undefined ? undefined : { path: intentPath, text: intentText },
    revisions: optionalStrings(body, 'revisions', 'body'),
    tags: optionalStrings(body, 'tags', 'body'),
    env: environment(body, 'body', isClusterEnvName, CLUSTER_ENV.join(' and ')),
    kubeVersion: optionalString(o, 'kubeVersion', 'options'),
    labelRevision: optionalString(o, 'labelRevision', 'options'),
    now: optionalString(o, 'now', 'options'),
  };
}

/** The answer of a post-render result. */
export function postRenderAnswer(result: PostRenderResult, structured: boolean): Answer {
  const shared = { violations: result.violations, notices: result.notices };
  if (result.output === undefined) return jsonAnswer(422, 1, { ...violationsError(result.violations), exitCode: 1, exitClass: 'violations', ...shared });
  if (structured) return jsonAnswer(200, 0, { exitCode: 0, exitClass: 'clean', output: result.output, ...shared }, `${RESULT_MEDIA_TYPE}; charset=utf-8`);
  return textAnswer(200, 0, result.output, 'application/yaml; charset=utf-8');
}
