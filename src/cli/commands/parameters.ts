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
import type { Handler } from '../spec.js';

/** The parameters handler (the `parameters` entry of the command table). */
export const runParametersCommand: Handler = async (args, io) => {
  const files = await readSourceTree(path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.'));
  await loadIntentValidator();
  const found = validateIntent(findIntent(parseSourceFiles(files)));
  const list = announceParameters(intentSchema() as SchemaNode, applyDefaults(found.intent));
  io.stdout(`${JSON.stringify(list, null, 2)}\n`);
  return 0;
};
