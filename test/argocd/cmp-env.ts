/**
 * CMP emulator, part 3: the environment a plugin command gets (docs/design.md, "Argo CD config-management plugins"): the
 * sidecar's own environment, then what repo-server sends: the build environment, Application
 * plugin env as ARGOCD_ENV_<name> (values envsubst'ed against the build environment), and the
 * parameters as ARGOCD_APP_PARAMETERS plus the lossy PARAM_* variables. Later entries win.
 */

/** A parameter as an Application's spec.source.plugin.parameters[] holds it. */
export interface AppParameter {
  name: string;
  string?: string;
  array?: string[];
  map?: Record<string, string>;
}

/** What the emulated Application and cluster look like. */
export interface AppSpec {
  name: string;
  /** The destination namespace. */
  namespace: string;
  project: string;
  /** The resolved commit SHA (40 hex). */
  revision: string;
  repoUrl: string;
  targetRevision: string;
  /** The app's path inside the repository. */
  path: string;
  kubeVersion: string;
  kubeApiVersions: string[];
  /** spec.source.plugin.env (names without the ARGOCD_ENV_ prefix). */
  env: Array<{ name: string; value: string }>;
  /** spec.source.plugin.parameters; undefined = the field is absent. */
  parameters?: AppParameter[];
}

/** A plausible default Application: override what a test cares about. */
export function defaultApp(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'mesh', namespace: 'aks-istio-system', project: 'default',
    revision: '0123456789abcdef0123456789abcdef01234567', repoUrl: 'https://git.example.com/platform/mesh.git', targetRevision: 'main',
    path: '.', kubeVersion: '1.32.3', kubeApiVersions: [], env: [], ...overrides,
  };
}

/** The build environment (repo-server getPluginEnvs). */
export function buildEnv(app: AppSpec): Record<string, string> {
  return {
    ARGOCD_APP_NAME: app.name,
    ARGOCD_APP_NAMESPACE: app.namespace,
    ARGOCD_APP_PROJECT_NAME: app.project,
    ARGOCD_APP_REVISION: app.revision,
    ARGOCD_APP_REVISION_SHORT: app.revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: app.revision.slice(0, 8),
    ARGOCD_APP_SOURCE_PATH: app.path,
    ARGOCD_APP_SOURCE_REPO_URL: app.repoUrl,
    ARGOCD_APP_SOURCE_TARGET_REVISION: app.targetRevision,
    KUBE_VERSION: app.kubeVersion,
    KUBE_API_VERSIONS: app.kubeApiVersions.join(','),
  };
}

/** envsubst against the build environment: `$VAR` / `${VAR}` expand (unknown → empty), `$$` is `$`. */
export function envsubst(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, braced?: string, bare?: string) => (m === '$$' ? '$' : vars[braced ?? bare ?? ''] ?? ''));
}

/** Argo CD's escaping of parameter names and map keys for PARAM_* variables. */
export function escaped(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The parameter variables (ApplicationSourcePluginParameters.Environ). */
export function parameterEnv(params: AppParameter[] | undefined): Record<string, string> {
  const ordered = (params ?? []).map((p) => ({ name: p.name, ...(p.string !== undefined ? { string: p.string } : {}), ...(p.array ? { array: p.array } : {}), ...(p.map ? { map: p.map } : {}) }));
  const out: Record<string, string> = { ARGOCD_APP_PARAMETERS: params === undefined ? 'null' : JSON.stringify(ordered) };
  for (const p of params ?? []) {
    const base = `PARAM_${escaped(p.name)}`;
    if (p.string !== undefined) out[base] = p.string;
    for (const [k, v] of Object.entries(p.map ?? {})) out[`${base}_${escaped(k)}`] = v;
    (p.array ?? []).forEach((v, i) => (out[`${base}_${i}`] = v));
  }
  return out;
}

/** The full environment of one plugin command. */
export function pluginEnv(sidecar: Record<string, string>, app: AppSpec): Record<string, string> {
  const build = buildEnv(app);
  const user = Object.fromEntries(app.env.map((e) => [`ARGOCD_ENV_${e.name}`, envsubst(e.value, build)]));
  return { ...sidecar, ...build, ...user, ...parameterEnv(app.parameters) };
}
