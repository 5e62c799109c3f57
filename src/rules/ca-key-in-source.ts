/**
 * ca-key-in-source: a Secret or ConfigMap in the source holding a private key in plain text
 * (base64 is not encryption). Detection looks at content, never at a prefix: every string in
 * the object's data fields (however they are nested) is read as written and base64-decoded, and
 * only a value that parses as a whole SOPS envelope whose ciphertext is not itself a PEM key
 * counts as encrypted.
 */
import type { KubeObject, LocatedObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { field } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/**
 * The PEM header of every private-key block (PKCS#1 RSA, EC, PKCS#8, encrypted PKCS#8, OpenSSH),
 * case-insensitive and with any run of blanks: OpenSSL's PEM reader (crypto/pem/pem_lib.c) is
 * what decides, and a reviewer should not rely on exact spelling to hide a key.
 */
const PEM_PRIVATE_KEY = /-----\s*BEGIN[\s\w]*PRIVATE\s+KEY\s*-----/i;
/** Key names of Istio's plug-in CA layout (cacerts) that hold a private key. */
const KEY_FILE_NAMES = ['ca-key.pem', 'key.pem', 'tls.key'];
/**
 * A whole SOPS value: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]` as getsops/sops
 * aes/cipher.go (v3.9.0) writes it, with standard base64 parts, a 32-byte iv (nonceSize) and a
 * 16-byte GCM tag. Why so strict: a value that merely starts with `ENC[` is plain text.
 */
const SOPS_ENVELOPE = /^ENC\[AES256_GCM,data:([A-Za-z0-9+/]*={0,2}),iv:([A-Za-z0-9+/]+={0,2}),tag:([A-Za-z0-9+/]+={0,2}),type:(str|int|float|bool|bytes|comment)\]$/;
const SOPS_IV_BYTES = 32;
const SOPS_TAG_BYTES = 16;

/** The data fields of each kind. Why these: they are where each kind keeps its payload. */
const DATA_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Secret: ['data', 'stringData'],
  ConfigMap: ['data', 'binaryData'],
};

/** The decoded `data:` part of a value shaped like a SOPS envelope (undefined for any other value). */
function sopsData(value: string): string | undefined {
  const m = SOPS_ENVELOPE.exec(value.trim());
  return m ? Buffer.from(m[1] ?? '', 'base64').toString('latin1') : undefined;
}

/** True when `value` is a well-formed SOPS envelope whose ciphertext is not a readable key. */
export function isSopsEncrypted(value: string): boolean {
  const m = SOPS_ENVELOPE.exec(value.trim());
  if (!m) return false;
  const [, , iv = '', tag = ''] = m;
  if (Buffer.from(iv, 'base64').length !== SOPS_IV_BYTES || Buffer.from(tag, 'base64').length !== SOPS_TAG_BYTES) return false;
  return !PEM_PRIVATE_KEY.test(sopsData(value) ?? '');
}

/** The readings of a string: as written, base64-decoded, and the data of a SOPS-shaped envelope. */
function readings(value: string): string[] {
  const out = [value];
  const compact = value.replace(/\s+/g, '');
  if (compact !== '' && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) out.push(Buffer.from(compact, 'base64').toString('latin1'));
  const data = sopsData(value);
  if (data !== undefined) out.push(data);
  return out;
}

/** True when `value` (or its base64 decoding) holds a PEM private key outside a SOPS envelope. */
export function holdsPrivateKey(value: string): boolean {
  if (isSopsEncrypted(value)) return false;
  return readings(value).some((text) => PEM_PRIVATE_KEY.test(text));
}

/** Every string leaf under `value`, with its path (map keys sorted, so the first hit is stable). */
function* strings(value: unknown, path: FieldPath): Generator<{ path: FieldPath; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], [...path, i]);
  else if (value && typeof value === 'object') for (const key of Object.keys(value).sort()) yield* strings((value as Record<string, unknown>)[key], [...path, key]);
}

/** True for a key-file entry (`ca-key.pem`, ...) that holds something other than a SOPS envelope. */
function plainKeyFile(path: FieldPath, text: string): boolean {
  const name = path[path.length - 1];
  return typeof name === 'string' && KEY_FILE_NAMES.includes(name) && text.trim() !== '' && !isSopsEncrypted(text);
}

/** The first data entry that holds a private key in plain text, with its path. */
export function plainPrivateKey(o: LocatedObject | { object: KubeObject }): { key: string; path: FieldPath } | undefined {
  for (const name of DATA_FIELDS[o.object.kind] ?? []) {
    for (const leaf of strings(field(o.object, [name]), [name])) {
      if (holdsPrivateKey(leaf.text) || plainKeyFile(leaf.path, leaf.text)) return { key: leaf.path.slice(1).join('.') || name, path: leaf.path };
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
        out.push(objectViolation(this, ctx, o, { path: hit.path, message: `${o.object.kind} holds a private key in plain text under "${hit.key}": anyone who can read the repository can sign mesh certificates`, remediation: 'delete the key from the repository (and its history), rotate it, and deliver it from Azure Key Vault: spec.istio.certificateAuthority.plugin (a SOPS-encrypted value passes only as a whole ENC[AES256_GCM,...] envelope)' }));
      }
    }
    return out;
  },
};
