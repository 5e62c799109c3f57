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
  const dumps = (values['shared-configmap'] as string[] | undefined) ?? [];
  if (dumps.filter((d) => d === '-').length + (source === '-' ? 1 : 0) > 1) throw usage('stdin (-) can be read once: pass the other inputs as files');
  const sharedConfigMaps = await Promise.all(dumps.map(async (d) => ({ source: d, text: await readInput(d, io, CONFIGMAP_HINT) })));
  await loadIntentValidator();
  const result = importAks(text, {
    source,
    name: values.name as string | undefined,
    kubeVersion: values['kube-version'] as string | undefined,
    tenantId: values['tenant-id'] as string | undefined,
    identityClientId: values['identity-client-id'] as string | undefined,
    sharedConfigMaps,
  });
  printNotices(io, result.notices, true);
  io.stdout(result.text);
  return 0;
};

const AKS_HINT = 'save `az aks show -g <rg> -n <cluster> -o json` to a file and pass its path, or pipe it in with --aks -';
const CONFIGMAP_HINT = 'save `kubectl get configmap -n aks-istio-system istio-shared-configmap-<revision> -o yaml` to a file and pass its path';

async function readInput(source: string, io: Io, hint = AKS_HINT): Promise<string> {
  if (source === '-') return io.readStdin();
  try {
    return await readFile(path.resolve(io.cwd, source), 'utf8');
  } catch (err) {
    throw new MeshplaneError('source-unreadable', `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [], hint);
  }
}

function usage(message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane import: ${message}`, [], 'run `meshplane import --help`');
}
