/**
 * Where preflight finds the cluster: `--kubeconfig`, else $KUBECONFIG, else ~/.kube/config, else
 * the pod's service account (in-cluster, as the PreSync hook runs). Unlike the client library's
 * loadFromDefault, a missing configuration is an error, never a silent http://localhost:8080.
 *
 * The files of $KUBECONFIG are merged as kubectl merges them (client-go v0.36.3,
 * tools/clientcmd/loader.go, ClientConfigLoadingRules.Load): a listed file that does not exist is
 * skipped; the first file to name a cluster, user or context wins and later entries of that name
 * are ignored whole; current-context comes from the first file that sets one. @kubernetes/client-node
 * 1.4.0's own merge (KubeConfig.mergeConfig) throws on a repeated name and keeps only the first
 * file's current-context, so it is handed only names it has not seen.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { MeshplaneError } from '../../core/errors.js';
import type { Notice } from '../../core/types.js';

/** Where the in-cluster service account token lives (the kubelet mounts it there). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** How to reach the cluster. */
export interface ClusterTarget {
  kubeconfig?: string;
  context?: string;
  env: Record<string, string | undefined>;
  /** Root prefix of the service-account files (tests point it at a temporary folder). */
  serviceAccountPrefix?: string;
}

/** A loaded configuration and a description of it for messages. */
export interface LoadedConfig {
  kc: KubeConfig;
  server: string;
  user: string;
  context: string;
  /** Where the configuration came from, e.g. `--kubeconfig /tmp/kc` or `in-cluster service account`. */
  source: string;
  /** What the user should know about the loading (a KUBECONFIG file that does not exist). */
  notices: Notice[];
}

/** Loads the cluster configuration, selecting `--context` when given. */
export function loadKubeConfig(target: ClusterTarget): LoadedConfig {
  const kc = new KubeConfig();
  const notices: Notice[] = [];
  const source = loadInto(kc, target, notices);
  if (target.context !== undefined) selectContext(kc, target.context, source);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new MeshplaneError('kubeconfig-invalid', `the current context "${kc.getCurrentContext()}" of ${source} names no cluster`, [], 'pick a context that exists with --context, or fix current-context in the kubeconfig (`kubectl config get-contexts`)');
  }
  return { kc, server: cluster.server, user: kc.getCurrentUser()?.name ?? '(none)', context: kc.getCurrentContext(), source, notices };
}

function loadInto(kc: KubeConfig, target: ClusterTarget, notices: Notice[]): string {
  if (target.kubeconfig !== undefined) return loadExplicit(kc, target.kubeconfig);
  const fromEnv = (target.env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (fromEnv.length > 0) return loadMerged(kc, fromEnv, `KUBECONFIG=${target.env.KUBECONFIG}`, notices);
  const home = target.env.HOME ?? target.env.USERPROFILE;
  const homeConfig = home ? path.join(home, '.kube', 'config') : undefined;
  if (homeConfig && existsSync(homeConfig)) return loadMerged(kc, [homeConfig], homeConfig, notices);
  const prefix = target.serviceAccountPrefix ?? '';
  if (target.env.KUBERNETES_SERVICE_HOST && existsSync(prefix + SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster(prefix);
    return 'in-cluster service account';
  }
  throw new MeshplaneError('kubeconfig-invalid', 'no cluster configuration found: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and not running in a pod', [], 'pass --kubeconfig <file> (e.g. from `az aks get-credentials --file <file>`), or set KUBECONFIG');
}

/** `--kubeconfig`: the one file, which must exist (kubectl refuses a missing --kubeconfig too). */
function loadExplicit(kc: KubeConfig, file: string): string {
  const source = `--kubeconfig ${file}`;
  if (!existsSync(file)) throw new MeshplaneError('kubeconfig-invalid', `the kubeconfig file ${file} does not exist (from ${source})`, [], 'pass the path of an existing kubeconfig, e.g. `az aks get-credentials --resource-group <rg> --name <cluster> --file <file>`');
  return loadMerged(kc, [file], source, []);
}

/** The files merged first-wins, as kubectl merges $KUBECONFIG; missing ones are skipped with a warning. */
function loadMerged(kc: KubeConfig, files: string[], source: string, notices: Notice[]): string {
  const present = files.filter((file) => existsSync(file));
  for (const file of files.filter((f) => !present.includes(f))) {
    notices.push({ level: 'warning', message: `the kubeconfig file ${file} does not exist and is skipped, as kubectl skips it (from ${source})` });
  }
  if (present.length === 0) {
    throw new MeshplaneError('kubeconfig-invalid', `none of the kubeconfig files in ${source} exists`, [], 'point KUBECONFIG at an existing kubeconfig, e.g. one written by `az aks get-credentials --resource-group <rg> --name <cluster> --file <file>`, or pass --kubeconfig <file>');
  }
  let currentContext = '';
  for (const file of present) {
    const one = readOne(file, source);
    currentContext ||= one.getCurrentContext() ?? '';
    mergeFirstWins(kc, one, file, source);
  }
  kc.setCurrentContext(currentContext);
  return source;
}

function readOne(file: string, source: string): KubeConfig {
  const one = new KubeConfig();
  try {
    one.loadFromFile(file);
  } catch (err) {
    throw new MeshplaneError('kubeconfig-invalid', `the kubeconfig file ${file} cannot be read: ${(err as Error).message}`, [], 'check the file with `kubectl --kubeconfig <file> config view`');
  }
  const repeated = repeatedName(one);
  if (repeated) throw invalidFile(file, source, `it lists the ${repeated.what} "${repeated.name}" twice`, 'keep one entry of each name in the file (kubectl refuses the file as well)');
  return one;
}

/** The first name a file lists twice (client-go refuses such a file when it converts it). */
function repeatedName(kc: KubeConfig): { what: string; name: string } | undefined {
  const lists: Array<[string, Array<{ name: string }>]> = [['cluster', kc.getClusters()], ['user', kc.getUsers()], ['context', kc.getContexts()]];
  for (const [what, list] of lists) {
    const name = list.map((e) => e.name).find((n, i, all) => all.indexOf(n) !== i);
    if (name !== undefined) return { what, name };
  }
  return undefined;
}

/** Adds the clusters, users and contexts of `from` whose names `into` does not hold yet. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig, file: string, source: string): void {
  const unseen = <T extends { name: string }>(have: readonly T[], add: readonly T[]): T[] => add.filter((e) => !have.some((h) => h.name === e.name));
  const fresh = new KubeConfig();
  fresh.loadFromOptions({
    clusters: unseen<Cluster>(into.getClusters(), from.getClusters()),
    users: unseen<User>(into.getUsers(), from.getUsers()),
    contexts: unseen<Context>(into.getContexts(), from.getContexts()),
    currentContext: '',
  });
  try {
    into.mergeConfig(fresh, true);
  } catch (err) {
    throw invalidFile(file, source, `it cannot be merged with the files before it: ${(err as Error).message}`, 'check the merged configuration with `kubectl config view`, or pass one file with --kubeconfig <file>');
  }
}

function invalidFile(file: string, source: string, why: string, hint: string): MeshplaneError {
  return new MeshplaneError('kubeconfig-invalid', `the kubeconfig file ${file} (from ${source}) is not valid: ${why}`, [], hint);
}

function selectContext(kc: KubeConfig, context: string, source: string): void {
  const names = kc.getContexts().map((c) => c.name);
  if (!names.includes(context)) {
    const known = names.length ? names.join(', ') : 'none';
    throw new MeshplaneError('kubeconfig-invalid', `${source} has no context "${context}" (contexts: ${known})`, [], 'pass one of the listed contexts with --context, or leave --context out to use current-context');
  }
  kc.setCurrentContext(context);
}
