/**
 * The Renovate config documented in docs/lock.md (docs/renovate-lock.json) against the lock
 * format, with the regex semantics Renovate documents for its regex custom manager
 * (docs.renovatebot.com/modules/manager/regex: ECMAScript-flavoured patterns with named groups
 * `depName` and `currentValue`, run over the whole file; RE2 underneath, so no lookarounds or
 * backreferences): each match yields one dependency, and an update replaces `currentValue`
 * inside the matched text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { findLock } from '../../src/lock/lock-file.js';
import { makeLock } from '../../src/lock/make.js';
import { formatLock } from '../../src/lock/lock-file.js';
import { parseSourceFile } from '../../src/pipeline/load.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface RegexManager {
  managerFilePatterns: string[];
  matchStrings: string[];
  extractVersionTemplate: string;
  versioningTemplate: string;
}
const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'docs', 'renovate-lock.json'), 'utf8')) as { customManagers: RegexManager[] };
const manager = config.customManagers[0] as RegexManager;
const fixture = readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'lock', 'patch', 'meshplane.lock.yaml'), 'utf8');

/** What Renovate's regex manager extracts: every match of every matchString over the file. */
function extract(text: string): Array<{ depName: string; currentValue: string; index: number; match: string }> {
  return manager.matchStrings.flatMap((s) => [...text.matchAll(new RegExp(s, 'g'))].map((m) => ({ depName: m.groups?.depName ?? '', currentValue: m.groups?.currentValue ?? '', index: m.index ?? 0, match: m[0] })));
}

/** The replacement Renovate makes: currentValue → newValue inside the matched text. */
function replace(text: string, dep: { index: number; match: string; currentValue: string }, newValue: string): string {
  return text.slice(0, dep.index) + dep.match.replace(dep.currentValue, newValue) + text.slice(dep.index + dep.match.length);
}

describe('the documented Renovate config', () => {
  it('uses no lookaround or backreference (RE2 refuses them)', () => {
    for (const s of [...manager.matchStrings, manager.extractVersionTemplate, manager.versioningTemplate]) assert.doesNotMatch(s, /\(\?[=!]|\(\?<[=!]|\\[1-9]/);
  });
  it('matches the lock file by name only', () => {
    const pattern = (manager.managerFilePatterns[0] ?? '').replace(/^\/|\/$/g, '');
    for (const [file, want] of [['meshplane.lock.yaml', true], ['clusters/prod/mesh/meshplane.lock.yaml', true], ['mesh.yaml', false], ['xmeshplane.lock.yaml', false]] as const) assert.equal(new RegExp(pattern).test(file), want, file);
  });
  it('finds one dependency per pinned revision (a hand-commented lock)', () => {
    assert.deepEqual(extract(fixture).map((d) => [d.depName, d.currentValue]), [['asm-1-28', '1.28.6-1'], ['asm-1-29', '1.29.2-1']]);
  });
  it('finds every revision of a lock `meshplane lock` writes for every catalog revision', () => {
    const catalog = loadCatalog();
    const text = formatLock(makeLock({ catalog, revisions: catalog.revisions.map((r) => r.name) }).lock);
    const plain = catalog.revisions.filter((r) => /^\d+\.\d+\.\d+(-\d+)?$/.test(r.istio));
    assert.deepEqual(extract(text).map((d) => [d.depName, d.currentValue]), plain.map((r) => [r.name, r.istio]));
  });
  it('reads the image tags as versions and orders AKS builds', () => {
    const extractVersion = new RegExp(manager.extractVersionTemplate);
    assert.equal(extractVersion.exec('1.29.5-2-distroless')?.groups?.version, '1.29.5-2');
    assert.equal(extractVersion.exec('1.29.5-distroless')?.groups?.version, '1.29.5');
    assert.equal(extractVersion.exec('1.29.5-2'), null, 'only the distroless tags the add-on runs');
    const versioning = new RegExp(manager.versioningTemplate.replace(/^regex:/, ''));
    const parts = (v: string) => { const g = versioning.exec(v)?.groups ?? {}; return [g.major, g.minor, g.patch, g.build ?? '0'].map(Number); };
    assert.deepEqual(parts('1.29.5-2'), [1, 29, 5, 2]);
    assert.deepEqual(parts('1.28.8'), [1, 28, 8, 0]);
  });
  it('a Renovate bump leaves a lock that still validates and renders the new patch (the digest is then stale: a notice)', () => {
    const [first] = extract(fixture);
    assert.ok(first);
    const bumped = replace(fixture, first, '1.28.9-2');
    const found = findLock(parseSourceFile({ path: 'meshplane.lock.yaml', text: bumped }));
    assert.equal(found?.lock.revisions['asm-1-28']?.istio, '1.28.9-2');
    assert.match(bumped, /# held back: see the platform team's ticket/);
    assert.equal(bumped.split('\n').filter((l, i) => l !== fixture.split('\n')[i]).length, 1, 'one line changed');
  });
});
