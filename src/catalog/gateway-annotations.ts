/**
 * The allowlist of ingress gateway Service annotations (catalog/gateway-service-annotations.yaml).
 * The file is data with its source and date; this module expands the per-port families and
 * answers "is this key allowed".
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { packagePath } from '../core/paths.js';

/** The shape of catalog/gateway-service-annotations.yaml. */
export interface GatewayAnnotationData {
  annotations: string[];
  perPort: { prefix: string; ports: number[]; suffixes: string[] };
}

/** Expands the data into the sorted list of every allowed annotation key. */
export function expandAllowlist(data: GatewayAnnotationData): string[] {
  const perPort = data.perPort.ports.flatMap((port) => data.perPort.suffixes.map((s) => `${data.perPort.prefix}${port}_${s}`));
  return [...new Set([...data.annotations, ...perPort])].sort();
}

let cached: string[] | undefined;

/** Every annotation key a user may set on a managed ingress gateway Service (loaded once). */
export function allowedServiceAnnotations(): readonly string[] {
  cached ??= expandAllowlist(parse(readFileSync(packagePath('catalog', 'gateway-service-annotations.yaml'), 'utf8')) as GatewayAnnotationData);
  return cached;
}

/** True when `key` may be set on a managed ingress gateway Service. */
export function isAllowedServiceAnnotation(key: string): boolean {
  return allowedServiceAnnotations().includes(key);
}
