/**
 * bench/baselines/warm-floor.cjs, the floor of the warm-generate figure: it must do no more than a
 * program that prints a stored render has to (so its entry is the printed text, not Meshplane's
 * JSON entry with the rendered objects, which only Meshplane's guardrails need), and it must say
 * what is missing when the bench runs it without the warm-generate figure that fills its entry.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packagePath } from '../../src/core/paths.js';

const FLOOR = packagePath('bench', 'baselines', 'warm-floor.cjs');
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('bench/baselines/warm-floor.cjs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warm-floor-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, 'source');
  mkdirSync(source);
  writeFileSync(path.join(source, 'mesh.yaml'), 'kind: ServiceMesh\n');
  const templates = path.join(dir, 'templates.jsonnet');
  writeFileSync(templates, '{}\n');
  // An output entry as Meshplane's disk cache writes it: a SHA-256 line, then the JSON payload.
  const outputs = path.join(dir, 'outputs');
  mkdirSync(outputs);
  const printed = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ünïcode\n';
  const payload = JSON.stringify({ rendered: [{ object: { kind: 'ConfigMap' } }], output: printed });
  writeFileSync(path.join(outputs, sha256(payload)), `${sha256(payload)}\n${payload}`);
  const run = (outputsDir: string, entries: string) => spawnSync(process.execPath, [FLOOR, source, templates, entries, outputsDir], { encoding: 'utf8' });

  it('prints the stored manifests, first from Meshplane\'s entry, then from its own', () => {
    const entries = path.join(dir, 'entries');
    for (const pass of ['fill', 'hit']) {
      const r = run(outputs, entries);
      assert.equal(r.status, 0, `${pass}: ${r.stderr}`);
      assert.equal(r.stdout, printed, pass);
    }
  });

  it('keeps the printed text alone in its entry, so a timed run parses no JSON and no rendered objects', () => {
    const entries = path.join(dir, 'entries-own');
    assert.equal(run(outputs, entries).status, 0);
    const [name] = readdirSync(entries);
    const bytes = readFileSync(path.join(entries, name as string));
    const body = bytes.subarray(65);
    assert.equal(bytes.toString('latin1', 0, 64), sha256(body), 'checksummed');
    assert.equal(body.toString('utf8'), printed);
  });

  it('without the warm-generate figure\'s outputs it says so and exits 2, not with a stack trace', () => {
    const r = run(path.join(dir, 'no-outputs'), path.join(dir, 'entries-none'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^warm-floor: no stored output in .*no-outputs: the warm-generate figure fills it/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
