/**
 * Finds the schema of a Kubernetes object and validates it: kubernetes-models for built-in
 * kinds and CRDs, @kubernetes-models/istio for Istio kinds, @kubernetes-models/prometheus-operator
 * for monitoring.coreos.com, and hand-written JSON Schemas (beside this file) for the kinds no
 * package covers. An object with no schema is reported as such, never passed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** The outcome for one object. */
export type Validation = { status: 'valid'; schema: string } | { status: 'invalid'; schema: string; message: string } | { status: 'no-schema' };

/** Kinds no npm package covers → hand-written schema file in test/schemas/. */
const HAND_WRITTEN: Readonly<Record<string, string>> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': 'secretproviderclass.schema.json',
  'grafana.integreatly.org/v1beta1/GrafanaDashboard': 'grafanadashboard.schema.json',
};

/**
 * Objects validated with another apiVersion's model. Why: Azure managed Prometheus ships the
 * prometheus-operator CRDs with only the group renamed (azmonitoring.coreos.com). Istio kinds need
 * no alias: @kubernetes-models/istio 3.x has every v1 class (it is generated from Istio 1.29.2's
 * crd-all.gen.yaml; see its package.json `crd-generate.input`).
 */
const ALIASES: ReadonlyArray<{ apiVersion: string; kind?: string; as: string }> = [{ apiVersion: 'azmonitoring.coreos.com/v1', as: 'monitoring.coreos.com/v1' }];

function modulePath(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  if (group.endsWith('.istio.io')) return `@kubernetes-models/istio/${group}/${version}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(modulePath(apiVersion))) as Record<string, unknown>;
    const M = mod[kind];
    return typeof M === 'function' ? (M as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

function handWritten(file: string): ValidateFunction {
  let v = compiled.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'schemas', file), 'utf8')) as object);
    compiled.set(file, v);
  }
  return v;
}

/** Validates one object against the schema found for its apiVersion and kind. */
export async function validateObject(obj: KubeObject): Promise<Validation> {
  const file = HAND_WRITTEN[`${obj.apiVersion}/${obj.kind}`];
  if (file) {
    const v = handWritten(file);
    return v(obj) ? { status: 'valid', schema: file } : { status: 'invalid', schema: file, message: ajv.errorsText(v.errors) };
  }
  const alias = ALIASES.find((a) => a.apiVersion === obj.apiVersion && (a.kind === undefined || a.kind === obj.kind));
  const apiVersion = alias?.as ?? obj.apiVersion;
  const M = await loadModel(apiVersion, obj.kind);
  if (!M) return { status: 'no-schema' };
  const schema = `${modulePath(apiVersion)} ${obj.kind}`;
  try {
    new M({ ...obj, apiVersion }).validate();
    return { status: 'valid', schema };
  } catch (e) {
    return { status: 'invalid', schema, message: (e as Error).message };
  }
}
