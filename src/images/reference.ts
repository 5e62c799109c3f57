/**
 * Image references the way container runtimes read them, for matching images against a
 * registry allowlist. The normalisation is Docker's "familiar name" rule, read from
 * distribution/reference normalize.go `splitDockerDomain` (commit 4ca1403, the module every
 * containerd/Docker release vendors): the first path component is a registry only when it holds
 * a "." or a ":", is `localhost`, or has upper-case letters; otherwise the image is on Docker Hub
 * (`docker.io`), and a one-component Hub name lives under `library/`. `index.docker.io` is Hub.
 */

/** A normalised repository name: registry host[:port] and the path under it (no tag, no digest). */
export interface RepositoryName {
  domain: string;
  path: string;
}

/** Docker Hub's canonical domain and its legacy alias (normalize.go defaultDomain / legacyDefaultDomain). */
const HUB = 'docker.io';
const LEGACY_HUB = 'index.docker.io';

/** Removes `@digest` and `:tag` (a ":" after the last "/" starts the tag; one before it is a port). */
function withoutTagAndDigest(image: string): string {
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** Splits a repository name (no tag) into registry and path, as splitDockerDomain does. */
function splitDomain(name: string): RepositoryName {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: HUB, path: `library/${name}` };
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain = HUB;
  let path = name;
  if (first === LEGACY_HUB) path = rest;
  else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first;
    path = rest;
  }
  if (domain === HUB && !path.includes('/')) path = `library/${path}`;
  return { domain, path };
}

/** The normalised repository of an image reference: `nginx:1.27` → docker.io / library/nginx. */
export function repositoryOf(image: string): RepositoryName {
  return splitDomain(withoutTagAndDigest(image.trim()));
}

/** `domain/path` of an image, the form registry prefixes are compared with. */
export function fullRepository(image: string): string {
  const { domain, path } = repositoryOf(image);
  return `${domain}/${path}`;
}

/**
 * The normalised form of an allowlist entry `host[:port][/path]`. Index.docker.io means Hub; a
 * bare `docker.io` allows every Hub image. Entries keep their case (registries compare paths
 * case-sensitively; the schema allows only lower-case paths).
 */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const host = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const rest = slash === -1 ? '' : trimmed.slice(slash);
  return (host === LEGACY_HUB ? HUB : host) + rest;
}

/**
 * True when the image comes from under `prefix`: its normalised repository equals the prefix or
 * continues it after a "/". Whole components only, so `myacr.azurecr.io.evil.com/x` and
 * `myacr.azurecr.io:5000/x` are not under `myacr.azurecr.io`.
 */
export function isUnderPrefix(image: string, prefix: string): boolean {
  const repo = fullRepository(image);
  const p = normalisePrefix(prefix);
  return repo === p || repo.startsWith(`${p}/`);
}

/** The first allowlist entry the image is under, or undefined. */
export function allowedBy(image: string, prefixes: readonly string[]): string | undefined {
  return prefixes.find((p) => isUnderPrefix(image, p));
}
