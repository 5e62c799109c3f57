/**
 * The command registry: every CLI command, by name. Adding a command = one file in this folder
 * + one entry here; the registry test checks every entry's help and examples.
 */
import type { Command } from '../command.js';
import { generateCommand } from './generate.js';

/** Every command, in the order `meshplane --help` lists them. */
export const COMMANDS: readonly Command[] = [generateCommand];

/** Finds a command by name. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
