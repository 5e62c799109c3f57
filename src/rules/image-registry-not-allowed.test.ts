/**
 * image-registry-not-allowed over rendered meshes with inline sources: which images are refused,
 * where the finding points, and that the mesh's own images are judged with the same prefixes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import { check } from '../guardrails/check.js';
import { render } from '../pipeline/render.js';

const NOW = new Date('2026-06-15T00:00:00Z');

function meshYaml(images: string): string {
  return ['apiVersion: meshplane.io/v1alpha1', 'kind: ServiceMesh', 'metadata: {name: t}', 'spec:', '  mode: Istio', '  istio: {revisions: [asm-1-28]}', '  cluster: {kubernetesVersion: "1.32"}', `  images: ${images}`, ''].join('\n');
}

/** A Deployment whose containers use `images` (line 7 onward: one container per line). */
function deployment(images: string[]): string {
  return ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: app, namespace: shop}', 'spec:', '  selector: {matchLabels: {app: a}}', '  template:', '    metadata: {labels: {app: a}}', '    spec:', '      containers:', ...images.map((im, i) => `        - {name: c${i}, image: "${im}"}`), ''].join('\n');
}

async function findings(images: string, workload: string[]) {
  const result = await render({ files: [{ path: 'mesh.yaml', text: meshYaml(images) }, { path: 'apps/app.yaml', text: deployment(workload) }], env: { now: NOW } });
  return check(result, { now: NOW }).violations.filter((v) => v.ruleId === 'image-registry-not-allowed');
}

const MIRROR = '{registry: myacr.azurecr.io/mirror, allowedRegistries: [myacr.azurecr.io]}';

describe('image-registry-not-allowed', () => {
  const cases: Array<{ name: string; image: string; refused: boolean }> = [
    { name: 'an image of the allowed registry', image: 'myacr.azurecr.io/team/app:1', refused: false },
    { name: 'a digest reference of the allowed registry', image: `myacr.azurecr.io/team/app@sha256:${'c'.repeat(64)}`, refused: false },
    { name: 'a host that only starts like the allowed one', image: 'myacr.azurecr.io.evil.com/team/app:1', refused: true },
    { name: 'the allowed host on another port', image: 'myacr.azurecr.io:5000/team/app:1', refused: true },
    { name: 'the allowed host as a path below another registry', image: 'evil.com/myacr.azurecr.io/app:1', refused: true },
    { name: 'a Docker Hub short name', image: 'nginx:1.27', refused: true },
    { name: 'a Docker Hub user image', image: 'myacr/app:1', refused: true },
  ];
  for (const c of cases) {
    it(`${c.refused ? 'refuses' : 'allows'} ${c.name}`, async () => {
      const found = await findings(MIRROR, ['myacr.azurecr.io/team/ok:1', c.image]);
      assert.equal(found.length, c.refused ? 1 : 0, JSON.stringify(found));
      if (c.refused) {
        assert.equal(found[0]?.resource, 'apps/Deployment/shop/app');
        assert.deepEqual([found[0]?.where?.file, found[0]?.where?.line], ['apps/app.yaml', 11], 'the line of the refused image');
        assert.match(found[0]?.message ?? '', /c1 uses/);
      }
    });
  }

  it('allows official Hub images through docker.io/library only', async () => {
    assert.equal((await findings('{registry: myacr.azurecr.io/mirror, allowedRegistries: [myacr.azurecr.io, docker.io/library]}', ['nginx', 'library/redis:7'])).length, 0);
    assert.equal((await findings('{registry: myacr.azurecr.io/mirror, allowedRegistries: [myacr.azurecr.io, docker.io/library]}', ['bitnami/redis'])).length, 1);
  });

  it('refuses the default mesh images when the allowlist leaves out their registry, pointing at spec.images', async () => {
    const found = await findings('{allowedRegistries: [myacr.azurecr.io]}', ['myacr.azurecr.io/team/ok:1']);
    const images = found.map((v) => v.message.match(/mesh image (\S+)/)?.[1]).sort();
    const istio = loadCatalog().revisions.find((r) => r.name === 'asm-1-28')?.istio;
    assert.deepEqual(images, [`mcr.microsoft.com/oss/istio/pilot:${istio}-distroless`, `mcr.microsoft.com/oss/istio/proxyv2:${istio}-distroless`]);
    for (const v of found) assert.equal(v.where?.file, 'mesh.yaml');
  });

  it('names the container, the normalized repository and an example path in an allowed registry', async () => {
    // `nginx:1.27` is docker.io/library/nginx (Docker's short-name normalization).
    const [v] = await findings(MIRROR, ['nginx:1.27']);
    assert.equal(v?.message, 'Deployment app: container c0 uses nginx:1.27 (repository docker.io/library/nginx), which is under none of spec.images.allowedRegistries (myacr.azurecr.io)');
    assert.equal(v?.remediation, 'copy the image into an allowed registry and reference it there (e.g. myacr.azurecr.io/nginx), or add its registry to spec.images.allowedRegistries');
  });

  it('with spec.images.registry set outside the allowlist, points at that registry and says to change it', async () => {
    const found = await findings('\n    registry: other.io/mirror\n    allowedRegistries: [myacr.azurecr.io]', ['myacr.azurecr.io/team/ok:1']);
    assert.ok(found.length >= 2, JSON.stringify(found));
    for (const v of found) {
      assert.deepEqual([v.where?.file, v.where?.line], ['mesh.yaml', 9], 'the line of spec.images.registry');
      assert.match(v.message, /^the mesh image other\.io\/mirror\/\S+ \(.+\) is under none of spec\.images\.allowedRegistries \(myacr\.azurecr\.io\)$/);
      assert.equal(v.remediation, 'set spec.images.registry to a path under an allowed registry, or add other.io/mirror to spec.images.allowedRegistries');
    }
  });

  it('without spec.images.registry, points at spec.images and says to mirror', async () => {
    const found = await findings('\n    allowedRegistries: [myacr.azurecr.io]', ['myacr.azurecr.io/team/ok:1']);
    assert.ok(found.length >= 2, JSON.stringify(found));
    for (const v of found) {
      assert.deepEqual([v.where?.file, v.where?.line], ['mesh.yaml', 8], 'the line of spec.images');
      assert.equal(v.remediation, 'mirror the mesh images (meshplane images lists them) and set spec.images.registry to the mirror, e.g. myacr.azurecr.io');
    }
  });

  it('is skipped without an allowlist', async () => {
    const result = await render({ files: [{ path: 'mesh.yaml', text: meshYaml('{registry: x.io/m}') }, { path: 'apps/app.yaml', text: deployment(['nginx']) }], env: { now: NOW } });
    const outcome = check(result, { now: NOW }).rules.find((r) => r.ruleId === 'image-registry-not-allowed');
    assert.equal(outcome?.outcome, 'skip');
  });
});
