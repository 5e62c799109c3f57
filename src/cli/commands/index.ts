/**
 * The command registry: every CLI command, by name, loaded lazily. Adding a command = one file
 * in this folder exporting a `Command` + one entry in COMMAND_LOADERS. Why lazy: Argo CD runs
 * `meshplane generate` cold for every sync, and eager imports of the server (express,
 * prom-client) or the cluster client (@kubernetes/client-node, ~0.9 s to load) would be paid by
 * every render. The registry test loads and checks every entry.
 */
import type { Command } from '../command.js';

/** Loaders of every command, in the order `meshplane --help` lists them. */
export const COMMAND_LOADERS: Readonly<Record<string, () => Promise<Command>>> = {
  generate: async () => (await import('./generate.js')).generateCommand,
  check: async () => (await import('./check.js')).checkCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  'post-render': async () => (await import('./post-render.js')).postRenderCommand,
  upgrade: async () => (await import('./upgrade.js')).upgradeCommand,
  lock: async () => (await import('./lock.js')).lockCommand,
  import: async () => (await import('./import.js')).importCommand,
  preflight: async () => (await import('./preflight.js')).preflightCommand,
  parameters: async () => (await import('./parameters.js')).parametersCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
};

/** Loads one command by name (undefined for an unknown name). */
export async function findCommand(name: string): Promise<Command | undefined> {
  const load = Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name] : undefined;
  return load ? load() : undefined;
}

/** Loads every command (for help and the registry test). */
export async function loadAllCommands(): Promise<Command[]> {
  return Promise.all(Object.values(COMMAND_LOADERS).map((load) => load()));
}
