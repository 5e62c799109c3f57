/** The README stays in step with the code: defaults table, command list, the two commands, CI. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULTS } from '../../src/pipeline/defaults.js';
import { COMMAND_TABLE } from '../../src/cli/commands/table.js';
import { commandReference, REFERENCE_MARKERS } from '../../src/cli/reference.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { yamlBlocks } from '../helpers/markdown-blocks.js';

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

/**
 * Every whole mesh intent the README and docs/ show (a YAML block that is a ServiceMesh document,
 * not a fragment of one), with the place it is shown. A reader copies these first, so each must
 * render as it stands: the README's example once named two revisions past their end of life, a
 * Key Vault id the schema refuses, and left out two fields a plug-in CA and the Grafana operator
 * need, and nothing noticed.
 */
function shownIntents(): Array<{ where: string; text: string }> {
  const files = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  return files.flatMap((f) =>
    yamlBlocks(readFileSync(path.join(REPO_ROOT, f), 'utf8'))
      .filter((b) => /^apiVersion: meshplane\.io\//m.test(b.text) && /^kind: ServiceMesh\b/m.test(b.text))
      .map((b) => ({ where: `${f}:${b.line}`, text: b.text })),
  );
}

describe('mesh intents shown in the docs', () => {
  const intents = shownIntents();
  it('finds the README example', () => assert.ok(intents.some((i) => i.where.startsWith('README.md:')), intents.map((i) => i.where).join(', ')));
  for (const { where, text } of intents) {
    it(`${where} renders as shown`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-doc-intent-'));
      try {
        writeFileSync(path.join(dir, 'mesh.yaml'), text);
        // The date is pinned so the example's revisions are judged on the day it was last checked.
        const r = await runCli(['generate', dir, '--now', '2026-12-03'], { env: { MESHPLANE_RENDER_CACHE: 'off' } });
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /^error/m, r.stderr);
        assert.match(r.stdout, /^kind: Deployment$/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
