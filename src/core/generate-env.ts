/**
 * Which environment variables can change what `meshplane generate` produces. A leaf module: the
 * generate flow, the server (which refuses any other variable) and the CLI's start-ahead step
 * (which loads nothing else before the evaluation starts) all read these names from here.
 */

/** The environment as a process sees it (only the variables {@link isGenerateEnvName} accepts are read). */
export type GenerateEnv = Record<string, string | undefined>;

/**
 * Why these names: they are every variable the generate core reads (KUBE_VERSION and
 * KUBE_API_VERSIONS from Argo CD's build env, the Application's parameters as
 * ARGOCD_APP_PARAMETERS or PARAM_*, and the ARGOCD_ENV_MESHPLANE_* options). Other variables
 * change nothing in the output, so the client never sends them and the server refuses them.
 */
const EXACT_NAMES = ['KUBE_VERSION', 'KUBE_API_VERSIONS', 'ARGOCD_APP_PARAMETERS'];
const NAME_PATTERNS = [/^PARAM_[A-Za-z0-9_]+$/, /^ARGOCD_ENV_MESHPLANE_[A-Za-z0-9_]+$/];

/** True for an environment variable that can change what generate produces. */
export function isGenerateEnvName(name: string): boolean {
  return EXACT_NAMES.includes(name) || NAME_PATTERNS.some((p) => p.test(name));
}

/** The variables of `env` that generate reads, sorted by name (what client mode sends). */
export function generateEnv(env: GenerateEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).filter(isGenerateEnvName).sort()) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
