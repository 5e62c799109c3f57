/**
 * `POST /v1/render`: `{files, env, options}` → the manifests `meshplane generate` prints for a
 * folder holding those files, with that environment (application/yaml, byte for byte). With
 * `Accept: application/vnd.meshplane.result+json` the answer is the structured result (output,
 * notices, check report, exit class): what `generate --server` prints from.
 * 200 clean · 422 error findings (nothing rendered) · 400 invalid input · 413 too large.
 */
import type { Request, Response } from 'express';
import { GENERATE_FORMATS, isGenerateEnvName, planGenerate, type GenerateFlags } from '../../flows/generate.js';
import { RESULT_MEDIA_TYPE } from '../../cli/remote-generate.js';
import { choice } from '../../cli/args.js';
import { answerWith, countViolations, jsonAnswer, textAnswer, violationsError, type Answer } from '../answer.js';
import { CacheKey } from '../cache.js';
import type { ServerContext } from '../context.js';
import type { ServerGenerateResult } from '../core.js';
import { environment, objectWith, optionalObject, optionalString } from '../request.js';
import { keyPart, validateOptions } from '../options.js';
import { sourceFilesFromRequest } from '../source-files.js';
import { dayOf, requireJson } from './common.js';

/** Content types of the two output formats. */
const CONTENT_TYPES = { yaml: 'application/yaml; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

/** The handler of POST /v1/render. */
export function renderRoute(ctx: ServerContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = objectWith(requireJson(req), 'body', ['files', 'env', 'options']);
    const files = sourceFilesFromRequest(body.files, 'files');
    const env = environment(body, 'body', isGenerateEnvName, 'KUBE_VERSION, KUBE_API_VERSIONS, ARGOCD_APP_PARAMETERS, PARAM_* and ARGOCD_ENV_MESHPLANE_*');
    const options = optionalObject(body, 'options', 'body', ['format', 'kubeVersion', 'now']);
    const flags: GenerateFlags = {
      format: choice('generate', 'format', optionalString(options, 'format', 'options'), GENERATE_FORMATS, 'yaml'),
      kubeVersion: optionalString(options, 'kubeVersion', 'options'),
      now: optionalString(options, 'now', 'options'),
    };
    validateOptions('generate', flags);
    // The Argo CD inputs (parameters, ARGOCD_ENV_MESHPLANE_*) are checked before the cache too.
    planGenerate(env, flags);
    const structured = (req.get('accept') ?? '').includes(RESULT_MEDIA_TYPE);
    const key = new CacheKey()
      .add('render').add(structured ? 'structured' : 'raw').add(ctx.fingerprint).add(dayOf(ctx))
      .addAll('files', files.flatMap((f) => [f.path, f.text]))
      .addAll('env', Object.entries(env).flat())
      .addAll('flags', [flags.format, keyPart(flags.kubeVersion), keyPart(flags.now)])
      .digest();
    await answerWith(ctx, req, res, key, async () => {
      const result = await ctx.core.generate(files, env, flags);
      countViolations(ctx, result.report.violations);
      return renderAnswer(result, flags, structured);
    });
  };
}

/** The answer of a generate result (the raw one sends a worker's output bytes as they came). */
export function renderAnswer(result: ServerGenerateResult, flags: GenerateFlags, structured: boolean): Answer {
  const shared = { exitCode: result.exitCode, exitClass: result.exitClass, notices: result.notices, report: result.report };
  if (result.exitClass === 'violations') return jsonAnswer(422, result.exitCode, { ...violationsError(result.report.violations), ...shared });
  if (structured) return jsonAnswer(200, result.exitCode, { ...shared, output: result.output }, `${RESULT_MEDIA_TYPE}; charset=utf-8`);
  if (result.outputBytes) return { status: 200, exitCode: result.exitCode, contentType: CONTENT_TYPES[flags.format], body: result.outputBytes };
  return textAnswer(200, result.exitCode, result.output ?? '', CONTENT_TYPES[flags.format]);
}
