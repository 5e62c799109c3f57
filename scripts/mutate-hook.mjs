// Preloaded into every test process of a mutation run (`--import`, stryker.config.mjs): the
// process-wide render engine keeps its template evaluations in an on-disk cache shared by all
// mutants of the run, so a mutant's tests pay a file read instead of a jsonnet evaluation
// (~0.3 s of CPU per rendered fixture; the rule registry's fixtures render whole meshes).
// Why this cannot hide a mutant: entries are keyed by the bundled templates and the exact
// template input (src/engine/template-engine.ts `cacheKey`), and the templates are never
// mutated; a mutant that changes what the templates receive changes the key and evaluates anew.
// The path is relative to the sandbox Stryker runs in, so the hook and the tests share one
// module instance of the engine.
import os from 'node:os';
import path from 'node:path';
import { enableDiskCache } from '../dist/src/engine/template-engine.js';

enableDiskCache(process.env.MUTATE_RENDER_CACHE_DIR || path.join(os.tmpdir(), `meshplane-mutate-render-cache-${process.getuid?.() ?? 'user'}`));
