/**
 * `POST /v1/check`: `{files, env, options: {output, kubeVersion, now}}` → the report
 * `meshplane check --output <output>` prints (JSON by default), byte for byte.
 * 200 no error findings · 422 error findings (the body is still the report) · 400 · 413.
 */
import type { Request, Response } from 'express';
import { choice } from '../../cli/args.js';
import { meshplaneVersion } from '../../flows/check-inputs.js';
import { formatNames, formatterFor, type ReportFormat } from '../../output/index.js';
import { answerWith, countViolations, textAnswer } from '../answer.js';
import { CacheKey } from '../cache.js';
import { keyPart, validateOptions } from '../options.js';
import type { ServerContext } from '../context.js';
import { CLUSTER_ENV, environment, isClusterEnvName, objectWith, optionalObject, optionalString } from '../request.js';
import { sourceFilesFromRequest } from '../source-files.js';
import { dayOf, requireJson } from './common.js';

/** Content type of each report format. */
const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  text: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
  junit: 'application/xml; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
};

/** The handler of POST /v1/check. */
export function checkRoute(ctx: ServerContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = objectWith(requireJson(req), 'body', ['files', 'env', 'options']);
    const files = sourceFilesFromRequest(body.files, 'files');
    const env = environment(body, 'body', isClusterEnvName, CLUSTER_ENV.join(' and '));
    const options = optionalObject(body, 'options', 'body', ['output', 'kubeVersion', 'now']);
    const output = choice('check', 'output', optionalString(options, 'output', 'options'), formatNames(), 'json');
    const kubeVersion = optionalString(options, 'kubeVersion', 'options');
    const now = optionalString(options, 'now', 'options');
    validateOptions('check', { kubeVersion, now });
    const key = new CacheKey()
      .add('check').add(output).add(ctx.fingerprint).add(dayOf(ctx))
      .addAll('files', files.flatMap((f) => [f.path, f.text]))
      .addAll('env', Object.entries(env).flat())
      .addAll('flags', [keyPart(kubeVersion), keyPart(now)])
      .digest();
    await answerWith(ctx, req, res, key, async () => {
      const outcome = await ctx.core.check({ files, env, kubeVersion, now });
      countViolations(ctx, outcome.report.violations);
      const text = formatterFor(output).format(outcome.report, { color: false, version: meshplaneVersion() });
      return textAnswer(outcome.exitCode === 0 ? 200 : 422, outcome.exitCode, text, CONTENT_TYPES[output]);
    });
  };
}
