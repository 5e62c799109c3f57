/**
 * The README's command reference, generated from the command table (test/docs/readme.test.ts
 * checks the README holds exactly this text between its markers, so it cannot drift).
 */
import { usageLine } from './help.js';
import { flagLabel } from './parse.js';
import type { CommandSpec } from './spec.js';

/** The markers around the generated block in README.md. */
export const REFERENCE_MARKERS = { begin: '<!-- command reference: generated from src/cli/commands/table.ts -->', end: '<!-- end of command reference -->' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function row(path: CommandSpec[]): string {
  const spec = path[path.length - 1] as CommandSpec;
  const flags = Object.entries(spec.flags).filter(([, d]) => !d.deprecatedFor).map(([name, d]) => `\`${cell(flagLabel(name, d))}\``);
  const docs = spec.docs ? ` — [${spec.docs}](${spec.docs})` : '';
  return `| \`${cell(usageLine(path).replace(/ \[flags\]$/, ''))}\` | ${cell(spec.summary)}${flags.length ? ` (${flags.join(', ')})` : ''}${docs} |`;
}

/** The generated block, markers included. */
export function commandReference(table: readonly CommandSpec[]): string {
  const rows = table.flatMap((c) => [row([c]), ...(c.subcommands ?? []).map((s) => row([c, s]))]);
  return [REFERENCE_MARKERS.begin, '| command | what it does (flags) |', '| --- | --- |', ...rows, REFERENCE_MARKERS.end].join('\n');
}
