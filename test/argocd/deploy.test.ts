/**
 * deploy/argocd builds with `kubectl kustomize` (no network: the sidecar component goes onto a local
 * stand-in for argocd-repo-server, test/argocd/kustomize/), the sidecar is wired as Argo CD
 * requires, and the example Application / ApplicationSet (the shipped ones, and those the docs
 * write out) agree with plugin.yaml, the parameter table, and what istiod rewrites at run time.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { yamlBlocks } from '../helpers/markdown-blocks.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { renderExample } from '../helpers/examples.js';
import { intentSchema } from '../../src/pipeline/intent.js';
import { parameterOverrides } from '../../src/integrations/argocd/app-parameters.js';
import type { SchemaNode } from '../../src/integrations/argocd/parameter-table.js';
import { PLUGIN_FILE } from './sidecar.js';
import { pluginAddress, readPluginConfig } from './plugin-config.js';

const run = promisify(execFile);

interface Container { name: string; image: string; command?: string[]; securityContext?: Record<string, unknown>; volumeMounts?: Array<{ name: string; mountPath: string }> }
interface PodSpec { containers: Container[]; initContainers?: Container[]; volumes: Array<{ name: string; emptyDir?: object }> }
type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };
interface PluginSource { plugin: { name: string; parameters?: Array<{ name: string; string?: string; array?: string[]; map?: Record<string, string> }> } }
interface IgnoreRule { group: string; kind: string; jqPathExpressions: string[] }

async function kustomize(dir: string): Promise<Doc[]> {
  const { stdout } = await run('kubectl', ['kustomize', path.join(REPO_ROOT, dir)], { timeout: 60_000 });
  return parseAllDocuments(stdout).map((d) => d.toJS() as Doc);
}

/**
 * The Application and ApplicationSet objects written out in the Markdown of the repository (docs/,
 * README, examples): users copy them, so they must hold what the shipped ones hold. Every
 * ```yaml block that names one of the two kinds must parse, also one indented in a list item.
 */
async function documentedApps(): Promise<Array<Doc & { from: string }>> {
  const skip = new Set(['node_modules', 'dist', '.git', 'test']);
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory() && !skip.has(e.name)) await walk(rel);
      else if (e.isFile() && e.name.endsWith('.md')) files.push(rel);
    }
  };
  await walk('.');
  const out: Array<Doc & { from: string }> = [];
  for (const file of files.sort()) {
    const text = await readFile(path.join(REPO_ROOT, file), 'utf8');
    // Indented blocks too (a numbered step of a how-to): ../helpers/markdown-blocks.ts.
    for (const b of yamlBlocks(text)) {
      if (!/^kind:\s*Application(Set)?\b/m.test(b.text)) continue;
      const from = `${file}:${b.line}`;
      const docs = parseAllDocuments(b.text);
      for (const d of docs) assert.deepEqual(d.errors, [], `${from}: the YAML block parses`);
      for (const d of docs.map((x) => x.toJS() as Doc)) if (/^(Application|ApplicationSet)$/.test(d.kind)) out.push({ ...d, from });
    }
  }
  return out;
}

let sidecarBuild: Doc[] = [];
let apps: Doc[] = [];
let docApps: Array<Doc & { from: string }> = [];
before(async () => {
  [sidecarBuild, apps, docApps] = await Promise.all([kustomize('test/argocd/kustomize'), kustomize('deploy/argocd/apps'), documentedApps()]);
});

/** The shipped Applications (deploy/argocd/apps) and the ones the docs show, each with a label for messages. */
function everyApp(): Array<Doc & { from: string }> {
  return [...apps.map((d) => ({ ...d, from: `deploy/argocd/apps ${d.kind}` })), ...docApps];
}

function podSpec(): PodSpec {
  const dep = sidecarBuild.find((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server');
  assert.ok(dep);
  return (dep.spec.template as { spec: PodSpec }).spec;
}

describe('deploy/argocd/sidecar on argocd-repo-server', () => {
  it('adds the meshplane container, running Argo CD\'s cmp-server from var-files as uid 999', () => {
    const c = podSpec().containers.find((x) => x.name === 'meshplane');
    assert.ok(c);
    assert.equal(c.image, 'registry.test/meshplane:9.9.9', 'the image name works with a kustomize images: override');
    assert.deepEqual(c.command, ['/var/run/argocd/argocd-cmp-server']);
    assert.equal(c.securityContext?.runAsNonRoot, true);
    assert.equal(c.securityContext?.runAsUser, 999);
  });
  it('mounts var-files, plugins and its own /tmp, each a declared volume', () => {
    const spec = podSpec();
    const c = spec.containers.find((x) => x.name === 'meshplane') as Container;
    const mounts = Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
    assert.deepEqual(mounts, { '/var/run/argocd': 'var-files', '/home/argocd/cmp-server/plugins': 'plugins', '/tmp': 'meshplane-tmp' });
    const volumes = new Set(spec.volumes.map((v) => v.name));
    for (const name of Object.values(mounts)) assert.ok(volumes.has(name), `volume ${name} exists`);
    const repoServerTmp = spec.containers.find((x) => x.name === 'argocd-repo-server')?.volumeMounts?.find((m) => m.mountPath === '/tmp')?.name;
    assert.notEqual(mounts['/tmp'], repoServerTmp, 'the repo-server\'s tmp volume is not shared');
  });
  it('leaves the repo-server container and copyutil as they were', () => {
    const spec = podSpec();
    assert.deepEqual(spec.containers.map((c) => c.name).sort(), ['argocd-repo-server', 'meshplane']);
    assert.deepEqual(spec.initContainers?.map((c) => c.name), ['copyutil']);
    assert.equal(spec.containers.find((c) => c.name === 'argocd-repo-server')?.volumeMounts?.length, 3);
  });
});

describe('deploy/argocd/apps', () => {
  const plugin = readPluginConfig(PLUGIN_FILE);
  const sources = (): Array<{ kind: string; source: PluginSource; ignore: IgnoreRule[] }> => everyApp().map((d) => {
    const spec = (d.kind === 'ApplicationSet' ? (d.spec.template as { spec: Record<string, unknown> }).spec : d.spec) as { source: PluginSource; ignoreDifferences: IgnoreRule[] };
    return { kind: d.from, source: spec.source, ignore: spec.ignoreDifferences };
  });

  it('the docs show an Application (the blocks the next checks also hold to the shipped rules)', () => {
    assert.ok(docApps.some((d) => d.kind === 'Application' && d.from.startsWith('docs/argocd.md:')), `found: ${docApps.map((d) => d.from).join(', ') || 'none'}`);
  });
  it('builds an Application and an ApplicationSet with a cluster generator', () => {
    assert.deepEqual(apps.map((d) => d.kind).sort(), ['Application', 'ApplicationSet']);
    const set = apps.find((d) => d.kind === 'ApplicationSet') as Doc;
    assert.ok((set.spec.generators as Array<Record<string, unknown>>).some((g) => 'clusters' in g));
    assert.equal(((set.spec.template as { spec: { destination: { server: string } } }).spec.destination.server), '{{.server}}');
  });
  it('both name the plugin as plugin.yaml defines it and set only parameters Meshplane reads', () => {
    for (const { kind, source } of sources()) {
      assert.equal(source.plugin.name, pluginAddress(plugin), kind);
      const params = (source.plugin.parameters ?? []).map((p) => ({ ...p, ...(p.string?.includes('{{') ? { string: 'azure-managed' } : {}) }));
      const decoded = parameterOverrides({ ARGOCD_APP_PARAMETERS: JSON.stringify(params) }, intentSchema() as SchemaNode);
      assert.equal(decoded.overrides.length, params.length, kind);
    }
  });
  it('sync as well as diff respects ignoreDifferences, so a sync never undoes istiod\'s failurePolicy', () => {
    for (const d of everyApp()) {
      const spec = (d.kind === 'ApplicationSet' ? (d.spec.template as { spec: Record<string, unknown> }).spec : d.spec) as { syncPolicy?: { syncOptions?: string[] } };
      assert.ok(spec.syncPolicy?.syncOptions?.includes('RespectIgnoreDifferences=true'), `${d.from} sets RespectIgnoreDifferences=true`);
    }
  });
  it('a renamed injection webhook is pruned only after its new name is applied (no sync step without an injector)', async () => {
    // Meshplane releases before 25bdaa9 named the injector istio-sidecar-injector-<rev> and the tag
    // webhooks istio-revision-tag-<tag>; they are now <that>-aks-istio-system, as Istio's chart
    // names them outside istio-system. Both names are in the control-plane wave, so an upgrading
    // Application prunes the old object and applies the new one in that wave.
    const renamed = (await renderExample('canary')).filter((o) => o.kind === 'MutatingWebhookConfiguration' && String(o.metadata?.name).endsWith(`-${NS_SUFFIX}`));
    assert.ok(renamed.length >= 2, 'the canary example renders injectors and tag webhooks');
    for (const d of everyApp()) {
      const spec = (d.kind === 'ApplicationSet' ? (d.spec.template as { spec: Record<string, unknown> }).spec : d.spec) as { syncPolicy?: { syncOptions?: string[] } };
      const pruneLast = spec.syncPolicy?.syncOptions?.includes('PruneLast=true') ?? false;
      for (const o of renamed) {
        const name = String(o.metadata?.name);
        const wave = Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
        const steps = argoSyncSteps([{ key: name, wave }], [{ key: name.slice(0, -NS_SUFFIX.length - 1), wave }], pruneLast);
        const applied = steps.get(`apply ${name}`) as number;
        const pruned = steps.get(`prune ${name.slice(0, -NS_SUFFIX.length - 1)}`) as number;
        assert.ok(applied < pruned, `${d.from}: ${name} must be applied before its old name is pruned, but the apply is step ${applied} and the prune step ${pruned}: pods created in between get no sidecar (set syncOptions PruneLast=true)`);
      }
    }
  });
  it('their ignoreDifferences cover exactly what istiod rewrites on the rendered webhooks', async () => {
    const rendered = (await renderExample('canary')).filter((o) => /WebhookConfiguration$/.test(o.kind));
    for (const { kind, ignore } of sources()) {
      for (const o of rendered) {
        const rules = ignore.filter((r) => r.group === 'admissionregistration.k8s.io' && r.kind === o.kind).flatMap((r) => r.jqPathExpressions);
        // What istiod does at run time: a caBundle on every webhook, failurePolicy Fail on validators once ready.
        const live = structuredClone(o) as unknown as { webhooks: Array<Record<string, unknown> & { clientConfig: Record<string, unknown> }> };
        for (const w of live.webhooks) {
          w.clientConfig.caBundle = 'LS0tLS1CRUdJTi...';
          if (o.kind === 'ValidatingWebhookConfiguration') w.failurePolicy = 'Fail';
        }
        assert.deepEqual(stripPaths(live, rules), stripPaths(o, rules), `${kind}: ${o.kind}/${o.metadata?.name} shows no drift after ignoreDifferences`);
        const tampered = structuredClone(o) as unknown as { webhooks: Array<Record<string, unknown>> };
        for (const w of tampered.webhooks) w.sideEffects = 'Some';
        assert.notDeepEqual(stripPaths(tampered, rules), stripPaths(o, rules), `${kind}: other webhook fields still show drift`);
        if (o.kind === 'MutatingWebhookConfiguration') assert.equal(rules.some((r) => r.endsWith('failurePolicy')), false, `${kind}: the injectors' failurePolicy is ours, a change there is drift`);
      }
    }
  });
});

const NS_SUFFIX = 'aks-istio-system';

/**
 * The step at which one Argo CD sync runs each task, as argo-cd v3.5.1 gitops-engine/pkg/sync
 * orders them: waves run in order (sync_tasks.go Less: phase, then wave); a prune task takes the
 * wave of the live object, and the prune waves are mirrored (sync_context.go "reverse of sync
 * wave": the i-th lowest prune wave swaps with the i-th highest); with PruneLast every prune moves
 * to the last sync wave + 1; within one wave every prune runs before any apply (sync_context.go
 * runTasks "prune first"). Keys: `apply <name>` and `prune <name>`.
 */
function argoSyncSteps(applies: Array<{ key: string; wave: number }>, prunes: Array<{ key: string; wave: number }>, pruneLast: boolean): Map<string, number> {
  const waves = [...new Set(prunes.map((p) => p.wave))].sort((a, b) => a - b);
  const mirrored = prunes.map((p) => ({ ...p, wave: waves[waves.length - 1 - waves.indexOf(p.wave)] as number }));
  const last = Math.max(...applies.map((a) => a.wave), ...mirrored.map((p) => p.wave)) + 1;
  const out = new Map<string, number>();
  for (const p of mirrored) out.set(`prune ${p.key}`, (pruneLast ? last : p.wave) * 2);
  for (const a of applies) out.set(`apply ${a.key}`, a.wave * 2 + 1);
  return out;
}

/** Removes what `.webhooks[]?.<a>.<b>` jq paths select (the only form the examples use). */
function stripPaths<T>(obj: T, paths: string[]): T {
  const out = structuredClone(obj) as { webhooks?: Array<Record<string, unknown>> };
  for (const p of paths) {
    const m = /^\.webhooks\[\]\?\.(.+)$/.exec(p);
    assert.ok(m, `supported jq path: ${p}`);
    const keys = (m[1] as string).split('.');
    for (const w of out.webhooks ?? []) {
      let node: Record<string, unknown> | undefined = w;
      for (const k of keys.slice(0, -1)) node = node?.[k] as Record<string, unknown> | undefined;
      if (node) delete node[keys.at(-1) as string];
    }
  }
  return out as T;
}
