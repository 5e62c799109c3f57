import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root (holds schemas/, templates/, catalog/). This file compiles to dist/src/core/. */
export const PACKAGE_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Absolute path of a file shipped with the package, e.g. `packagePath('catalog', 'revisions.yaml')`. */
export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
