/**
 * `meshplane lock [dir]`: write or refresh meshplane.lock.yaml beside mesh.yaml, pinning what
 * the catalog decides per revision. Like a package lock, existing pins are kept and only missing
 * ones are added, unless `--update` re-pins everything from this Meshplane's catalog.
 * `--check` writes nothing and fails when the lock is missing or not up to date (for CI).
 */
import path from 'node:path';
import { loadCatalog } from '../../catalog/catalog.js';
import { MeshplaneError } from '../../core/errors.js';
import { formatLock } from '../../lock/lock-file.js';
import { readLockSource, writeLockFile } from '../../lock/lock-io.js';
import { makeLock } from '../../lock/make.js';
import type { Handler } from '../spec.js';

/** The lock handler (flags: the `lock` entry of the command table). */
export const runLockCommand: Handler = async (args, io) => {
  const { values } = args;
  const dir = args.positionals.dir as string | undefined;
  if (values.update === true && values.check === true) throw new MeshplaneError('usage', 'meshplane lock: --update and --check do not go together', [], '--check verifies the lock as committed; run --update locally and commit the result');
  const src = await readLockSource(path.resolve(io.cwd, dir ?? '.'));
  const revisions = src.intent.spec.mode === 'Istio' ? (src.intent.spec.istio?.revisions ?? []) : [];
  const made = makeLock({ catalog: loadCatalog(), revisions, existing: src.found?.lock, update: values.update === true });
  for (const name of made.unknown) io.stderr(`warning: ${name} is not in this Meshplane's catalog and is not pinned (the revision-unknown rule reports it)\n`);
  const text = formatLock(made.lock);
  if (src.text === text) {
    io.stderr(`${src.file} is up to date\n`);
    return 0;
  }
  const changes = made.changes.length ? made.changes : ['rewrote the file in its canonical layout'];
  if (values.check === true) {
    io.stderr(`error[lock-outdated]: ${src.file} ${src.found ? 'is not up to date' : 'does not exist'}:\n${changes.map((c) => `  ${c}`).join('\n')}\n  fix: run \`meshplane lock${dir ? ` ${dir}` : ''}\` and commit ${src.file}\n`);
    return 1;
  }
  await writeLockFile(src.absolutePath, src.file, text, made.lock);
  io.stderr(`${src.found ? 'updated' : 'wrote'} ${src.file}:\n${changes.map((c) => `  ${c}`).join('\n')}\n`);
  return 0;
};
