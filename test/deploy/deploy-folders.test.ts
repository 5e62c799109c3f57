/**
 * Every folder under deploy/ builds with the real `kubectl kustomize`, offline. A Kustomization
 * folder builds as is; a Component is built over a minimal base (a stand-in for Argo CD's
 * argocd-repo-server Deployment, after deploy/argocd/sidecar, which the server component expects
 * first) and must change it. Folders that are not kustomize input say why.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const DEPLOY = path.join(REPO_ROOT, 'deploy');
// Why: folders that hold no kustomize input, with what they are instead.
const NOT_KUSTOMIZE: Record<string, string> = {
  'helm/meshplane-postrenderer': 'a Helm 4 post-renderer plugin (plugin.yaml), installed with `helm plugin install`',
};
/** The component every other repo-server component is layered on. */
const SIDECAR = 'argocd/sidecar';
/** Why: these components extend the standalone server (a Kustomization of its own), not argocd-repo-server. */
const ON_STANDALONE = ['server/servicemonitor', 'server/tls'];

interface Doc { kind: string; metadata: { name: string }; spec?: Record<string, unknown> }

/** Folders under deploy/ that hold files (relative, sorted). */
function leafFolders(dir = DEPLOY, rel = ''): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const sub = entries.filter((e) => e.isDirectory()).flatMap((e) => leafFolders(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name));
  return entries.some((e) => e.isFile()) ? [rel, ...sub] : sub;
}

async function kustomize(dir: string): Promise<string> {
  return (await run('kubectl', ['kustomize', dir], { timeout: 60_000 })).stdout;
}

let base = '';
before(() => {
  // The stand-in as a resource folder of its own: kustomize reads files only under a
  // kustomization's root, so each overlay below lists this folder.
  base = mkdtempSync(path.join(os.tmpdir(), 'mp-deploy-'));
  mkdirSync(path.join(base, 'stand-in'));
  copyFileSync(path.join(REPO_ROOT, 'test', 'argocd', 'kustomize', 'argocd-repo-server.yaml'), path.join(base, 'stand-in', 'argocd-repo-server.yaml'));
  writeFileSync(path.join(base, 'stand-in', 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - argocd-repo-server.yaml\n');
});
after(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Builds `components` (deploy/ folders) over the minimal base in a fresh overlay folder. */
async function overBase(name: string, components: string[]): Promise<string> {
  const overlay = path.join(base, name.replace(/\//g, '_'));
  mkdirSync(overlay);
  const rel = (to: string): string => path.relative(overlay, to);
  const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', `  - ${rel(path.join(base, 'stand-in'))}`];
  if (components.length) lines.push('components:', ...components.map((c) => `  - ${rel(path.join(DEPLOY, c))}`));
  writeFileSync(path.join(overlay, 'kustomization.yaml'), `${lines.join('\n')}\n`);
  return kustomize(overlay);
}

/** Builds a component over deploy/server/standalone in a fresh overlay folder. */
async function onStandalone(component: string): Promise<string> {
  const overlay = path.join(base, `standalone-${component.replace(/\//g, '_')}`);
  mkdirSync(overlay);
  const rel = (to: string): string => path.relative(overlay, to);
  writeFileSync(path.join(overlay, 'kustomization.yaml'), ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', `  - ${rel(path.join(DEPLOY, 'server', 'standalone'))}`, 'components:', `  - ${rel(path.join(DEPLOY, component))}`, ''].join('\n'));
  return kustomize(overlay);
}

describe('deploy/', () => {
  const folders = leafFolders();

  it('every folder is kustomize input or says what it is instead', () => {
    assert.ok(folders.length >= 6, folders.join(', '));
    for (const f of folders) {
      const has = existsSync(path.join(DEPLOY, f, 'kustomization.yaml'));
      assert.equal(has, !(f in NOT_KUSTOMIZE), `deploy/${f}: ${has ? 'has' : 'lacks'} kustomization.yaml`);
    }
    for (const f of Object.keys(NOT_KUSTOMIZE)) assert.ok(folders.includes(f), `deploy/${f} still exists`);
  });

  for (const f of leafFolders().filter((x) => !(x in NOT_KUSTOMIZE))) {
    const kind = (parse(readFileSync(path.join(DEPLOY, f, 'kustomization.yaml'), 'utf8')) as { kind?: string }).kind ?? 'Kustomization';
    if (kind === 'Component' && ON_STANDALONE.includes(f)) {
      it(`deploy/${f} (Component) builds over deploy/server/standalone and changes it`, async () => {
        const below = await kustomize(path.join(DEPLOY, 'server', 'standalone'));
        const built = await onStandalone(f);
        assert.ok(parseAllDocuments(built).some((d) => (d.toJS() as Doc).kind === 'Deployment'));
        assert.notEqual(built, below, `deploy/${f} changes what it is layered on`);
      });
    } else if (kind === 'Component') {
      it(`deploy/${f} (Component) builds over a minimal argocd-repo-server base and changes it`, async () => {
        const plain = await overBase(`plain-${f}`, []);
        const stack = f === SIDECAR ? [SIDECAR] : [SIDECAR, f];
        const built = await overBase(f, stack);
        const below = f === SIDECAR ? plain : await overBase(`below-${f}`, [SIDECAR]);
        const docs = parseAllDocuments(built).map((d) => d.toJS() as Doc);
        assert.ok(docs.some((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server'));
        assert.notEqual(built, below, `deploy/${f} changes what it is layered on`);
      });
    } else {
      it(`deploy/${f} (Kustomization) builds on its own into at least one object`, async () => {
        const docs = parseAllDocuments(await kustomize(path.join(DEPLOY, f))).map((d) => d.toJS() as Doc | null).filter((d) => d !== null);
        assert.ok(docs.length > 0);
        for (const d of docs) assert.ok(d.kind && d.metadata.name, JSON.stringify(d).slice(0, 120));
      });
    }
  }
});
