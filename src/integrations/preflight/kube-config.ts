/**
 * Where preflight finds the cluster: `--kubeconfig`, else $KUBECONFIG, else ~/.kube/config, else
 * the pod's service account (in-cluster, as the PreSync hook runs). Unlike the client library's
 * loadFromDefault, a missing configuration is an error, never a silent http://localhost:8080.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { MeshplaneError } from '../../core/errors.js';

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
}

/** Loads the cluster configuration, selecting `--context` when given. */
export function loadKubeConfig(target: ClusterTarget): LoadedConfig {
  const kc = new KubeConfig();
  const source = loadInto(kc, target);
  if (target.context !== undefined) selectContext(kc, target.context, source);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new MeshplaneError('kubeconfig-invalid', `the current context "${kc.getCurrentContext()}" of ${source} names no cluster`, [], 'pick a context that exists with --context, or fix current-context in the kubeconfig (`kubectl config get-contexts`)');
  }
  return { kc, server: cluster.server, user: kc.getCurrentUser()?.name ?? '(none)', context: kc.getCurrentContext(), source };
}

function loadInto(kc: KubeConfig, target: ClusterTarget): string {
  if (target.kubeconfig !== undefined) return loadFiles(kc, [target.kubeconfig], `--kubeconfig ${target.kubeconfig}`);
  const fromEnv = (target.env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (fromEnv.length > 0) return loadFiles(kc, fromEnv, `KUBECONFIG=${target.env.KUBECONFIG}`);
  const home = target.env.HOME ?? target.env.USERPROFILE;
  const homeConfig = home ? path.join(home, '.kube', 'config') : undefined;
  if (homeConfig && existsSync(homeConfig)) return loadFiles(kc, [homeConfig], homeConfig);
  const prefix = target.serviceAccountPrefix ?? '';
  if (target.env.KUBERNETES_SERVICE_HOST && existsSync(prefix + SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster(prefix);
    return 'in-cluster service account';
  }
  throw new MeshplaneError('kubeconfig-invalid', 'no cluster configuration found: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and not running in a pod', [], 'pass --kubeconfig <file> (e.g. from `az aks get-credentials --file <file>`), or set KUBECONFIG');
}

function loadFiles(kc: KubeConfig, files: string[], source: string): string {
  files.forEach((file, i) => {
    if (!existsSync(file)) throw new MeshplaneError('kubeconfig-invalid', `the kubeconfig file ${file} does not exist (from ${source})`, [], 'pass the path of an existing kubeconfig, e.g. `az aks get-credentials --resource-group <rg> --name <cluster> --file <file>`');
    const target = i === 0 ? kc : new KubeConfig();
    try {
      target.loadFromFile(file);
    } catch (err) {
      throw new MeshplaneError('kubeconfig-invalid', `the kubeconfig file ${file} cannot be read: ${(err as Error).message}`, [], 'check the file with `kubectl --kubeconfig <file> config view`');
    }
    if (target !== kc) kc.mergeConfig(target, true);
  });
  return source;
}

function selectContext(kc: KubeConfig, context: string, source: string): void {
  const names = kc.getContexts().map((c) => c.name);
  if (!names.includes(context)) {
    const known = names.length ? names.join(', ') : 'none';
    throw new MeshplaneError('kubeconfig-invalid', `${source} has no context "${context}" (contexts: ${known})`, [], 'pass one of the listed contexts with --context, or leave --context out to use current-context');
  }
  kc.setCurrentContext(context);
}
