/**
 * Stage `overrides` (between `intent` and `defaults`): values set outside the source, such as Argo
 * CD Application parameters, replace intent fields. Precedence: override > intent field > default
 * (the `defaults` stage only fills what is still unset). The overridden intent is validated again
 * with the same schema, so a bad value fails with an error that names who set it.
 */
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import { validateIntent, type FoundIntent } from './intent.js';
import { formatFieldPath, withValue } from './load.js';

/** One value that replaces an intent field. */
export interface IntentOverride {
  /** Who set it, for error messages, e.g. `parameter "monitoring.prometheus" (ARGOCD_APP_PARAMETERS)`. */
  source: string;
  /** Field path from the document root, e.g. `['spec', 'monitoring', 'prometheus']`. */
  path: readonly string[];
  /** The new value; `undefined` removes the field, so the default applies. */
  value: unknown;
}

/** Applies the overrides to a validated intent and validates the result (the input is not modified). */
export function applyOverrides(found: FoundIntent, overrides: readonly IntentOverride[]): FoundIntent {
  if (overrides.length === 0) return found;
  const value = structuredClone(found.document.value) as Record<string, unknown>;
  for (const o of overrides) setPath(value, o.path, o.value);
  return blamingOverrides(overrides, () => validateIntent(withValue(found.document, value)));
}

/**
 * Runs `fn`; an invalid-intent error it throws is re-raised as `parameter-invalid` when an override
 * touched a field the error is about, each such detail naming the override's source.
 */
export function blamingOverrides<T>(overrides: readonly IntentOverride[] | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!overrides?.length || !(err instanceof MeshplaneError)) throw err;
    const details = err.details.map((d) => blame(d, overrides));
    if (details.every((d, i) => d === err.details[i])) throw err;
    throw new MeshplaneError('parameter-invalid', `the overridden mesh intent is invalid: ${err.message}`, details, 'fix or remove the parameter in the Argo CD Application (spec.source.plugin.parameters); `meshplane parameters` lists each one with its allowed values');
  }
}

function blame(detail: ErrorDetail, overrides: readonly IntentOverride[]): ErrorDetail {
  const culprit = overrides.find((o) => related(formatFieldPath([...o.path]), detail.path));
  if (culprit) {
    const { where: _where, ...rest } = detail;
    return { ...rest, message: `${detail.message} (set by ${culprit.source})` };
  }
  // The field the finding names is the file's own (its line stays right); another field it was
  // checked against (the finding's `causes`) was overridden, so name that field and who set it.
  for (const o of overrides) {
    const cause = detail.causes?.find((c) => related(formatFieldPath([...o.path]), c));
    if (cause) return { ...detail, message: `${detail.message} (${cause} set by ${o.source})` };
  }
  return detail;
}

/** True when one field path contains the other (a parent's `required` error counts too). */
function related(overridePath: string, detailPath: string | undefined): boolean {
  if (detailPath === undefined) return false;
  return within(detailPath, overridePath) || within(overridePath, detailPath);
}

function within(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') {
      if (value === undefined) return;
      node[key] = {};
    }
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
}
