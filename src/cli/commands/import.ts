/** `meshplane import --aks <file>`: turn `az aks show` JSON into a mesh.yaml (stdout). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { importAks } from '../../import/aks.js';
import { loadIntentValidator } from '../../pipeline/intent.js';
import { parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** The import command. */
export const importCommand: Command = {
  name: 'import',
  summary: 'turn `az aks show` JSON (or its serviceMeshProfile) into a mesh.yaml (stdout)',
  usage: 'meshplane import --aks <file|-> [--name NAME] [--kube-version 1.32] [--tenant-id ID] [--identity-client-id ID]',
  examples: [
    'az aks show -g prod-rg -n prod-aks -o json > aks.json && meshplane import --aks aks.json > mesh.yaml',
    'az aks show -g prod-rg -n prod-aks --query serviceMeshProfile -o json | meshplane import --aks - --name prod --kube-version 1.32',
  ],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('import', argv, {
        aks: { type: 'string' },
        name: { type: 'string' },
        'kube-version': { type: 'string' },
        'tenant-id': { type: 'string' },
        'identity-client-id': { type: 'string' },
      });
      if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
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
    } catch (err) {
      return reportError(io, err);
    }
  },
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
