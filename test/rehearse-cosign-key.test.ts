import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as nacl from 'tweetnacl';
import {
  COSIGN_PRIVATE_KEY_PEM_TYPE,
  CosignKeyError,
  encryptCosignPrivateKey,
  generateCosignKeyPair,
  publicKeyPemOf,
  readCosignPrivateKey,
  SIGSTORE_PRIVATE_KEY_PEM_TYPE,
} from '../src/rehearse/cosign-key';
import { signDsseEnvelope, sshFingerprintSha256 } from '../src/rehearse/dsse-signing';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';

function pemJson(pem: string): any {
  const body = pem
    .split('\n')
    .filter((l) => !l.startsWith('-----'))
    .join('');
  return JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
}

describe('generateCosignKeyPair', () => {
  const pair = generateCosignKeyPair('secret');
  test('writes the encrypted PEM cosign writes: scrypt N=32768 r=8 p=1, nacl/secretbox, PKCS#8 inside', () => {
    expect(pair.privateKeyPem.startsWith(`-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n`)).toBe(true);
    expect(pair.privateKeyPem.trimEnd().endsWith(`-----END ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----`)).toBe(true);
    const json = pemJson(pair.privateKeyPem);
    expect(Object.keys(json)).toEqual(['kdf', 'cipher', 'ciphertext']);
    expect(json.kdf).toMatchObject({ name: 'scrypt', params: { N: 32768, r: 8, p: 1 } });
    expect(Buffer.from(json.kdf.salt, 'base64')).toHaveLength(32);
    expect(json.cipher.name).toBe('nacl/secretbox');
    // decrypt independently: node scrypt + tweetnacl, then parse as PKCS#8
    const key = crypto.scryptSync('secret', Buffer.from(json.kdf.salt, 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 });
    const plain = nacl.secretbox.open(Buffer.from(json.ciphertext, 'base64'), Buffer.from(json.cipher.nonce, 'base64'), key);
    expect(plain).not.toBeNull();
    const privateKey = crypto.createPrivateKey({ key: Buffer.from(plain!), format: 'der', type: 'pkcs8' });
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(publicKeyPemOf(privateKey)).toBe(pair.publicKeyPem);
  });
  test('cosign.pub is an SPKI PUBLIC KEY PEM', () => {
    expect(pair.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(crypto.createPublicKey(pair.publicKeyPem).asymmetricKeyType).toBe('ec');
  });
  test('reads back with the right password only', () => {
    expect(publicKeyPemOf(readCosignPrivateKey(pair.privateKeyPem, 'secret', 'cosign.key'))).toBe(pair.publicKeyPem);
    expect(() => readCosignPrivateKey(pair.privateKeyPem, 'Secret', 'cosign.key')).toThrow(
      new CosignKeyError("cosign.key: wrong password or damaged key (decryption failed); set COSIGN_PASSWORD to the key's password"),
    );
  });
});

describe('readCosignPrivateKey', () => {
  const der = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der' });
  test('accepts the older ENCRYPTED COSIGN PRIVATE KEY type', () => {
    const pem = encryptCosignPrivateKey(der, '').replace(/SIGSTORE/g, 'COSIGN');
    expect(pem).toContain(COSIGN_PRIVATE_KEY_PEM_TYPE);
    expect(readCosignPrivateKey(pem, '', 'k').asymmetricKeyType).toBe('ec');
  });
  test('refuses a plain PKCS#8 PEM, as cosign does ("unsupported pem type")', () => {
    const plain = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => readCosignPrivateKey(plain, '', 'k.pem')).toThrow(/^k\.pem: unsupported pem type "PRIVATE KEY"/);
  });
  test('refuses scrypt parameters that would need more than 256 MiB, without running them', () => {
    const json = pemJson(encryptCosignPrivateKey(der, ''));
    json.kdf.params = { N: 1 << 20, r: 8, p: 1 };
    const body = Buffer.from(JSON.stringify(json)).toString('base64');
    const started = Date.now();
    expect(() =>
      readCosignPrivateKey(
        `-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n${body}\n-----END ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n`,
        '',
        'k',
      ),
    ).toThrow(/are not usable scrypt parameters/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
  test('refuses text without a PEM block, a damaged body and another kdf', () => {
    expect(() => readCosignPrivateKey('hello', '', 'k')).toThrow(/no PEM block found/);
    expect(() =>
      readCosignPrivateKey(
        `-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\nbm90IGpzb24=\n-----END ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n`,
        '',
        'k',
      ),
    ).toThrow(/not the JSON cosign writes/);
    const json = pemJson(encryptCosignPrivateKey(der, ''));
    json.kdf.name = 'pbkdf2';
    const body = Buffer.from(JSON.stringify(json)).toString('base64');
    expect(() =>
      readCosignPrivateKey(
        `-----BEGIN ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n${body}\n-----END ${SIGSTORE_PRIVATE_KEY_PEM_TYPE}-----\n`,
        '',
        'k',
      ),
    ).toThrow(/kdf.name is "pbkdf2", expected "scrypt"/);
  });
});

const dsse = path.resolve(__dirname, '..', '..', 'shared', 'fixtures', 'dsse');
const describeShared = fs.existsSync(dsse) ? describe : describe.skip;
if (!fs.existsSync(dsse)) console.log(`skipping cosign key fixture tests: ${dsse} does not exist`);

describeShared('public cosign key fixtures', () => {
  test('Tekton Chains\' e2e cosign.key opens with password "p" and matches its cosign.pub and fingerprint', () => {
    const key = readCosignPrivateKey(fs.readFileSync(path.join(dsse, 'tektoncd-chains-testdata', 'cosign.key'), 'utf8'), 'p', 'cosign.key');
    expect(publicKeyPemOf(key)).toBe(fs.readFileSync(path.join(dsse, 'tektoncd-chains-testdata', 'cosign.pub'), 'utf8'));
    expect(sshFingerprintSha256(key)).toBe('SHA256:yYS4pD9tqWXZw5+maNJ3gWm9HyoAB0qH0ef0FkIWfYs');
    expect(() =>
      readCosignPrivateKey(fs.readFileSync(path.join(dsse, 'tektoncd-chains-testdata', 'cosign.key'), 'utf8'), 'q', 'cosign.key'),
    ).toThrow(/wrong password/);
  });
  test('cosign\'s keys_test.go keys: both PKCS#8 ones load with "hello", the SEC1 one fails as in cosign', () => {
    for (const file of ['pemsigstorekey.pem', 'pemcosignkey.pem']) {
      expect(
        readCosignPrivateKey(fs.readFileSync(path.join(dsse, 'cosign-keys-test', file), 'utf8'), 'hello', file).asymmetricKeyType,
      ).toBe('ec');
    }
    expect(() =>
      readCosignPrivateKey(
        fs.readFileSync(path.join(dsse, 'cosign-keys-test', 'pemcosigneckey.pem'), 'utf8'),
        'hello',
        'pemcosigneckey.pem',
      ),
    ).toThrow(/^pemcosigneckey\.pem: the decrypted key is not PKCS#8/);
  });
});

describe('signDsseEnvelope', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  test('signs the PAE with ECDSA P-256 SHA-256 in DER; keyid is the SSH fingerprint', () => {
    const envelope = signDsseEnvelope(payload, privateKey);
    expect(Object.keys(envelope)).toEqual(['payloadType', 'payload', 'signatures']);
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(Buffer.from(envelope.payload, 'base64').equals(payload)).toBe(true);
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    expect(sig[0]).toBe(0x30); // ASN.1 SEQUENCE
    expect(crypto.verify('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), publicKey, sig)).toBe(true);
    expect(crypto.verify('sha256', payload, publicKey, sig)).toBe(false);
    expect(envelope.signatures[0].keyid).toBe(sshFingerprintSha256(publicKey));
    expect(envelope.signatures[0].keyid).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
  test('an explicit empty keyid is kept', () => {
    expect(signDsseEnvelope(payload, privateKey, '').signatures[0].keyid).toBe('');
  });
  test('ssh-keygen agrees on the fingerprint', () => {
    const { spawnSync } = require('child_process');
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'fp-'));
    const file = path.join(dir, 'k.pub');
    fs.writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const run = spawnSync('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', file], { encoding: 'utf8' });
    if (run.error) {
      console.log('skipping: ssh-keygen not installed');
      return;
    }
    fs.writeFileSync(file, run.stdout);
    const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' });
    expect(fp.stdout.split(' ')[1]).toBe(sshFingerprintSha256(publicKey));
  });
});
