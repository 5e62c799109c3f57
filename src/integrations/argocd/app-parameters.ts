/**
 * The parameters an Argo CD Application sets (spec.source.plugin.parameters), read from the plugin's
 * environment and turned into intent overrides (docs/design.md, "Argo CD config-management plugins").
 *
 * Sources, first match wins:
 * 1. `ARGOCD_APP_PARAMETERS`: the JSON array of exactly what the Application set (preferred;
 *    `null` or `[]` means "no parameters", and then no `PARAM_*` variable is read either);
 * 2. `PARAM_<NAME>` variables (only when ARGOCD_APP_PARAMETERS is absent, e.g. a manual run):
 *    names are escaped lossily, so string and array parameters are read, map parameters only where
 *    the keys can be recovered (istio.components.ingressGateways); other `PARAM_<MAP>_*` variables are reported.
 * Announced defaults never come back from Argo CD, so an absent parameter keeps the intent's value.
 * A parameter's former name (before every name became the field path) is still read, with a
 * warning naming the new name; setting both names of one parameter is an error.
 */
import { MeshplaneError } from '../../core/errors.js';
import type { Notice } from '../../core/types.js';
import { suggest } from '../../pipeline/suggest.js';
import type { IntentOverride } from '../../pipeline/overrides.js';
import { codecOf, escapeParamName, findFormerName, findParameter, formerNameNotice, ingressModes, PARAMETERS, schemaAt, type ParameterSpec, type SchemaNode, type SetParameter } from './parameter-table.js';
import { decodeParameter } from './decode.js';

export type { SetParameter } from './parameter-table.js';

/** Where the parameters were read from. */
export type ParameterSource = 'ARGOCD_APP_PARAMETERS' | 'PARAM_*' | 'none';

/** The overrides the Application's parameters ask for. */
export interface ParameterOverrides {
  source: ParameterSource;
  overrides: IntentOverride[];
  notices: Notice[];
}

const JSON_VAR = 'ARGOCD_APP_PARAMETERS';

/** Reads the Application's parameters from the environment and decodes them into overrides. */
export function parameterOverrides(env: Record<string, string | undefined>, schema: SchemaNode): ParameterOverrides {
  const raw = env[JSON_VAR];
  if (raw !== undefined && raw.trim() !== '') {
    const notices: Notice[] = [];
    const resolved = resolveNames(parseAppParameters(raw), notices);
    const overrides = resolved.map(([p, spec]) => toOverride(p, spec, schema, `parameter "${p.name}" (${JSON_VAR})`));
    return { source: 'ARGOCD_APP_PARAMETERS', overrides, notices };
  }
  const { values, notices } = readParamVars(env, schema);
  const overrides = values.map((v) => toOverride(v.parameter, v.spec, schema, `parameter "${v.parameter.name}" (${v.variable})`));
  return { source: values.length ? 'PARAM_*' : 'none', overrides, notices };
}

/** Parses ARGOCD_APP_PARAMETERS; malformed JSON or shapes are usage errors naming the entry. */
export function parseAppParameters(text: string): SetParameter[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalid(`${JSON_VAR} is not valid JSON: ${(err as Error).message}`, 'Argo CD sets it from spec.source.plugin.parameters; when setting it by hand, use e.g. [{"name":"istio.revisions","array":["asm-1-28"]}]');
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw invalid(`${JSON_VAR} must be a JSON array of parameters, got ${typeof parsed}`);
  const seen = new Set<string>();
  return parsed.map((entry, i) => {
    const p = checkEntry(entry, i);
    if (seen.has(p.name)) throw invalid(`${JSON_VAR} sets parameter "${p.name}" twice`, 'keep one entry per parameter name in spec.source.plugin.parameters');
    seen.add(p.name);
    return p;
  });
}

function checkEntry(entry: unknown, i: number): SetParameter {
  const at = `${JSON_VAR}[${i}]`;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw invalid(`${at} must be an object with a "name"`);
  const e = entry as Record<string, unknown>;
  if (typeof e.name !== 'string' || e.name === '') throw invalid(`${at} has no "name"`);
  const out: SetParameter = { name: e.name };
  if (e.string !== undefined && e.string !== null) {
    if (typeof e.string !== 'string') throw invalid(`${at} ("${e.name}"): "string" must be a string`);
    out.string = e.string;
  }
  if (e.array !== undefined && e.array !== null) {
    if (!Array.isArray(e.array) || !e.array.every((v) => typeof v === 'string')) throw invalid(`${at} ("${e.name}"): "array" must be a list of strings`);
    out.array = e.array as string[];
  }
  if (e.map !== undefined && e.map !== null) {
    if (typeof e.map !== 'object' || Array.isArray(e.map) || !Object.values(e.map).every((v) => typeof v === 'string')) throw invalid(`${at} ("${e.name}"): "map" must be an object of strings`);
    out.map = e.map as Record<string, string>;
  }
  return out;
}

/** Each set parameter with its spec; a former name adds a warning, both names of one field are refused. */
function resolveNames(params: SetParameter[], notices: Notice[]): Array<[SetParameter, ParameterSpec]> {
  const setBy = new Map<string, string>();
  return params.map((p) => {
    const spec = findParameter(p.name) ?? findFormerName(p.name);
    if (!spec) {
      const guess = suggest(p.name, PARAMETERS.map((x) => x.name)) ?? findFormerByGuess(p.name);
      throw invalid(`unknown parameter "${p.name}"${guess ? ` (did you mean "${guess}"?)` : ''}`, `the parameters Meshplane reads: ${PARAMETERS.map((x) => x.name).join(', ')}`);
    }
    const other = setBy.get(spec.name);
    if (other !== undefined) throw invalid(`${JSON_VAR} sets parameter "${spec.name}" twice (as "${other}" and as "${p.name}")`, `keep only "${spec.name}"; "${spec.formerly}" is its deprecated former name`);
    setBy.set(spec.name, p.name);
    if (p.name !== spec.name) notices.push({ level: 'warning', message: formerNameNotice(spec, p.name) });
    return [p, spec];
  });
}

/** The new name of a misspelt former name (e.g. "revison" → "istio.revisions"). */
function findFormerByGuess(name: string): string | undefined {
  const former = suggest(name, PARAMETERS.flatMap((x) => (x.formerly ? [x.formerly] : [])));
  return former === undefined ? undefined : findFormerName(former)?.name;
}

function toOverride(p: SetParameter, spec: ParameterSpec, schema: SchemaNode, source: string): IntentOverride {
  return { source, path: spec.path, value: decodeParameter(spec, codecOf(spec, schemaAt(schema, spec.path)), p, source, ingressModes(schema)) };
}

interface VarValue {
  parameter: SetParameter;
  spec: ParameterSpec;
  variable: string;
}

/** Reads PARAM_* variables for every known parameter (the lossy fallback). */
export function readParamVars(env: Record<string, string | undefined>, schema: SchemaNode): { values: VarValue[]; notices: Notice[] } {
  const values: VarValue[] = [];
  const notices: Notice[] = [];
  for (const spec of PARAMETERS) {
    const base = `PARAM_${escapeParamName(spec.name)}`;
    const codec = codecOf(spec, schemaAt(schema, spec.path));
    const found = readVar(env, spec, base, codec, ingressModes(schema)) ?? readFormerVar(env, spec, codec, ingressModes(schema), notices);
    if (found) values.push(found);
    else if (codec === 'string-map' && Object.keys(env).some((k) => k.startsWith(`${base}_`))) {
      notices.push({ level: 'warning', message: `${base}_* variables are ignored: map keys lose their spelling in PARAM_* names; Argo CD also sends ${JSON_VAR}, which Meshplane reads` });
    }
  }
  return { values, notices };
}

/** PARAM_* variables under the parameter's former name (a manual run with old names), with a warning. */
function readFormerVar(env: Record<string, string | undefined>, spec: ParameterSpec, codec: string, modes: string[], notices: Notice[]): VarValue | undefined {
  if (spec.formerly === undefined) return undefined;
  const found = readVar(env, spec, `PARAM_${escapeParamName(spec.formerly)}`, codec, modes);
  if (found) notices.push({ level: 'warning', message: `${found.variable}: ${formerNameNotice(spec, spec.formerly)}` });
  return found;
}

function readVar(env: Record<string, string | undefined>, spec: ParameterSpec, base: string, codec: string, modes: string[]): VarValue | undefined {
  if (codec === 'string-array') {
    const items: string[] = [];
    while (env[`${base}_${items.length}`] !== undefined) items.push(env[`${base}_${items.length}`] as string);
    return items.length ? { parameter: { name: spec.name, array: items }, spec, variable: `${base}_*` } : undefined;
  }
  if (codec === 'ingress-gateways') {
    const map: Record<string, string> = {};
    for (const mode of modes) {
      const v = env[`${base}_${escapeParamName(mode)}`];
      if (v !== undefined) map[mode] = v;
    }
    return Object.keys(map).length ? { parameter: { name: spec.name, map }, spec, variable: `${base}_*` } : undefined;
  }
  if (codec === 'string-map') return undefined;
  const v = env[base];
  return v === undefined ? undefined : { parameter: { name: spec.name, string: v }, spec, variable: base };
}

function invalid(message: string, hint?: string): MeshplaneError {
  return new MeshplaneError('parameter-invalid', message, [], hint ?? 'fix spec.source.plugin.parameters in the Argo CD Application; `meshplane parameters` lists what Meshplane reads');
}
