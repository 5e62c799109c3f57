/**
 * Every `az aks mesh …` command that Meshplane's docs and messages tell a user to run, held against
 * the az CLI's own command table, and the runbook's way back held against what `az aks mesh enable`
 * does not restore by itself.
 *
 * Sources (read 2026-12-03; the azure-cli snapshot was too large to mirror, so it was read through
 * the stored code index of the Azure/azure-cli dev branch):
 * - Azure/azure-cli src/azure-cli/azure/cli/command_modules/acs/commands.py, the `aks mesh` command
 *   group: enable, disable (with a confirmation prompt, so `--yes`), enable-/disable-ingress-gateway,
 *   enable-/disable-egress-gateway, get-revisions, get-upgrades, upgrade start|complete|rollback.
 * - the same folder's _params.py: `aks mesh enable` takes --revision and the five plug-in CA
 *   values; enable-/disable-ingress-gateway take --ingress-gateway-type (external|internal);
 *   enable-/disable-egress-gateway take --istio-egressgateway-name (--istio-eg-gtw-name),
 *   --istio-egressgateway-namespace (--istio-eg-gtw-ns) and, to enable, --gateway-configuration-name
 *   (--gtw-config-name); upgrade start takes --revision; upgrade rollback takes --yes.
 * - MicrosoftDocs/azure-aks-docs articles/aks/istio-cni.md at commit 103b19674 (2026-06-24): Istio
 *   CNI is set with `az aks mesh proxy-redirection-mechanism --mechanism CNIChaining|InitContainers`
 *   or `az aks mesh enable --proxy-redirection-mechanism CNIChaining` (Azure CLI 2.86.0); the same
 *   file up to commit bd196a6d7 (2026-01-30) used the aks-preview extension's
 *   `az aks mesh enable-istio-cni` / `disable-istio-cni`, which the current page no longer names.
 * - articles/aks/istio-plugin-ca.md (same snapshot): a plug-in CA is given to `az aks mesh enable`;
 *   switching an enabled mesh to a plug-in CA is not supported.
 * - articles/aks/istio-deploy-ingress.md and istio-deploy-egress.md: gateways are enabled by their
 *   own commands after the mesh is enabled.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/** Flags every `az` command accepts (global arguments and the resource's id). */
const COMMON = ['-g', '--resource-group', '-n', '--name', '--no-wait', '--subscription', '-o', '--output', '--query'];

/** The `az aks mesh` subcommands and their own flags, from the sources above. */
export const AZ_AKS_MESH: Readonly<Record<string, readonly string[]>> = {
  enable: ['--revision', '--key-vault-id', '--ca-cert-object-name', '--ca-key-object-name', '--root-cert-object-name', '--cert-chain-object-name', '--proxy-redirection-mechanism'],
  disable: ['--yes', '-y'],
  'enable-ingress-gateway': ['--ingress-gateway-type'],
  'disable-ingress-gateway': ['--ingress-gateway-type'],
  'enable-egress-gateway': ['--istio-egressgateway-name', '--istio-eg-gtw-name', '--istio-egressgateway-namespace', '--istio-eg-gtw-ns', '--gateway-configuration-name', '--gtw-config-name'],
  'disable-egress-gateway': ['--istio-egressgateway-name', '--istio-eg-gtw-name', '--istio-egressgateway-namespace', '--istio-eg-gtw-ns'],
  'get-revisions': ['--location', '-l'],
  'get-upgrades': [],
  'upgrade start': ['--revision'],
  'upgrade complete': ['--yes', '-y'],
  'upgrade rollback': ['--yes', '-y'],
  'proxy-redirection-mechanism': ['--mechanism'],
};

/**
 * Commands that existed only in the aks-preview extension and were replaced. Why listed: a doc
 * may name them for history, but only next to the command that replaced them.
 */
const REPLACED: Readonly<Record<string, string>> = {
  'enable-istio-cni': 'proxy-redirection-mechanism',
  'disable-istio-cni': 'proxy-redirection-mechanism',
};

/** One `az aks mesh` mention: where, the subcommand (or group) and the flags it names. */
interface Mention {
  at: string;
  sub: string;
  flags: string[];
  near: string;
}

/** The `az aks mesh …` commands in a text: inline code spans (may wrap lines) and lines of fenced blocks. */
export function meshMentions(file: string, text: string): Mention[] {
  const out: Mention[] = [];
  const add = (cmd: string, index: number): void => {
    const line = text.slice(0, index).split('\n').length;
    const words = cmd.replace(/\\$/, '').split(/\s+/).filter((w) => w !== '').slice(3);
    if (words.length === 0 || words[0] === '…') return;
    const subs = (words[0] === 'upgrade' && words[1] ? words[1].split('|').map((w) => `upgrade ${w}`) : [words[0] as string]);
    const flags = words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0] as string);
    const near = text.slice(Math.max(0, index - 300), index + cmd.length + 300);
    for (const sub of subs) out.push({ at: `${file}:${line}`, sub, flags, near });
  };
  for (const m of text.matchAll(/`(az aks mesh[^`]*)`/g)) add(m[1] as string, m.index ?? 0);
  for (const block of text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)) {
    const bodyAt = (block.index ?? 0) + (block[0] as string).indexOf('\n') + 1;
    const body = (block[1] as string).replace(/\\\n/g, '  '); // same length, so offsets stay true
    for (const m of body.matchAll(/^\s*(az aks mesh[^\n]*)$/gm)) add(m[1] as string, bodyAt + (m.index ?? 0) + (m[0] as string).indexOf('az'));
  }
  return out;
}

/** Problems with one mention, as messages naming the place and the fix. */
export function checkMention(m: Mention): string[] {
  const replaced = REPLACED[m.sub];
  if (replaced !== undefined) {
    return m.near.includes(`az aks mesh ${replaced}`) ? [] : [`${m.at}: \`az aks mesh ${m.sub}\` was the aks-preview extension's command; name \`az aks mesh ${replaced}\` instead`];
  }
  if (m.sub === 'upgrade') return []; // the command group itself, named as a whole
  const own = AZ_AKS_MESH[m.sub];
  if (own === undefined) return [`${m.at}: the az CLI has no \`az aks mesh ${m.sub}\` (known: ${Object.keys(AZ_AKS_MESH).join(', ')})`];
  return m.flags.filter((f) => !own.includes(f) && !COMMON.includes(f)).map((f) => `${m.at}: \`az aks mesh ${m.sub}\` has no flag ${f} (it takes ${own.join(' ') || 'no flags of its own'})`);
}

async function sources(): Promise<Array<{ file: string; text: string }>> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = async (dir: string, keep: (f: string) => boolean): Promise<void> => {
    for (const e of await readdir(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) await walk(rel, keep);
      else if (keep(e.name)) out.push({ file: rel, text: await readFile(path.join(REPO_ROOT, rel), 'utf8') });
    }
  };
  await walk('docs', (f) => f.endsWith('.md'));
  await walk('src', (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  return out;
}

describe('az aks mesh commands named in docs/ and src/ exist in the az CLI, with those flags', () => {
  it('finds the runbook\'s commands (the scan is not empty)', async () => {
    const all = (await sources()).flatMap((s) => meshMentions(s.file, s.text));
    const subs = new Set(all.filter((m) => m.at.startsWith('docs/migrate-from-aks-addon.md')).map((m) => m.sub));
    for (const s of ['disable', 'enable', 'upgrade complete', 'upgrade rollback']) assert.ok(subs.has(s), `the runbook names az aks mesh ${s} (found: ${[...subs].join(', ')})`);
  });

  it('every command and flag is in the az CLI\'s table', async () => {
    const problems = (await sources()).flatMap((s) => meshMentions(s.file, s.text)).flatMap(checkMention);
    assert.deepEqual(problems, []);
  });

  const table: Array<{ name: string; text: string; want: string[] }> = [
    { name: 'a known command with its flags', text: 'run `az aks mesh enable -g rg -n c --revision asm-1-28`', want: [] },
    { name: 'an unknown command', text: 'run `az aks mesh enable-cni -g rg -n c`', want: ['x.md:1: the az CLI has no `az aks mesh enable-cni`'] },
    { name: 'an unknown flag', text: '```sh\naz aks mesh disable -g rg -n c --force\n```\n', want: ['x.md:2: `az aks mesh disable` has no flag --force'] },
    { name: 'a preview command alone', text: 'on (`az aks mesh enable-istio-cni`)', want: ['x.md:1: `az aks mesh enable-istio-cni` was the aks-preview extension\'s command; name `az aks mesh proxy-redirection-mechanism` instead'] },
    { name: 'a preview command next to its replacement', text: '`az aks mesh proxy-redirection-mechanism --mechanism CNIChaining` (was `az aks mesh enable-istio-cni`)', want: [] },
    { name: 'upgrade alternatives', text: '(`az aks mesh upgrade complete|rollback`)', want: [] },
  ];
  for (const c of table) {
    it(`checkMention: ${c.name}`, () => {
      const got = meshMentions('x.md', c.text).flatMap(checkMention).map((p) => p.replace(/ \(.*$/, ''));
      assert.deepEqual(got, c.want.map((p) => p.replace(/ \(.*$/, '')));
    });
  }
});

describe('docs/migrate-from-aks-addon.md: the way back restores what aks.json recorded', () => {
  /** What `az aks mesh enable` alone does not bring back, and the command text that does. */
  const RESTORE: Array<{ what: string; needs: string[] }> = [
    { what: 'the plug-in CA (only accepted when the mesh is enabled)', needs: ['--key-vault-id', '--ca-cert-object-name', '--ca-key-object-name', '--root-cert-object-name', '--cert-chain-object-name'] },
    { what: 'Istio CNI (asm-1-30 and later install CNI chaining unless told; asm-1-25..1-29 need the flag)', needs: ['--proxy-redirection-mechanism CNIChaining'] },
    // istio-cni.md (fb060ab): asm-1-30's new installs default to CNIChaining, and the mechanism is
    // switched back with `--mechanism InitContainers`; re-enabling an InitContainers asm-1-30 mesh
    // without it would bring the mesh back on Istio CNI.
    { what: 'init containers on asm-1-30 and later (a new install there defaults to CNI chaining)', needs: ['az aks mesh proxy-redirection-mechanism', '--mechanism InitContainers'] },
    { what: 'the ingress gateways', needs: ['az aks mesh enable-ingress-gateway', '--ingress-gateway-type'] },
    { what: 'the egress gateways', needs: ['az aks mesh enable-egress-gateway', '--istio-egressgateway-name', '--gateway-configuration-name'] },
  ];
  for (const r of RESTORE) {
    it(`names how to restore ${r.what}`, async () => {
      const md = await readFile(path.join(REPO_ROOT, 'docs', 'migrate-from-aks-addon.md'), 'utf8');
      const start = md.indexOf('## If something goes wrong');
      assert.ok(start >= 0, 'the runbook has an "If something goes wrong" section');
      const section = md.slice(start).replace(/\s+/g, ' ');
      for (const n of r.needs) assert.ok(section.includes(n), `the way back names ${n}`);
    });
  }
});
