/**
 * Decoding of one Argo CD parameter value (always strings) into the intent value its field takes.
 * Shape errors name the parameter here; range and enum errors come from the schema afterwards
 * (src/pipeline/overrides.ts validates the overridden intent and names the parameter too).
 */
import { MeshplaneError } from '../../core/errors.js';
import { collectionOf, type Codec, type ParameterSpec, type SetParameter } from './parameter-table.js';

/**
 * The intent value for a parameter. `undefined` means "remove the field" (an empty string for a
 * string-typed parameter), so Meshplane's default applies.
 */
export function decodeParameter(spec: ParameterSpec, codec: Codec, p: SetParameter, source: string, modes: readonly string[]): unknown {
  const collection = collectionOf(codec);
  if (collection === 'array') return need(p.array, 'array', spec, source);
  if (collection === 'map') {
    const map = need(p.map, 'map', spec, source);
    return codec === 'ingress-gateways' ? gateways(map, source, modes) : { ...map };
  }
  const text = need(p.string, 'string', spec, source);
  if (text === '') return undefined;
  if (codec === 'integer') return integer(text, source);
  if (codec === 'boolean') return boolean(text, source);
  return text;
}

function need<T>(value: T | undefined, field: 'string' | 'array' | 'map', spec: ParameterSpec, source: string): T {
  if (value !== undefined) return value;
  throw new MeshplaneError('parameter-invalid', `${source} has no "${field}" value; ${spec.name} is a ${field} parameter`, [], `set it as {"name": "${spec.name}", "${field}": ${example(field)}}`);
}

function example(field: 'string' | 'array' | 'map'): string {
  if (field === 'array') return '["…"]';
  if (field === 'map') return '{"key": "value"}';
  return '"…"';
}

function integer(text: string, source: string): number {
  if (!/^-?[0-9]+$/.test(text.trim())) throw new MeshplaneError('parameter-invalid', `${source} is "${text}", not a whole number`, [], 'write a number such as "3"');
  return Number(text.trim());
}

function boolean(text: string, source: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new MeshplaneError('parameter-invalid', `${source} is "${text}", not true or false`, [], 'write "true" or "false"');
}

/** `{External: "true", internal: "false"}` → `[{mode: External, enabled: true}, …]` in schema order. */
function gateways(map: Record<string, string>, source: string, modes: readonly string[]): Array<{ mode: string; enabled: boolean }> {
  const byMode = new Map<string, boolean>();
  for (const [key, value] of Object.entries(map)) {
    const mode = modes.find((m) => m.toLowerCase() === key.trim().toLowerCase());
    if (!mode) throw new MeshplaneError('parameter-invalid', `${source} names gateway mode "${key}"`, [], `use the modes ${modes.join(', ')} as keys`);
    if (byMode.has(mode)) throw new MeshplaneError('parameter-invalid', `${source} sets gateway mode ${mode} twice`, [], 'keep one key per mode');
    byMode.set(mode, boolean(value, `${source} key ${key}`));
  }
  return modes.filter((m) => byMode.has(m)).map((mode) => ({ mode, enabled: byMode.get(mode) as boolean }));
}
