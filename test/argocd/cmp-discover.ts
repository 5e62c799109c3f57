/**
 * CMP emulator, part 5: discovery, modelled on argoproj/argo-cd v3.5.1 cmpserver/plugin/plugin.go
 * matchRepository. Only the first configured rule is evaluated: `fileName` (Go filepath.Glob of
 * app path + pattern: `*`, `?`, `[...]`, no `**`), else `find.glob` (zglob: the same plus `**`
 * for any depth), else `find.command`, run with cwd = the app path: a match is runCommand
 * succeeding with output that is not empty after one trailing newline is removed (`find != ""`),
 * so a lone "\n" does not match but a space does. A failing command is an error upstream, which
 * repo-server's discovery (util/app/discovery cmpSupports) turns into "not this plugin".
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { commandFailed, commandOutput, type CommandResult } from './cmp-process.js';
import type { PluginCommand, PluginConfig } from './plugin-config.js';

/** One glob segment → a regular expression (`*` and `?` never match `/`). */
function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) throw new Error(`syntax error in pattern ${segment}`);
      re += `[${segment.slice(i + 1, end)}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function entries(dir: string): Array<{ name: string; dir: boolean }> {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

/** Paths under `root` matching a slash-separated pattern; `**` matches any depth when allowed. */
export function globMatches(root: string, pattern: string, doubleStar: boolean): string[] {
  const segments = path.posix.normalize(pattern).split('/').filter((s) => s !== '' && s !== '.');
  const walk = (dir: string, rest: string[]): string[] => {
    const [head, ...tail] = rest;
    if (head === undefined) return [dir];
    if (doubleStar && head === '**') {
      const deeper = entries(dir).filter((e) => e.dir).flatMap((e) => walk(path.join(dir, e.name), rest));
      return [...walk(dir, tail), ...deeper];
    }
    const re = segmentRegex(head);
    return entries(dir).filter((e) => re.test(e.name) && (tail.length === 0 || e.dir)).flatMap((e) => walk(path.join(dir, e.name), tail));
  };
  return walk(root, segments);
}

/** True when the plugin's discovery selects the app folder. */
export async function matchesDiscovery(config: PluginConfig, appDir: string, run: (cmd: PluginCommand) => Promise<CommandResult>): Promise<boolean> {
  const d = config.discover;
  if (!d) return false;
  if (d.fileName) return globMatches(appDir, d.fileName, false).length > 0;
  if (d.find?.glob) return globMatches(appDir, d.find.glob, true).length > 0;
  if (d.find?.command) {
    const r = await run(d.find.command);
    return !commandFailed(r) && commandOutput(r) !== '';
  }
  return false;
}
