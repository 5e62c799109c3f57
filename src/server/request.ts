/**
 * Shape checks for request bodies: every field has one type, unknown fields are refused (a
 * mistyped option must not be ignored silently), and the environment holds only the variables
 * the route reads. Values are then checked by the same core functions the CLI uses.
 */
import { suggest } from '../pipeline/suggest.js';
import { invalidRequest } from './errors.js';

/** A JSON object from a request. */
export type Json = Record<string, unknown>;

/** The body as an object with only `allowed` keys. */
export function objectWith(value: unknown, where: string, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${where} must be a JSON object`, where);
  const obj = value as Json;
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const guess = suggest(key.slice(0, 100), allowed);
    throw invalidRequest(`${where} has an unknown field "${key.slice(0, 100)}"${guess ? `; did you mean "${guess}"?` : ''}`, `${where}.${key.slice(0, 100)}`, `the fields are: ${allowed.join(', ')}`);
  }
  return obj;
}

/** An optional object field (absent or null → empty). */
export function optionalObject(obj: Json, key: string, where: string, allowed: readonly string[]): Json {
  const v = obj[key];
  return v === undefined || v === null ? {} : objectWith(v, `${where}.${key}`, allowed);
}

/** An optional string field. */
export function optionalString(obj: Json, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${where}.${key} must be a string`, `${where}.${key}`);
  return v;
}

/** An optional boolean field. */
export function optionalBoolean(obj: Json, key: string, where: string): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalidRequest(`${where}.${key} must be true or false`, `${where}.${key}`);
  return v;
}

/** An optional list of strings. */
export function optionalStrings(obj: Json, key: string, where: string): string[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidRequest(`${where}.${key} must be a list of strings`, `${where}.${key}`);
  return v as string[];
}

/** An optional whole number in [min, max]. */
export function optionalInteger(obj: Json, key: string, where: string, min: number, max: number): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidRequest(`${where}.${key} must be a whole number from ${min} to ${max}`, `${where}.${key}`);
  return v;
}

/** `env`: string values only, and only the variables `accepts` names (the route's inputs). */
export function environment(obj: Json, where: string, accepts: (name: string) => boolean, names: string): Record<string, string> {
  const raw = obj.env;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest(`${where}.env must be an object of variable → value`, `${where}.env`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!accepts(name)) throw invalidRequest(`${where}.env.${name.slice(0, 100)} is not a variable this route reads`, `${where}.env.${name.slice(0, 100)}`, `send only ${names}`);
    if (typeof value !== 'string') throw invalidRequest(`${where}.env.${name} must be a string`, `${where}.env.${name}`);
    out[name] = value;
  }
  return out;
}

/** The env names of check, diff and post-render. Why these two: the only variables those commands read (the cluster's version and served APIs). */
export const CLUSTER_ENV = ['KUBE_VERSION', 'KUBE_API_VERSIONS'];

/** True for KUBE_VERSION and KUBE_API_VERSIONS. */
export function isClusterEnvName(name: string): boolean {
  return CLUSTER_ENV.includes(name);
}
