/** `meshplane version [-o text|json]`: version, build commit, Node.js and catalog. */
import type { Handler } from '../spec.js';
import { formatVersionText, packageVersion, versionInfo } from '../version-info.js';

/** The version handler (the `version` entry of the command table). */
export const runVersionCommand: Handler = async (args, io) => {
  const info = versionInfo(packageVersion());
  io.stdout(args.values.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : formatVersionText(info));
  return 0;
};
