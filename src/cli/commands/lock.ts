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
import { parseFlags, type FlagSpec } from '../args.js';
import type { Command } from '../command.js';
import { reportError, type Io } from '../io.js';

/** The flags of `meshplane lock` (one table: help and the parser read it). */
export const LOCK_FLAGS = {
  update: { type: 'boolean', default: false, description: 're-pin every revision from this Meshplane\'s catalog (newest patch, current behaviour switches) instead of only adding missing pins' },
  check: { type: 'boolean', default: false, description: 'write nothing; exit 1 when the lock is missing or would change (for CI)' },
} as const;

/** The lock command. */
export const lockCommand: Command = {
  name: 'lock',
  summary: 'pin the Istio patch and catalog decisions of each revision in meshplane.lock.yaml (commit it)',
  usage: 'meshplane lock [dir] [--update] [--check]',
  examples: ['meshplane lock .', 'meshplane lock clusters/prod/mesh --check', 'meshplane lock . --update'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const flags = parseFlags('lock', argv, parserSpec(LOCK_FLAGS));
      const [dir, extra] = flags.positionals;
      if (extra !== undefined) throw new MeshplaneError('usage', `meshplane lock: unexpected argument "${extra}"`, [], 'run `meshplane lock --help`');
      if (flags.values.update === true && flags.values.check === true) throw new MeshplaneError('usage', 'meshplane lock: --update and --check do not go together', [], '--check verifies the lock as committed; run --update locally and commit the result');
      const src = await readLockSource(path.resolve(io.cwd, dir ?? '.'));
      const revisions = src.intent.spec.mode === 'Istio' ? (src.intent.spec.istio?.revisions ?? []) : [];
      const made = makeLock({ catalog: loadCatalog(), revisions, existing: src.found?.lock, update: flags.values.update === true });
      for (const name of made.unknown) io.stderr(`warning: ${name} is not in this Meshplane's catalog and is not pinned (the revision-unknown rule reports it)\n`);
      const text = formatLock(made.lock);
      if (src.text === text) {
        io.stderr(`${src.file} is up to date\n`);
        return 0;
      }
      const changes = made.changes.length ? made.changes : ['rewrote the file in its canonical layout'];
      if (flags.values.check === true) {
        io.stderr(`error[lock-outdated]: ${src.file} ${src.found ? 'is not up to date' : 'does not exist'}:\n${changes.map((c) => `  ${c}`).join('\n')}\n  fix: run \`meshplane lock${dir ? ` ${dir}` : ''}\` and commit ${src.file}\n`);
        return 1;
      }
      await writeLockFile(src.absolutePath, src.file, text, made.lock);
      io.stderr(`${src.found ? 'updated' : 'wrote'} ${src.file}:\n${changes.map((c) => `  ${c}`).join('\n')}\n`);
      return 0;
    } catch (err) {
      return reportError(io, err);
    }
  },
};

/** The flag table without the help-only keys, as node's parseArgs takes it. */
export function parserSpec(table: Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>): FlagSpec {
  const out: FlagSpec = {};
  for (const [name, f] of Object.entries(table)) out[name] = { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
  return out;
}
