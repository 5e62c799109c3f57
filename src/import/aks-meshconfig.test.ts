/**
 * `import --aks --shared-configmap`: spec.meshConfig from dumps of the add-on's
 * istio-shared-configmap-<rev>. The fixtures (test/cases/import/shared-configmap*) are written by
 * hand from the add-on's MeshConfig and upgrade pages (cited in each file; the JSON one is the
 * same ConfigMap shape as `kubectl … -o json` prints); the expected specs below are read off the
 * fixtures' data.mesh, not from Meshplane's output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { MeshplaneError } from '../core/errors.js';
import { findIntent, validateIntent } from '../pipeline/intent.js';
import { parseSourceFile } from '../pipeline/load.js';
import { importAks, type ImportOptions } from './aks.js';

function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
}
const fixture = (name: string): string => readFileSync(path.join(repoRoot(), 'test', 'cases', 'import', name), 'utf8');
const dump = (source: string, text = fixture(source)) => ({ source, text });

function run(profile: string, opts: Partial<ImportOptions>) {
  return importAks(fixture(profile), { source: profile, ...opts });
}

const CM = (name: string, mesh: string, ns = 'aks-istio-system'): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  mesh: |\n${mesh.split('\n').map((l) => `    ${l}`).join('\n')}\n`;

describe('import --aks with shared ConfigMap dumps: spec.meshConfig', () => {
  const ok: Array<{ name: string; profile: string; opts: Partial<ImportOptions>; meshConfig: unknown; header?: RegExp; notices?: RegExp[] }> = [
    {
      name: 'one revision, YAML as `kubectl get cm -o yaml` prints it', profile: 'aks-show-cli.json', opts: { sharedConfigMaps: [dump('shared-configmap-asm-1-27.yaml')] },
      meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', defaultConfig: { holdApplicationUntilProxyStarts: true }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      header: /# spec\.meshConfig: data\.mesh of istio-shared-configmap-asm-1-27 \(--shared-configmap\)\./,
    },
    {
      name: 'a canary: a List of both revisions with the same settings in another key order', profile: 'aks-show-arm-canary-plugin-ca.json', opts: { sharedConfigMaps: [dump('shared-configmaps-canary.yaml')] },
      meshConfig: { enableTracing: true, extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } }], defaultConfig: { tracing: { sampling: 10 } } },
      header: /data\.mesh of istio-shared-configmap-asm-1-28 and istio-shared-configmap-asm-1-29/,
    },
    {
      name: 'JSON as `kubectl get cm -o json` prints it', profile: 'service-mesh-profile.json', opts: { name: 'edge', sharedConfigMaps: [dump('shared-configmap-asm-1-28.json')] },
      meshConfig: { accessLogFile: '/dev/stdout', defaultConfig: { holdApplicationUntilProxyStarts: true } },
    },
    {
      name: 'a canary with only one revision\'s dump warns that the other gets the same settings', profile: 'aks-show-arm-canary-plugin-ca.json',
      opts: { sharedConfigMaps: [dump('a.yaml', CM('istio-shared-configmap-asm-1-29', 'accessLogFile: /dev/stdout'))] },
      meshConfig: { accessLogFile: '/dev/stdout' }, notices: [/no istio-shared-configmap-asm-1-28 was given: .*gets the settings of asm-1-29/],
    },
    {
      name: 'a dump of a revision the cluster no longer runs is left out with a warning', profile: 'aks-show-cli.json',
      opts: { sharedConfigMaps: [dump('old.yaml', CM('istio-shared-configmap-asm-1-26', 'accessLogFile: /dev/stdout'))] },
      meshConfig: undefined, notices: [/old\.yaml:1:1: istio-shared-configmap-asm-1-26 is not imported: the profile runs asm-1-27/, /no istio-shared-configmap-asm-1-27 was given/],
    },
    {
      name: 'an empty data.mesh writes no spec.meshConfig', profile: 'aks-show-cli.json', opts: { sharedConfigMaps: [dump('e.yaml', CM('istio-shared-configmap-asm-1-27', ''))] }, meshConfig: undefined,
    },
    { name: 'without --shared-configmap nothing changes', profile: 'aks-show-cli.json', opts: {}, meshConfig: undefined },
  ];
  for (const c of ok) {
    it(c.name, () => {
      const r = run(c.profile, c.opts);
      const intent = parse(r.text) as { spec: { meshConfig?: unknown } };
      assert.deepEqual(intent.spec.meshConfig, c.meshConfig);
      validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text: r.text })));
      if (c.header) assert.match(r.text, c.header);
      if (c.meshConfig === undefined) assert.doesNotMatch(r.text, /spec\.meshConfig: data\.mesh/);
      const shown = r.notices.map((n) => `${n.where ? `${n.where.file}:${n.where.line}:${n.where.column}: ` : ''}${n.message}`);
      for (const re of c.notices ?? []) assert.ok(shown.some((s) => re.test(s)), `${re} in\n${shown.join('\n')}`);
    });
  }

  const bad: Array<{ name: string; dumps: Array<{ source: string; text: string }>; message: RegExp; where?: RegExp; hint: RegExp }> = [
    {
      name: 'canary ConfigMaps that differ', dumps: [dump('c.yaml', `${CM('istio-shared-configmap-asm-1-28', 'accessLogFile: /dev/stdout')}---\n${CM('istio-shared-configmap-asm-1-29', 'accessLogFile: ""')}`)],
      message: /shared ConfigMaps of asm-1-28 and asm-1-29 hold different MeshConfig/, where: /c\.yaml:1:1.*\n.*c\.yaml:10:1/s, hint: /make the ConfigMaps equal/,
    },
    { name: 'the add-on\'s own default ConfigMap', dumps: [dump('d.yaml', CM('istio-asm-1-28', 'a: 1'))], message: /ConfigMap "istio-asm-1-28" is not the add-on's user mesh ConfigMap/, where: /d\.yaml:4:3/, hint: /holds its defaults and is not imported/ },
    { name: 'another namespace', dumps: [dump('n.yaml', CM('istio-shared-configmap-asm-1-28', 'a: 1', 'istio-system'))], message: /is in namespace "istio-system"; the add-on reads it only from aks-istio-system/, where: /n\.yaml:5:3/, hint: /has no effect/ },
    { name: 'no data.mesh', dumps: [dump('m.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-shared-configmap-asm-1-28\ndata:\n  meshConfig: "a: 1"\n')], message: /has no data\.mesh/, where: /m\.yaml:5:1/, hint: /only from the key `mesh`/ },
    { name: 'a tab in data.mesh', dumps: [dump('t.json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"istio-shared-configmap-asm-1-28"},"data":{"mesh":"defaultConfig:\\n\\tholdApplicationUntilProxyStarts: true"}}')], message: /data\.mesh is not YAML/, hint: /spaces, not tabs/ },
    { name: 'a Secret', dumps: [dump('s.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n')], message: /s\.yaml holds a Secret, not a ConfigMap/, hint: /kubectl get configmap/ },
    { name: 'the same revision twice', dumps: [dump('shared-configmap-asm-1-28.json'), dump('again.yaml', CM('istio-shared-configmap-asm-1-28', 'a: 1'))], message: /istio-shared-configmap-asm-1-28 is given twice/, where: /again\.yaml:1:1/, hint: /once/ },
  ];
  for (const c of bad) {
    it(`fails on ${c.name}, saying where and how to fix`, () => {
      let caught: unknown;
      try {
        run('aks-show-arm-canary-plugin-ca.json', { sharedConfigMaps: c.dumps });
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof MeshplaneError, String(caught));
      assert.equal(caught.code, 'import-invalid');
      assert.match(caught.message, c.message);
      const details = caught.details.map((d) => `${d.where ? `${d.where.file}:${d.where.line}:${d.where.column}` : ''} ${d.message} ${d.hint ?? ''}`).join('\n');
      if (c.where) assert.match(details, c.where);
      assert.match(`${details} ${caught.hint ?? ''}`, c.hint);
    });
  }
});
