/**
 * What `generate` reads from the Argo CD build environment besides parameters
 * (docs/design.md, "Argo CD config-management plugins"): options passed as Application plugin env (`ARGOCD_ENV_<name>`), and
 * the application's identity for one provenance line on stderr.
 *
 * Options (spec.source.plugin.env[].name → variable the plugin sees):
 * - `MESHPLANE_NOW` (YYYY-MM-DD) → the clock that decides exception expiry (same as `--now`);
 * - `MESHPLANE_VERBOSE` (true|false) → info-level notices on stderr (same as `--verbose`).
 * Any other `ARGOCD_ENV_MESHPLANE_*` name is an error (a mistyped option must not be silently
 * ignored); `ARGOCD_ENV_*` names without the MESHPLANE_ prefix belong to other tools and are ignored.
 *
 * The revision is NOT written onto rendered objects: it changes with every commit to the repository,
 * so a stamped annotation would put every object out of sync (and into every PR diff) on commits
 * that do not touch the mesh. Argo CD records the synced revision itself.
 */
import { MeshplaneError } from '../../core/errors.js';
import { endOfDay } from '../../pipeline/policy.js';
import { suggest } from '../../pipeline/suggest.js';

/** Options read from ARGOCD_ENV_MESHPLANE_*. */
export interface EnvOptions {
  now?: Date;
  verbose: boolean;
}

/** Prefix Argo CD puts on Application plugin env names. */
export const ENV_PREFIX = 'ARGOCD_ENV_';

/** The option names Meshplane reads, without the ARGOCD_ENV_ prefix. Why these: the two `generate` flags that make sense per Application. */
export const ENV_OPTION_NAMES = ['MESHPLANE_NOW', 'MESHPLANE_VERBOSE'] as const;

/** Reads the ARGOCD_ENV_MESHPLANE_* options; unknown names and bad values are usage errors. */
export function readEnvOptions(env: Record<string, string | undefined>): EnvOptions {
  for (const key of Object.keys(env).filter((k) => k.startsWith(`${ENV_PREFIX}MESHPLANE_`)).sort()) {
    const name = key.slice(ENV_PREFIX.length);
    if ((ENV_OPTION_NAMES as readonly string[]).includes(name)) continue;
    const guess = suggest(name, ENV_OPTION_NAMES);
    throw new MeshplaneError('usage', `unknown Argo CD plugin env ${name} (seen as ${key})${guess ? `; did you mean ${guess}?` : ''}`, [], `Meshplane reads ${ENV_OPTION_NAMES.join(' and ')} from spec.source.plugin.env`);
  }
  const out: EnvOptions = { verbose: flag(env[`${ENV_PREFIX}MESHPLANE_VERBOSE`]) };
  const now = env[`${ENV_PREFIX}MESHPLANE_NOW`];
  if (now !== undefined && now !== '') out.now = parseDay(now);
  return out;
}

function flag(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new MeshplaneError('usage', `Argo CD plugin env MESHPLANE_VERBOSE is "${value}", not true or false`, [], 'set it to "true" or "false" in spec.source.plugin.env');
}

function parseDay(text: string): Date {
  const end = endOfDay(text.trim());
  if (!end) throw new MeshplaneError('usage', `Argo CD plugin env MESHPLANE_NOW is "${text}", not a date`, [], 'write the date as YYYY-MM-DD, e.g. 2027-01-31');
  return new Date(end.getTime() - 24 * 60 * 60 * 1000);
}

/**
 * One line naming the Argo CD application and revision being rendered, or undefined outside Argo
 * CD. Printed on stderr: the sidecar logs it, and on failure Argo CD shows it with the error.
 */
export function provenanceLine(env: Record<string, string | undefined>): string | undefined {
  const app = env.ARGOCD_APP_NAME;
  if (!app) return undefined;
  const parts = [`Argo CD application "${app}"`];
  if (env.ARGOCD_APP_NAMESPACE) parts.push(`destination namespace ${env.ARGOCD_APP_NAMESPACE}`);
  const rev = env.ARGOCD_APP_REVISION_SHORT || env.ARGOCD_APP_REVISION;
  if (rev) parts.push(`revision ${rev}`);
  if (env.ARGOCD_APP_SOURCE_PATH) parts.push(`path ${env.ARGOCD_APP_SOURCE_PATH}`);
  if (env.KUBE_VERSION) parts.push(`KUBE_VERSION ${env.KUBE_VERSION}`);
  return `info: rendering ${parts.join(', ')}`;
}
