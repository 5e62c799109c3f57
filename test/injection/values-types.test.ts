/**
 * The injector values against the types istiod parses them into (catalog/injection-contract.yaml
 * `values`, written down from values_types.proto at each minor's .0 tag and again at the patch tag it renders). istiod rejects the
 * whole injector config when a known key has the wrong JSON type; a key the contract does not
 * list at all fails here too, so every rendered key has been looked up upstream.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadContract, renderInjector } from './harness.js';

/** True when a JSON value can be parsed as the protobuf type (protojson rules). */
export function fitsProtoType(type: string, value: unknown): boolean {
  if (type === 'absent' || type === 'google.protobuf.Value') return true;
  if (type.startsWith('repeated ')) return Array.isArray(value) && value.every((v) => fitsProtoType(type.slice('repeated '.length), v));
  if (type === 'string') return typeof value === 'string';
  if (type === 'google.protobuf.BoolValue' || type === 'bool') return typeof value === 'boolean';
  if (type === 'uint32') return Number.isInteger(value) && (value as number) >= 0;
  if (type === 'int32' || type === 'google.protobuf.Int32Value') return Number.isInteger(value);
  // Messages, maps and Struct are JSON objects.
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function leaves(v: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(v).flatMap(([k, val]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const here: Array<[string, unknown]> = [[path, val]];
    return val && typeof val === 'object' && !Array.isArray(val) && Object.keys(val).length && !path.endsWith('.lifecycle') && !/\.(requests|limits|token|templates|injectedAnnotations)$/.test(path)
      ? [...here, ...leaves(val as Record<string, unknown>, path)]
      : here;
  });
}

describe('injector values fit istiod\'s Values type of each minor', { timeout: 600_000 }, () => {
  it('the type check itself tells types apart', () => {
    const table: Array<[string, unknown, boolean]> = [
      ['string', 'x', true], ['string', 1, false], ['uint32', 15020, true], ['uint32', '15020', false], ['uint32', -1, false],
      ['google.protobuf.BoolValue', false, true], ['google.protobuf.BoolValue', 'false', false], ['repeated string', ['a'], true],
      ['repeated string', 'a', false], ['GlobalConfig', {}, true], ['GlobalConfig', [], false], ['absent', 'anything', true],
    ];
    for (const [type, value, fits] of table) assert.equal(fitsProtoType(type, value), fits, `${type} ${JSON.stringify(value)}`);
  });

  for (const rev of loadCatalog().revisions) {
    it(rev.name, async () => {
      const contract = loadContract();
      const inj = await renderInjector(rev.name);
      const typeAt = (path: string): string | undefined => contract.values[path]?.find(([from, to]) => inj.minor >= from && inj.minor <= to)?.[2];
      for (const [path, value] of leaves(inj.values)) {
        // Below a key istiod's type lacks, nothing is parsed into the type.
        const parts = path.split('.');
        if (parts.slice(1).some((_, i) => typeAt(parts.slice(0, i + 1).join('.')) === 'absent')) continue;
        const eras = contract.values[path];
        assert.ok(eras, `values key ${path} is not in catalog/injection-contract.yaml; look up its type in values_types.proto`);
        const era = eras.find(([from, to]) => inj.minor >= from && inj.minor <= to);
        assert.ok(era, `values key ${path} has no type for Istio 1.${inj.minor}`);
        assert.ok(fitsProtoType(era[2], value), `${rev.name}: values ${path} = ${JSON.stringify(value)} does not fit ${era[2]}`);
      }
    });
  }
});
