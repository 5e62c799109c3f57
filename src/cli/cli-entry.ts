/**
 * What bin/meshplane loads: the CLI's `main` plus the switch of the on-disk render cache. One
 * module so that the bundled build (scripts/bundle.mjs) and the compiled dist/ expose the same
 * two functions from the same module instance.
 */
export { main } from './main.js';
export { enableDiskCache } from '../engine/template-engine.js';
