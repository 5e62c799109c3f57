/** `meshplane import --aks <file>`: turn `az aks show` JSON into a mesh.yaml (stdout). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { importAks } from '../../import/aks.js';
import { loadIntentValidator } from '../../pipeline/intent.js';
import { parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** One flag of the command, as the declarative command table will hold it. */
interface FlagDecl {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string;
  description: string;
  env?: string;
}

/** The import command's flags (one place: parsing, help and completion read them). */
export const IMPORT_FLAGS = {
  aks: { type: 'string', description: 'the JSON printed by `az aks show` (or its serviceMeshProfile); - reads stdin' },
  'shared-configmap': { type: 'string', multiple: true, description: 'a dump of the add-on\'s istio-shared-configmap-<revision> (`kubectl get cm -n aks-istio-system … -o yaml`, YAML or JSON, a ConfigMap or a List); its data.mesh becomes spec.meshConfig; repeatable' },
  name: { type: 'string', description: 'metadata.name of the mesh (default: the cluster name as a DNS label)' },
  'kube-version': { type: 'string', description: 'spec.cluster.kubernetesVersion, e.g. 1.32 (default: the cluster\'s version)' },
  'tenant-id': { type: 'string', description: 'spec.keyVaultAccess.tenantId for a plug-in CA (default: the cluster identity\'s tenant)' },
  'identity-client-id': { type: 'string', description: 'spec.keyVaultAccess.identityClientId for a plug-in CA (default: the azure-keyvault-secrets-provider identity)' },
} as const satisfies Record<string, FlagDecl>;

/** The flags as parseFlags takes them (the table's extra keys stripped). */
function parseSpec(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  return Object.fromEntries(Object.entries(IMPORT_FLAGS).map(([k, f]: [string, FlagDecl]) => [k, { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) }]));
}

/** The import command. */
export const importCommand: Command = {
  name: 'import',
  summary: 'turn `az aks show` JSON (or its serviceMeshProfile) and the add-on\'s shared mesh ConfigMaps into a mesh.yaml (stdout)',
  usage: 'meshplane import --aks <file|-> [--shared-configmap FILE]... [--name NAME] [--kube-version 1.32] [--tenant-id ID] [--identity-client-id ID]',
  examples: [
    'kubectl get configmap -n aks-istio-system istio-shared-configmap-asm-1-28 -o yaml > shared.yaml && meshplane import --aks aks.json --shared-configmap shared.yaml > mesh.yaml',
    'az aks show -g prod-rg -n prod-aks -o json > aks.json && meshplane import --aks aks.json > mesh.yaml',
    'az aks show -g prod-rg -n prod-aks --query serviceMeshProfile -o json | meshplane import --aks - --name prod --kube-version 1.32',
  ],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('import', argv, parseSpec());
      if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
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
    } catch (err) {
      return reportError(io, err);
    }
  },
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
