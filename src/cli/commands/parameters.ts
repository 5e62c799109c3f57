/**
 * `meshplane parameters [dir]`: the Argo CD dynamic parameters command (plugin.yaml
 * `spec.parameters.dynamic`). Prints the JSON array of ParameterAnnouncement objects for the
 * intent in the folder, its current values shown as the defaults.
 */
import path from 'node:path';
import { applyDefaults } from '../../pipeline/defaults.js';
import { findIntent, intentSchema, loadIntentValidator, validateIntent } from '../../pipeline/intent.js';
import { parseSourceFiles, readSourceTree } from '../../pipeline/load.js';
import { announceParameters } from '../../integrations/argocd/parameters.js';
import type { SchemaNode } from '../../integrations/argocd/parameter-table.js';
import { parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { reportError, type Io } from '../io.js';

/** The parameters command. */
export const parametersCommand: Command = {
  name: 'parameters',
  summary: 'print the Argo CD parameter announcements (JSON) for the mesh intent in a folder',
  usage: 'meshplane parameters [dir]',
  examples: ['meshplane parameters examples/canary'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { positionals } = parseFlags('parameters', argv, {});
      const files = await readSourceTree(path.resolve(io.cwd, positionals[0] ?? '.'));
      await loadIntentValidator();
      const found = validateIntent(findIntent(parseSourceFiles(files)));
      const list = announceParameters(intentSchema() as SchemaNode, applyDefaults(found.intent));
      io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    } catch (err) {
      return reportError(io, err);
    }
  },
};
