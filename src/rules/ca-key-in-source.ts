/** ca-key-in-source: a Secret or ConfigMap in the source holding a private key in plain text (base64 is not encryption). */
import type { LocatedObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { field } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The PEM header of every private-key block (PKCS#1 RSA, EC, PKCS#8, encrypted PKCS#8, OpenSSH). */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
/** Key names of Istio's plug-in CA layout (cacerts) that hold a private key. */
const KEY_FILE_NAMES = ['ca-key.pem', 'key.pem', 'tls.key'];
/** Values written by SOPS (`ENC[...]`) are encrypted, not plain text. */
const SOPS_VALUE = /^ENC\[/;

/** The data maps of each kind, and whether their values are base64. */
const DATA_FIELDS: Readonly<Record<string, Array<{ field: string; base64: boolean }>>> = {
  Secret: [{ field: 'data', base64: true }, { field: 'stringData', base64: false }],
  ConfigMap: [{ field: 'data', base64: false }, { field: 'binaryData', base64: true }],
};

function decode(value: string, base64: boolean): string {
  if (!base64) return value;
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return '';
  }
}

/** The first data key that holds a private key in plain text, with its path. */
export function plainPrivateKey(o: LocatedObject): { key: string; path: FieldPath } | undefined {
  for (const { field: name, base64 } of DATA_FIELDS[o.object.kind] ?? []) {
    const map = field(o.object, [name]);
    if (!map || typeof map !== 'object') continue;
    for (const key of Object.keys(map).sort()) {
      const raw = (map as Record<string, unknown>)[key];
      if (typeof raw !== 'string' || SOPS_VALUE.test(raw)) continue;
      const text = decode(raw, base64);
      if (PEM_PRIVATE_KEY.test(text) || (KEY_FILE_NAMES.includes(key) && text.trim() !== '')) return { key, path: [name, key] };
    }
  }
  return undefined;
}

/** The ca-key-in-source rule. */
export const caKeyInSourceRule: Rule = {
  id: 'ca-key-in-source',
  severity: 'error',
  description: 'no Secret or ConfigMap in the source holds a private key (PEM, or a ca-key.pem/key.pem/tls.key entry) in plain or base64 text',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      if (o.origin.kind !== 'source' || o.object.apiVersion !== 'v1') continue;
      const hit = plainPrivateKey(o);
      if (hit) {
        out.push(objectViolation(this, ctx, o, { path: hit.path, message: `${o.object.kind} holds a private key in plain text under "${hit.key}": anyone who can read the repository can sign mesh certificates`, remediation: 'delete the key from the repository (and its history), rotate it, and deliver it from Azure Key Vault: spec.istio.certificateAuthority.plugin' }));
      }
    }
    return out;
  },
};
