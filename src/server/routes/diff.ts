/**
 * `POST /v1/diff`: `{base: {files} | null, head: {files} | null, env, options}` → what
 * `meshplane diff --output <output>` prints for two folders holding those files (text by
 * default; markdown for a PR comment; json). A null side is a folder that does not exist there.
 * 200 with `Meshplane-Exit-Code` 0 (no changes) or 1 (changes, unless exitZero) · 400 · 413.
 */
import type { Request, Response } from 'express';
import { choice } from '../../cli/args.js';
import { formatJson } from '../../diff/format-json.js';
import { formatMarkdown } from '../../diff/format-markdown.js';
import { formatText } from '../../diff/format-text.js';
import type { SourceFile } from '../../core/types.js';
import { answerWith, textAnswer } from '../answer.js';
import { CacheKey } from '../cache.js';
import { keyPart, validateOptions } from '../options.js';
import type { ServerContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { CLUSTER_ENV, environment, isClusterEnvName, objectWith, optionalBoolean, optionalInteger, optionalObject, optionalString, type Json } from '../request.js';
import { sourceFilesFromRequest } from '../source-files.js';
import { dayOf, requireJson } from './common.js';

/** The output formats of diff, with their content types. */
const OUTPUTS = ['text', 'markdown', 'json'] as const;
const CONTENT_TYPES: Readonly<Record<(typeof OUTPUTS)[number], string>> = {
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The handler of POST /v1/diff. */
export function diffRoute(ctx: ServerContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const body = objectWith(requireJson(req), 'body', ['base', 'head', 'env', 'options']);
    const base = side(body, 'base');
    const head = side(body, 'head');
    if (!base && !head) throw invalidRequest('base and head are both null: there is nothing to compare', 'body', 'send at least one side as {"files": {...}}');
    const env = environment(body, 'body', isClusterEnvName, CLUSTER_ENV.join(' and '));
    const o = optionalObject(body, 'options', 'body', ['output', 'context', 'showNoise', 'exitZero', 'kubeVersion', 'now', 'baseLabel', 'headLabel']);
    const output = choice('diff', 'output', optionalString(o, 'output', 'options'), OUTPUTS, 'text');
    const input = {
      base: { label: optionalString(o, 'baseLabel', 'options') ?? 'base', files: base },
      head: { label: optionalString(o, 'headLabel', 'options') ?? 'head', files: head },
      env,
      kubeVersion: optionalString(o, 'kubeVersion', 'options'),
      now: optionalString(o, 'now', 'options'),
      context: optionalInteger(o, 'context', 'options', 0, 1000) ?? 3,
      showNoise: optionalBoolean(o, 'showNoise', 'options'),
      exitZero: optionalBoolean(o, 'exitZero', 'options'),
    };
    validateOptions('diff', input);
    const key = new CacheKey()
      .add('diff').add(output).add(ctx.fingerprint).add(dayOf(ctx))
      .addAll('base', flat(base)).addAll('head', flat(head))
      .addAll('env', Object.entries(env).flat())
      .addAll('options', [input.base.label, input.head.label, keyPart(input.kubeVersion), keyPart(input.now), keyPart(input.context), keyPart(input.showNoise), keyPart(input.exitZero)])
      .digest();
    await answerWith(ctx, req, res, key, async () => {
      const outcome = await ctx.core.diff(input);
      const r = outcome.report;
      const text = output === 'json' ? formatJson(r) : output === 'markdown' ? formatMarkdown(r) : formatText(r, { colour: false });
      return textAnswer(200, outcome.exitCode, text, CONTENT_TYPES[output]);
    });
  };
}

function side(body: Json, name: 'base' | 'head'): SourceFile[] | undefined {
  if (body[name] === null) return undefined;
  const s = objectWith(body[name], name, ['files']);
  return sourceFilesFromRequest(s.files, `${name}.files`);
}

function flat(files: SourceFile[] | undefined): string[] {
  return files ? ['present', ...files.flatMap((f) => [f.path, f.text])] : ['absent'];
}
