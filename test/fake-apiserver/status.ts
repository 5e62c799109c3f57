/** Kubernetes `Status` error bodies, as the API server sends them with 4xx/5xx answers. */

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

/** 404 for a missing object. */
export const notFoundObject = (group: string, plural: string, name: string): Status =>
  status(404, 'NotFound', `${plural}${group ? `.${group}` : ''} "${name}" not found`, { name, group, kind: plural });

/** 400 for a request the server cannot parse. */
export const badRequest = (message: string): Status => status(400, 'BadRequest', message);
