/**
 * Options of the computing routes, checked BEFORE the answer cache is consulted: a request whose
 * options are invalid must get the same 400 whether or not a valid request was answered before
 * (otherwise `options.now: "\u0000"` could be answered 200 from the cache). And the cache key
 * parts of an option tell "absent" apart from every value, so no value can stand in for absence.
 */
import { clockFrom } from '../flows/check-inputs.js';
import { MeshplaneError } from '../core/errors.js';
import { kubeMinor } from '../catalog/catalog.js';

/** The options shared by render, check, diff and post-render. */
export interface SharedOptions {
  kubeVersion?: string | undefined;
  now?: string | undefined;
  labelRevision?: string | undefined;
}

/** Throws the CLI's own error for an invalid option (mapped to 400 by the error handler). */
export function validateOptions(command: string, o: SharedOptions): void {
  if (o.now !== undefined) clockFrom(command, o.now);
  if (o.kubeVersion !== undefined && !Number.isFinite(kubeMinor(o.kubeVersion))) {
    throw new MeshplaneError('kube-version-invalid', `options.kubeVersion is ${JSON.stringify(o.kubeVersion.slice(0, 40))}, which is not a Kubernetes 1.x version`, [], 'use the form 1.32 (a leading v and a patch, as in v1.32.3, are accepted), or leave it out');
  }
  if (o.labelRevision === '') throw new MeshplaneError('usage', `meshplane ${command}: --label-revision needs a revision or tag name`, [], 'e.g. labelRevision: prod-stable, or leave it out');
}

/** A cache-key part for an optional value: `-` when absent, `=<value>` when present (never equal). */
export function keyPart(value: string | boolean | number | undefined): string {
  return value === undefined ? '-' : `=${String(value)}`;
}
