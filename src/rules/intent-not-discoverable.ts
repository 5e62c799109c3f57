/**
 * intent-not-discoverable: the mesh intent is not `./mesh.yaml` at the top of the source folder,
 * the one file through which Argo CD finds the Meshplane plugin for an Application.
 */
import { intentViolation } from './support/violation.js';
import type { Rule } from './types.js';

/**
 * The file plugin.yaml's discovery matches (`discover.fileName: "./mesh.yaml"`), as the load stage
 * names source files (relative to the source folder, POSIX separators, no leading `./`). Why one
 * fixed name: argocd-cmp-server (argo-cd v3.5.1, cmpserver/plugin/plugin.go, matchRepository)
 * matches `fileName` with a non-recursive glob of the app folder alone, so no other name and no
 * sub-folder is found. The rule's test keeps this equal to plugin.yaml.
 */
export const DISCOVERY_FILE = 'mesh.yaml';

/** The intent's folder inside the source ('' at the top). */
function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** How to fix it: rename or move the file; for an intent below the top, the Application's path is the other way. */
function remediation(file: string): string {
  const folder = folderOf(file);
  const move = `move the intent to ./${DISCOVERY_FILE} at the top of the source folder (\`git mv ${file} ${DISCOVERY_FILE}\`)`;
  const renamed = file.slice(folder.length + 1) === DISCOVERY_FILE ? '' : ` and rename the file to ${DISCOVERY_FILE} there`;
  const alternative = folder === '' ? '' : `, or point the Application's path at ${folder}/${renamed}`;
  return `${move}${alternative}; a folder never used with Argo CD (Flux, Helm post-render, plain kubectl) can waive this warning with a spec.policy.exceptions entry`;
}

/** The intent-not-discoverable rule. */
export const intentNotDiscoverableRule: Rule = {
  id: 'intent-not-discoverable',
  severity: 'warning',
  description: `the mesh intent is ./${DISCOVERY_FILE} at the top of the source folder, the file by which Argo CD discovers the Meshplane plugin (plugin.yaml discover.fileName)`,
  skip(ctx) {
    // Only a render that searched a source folder knows where the intent lies in it; post-render is handed its intent (--intent or flags).
    return ctx.render.intentFoundInTree === true ? undefined : 'the intent was given (post-render: --intent or flags), not found in an app source folder';
  },
  check(ctx) {
    const file = ctx.render.intentDocument.file;
    if (file === DISCOVERY_FILE) return [];
    return [
      intentViolation(this, ctx, {
        message: `the mesh intent is in ${file}, not in ./${DISCOVERY_FILE} at the top of the source folder, the only file through which Argo CD discovers the Meshplane plugin (plugin.yaml discover.fileName: matched in the app folder itself, never below it); without it an Application for this folder fails with: could not find cmp-server plugin with name "meshplane-v1" supporting the given repository (with \`plugin: {}\`: could not find plugin supporting the given repository)`,
        remediation: remediation(file),
      }),
    ];
  },
};
