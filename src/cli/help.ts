/**
 * Help text, read from the command table: the global list (`meshplane --help`) and one page per
 * command or subcommand (`meshplane <cmd> --help` = `meshplane help <cmd>`), listing every flag
 * with its default, the environment variable that sets it and the mesh.yaml field it overrides.
 */
import { commandName, flagLabel } from './parse.js';
import { envNames, flagsOf, type CommandSpec, type FlagDef, type PositionalDef } from './spec.js';

/** The global help: every command with its summary. */
export function globalHelp(table: readonly CommandSpec[], version: string): string {
  const width = Math.max(...table.map((c) => c.name.length));
  const lines = table.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `meshplane ${version}: the Istio service-mesh add-on, delivered through GitOps`,
    '',
    'Usage: meshplane <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Flags of every command:',
    ...flagLines(flagsOf([])),
    '      --version  print the version (same as `meshplane version`)',
    '',
    'Run `meshplane help <command>` or `meshplane <command> --help` for its flags and examples.',
    'Settings: a flag beats its environment variable, which beats mesh.yaml, which beats the default (docs/cli.md).',
    'Exit codes: 0 clean (warnings allowed), 1 policy violations (diff: changes), 2 invalid input, usage, internal error or stdout that could not be written.',
    'Stdout is written only after the command has finished; killed by a signal (SIGTERM, SIGINT), the process ends at once with the shell status 128+signal and writes nothing more.',
    '',
  ].join('\n');
}

/** The usage line of a command path: `meshplane upgrade start <revision> [dir] [flags]`. */
export function usageLine(path: readonly CommandSpec[]): string {
  const last = path[path.length - 1] as CommandSpec;
  if (last.subcommands) return `meshplane ${commandName(path)} <${last.subcommands.map((s) => s.name).join('|')}> [flags]`;
  const args = (last.positionals ?? []).map(positionalLabel);
  return ['meshplane', commandName(path), ...args, '[flags]'].join(' ');
}

/** The help page of a command path. */
export function commandHelp(path: readonly CommandSpec[]): string {
  const last = path[path.length - 1] as CommandSpec;
  const out = [`meshplane ${commandName(path)}: ${last.summary}`, ''];
  if (last.description) out.push(last.description, '');
  out.push('Usage:', `  ${usageLine(path)}`, '');
  if (last.subcommands) {
    const width = Math.max(...last.subcommands.map((s) => s.name.length));
    out.push('Subcommands:', ...last.subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`), '', `Run \`meshplane ${commandName(path)} <subcommand> --help\` for its flags.`, '');
  }
  const positionals = last.positionals ?? [];
  if (positionals.length) {
    const width = Math.max(...positionals.map((p) => p.name.length));
    out.push('Arguments:', ...positionals.map((p) => `  ${p.name.padEnd(width)}  ${p.description}${p.default !== undefined ? ` (default: ${p.default})` : ''}`), '');
  }
  out.push('Flags:', ...flagLines(flagsOf(path)), '');
  out.push('Examples:', ...last.examples.map((e) => `  ${e}`), '');
  if (last.docs) out.push(`More: ${last.docs}`, '');
  return out.join('\n');
}

function positionalLabel(p: PositionalDef): string {
  const name = p.variadic ? `${p.name}...` : p.name;
  return p.optional ? `[${name}]` : `<${name}>`;
}

/** One line per flag: `  -o, --output FORMAT  manifest format (yaml|json; default: yaml; env: X)`. */
function flagLines(flags: Record<string, FlagDef>): string[] {
  const entries = Object.entries(flags).filter(([, d]) => !d.deprecatedFor);
  const heads = entries.map(([name, d]) => `${d.short ? `-${d.short}, ` : '    '}--${name}${d.type === 'string' ? ` ${d.valueName ?? 'VALUE'}` : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  const lines = entries.map(([, d], i) => `  ${(heads[i] as string).padEnd(width)}  ${d.description}${flagFacts(d)}`);
  for (const [name, d] of Object.entries(flags).filter(([, f]) => f.deprecatedFor)) {
    lines.push(`  ${`    --${name}`.padEnd(width)}  deprecated: use ${flagLabel(d.deprecatedFor as string, flags[d.deprecatedFor as string] as FlagDef)}`);
  }
  return lines;
}

/** ` (one of: a, b; default: a; env: X; mesh.yaml: f)` or ''. */
export function flagFacts(d: FlagDef): string {
  const facts: string[] = [];
  if (d.choices) facts.push(`one of: ${d.choices.join(', ')}`);
  const shown = d.defaultText ?? d.default;
  if (shown !== undefined) facts.push(`default: ${String(shown)}`);
  if (d.multiple) facts.push('repeatable');
  const env = envNames(d);
  if (env.length) facts.push(`env: ${env.join(', ')}`);
  if (d.intentField) facts.push(`mesh.yaml: ${d.intentField}`);
  return facts.length ? ` (${facts.join('; ')})` : '';
}
