/** `meshplane generate [dir]`: render the mesh in a source folder and print the manifests. */
import path from 'node:path';
import { render } from '../../core/render.js';
import { readSourceTree } from '../../pipeline/load.js';
import { emitJson, emitYaml } from '../../pipeline/emit.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

const FORMATS = ['yaml', 'json'] as const;

/** The generate command. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'render the mesh intent in a folder into Kubernetes manifests (stdout)',
  usage: 'meshplane generate [dir] [--kube-version 1.32] [--format yaml|json] [--verbose]',
  examples: ['meshplane generate examples/canary', 'KUBE_VERSION=v1.32.3 meshplane generate .'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('generate', argv, {
        'kube-version': { type: 'string' },
        format: { type: 'string' },
        verbose: { type: 'boolean' },
      });
      const format = choice('generate', 'format', values.format, FORMATS, 'yaml');
      const dir = path.resolve(io.cwd, positionals[0] ?? '.');
      const files = await readSourceTree(dir);
      const result = await render({ files, env: { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag: values['kube-version'] as string | undefined } });
      printNotices(io, result.notices, values.verbose === true);
      const objects = result.objects.map((o) => o.object);
      io.stdout(format === 'json' ? emitJson(objects) : emitYaml(objects));
      return 0;
    } catch (err) {
      return reportError(io, err);
    }
  },
};
