/** The README stays in step with the code: defaults table, command list, the two commands, CI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../src/pipeline/defaults.js';
import { COMMAND_TABLE } from '../../src/cli/commands/table.js';
import { commandReference, REFERENCE_MARKERS } from '../../src/cli/reference.js';
import { REPO_ROOT } from '../helpers/cli.js';

const COMMANDS = COMMAND_TABLE;
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every default with its value', () => {
    for (const d of DEFAULTS) assert.ok(readme.includes(`| \`${d.path}\` | \`${JSON.stringify(d.value)}\` |`), d.path);
  });
  it('holds the command reference generated from the command table', () => {
    const begin = readme.indexOf(REFERENCE_MARKERS.begin);
    const end = readme.indexOf(REFERENCE_MARKERS.end);
    assert.ok(begin >= 0 && end > begin, 'README.md has the command reference markers');
    assert.equal(readme.slice(begin, end + REFERENCE_MARKERS.end.length), commandReference(COMMAND_TABLE), 'README command reference is stale: paste commandReference(COMMAND_TABLE) (src/cli/reference.ts) between the markers');
  });
  it('lists every command', () => {
    for (const c of COMMANDS) assert.match(readme, new RegExp(`\\| \`meshplane ${c.name}\\b`), c.name);
  });
  it('gives the two commands, and CI runs exactly the test command', () => {
    assert.ok(readme.includes('npm ci && bin/meshplane generate examples/canary'));
    assert.ok(readme.includes('```sh\nnpm test\n```'));
    const ci = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
    assert.match(ci, /^npm ci$/m);
    assert.match(ci, /^npm test$/m);
  });
});
