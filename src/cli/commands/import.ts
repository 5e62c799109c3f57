/** `meshplane import --aks <file>`: turn `az aks show` JSON into a mesh.yaml (stdout). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { importAks } from '../../import/aks.js';
import { loadIntentValidator } from '../../pipeline/intent.js';
import type { Handler } from '../spec.js';
import { printNotices, type Io } from '../io.js';

/** The import handler (flags: the `import` entry of the command table). */
export const runImportCommand: Handler = async (args, io) => {
  const { values } = args;
  const source = values.aks as string | undefined;
  if (!source) throw usage('--aks <file> is required (the JSON printed by `az aks show`; - reads stdin)');
  const text = await readInput(source, io);
  await loadIntentValidator();
  const result = importAks(text, {
    source,
    name: values.name as string | undefined,
    kubeVersion: values['kube-version'] as string | undefined,
    tenantId: values['tenant-id'] as string | undefined,
    identityClientId: values['identity-client-id'] as string | undefined,
  });
  printNotices(io, result.notices, true);
  io.stdout(result.text);
  return 0;
};

async function readInput(source: string, io: Io): Promise<string> {
  if (source === '-') return io.readStdin();
  try {
    return await readFile(path.resolve(io.cwd, source), 'utf8');
  } catch (err) {
    throw new MeshplaneError('source-unreadable', `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [], 'save `az aks show -g <rg> -n <cluster> -o json` to a file and pass its path, or pipe it in with --aks -');
  }
}

function usage(message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane import: ${message}`, [], 'run `meshplane import --help`');
}
