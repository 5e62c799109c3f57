/**
 * CMP emulator, part 3: the environment a plugin command gets, modelled on argoproj/argo-cd
 * v3.5.1. For manifests, repo-server builds a list (reposerver/repository/repository.go newEnv,
 * getPluginEnvs, getPluginParamEnvs): the build environment, KUBE_VERSION (normalised, see
 * {@link kubeVersionEnv}) and KUBE_API_VERSIONS, then — only when the Application has a
 * spec.source.plugin section — its env as ARGOCD_ENV_<name> (values envsubst'ed against the list
 * so far) and the parameters (ARGOCD_APP_PARAMETERS plus PARAM_*). For the Parameters tab
 * (repository.go populatePluginAppDetails) the list is much shorter: four ARGOCD_APP_* variables,
 * then the same ARGOCD_ENV_* (envsubst'ed against those four) and parameters; no KUBE_*.
 * The sidecar runs commands with its own os.Environ() followed by that list
 * (cmpserver/plugin/plugin.go generateManifest/matchRepository: append(os.Environ(), environ(...))),
 * and Go's exec keeps the last value of a repeated name (os/exec dedupEnv).
 *
 * Variables with empty values are NOT dropped: v1alpha1 Env.Environ drops only entries whose name
 * and value are both empty (EnvEntry.IsZero), util/cmp toEnvEntry only strings without `=`, and
 * plugin.go environ only entries with an empty name. `X=` reaches the plugin as X set to "".
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
  /**
   * False when the Application has no spec.source.plugin at all (a plugin picked by discovery):
   * then repo-server adds no ARGOCD_ENV_* and no parameter variables (getPluginParamEnvs:
   * `if plugin != nil`). Default: present.
   */
  pluginSection?: boolean;
}

/** A plausible default Application: override what a test cares about. */
export function defaultApp(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'mesh', namespace: 'aks-istio-system', project: 'default',
    revision: '0123456789abcdef0123456789abcdef01234567', repoUrl: 'https://git.example.com/platform/mesh.git', targetRevision: 'main',
    path: '.', kubeVersion: '1.32.3', kubeApiVersions: [], env: [], ...overrides,
  };
}

/** The largest value Go's strconv.ParseUint(s, 10, 0) accepts (uint is 64 bits on the sidecar's platforms). */
const GO_UINT_MAX = 2n ** 64n - 1n;

/**
 * KUBE_VERSION as repo-server passes it: repository.go parseKubeVersion, that is "" for "", else
 * apimachinery's version.ParseGeneric (k8s.io/apimachinery v0.36.1, the version argo-cd v3.5.1
 * pins, pkg/util/version/version.go) printed back: an optional `v` and two or more dot-separated
 * numbers (the first without a leading zero), anything after them dropped, each number printed
 * as a plain integer. So `v1.33.1+k3s1` → `1.33.1`, `1.33+` → `1.33`, `v1.32.3-eks-1` →
 * `1.32.3`. Throws repo-server's error for a value it cannot parse: getPluginEnvs fails the
 * request before any plugin is asked.
 */
export function kubeVersionEnv(value: string): string {
  if (value === '') return '';
  const fail = (why: string): never => {
    throw new Error(`could not parse kubernetes version ${value}: ${why}`);
  };
  // ParseGeneric's versionMatchRE; Go's \s is [\t\n\f\r ] and its `.` stops only at \n.
  const m = /^[\t\n\f\r ]*v?([0-9]+(?:\.[0-9]+)*)[^\n]*$/.exec(value);
  if (!m) return fail(`could not parse ${JSON.stringify(value)} as version`);
  const components = (m[1] as string).split('.');
  if (components.length < 2) return fail(`illegal version string ${JSON.stringify(value)}`);
  const first = components[0] as string;
  if (first.startsWith('0') && first !== '0') return fail(`illegal zero-prefixed version component ${JSON.stringify(first)} in ${JSON.stringify(value)}`);
  for (const c of components) {
    if (BigInt(c) > GO_UINT_MAX) fail(`illegal non-numeric version component ${JSON.stringify(c)} in ${JSON.stringify(value)}: strconv.ParseUint: parsing ${JSON.stringify(c)}: value out of range`);
  }
  return components.map((c) => BigInt(c).toString()).join('.');
}

/**
 * The build environment: repository.go newEnv (ARGOCD_APP_*; the short revisions are the first 7
 * and 8 characters, shortenRevision) plus getPluginEnvs' KUBE_VERSION (normalised by
 * {@link kubeVersionEnv}, which throws for a value repo-server cannot parse) and
 * KUBE_API_VERSIONS (comma-joined). Every entry is kept even when its value is empty.
 */
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
    KUBE_VERSION: kubeVersionEnv(app.kubeVersion),
    KUBE_API_VERSIONS: app.kubeApiVersions.join(','),
  };
}

/** Go's os.Expand special one-character names (isShellSpecialVar). */
const SHELL_SPECIAL = new Set(['*', '#', '$', '@', '!', '?', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/**
 * v1alpha1 Env.Envsubst (pkg/apis/application/v1alpha1/types.go, v3.5.1): Go's os.Expand with a
 * lookup in `vars` where `$$` gives `$` and unknown names give "". os.Expand's own rules
 * (getShellName): `${name}` takes everything up to the first `}` as the name; `$` + one special
 * character (`$1`, `$@`, …) is a one-character name; otherwise the longest run of [A-Za-z0-9_];
 * `${}` and an unclosed `${` are eaten; a `$` followed by nothing usable (or at the end) stays.
 */
export function envsubst(value: string, vars: Record<string, string>): string {
  const lookup = (name: string): string => (name === '$' ? '$' : vars[name] ?? '');
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i] as string;
    if (c !== '$' || i + 1 >= value.length) {
      out += c;
      i++;
      continue;
    }
    const rest = value.slice(i + 1);
    if (rest[0] === '{') {
      if (rest.length > 2 && SHELL_SPECIAL.has(rest[1] as string) && rest[2] === '}') {
        out += lookup(rest[1] as string);
        i += 4;
        continue;
      }
      const close = rest.indexOf('}');
      if (close === 1) i += 3; // `${}`: bad syntax, eaten
      else if (close < 0) i += 2; // `${` without `}`: bad syntax, `${` eaten
      else {
        out += lookup(rest.slice(1, close));
        i += close + 2;
      }
      continue;
    }
    if (SHELL_SPECIAL.has(rest[0] as string)) {
      out += lookup(rest[0] as string);
      i += 2;
      continue;
    }
    const name = /^[A-Za-z0-9_]*/.exec(rest)![0];
    if (name === '') out += '$';
    else out += lookup(name);
    i += 1 + name.length;
  }
  return out;
}

/** types.go escaped(): upper case, then every character outside [A-Z0-9_] becomes `_`. */
export function escaped(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/**
 * types.go ApplicationSourcePluginParameters.Environ: ARGOCD_APP_PARAMETERS is the JSON of the
 * parameter list (`null` when the field is absent), then per parameter PARAM_<NAME> for a string,
 * PARAM_<NAME>_<KEY> per map entry and PARAM_<NAME>_<i> per array item (names escaped, so two
 * names can collide; the later one wins).
 */
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

/**
 * repository.go getPluginParamEnvs: `base`, then — only with a spec.source.plugin section — the
 * Application's env as ARGOCD_ENV_<name> (envsubst'ed against `base`) and the parameter variables.
 */
function withPluginSection(base: Record<string, string>, app: AppSpec): Record<string, string> {
  if (app.pluginSection === false) return base;
  const user = Object.fromEntries(app.env.map((e) => [`ARGOCD_ENV_${e.name}`, envsubst(e.value, base)]));
  return { ...base, ...user, ...parameterEnv(app.parameters) };
}

/** The full environment of one plugin command for manifests: the sidecar's, then repo-server's list (later wins). Throws on a KUBE_VERSION repo-server cannot parse. */
export function pluginEnv(sidecar: Record<string, string>, app: AppSpec): Record<string, string> {
  return { ...sidecar, ...withPluginSection(buildEnv(app), app) };
}

/**
 * The app-details list (repository.go populatePluginAppDetails): only these four, no revision, no
 * namespace, no KUBE_VERSION or KUBE_API_VERSIONS.
 */
export function appDetailsBuildEnv(app: AppSpec): Record<string, string> {
  return {
    ARGOCD_APP_NAME: app.name,
    ARGOCD_APP_SOURCE_REPO_URL: app.repoUrl,
    ARGOCD_APP_SOURCE_PATH: app.path,
    ARGOCD_APP_SOURCE_TARGET_REVISION: app.targetRevision,
  };
}

/** The environment of discovery and the dynamic parameters command for the Parameters tab: the sidecar's, then the app-details list. */
export function appDetailsEnv(sidecar: Record<string, string>, app: AppSpec): Record<string, string> {
  return { ...sidecar, ...withPluginSection(appDetailsBuildEnv(app), app) };
}
