/**
 * The SHA-256 the on-disk caches name their entries by: over a list of fields, each preceded by
 * its length in bytes, so that no two lists run together into the same text (`["ab", "c"]` and
 * `["a", "bc"]` differ). Used by the evaluations' key (./template-engine.ts `cacheKey`) and the
 * output cache's (./output-cache.ts).
 */
import { createHash } from 'node:crypto';

/** The hex SHA-256 of `fields`, each length-prefixed. */
export function fieldsDigest(fields: readonly string[]): string {
  const h = createHash('sha256');
  for (const field of fields) h.update(`${Buffer.byteLength(field)}:`).update(field);
  return h.digest('hex');
}
