/** Test helpers: the shipped examples, and an in-process render of one. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT } from './cli.js';

/** The examples folder. */
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Names of every folder under examples/, sorted. */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Renders an example in-process (the same pipeline `generate` runs) and returns its objects. */
export async function renderExample(name: string): Promise<KubeObject[]> {
  const files = await readSourceTree(path.join(EXAMPLES_DIR, name));
  const result = await render({ files, env: {} });
  return result.objects.map((o) => o.object);
}
