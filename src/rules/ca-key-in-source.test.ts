import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { holdsPrivateKey, isSopsEncrypted, plainPrivateKey } from './ca-key-in-source.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n';
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
/** A SOPS value shaped as getsops/sops aes/cipher.go writes it (bytes here are fixed, not random). */
const sops = (data: Buffer | string, iv = Buffer.alloc(32, 7), tag = Buffer.alloc(16, 9)): string => `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(tag)},type:str]`;
const CIPHERTEXT = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 73 + 11) % 256));

const obj = (kind: string, fields: Record<string, unknown>): { object: KubeObject } => ({ object: { apiVersion: 'v1', kind, metadata: { name: 'x', namespace: 'n' }, ...fields } });

describe('ca-key-in-source content detection', () => {
  const cases: Array<{ name: string; o: { object: KubeObject }; hit?: Array<string | number> }> = [
    { name: 'a PEM key in stringData', o: obj('Secret', { stringData: { 'ca-cert.pem': PEM } }), hit: ['stringData', 'ca-cert.pem'] },
    { name: 'a PEM key behind an ENC[ prefix', o: obj('Secret', { stringData: { extra: `ENC[${PEM}]` } }), hit: ['stringData', 'extra'] },
    { name: 'a base64 PEM key behind an ENC[ prefix in data', o: obj('Secret', { data: { extra: b64(`ENC[x] ${PEM}`) } }), hit: ['data', 'extra'] },
    { name: 'a PEM key posing as SOPS ciphertext', o: obj('Secret', { stringData: { blob: sops(PEM) } }), hit: ['stringData', 'blob'] },
    { name: 'a PEM key posing as SOPS ciphertext, with blanks around the envelope', o: obj('Secret', { stringData: { blob: ` ${sops(PEM)}\n` } }), hit: ['stringData', 'blob'] },
    { name: 'a key file whose value only starts with ENC[', o: obj('Secret', { stringData: { 'ca-key.pem': 'ENC[not really]' } }), hit: ['stringData', 'ca-key.pem'] },
    { name: 'a key file whose SOPS envelope follows other text', o: obj('Secret', { stringData: { 'ca-key.pem': `raw ${sops(CIPHERTEXT)}` } }), hit: ['stringData', 'ca-key.pem'] },
    { name: 'a scalar stringData holding a key', o: obj('Secret', { stringData: PEM }), hit: ['stringData'] },
    { name: 'a key nested under a map value', o: obj('ConfigMap', { data: { nested: { deeper: [PEM] } } }), hit: ['data', 'nested', 'deeper', 0] },
    { name: 'a lower-case, spaced header', o: obj('ConfigMap', { data: { k: '----- begin  ec private key -----\nAAA' } }), hit: ['data', 'k'] },
    { name: 'a header with a run of blanks before KEY', o: obj('ConfigMap', { data: { k: '-----BEGIN PRIVATE \t KEY-----\nAAA' } }), hit: ['data', 'k'] },
    { name: 'a base64 key in binaryData', o: obj('ConfigMap', { binaryData: { k: b64(PEM) } }), hit: ['binaryData', 'k'] },
    { name: 'a SOPS-encrypted key file', o: obj('Secret', { stringData: { 'ca-key.pem': sops(CIPHERTEXT) } }) },
    { name: 'certificates only', o: obj('Secret', { stringData: { 'ca-cert.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } }) },
    { name: 'an empty key file', o: obj('Secret', { stringData: { 'tls.key': '' } }) },
    { name: 'another kind', o: obj('Service', { spec: { x: PEM } }) },
  ];
  for (const c of cases) {
    it(`${c.hit ? 'finds' : 'passes'} ${c.name}`, () => {
      assert.deepEqual(plainPrivateKey(c.o)?.path, c.hit);
    });
  }

  it('takes as SOPS only a whole envelope with a 32-byte iv and a 16-byte tag', () => {
    assert.equal(isSopsEncrypted(sops(CIPHERTEXT)), true);
    assert.equal(isSopsEncrypted(sops(CIPHERTEXT, Buffer.alloc(12))), false, 'short iv');
    assert.equal(isSopsEncrypted(sops(CIPHERTEXT, undefined, Buffer.alloc(4))), false, 'short tag');
    assert.equal(isSopsEncrypted(`${sops(CIPHERTEXT)} trailing`), false);
    assert.equal(isSopsEncrypted(`leading ${sops(CIPHERTEXT)}`), false);
    assert.equal(isSopsEncrypted(`  ${sops(CIPHERTEXT)}\n`), true, 'blanks around the envelope are not part of the value');
    assert.equal(isSopsEncrypted(sops(CIPHERTEXT).replace('type:str', 'type:pem')), false);
    assert.equal(holdsPrivateKey(sops(CIPHERTEXT)), false);
  });
});
