/**
 * Kubernetes `Status` error bodies, as the API server sends them with 4xx/5xx answers. The
 * details follow k8s.io/apimachinery v0.36.3 (pkg/api/errors/errors.go: NewNotFound,
 * NewAlreadyExists and NewForbidden fill name, group and kind, the kind being the resource's
 * plural; pkg/apis/meta/v1/types.go: StatusDetails' fields are omitempty, so an empty name or the
 * core group's "" is left out), which @kubernetes/client-node 1.4.0's V1StatusDetails mirrors.
 */
import type { Attributes } from './rbac.js';

/** A Status object. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

/** Builds a failure Status. */
export function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** 401 for a missing or wrong bearer token (the real server says only "Unauthorized"). */
export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');

/** 404 for a path no API serves. */
export const notFoundPath = (): Status => status(404, 'NotFound', 'the server could not find the requested resource', {});

/** `resource.group`, or the resource alone in the core group (apimachinery's GroupResource.String). */
export const qualified = (group: string, resource: string): string => `${resource}${group ? `.${group}` : ''}`;

/** The StatusDetails of a resource error: kind is the resource (plural); an empty name or group is left out. */
export function details(group: string, resource: string, name?: string): Record<string, string> {
  return { ...(name ? { name } : {}), ...(group ? { group } : {}), ...(resource ? { kind: resource } : {}) };
}

/** 404 for a missing object. */
export const notFoundObject = (group: string, plural: string, name: string): Status =>
  status(404, 'NotFound', `${qualified(group, plural)} "${name}" not found`, details(group, plural, name));

/** 403 from the authorizer: details name the resource (empty, `{}`, for a non-resource URL). */
export const forbidden = (message: string, a: Attributes): Status =>
  status(403, 'Forbidden', message, a.kind === 'url' ? {} : details(a.apiGroup, a.resource, a.name));

/** 400 for a request the server cannot parse. */
export const badRequest = (message: string): Status => status(400, 'BadRequest', message);
