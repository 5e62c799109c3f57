/**
 * The allowlist of ingress gateway Service annotations (catalog/gateway-service-annotations.yaml).
 * The file is data with its source and date; this module expands the per-port families and
 * answers "is this key allowed".
 */
import { readDataFile } from './data-file.js';

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

/** The allowlist in a few words for messages: the exact keys, then each per-port family compressed. */
export function summarizeAllowlist(data: GatewayAnnotationData): string {
  const family = `${data.perPort.prefix}{${data.perPort.ports.join(',')}}_{${data.perPort.suffixes.join(',')}}`;
  return [...[...data.annotations].sort(), family].join(', ');
}

let data: GatewayAnnotationData | undefined;
let cached: string[] | undefined;

function load(): GatewayAnnotationData {
  data ??= readDataFile<GatewayAnnotationData>('gateway-service-annotations.yaml');
  return data;
}

/** Every annotation key a user may set on a managed ingress gateway Service (loaded once). */
export function allowedServiceAnnotations(): readonly string[] {
  cached ??= expandAllowlist(load());
  return cached;
}

/** The shipped allowlist, summarized for error messages. */
export function allowedServiceAnnotationsSummary(): string {
  return summarizeAllowlist(load());
}

/** True when `key` may be set on a managed ingress gateway Service. */
export function isAllowedServiceAnnotation(key: string): boolean {
  return allowedServiceAnnotations().includes(key);
}
