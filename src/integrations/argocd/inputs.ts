/**
 * Everything `meshplane generate` takes from an Argo CD plugin environment, in one call: intent
 * overrides from the Application's parameters, ARGOCD_ENV_MESHPLANE_* options and a provenance
 * line. Outside Argo CD (none of these variables set) it returns no overrides and no options.
 * KUBE_VERSION is read by the render itself (src/pipeline/resolve.ts); KUBE_API_VERSIONS by `check`.
 */
import type { Notice } from '../../core/types.js';
import { intentSchema } from '../../pipeline/intent.js';
import type { IntentOverride } from '../../pipeline/overrides.js';
import { parameterOverrides, type ParameterSource } from './app-parameters.js';
import { provenanceLine, readEnvOptions } from './build-env.js';
import { PARAMETERS, type SchemaNode } from './parameter-table.js';

/** The Argo CD inputs of one render. */
export interface ArgoInputs {
  overrides: IntentOverride[];
  parameterSource: ParameterSource;
  now?: Date;
  verbose: boolean;
  notices: Notice[];
  /** Lines for stderr naming the application, revision and overridden fields (undefined when there is nothing to say). */
  provenance?: string;
}

/** Reads the Argo CD inputs from an environment; throws `parameter-invalid` / `usage` errors. */
export function readArgoInputs(env: Record<string, string | undefined>): ArgoInputs {
  const options = readEnvOptions(env);
  const params = parameterOverrides(env, intentSchema() as SchemaNode);
  const out: ArgoInputs = { overrides: params.overrides, parameterSource: params.source, verbose: options.verbose, notices: params.notices };
  if (options.now) out.now = options.now;
  const lines = [provenanceLine(env), overridesLine(params.source, params.overrides)].filter((l): l is string => l !== undefined);
  if (lines.length) out.provenance = lines.join('\n');
  return out;
}

/** `info: parameters from ARGOCD_APP_PARAMETERS override mesh.yaml: revisions, security.mtls`. */
function overridesLine(source: ParameterSource, overrides: IntentOverride[]): string | undefined {
  if (overrides.length === 0) return undefined;
  const names = overrides.map((o) => PARAMETERS.find((p) => p.path.join('.') === o.path.join('.'))?.name ?? o.path.join('.'));
  return `info: parameters from ${source} override mesh.yaml: ${names.join(', ')}`;
}
