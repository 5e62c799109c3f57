/**
 * CMP emulator, part 1: reading plugin.yaml the way argocd-cmp-server does (argoproj/argo-cd
 * v3.5.1 cmpserver/plugin/config.go ReadPluginConfig, ValidatePluginConfig). Argo CD validates only kind, metadata.name and a non-empty generate command, and parses
 * leniently (unknown keys are silently dropped); the emulator does the same validation and also
 * lists unknown keys, so a typo in our plugin.yaml is caught here instead of ignored there.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A command of plugin.yaml: exec'd as command[0] with argv command[1:] + args. */
export interface PluginCommand {
  command: string[];
  args: string[];
}

/** One ParameterAnnouncement as plugin.yaml's `parameters.static` or the dynamic command gives it. */
export type Announcement = Record<string, unknown>;

/** The parsed plugin configuration. */
export interface PluginConfig {
  name: string;
  version: string;
  init?: PluginCommand;
  generate: PluginCommand;
  discover?: { fileName?: string; find?: { glob?: string; command?: PluginCommand } };
  parameters: { static: Announcement[]; dynamic?: PluginCommand };
  preserveFileMode: boolean;
  /** Keys Argo CD would ignore (dotted paths). */
  unknownKeys: string[];
}

/** Every key Argo CD's PluginConfig types define, per object (config.go); anything else it drops silently. */
const KNOWN: Record<string, readonly string[]> = {
  '': ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'namespace', 'labels', 'annotations'],
  spec: ['version', 'init', 'generate', 'discover', 'parameters', 'preserveFileMode', 'provideGitCreds'],
  'spec.init': ['command', 'args'],
  'spec.generate': ['command', 'args'],
  'spec.discover': ['fileName', 'find'],
  'spec.discover.find': ['glob', 'command', 'args'],
  'spec.parameters': ['static', 'dynamic'],
  'spec.parameters.dynamic': ['command', 'args'],
};

function unknownKeys(value: unknown, at = ''): string[] {
  const known = KNOWN[at];
  if (!known || !value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const p = at ? `${at}.${k}` : k;
    return known.includes(k) ? unknownKeys(v, p) : [p];
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function command(value: unknown): PluginCommand | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { command?: unknown; args?: unknown };
  const cmd = strings(v.command);
  return cmd.length ? { command: cmd, args: strings(v.args) } : undefined;
}

/** Parses and validates a plugin.yaml text; throws with Argo CD's reasons. */
export function parsePluginConfig(text: string): PluginConfig {
  const raw = parse(text) as Record<string, unknown> | null;
  const meta = (raw?.metadata ?? {}) as { name?: unknown };
  const spec = (raw?.spec ?? {}) as Record<string, unknown>;
  if (raw?.kind !== 'ConfigManagementPlugin') throw new Error(`invalid plugin configuration file. kind should be ConfigManagementPlugin, found ${String(raw?.kind)}`);
  if (typeof meta.name !== 'string' || meta.name === '') throw new Error('invalid plugin configuration file. metadata.name should be non-empty.');
  const generate = command(spec.generate);
  if (!generate) throw new Error('invalid plugin configuration file. spec.generate command should be non-empty');
  const discover = spec.discover as { fileName?: unknown; find?: { glob?: unknown } & Record<string, unknown> } | undefined;
  const params = (spec.parameters ?? {}) as { static?: unknown; dynamic?: unknown };
  const config: PluginConfig = {
    name: meta.name,
    version: typeof spec.version === 'string' ? spec.version : '',
    generate,
    parameters: { static: Array.isArray(params.static) ? (params.static as Announcement[]) : [] },
    preserveFileMode: spec.preserveFileMode === true,
    unknownKeys: unknownKeys(raw),
  };
  const init = command(spec.init);
  if (init) config.init = init;
  const dynamic = command(params.dynamic);
  if (dynamic) config.parameters.dynamic = dynamic;
  if (discover) {
    const find = discover.find ? { ...(typeof discover.find.glob === 'string' ? { glob: discover.find.glob } : {}), ...(command(discover.find) ? { command: command(discover.find) as PluginCommand } : {}) } : undefined;
    config.discover = { ...(typeof discover.fileName === 'string' ? { fileName: discover.fileName } : {}), ...(find ? { find } : {}) };
  }
  return config;
}

/** Reads plugin.yaml from a file. */
export function readPluginConfig(file: string): PluginConfig {
  return parsePluginConfig(readFileSync(file, 'utf8'));
}

/** The name Applications use and the socket is named after: `<name>-<version>` or `<name>`. */
export function pluginAddress(config: PluginConfig): string {
  return config.version ? `${config.name}-${config.version}` : config.name;
}

/** True when the plugin has any discovery rule (then even a named Application must match it). */
export function hasDiscovery(config: PluginConfig): boolean {
  const d = config.discover;
  return Boolean(d && (d.fileName || d.find?.glob || d.find?.command));
}
