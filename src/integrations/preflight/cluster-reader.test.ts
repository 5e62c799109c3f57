import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MESH_POD_SELECTORS } from './cluster-reader.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The label keys an injection template writes under the pod's metadata.labels (two-space indent under `labels:`). */
function podLabelKeys(template: string): string[] {
  const block = /\nmetadata:\n(?:.*\n)*?  labels:\n((?:(?: {4}.*| *\{\{-.*)\n)*)/.exec(template)?.[1] ?? '';
  return [...block.matchAll(/^ {4}([\w./-]+):/gm)].map((m) => m[1] as string);
}

describe('MESH_POD_SELECTORS.injectedPods selects every pod an injection template injects', () => {
  // [template, why it is here]
  const table: Array<[string, string]> = [
    ['templates/injection/sidecar.tmpl', 'the sidecar template (upstream files/injection-template.yaml)'],
    ['templates/injection/gateway.tmpl', 'the gateway template (upstream files/gateway-injection-template.yaml, inject.istio.io/templates: gateway), which writes no security.istio.io/tlsMode'],
  ];
  for (const [file, why] of table) {
    it(`${file}: ${why}`, () => {
      const keys = podLabelKeys(readFileSync(path.join(repo, file), 'utf8'));
      assert.ok(keys.length >= 2, `read only ${keys.join(', ')} from ${file}`);
      assert.ok(keys.includes(MESH_POD_SELECTORS.injectedPods), `${file} writes ${keys.join(', ')}, not ${MESH_POD_SELECTORS.injectedPods}`);
    });
  }
});
