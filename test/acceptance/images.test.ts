/**
 * Issue 14 "Must show": with a registry override on each example, no default registry remains
 * anywhere in the output (every string value, the injector values included); every pod spec
 * Meshplane renders carries the pull secrets; every such object still validates; and
 * `meshplane images` lists exactly the images found by walking the output plus the proxy image
 * istiod composes from each injector's values (modelled in test/injection/harness.ts from
 * inject.go, independently of src/images/).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { loadInjectionContract } from '../../src/catalog/injection-contract.js';
import type { KubeObject } from '../../src/core/types.js';
import { composeProxyImage } from '../injection/harness.js';
import { validateObject } from '../schemas/object-validators.js';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';
import { runCli } from '../helpers/cli.js';

const REGISTRY = 'myacr.azurecr.io/mirror';
const SECRETS = ['mirror-pull', 'second-pull'];
/** The default registries: the add-on's Istio images and Meshplane's own release image. */
const DEFAULTS = ['mcr.microsoft.com', 'ghcr.io'];
const ENV = { KUBE_VERSION: undefined, ARGOCD_APP_PARAMETERS: undefined };

/** Every string value under `v`, with its path; strings holding JSON or YAML documents are opened too. */
function strings(v: unknown, at: string, out: Array<[string, string]>): void {
  if (typeof v === 'string') {
    out.push([at, v]);
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        strings(JSON.parse(t), `${at}<json>`, out);
      } catch {
        /* not JSON: the string itself was checked */
      }
    }
  } else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, `${at}.${k}`, out);
}

/** Every pod spec (an object with a `containers` list) inside an object, by path. */
function podSpecs(v: unknown, at: string, out: Array<[string, Record<string, any>]>): void {
  if (Array.isArray(v)) v.forEach((x, i) => podSpecs(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, any>;
    if (Array.isArray(o.containers)) out.push([at, o]);
    for (const [k, x] of Object.entries(o)) podSpecs(x, `${at}.${k}`, out);
  }
}

/** Every `image:` value written in the object (any depth), except istiod's `auto` placeholder. */
function writtenImages(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => writtenImages(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'image' && typeof x === 'string' && x !== 'auto') out.add(x);
      else writtenImages(x, out);
    }
  }
}

function id(o: KubeObject): string {
  return `${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name ?? '?'}`;
}

for (const example of exampleNames()) {
  describe(`examples/${example} with spec.images`, { timeout: 300_000 }, () => {
    let dir = '';
    let docs: KubeObject[] = [];
    let stdout = '';
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'meshplane-images-'));
      cpSync(path.join(EXAMPLES_DIR, example), dir, { recursive: true });
      const intent = parse(readFileSync(path.join(dir, 'mesh.yaml'), 'utf8')) as { spec: Record<string, any> };
      intent.spec.images = { registry: REGISTRY, imagePullSecrets: SECRETS };
      intent.spec.policy = { ...(intent.spec.policy ?? {}), preflightHook: true };
      writeFileSync(path.join(dir, 'mesh.yaml'), stringify(intent));
      const r = await runCli(['generate', dir], { env: ENV });
      assert.equal(r.code, 0, r.stderr);
      stdout = r.stdout;
      docs = parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject).filter(Boolean);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('no default registry remains in any string value (injector values and templates included)', () => {
      const found: Array<[string, string]> = [];
      for (const d of docs) strings(d, id(d), found);
      const hits = found.filter(([, s]) => DEFAULTS.some((r) => s.includes(r))).map(([at]) => at);
      assert.deepEqual(hits, []);
      for (const r of DEFAULTS) assert.ok(!stdout.includes(r), `${r} nowhere in the output bytes`);
    });

    it('every rendered pod spec carries the pull secrets, and the injector values hand them to istiod', () => {
      const specs: Array<[string, Record<string, any>]> = [];
      for (const d of docs) podSpecs(d, id(d), specs);
      assert.ok(specs.length >= 2, 'istiod and at least one gateway');
      for (const [at, spec] of specs) assert.deepEqual(spec.imagePullSecrets, SECRETS.map((name) => ({ name })), at);
      const injectors = docs.filter((d) => d.kind === 'ConfigMap' && String(d.metadata?.name).startsWith('istio-sidecar-injector-'));
      assert.ok(injectors.length > 0);
      for (const cm of injectors) assert.deepEqual(JSON.parse((cm as any).data.values).global.imagePullSecrets, SECRETS, id(cm));
    });

    it('objects with a pod spec still match their schema', async () => {
      for (const d of docs) {
        const specs: Array<[string, Record<string, any>]> = [];
        podSpecs(d, id(d), specs);
        if (specs.length === 0) continue;
        const v = await validateObject(d);
        assert.equal(v.status, 'valid', `${id(d)}: ${JSON.stringify(v)}`);
      }
    });

    it('meshplane images lists exactly the written images plus the injected proxy image', async () => {
      const expected = new Set<string>();
      for (const d of docs) writtenImages(d, expected);
      const contract = loadInjectionContract();
      for (const cm of docs.filter((d) => d.kind === 'ConfigMap' && String(d.metadata?.name).startsWith('istio-sidecar-injector-'))) {
        const minor = Number(String(cm.metadata?.name).split('-').at(-1));
        const features = contract.minors.find((m) => m.minor === minor)?.features;
        assert.ok(features, `contract of 1.${minor}`);
        expected.add(composeProxyImage(JSON.parse((cm as any).data.values), features.imageVariant));
      }
      const r = await runCli(['images', dir], { env: ENV });
      assert.equal(r.code, 0, r.stderr);
      const listed = r.stdout.trimEnd().split('\n');
      assert.deepEqual(listed, [...expected].sort());
      for (const image of listed) assert.ok(image.startsWith(`${REGISTRY}/`), image);
      const json = await runCli(['images', dir, '-o', 'json'], { env: ENV });
      const parsed = JSON.parse(json.stdout) as { images: Array<{ image: string; purpose: string; sources: string[] }> };
      assert.deepEqual(parsed.images.map((i) => i.image), listed);
      for (const i of parsed.images) assert.ok(i.purpose && i.sources.length > 0, i.image);
      // Where to copy each mirrored image from: the same name and tag under a default registry.
      const runs = (parsed.images as Array<{ image: string; copyFrom?: string }>).map((i) => [i.copyFrom ?? '', i.image.slice(REGISTRY.length + 1)]);
      for (const [from, rest] of runs) assert.ok(['mcr.microsoft.com/oss/istio/', 'ghcr.io/meshplane/'].some((d) => from === d + rest), `${from} → ${REGISTRY}/${rest}`);
    });
  });
}
