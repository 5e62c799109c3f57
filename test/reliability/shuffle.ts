/** Seeded randomness and sample manifests for the determinism tests (reproducible layouts). */

/** A deterministic random number generator in [0, 1) (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy (Fisher–Yates with the given generator). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Application manifests beside an example's own, so layouts have enough documents to shuffle:
 * kinds the order stage sorts differently (namespaced, cluster-scoped, Istio), with names that
 * differ only in case and digits, where a locale-aware or unstable sort would show.
 */
export function extraManifests(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const ns of ['shop', 'shop-b', 'payments']) {
    for (const name of ['api', 'api-2', 'api-10', 'api.v2', 'z-last']) {
      // Keys whose order differs between code-unit and locale-aware (tr, de, sv) sorting.
      out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { zebra: 'z', İstanbul: 'i', istanbul: 'i', Ärger: 'a', apple: 'a', Zoo: 'Z', key: `${ns}/${name}` } });
      out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: { app: name } }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });
    }
    out.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'routes', namespace: ns }, spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api' } }] }] } });
  }
  out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] });
  return out;
}
