/**
 * The two sides of `meshplane diff`: a directory, or a git revision read from the local
 * repository. What a user depends on: the label each side is printed with, that a revision is
 * read as committed (not from the working tree), that a missing app folder is "absent" rather
 * than an error, that --path cannot leave the repository, and error messages that say what to
 * pass instead. Runs real git against a temporary repository.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { gitEnv, readSide, type SideOptions } from './sides.js';

let repo = '';
let plain = '';
let sha = '';
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, env, encoding: 'utf8' }).trim();
const write = (root: string, rel: string, text: string): void => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};

before(() => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'meshplane-sides-repo-'));
  plain = mkdtempSync(path.join(os.tmpdir(), 'meshplane-sides-plain-'));
  git('init', '-q', '-b', 'main');
  write(repo, 'clusters/prod/mesh/mesh.yaml', 'kind: ServiceMesh # committed\n');
  write(repo, 'clusters/prod/mesh/apps/a.yaml', 'kind: ConfigMap\n');
  write(repo, 'top.yaml', 'kind: Namespace\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  sha = git('rev-parse', 'HEAD');
  // The working tree now differs from the commit: a revision side must not see this.
  write(repo, 'clusters/prod/mesh/mesh.yaml', 'kind: ServiceMesh # edited, not committed\n');
  write(plain, 'app/mesh.yaml', 'kind: ServiceMesh # plain\n');
});
after(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(plain, { recursive: true, force: true });
});

const opts = (cwd: () => string, over: Partial<SideOptions> = {}): SideOptions => ({ cwd: cwd(), role: 'base', env, ...over });
const paths = (files: Array<{ path: string }> | undefined) => files?.map((f) => f.path);

describe('readSide: a directory', () => {
  it('reads the folder, labelled as given', async () => {
    const side = await readSide('app', opts(() => plain));
    assert.equal(side.label, 'app');
    assert.deepEqual(side.files, [{ path: 'mesh.yaml', text: 'kind: ServiceMesh # plain\n' }]);
  });

  it('with --path: reads the sub-folder and names it in the label', async () => {
    const side = await readSide('.', opts(() => repo, { subPath: 'clusters/prod/mesh' }));
    assert.equal(side.label, './clusters/prod/mesh');
    assert.deepEqual(paths(side.files), ['apps/a.yaml', 'mesh.yaml']);
    assert.equal(side.files?.find((f) => f.path === 'mesh.yaml')?.text, 'kind: ServiceMesh # edited, not committed\n', 'a directory is read as it is on disk');
  });

  it('an app folder missing on that side is absent (files undefined), not an error', async () => {
    const side = await readSide('.', opts(() => plain, { subPath: 'nothing-here' }));
    assert.deepEqual(side, { label: './nothing-here', files: undefined });
  });

  const normalised: Array<[string, string]> = [['app/', 'app'], ['./app//', 'app'], ['.', ''], ['app\\', 'app']];
  for (const [sub, want] of normalised) {
    it(`--path ${JSON.stringify(sub)} is read as ${JSON.stringify(want || '(the side itself)')}`, async () => {
      const side = await readSide('.', opts(() => plain, { subPath: sub }));
      assert.equal(side.label, want ? `./${want}` : '.');
      assert.deepEqual(paths(side.files), want ? ['mesh.yaml'] : ['app/mesh.yaml']);
    });
  }
});

describe('readSide: --path that leaves the repository', () => {
  for (const sub of ['..', '../other', '/etc', 'a/../../b', '..\\x']) {
    it(`refuses ${JSON.stringify(sub)} with a usage error that says how to give it`, async () => {
      await assert.rejects(readSide('.', opts(() => plain, { subPath: sub })), (e: unknown) => {
        assert.ok(e instanceof MeshplaneError);
        assert.equal(e.code, 'usage');
        assert.equal(e.message, `--path ${sub} leaves the repository`);
        assert.deepEqual(e.details, []);
        assert.equal(e.hint, 'give the app folder relative to the repository root, e.g. --path clusters/prod/mesh');
        return true;
      });
    });
  }
});

describe('readSide: a git revision', () => {
  it('reads the app folder as committed, labelled with the revision, its short sha and the path', async () => {
    const side = await readSide('main', opts(() => repo, { subPath: 'clusters/prod/mesh', role: 'head' }));
    assert.equal(side.label, `main (${sha.slice(0, 12)}):clusters/prod/mesh`);
    assert.deepEqual(side.files, [{ path: 'apps/a.yaml', text: 'kind: ConfigMap\n' }, { path: 'mesh.yaml', text: 'kind: ServiceMesh # committed\n' }]);
  });

  it('from a sub-directory of the repository, the path is still relative to the repository root', async () => {
    const side = await readSide('HEAD', opts(() => path.join(repo, 'clusters'), { subPath: 'clusters/prod/mesh' }));
    assert.deepEqual(paths(side.files), ['apps/a.yaml', 'mesh.yaml']);
  });

  it('without --path: the whole tree of the revision', async () => {
    const side = await readSide(sha, opts(() => repo));
    assert.equal(side.label, `${sha} (${sha.slice(0, 12)})`);
    assert.deepEqual(paths(side.files), ['clusters/prod/mesh/apps/a.yaml', 'clusters/prod/mesh/mesh.yaml', 'top.yaml']);
  });

  it('an app folder the revision does not have is absent, not an error', async () => {
    const side = await readSide('main', opts(() => repo, { subPath: 'clusters/staging/mesh' }));
    assert.deepEqual(side, { label: `main (${sha.slice(0, 12)}):clusters/staging/mesh`, files: undefined });
  });

  it('a path that names a file, not a folder, is absent too', async () => {
    const side = await readSide('main', opts(() => repo, { subPath: 'top.yaml' }));
    assert.equal(side.files, undefined);
  });

  it('neither a directory nor a revision: says so, naming the repository, and what to pass', async () => {
    await assert.rejects(readSide('no-such-branch', opts(() => repo, { role: 'head' })), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.equal(e.code, 'usage');
      assert.match(e.message, /^--head no-such-branch: it is neither a directory nor a revision of .*meshplane-sides-repo-/);
      assert.deepEqual(e.details, []);
      assert.equal(e.hint, 'pass a folder (e.g. --head examples/canary) or a revision of the current repository (e.g. --head origin/main); fetch the branch first in CI (actions/checkout with fetch-depth: 0)');
      return true;
    });
  });

  it('an option-like revision is not read as a git option', async () => {
    await assert.rejects(readSide('--output=x', opts(() => repo)), /--base --output=x: it is neither a directory nor a revision/);
  });

  it('outside any repository: says the working directory is not in one', async () => {
    await assert.rejects(readSide('main', opts(() => plain, { env: { ...env, GIT_CEILING_DIRECTORIES: path.dirname(plain) } })), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.equal(e.message, '--base main: it is not a directory, and the working directory is not inside a git repository');
      return true;
    });
  });

  it('git missing from PATH: says git cannot run, not that there is no repository', async () => {
    await assert.rejects(readSide('main', opts(() => repo, { env: { PATH: plain } })), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.equal(e.code, 'usage');
      assert.match(e.message, /^cannot run git: /);
      assert.deepEqual(e.details, []);
      assert.equal(e.hint, 'install git, or pass directories to --base and --head');
      return true;
    });
  });
});

describe('readSide: the temporary copy of a revision', () => {
  it('is removed after reading, also when the app folder is read from a sub-path', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshplane-sides-tmp-'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      const side = await readSide('main', opts(() => repo, { subPath: 'clusters/prod/mesh', role: 'head' }));
      assert.equal(side.files?.length, 2);
      assert.deepEqual(readdirSync(tmp), [], 'nothing left in the temporary directory');
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('tar missing: a source-unreadable error naming the revision and path, and what to install', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'meshplane-sides-bin-'));
    try {
      const gitPath = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      symlinkSync(gitPath, path.join(bin, 'git'));
      await assert.rejects(readSide('main', opts(() => repo, { subPath: 'clusters/prod/mesh', env: { ...env, PATH: bin } })), (e: unknown) => {
        assert.ok(e instanceof MeshplaneError);
        assert.equal(e.code, 'source-unreadable');
        assert.match(e.message, new RegExp(`^cannot read ${sha.slice(0, 12)}:clusters/prod/mesh from git: spawn tar ENOENT$`));
        assert.deepEqual(e.details, []);
        assert.equal(e.hint, 'check that git and tar are installed and the revision is fetched');
        return true;
      });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('gitEnv', () => {
  it('keeps the caller\'s variables and switches off prompts, lazy fetches and the pager, in the C locale', () => {
    assert.deepEqual(gitEnv({ PATH: '/bin', GIT_PAGER: 'less', LC_ALL: 'de_DE.UTF-8', HOME: undefined }), { PATH: '/bin', HOME: undefined, GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1', GIT_PAGER: 'cat', LC_ALL: 'C' });
  });
});
