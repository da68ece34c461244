// OMS verification (the library): model_signing's own signatures in ../shared/oms by every
// method, tampered copies of them, and bundles signed here for what upstream has no case of
// (shards, blake2b, symlinks, malformed manifests).
import { createHash, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { keyUsageDigitalSignature } from '../src/verify/oms/certificate-chain';
import { compatPreAuthenticationEncoding, pythonBytesRepr } from '../src/verify/oms/oms-dsse';
import { omsSigstoreVerifier } from '../src/verify/oms/oms-sigstore';
import { serializeModel } from '../src/verify/oms/serialize-model';
import { publicKeyHint, verifyOmsSignature, VerifyOmsOptions } from '../src/verify/oms/verify-oms';
import { Case, cases, OMS, TRUSTED_ROOT, withOms } from './support/oms-cases';

function oneCase(name: string): Case {
  return cases().find((c) => c.case === name)!;
}

/** The verification options of a case, with paths as seen from `base` (the folder paths are relative to). */
function optionsOf(c: Case, base: string, overrides: Partial<VerifyOmsOptions> = {}): VerifyOmsOptions {
  const at = (p: string): string => path.relative(base, path.join(OMS, p)) || '.';
  return {
    modelPath: at(c.model_path),
    signaturePath: at(c.signature),
    cwd: base,
    ...(c.method === 'key' ? { publicKeyPath: path.join(OMS, c.public_key) } : {}),
    ...(c.method === 'certificate' ? { certificateChainPaths: [path.join(OMS, c.certificate_chain)] } : {}),
    ...(c.method === 'sigstore'
      ? { sigstore: omsSigstoreVerifier({ trustedRootPath: TRUSTED_ROOT, identity: c.identity, oidcIssuer: c.oidc_issuer }) }
      : {}),
    ignorePaths: c.ignore_paths === '-' ? [] : [at(c.ignore_paths)],
    ...overrides,
  };
}

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-verify-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A writable copy of a case folder. */
function copyCase(name: string, as = name): string {
  const dir = path.join(work, `${as}-${Math.random().toString(36).slice(2, 8)}`, as);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(path.join(OMS, 'cases', name))) fs.copyFileSync(path.join(OMS, 'cases', name, f), path.join(dir, f));
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  return dir;
}

function copyOptions(c: Case, dir: string, overrides: Partial<VerifyOmsOptions> = {}): VerifyOmsOptions {
  return {
    ...optionsOf(c, OMS),
    modelPath: c.model_path.endsWith('signme-1') ? path.join(dir, 'signme-1') : dir,
    signaturePath: path.join(dir, 'model.sig'),
    ignorePaths: c.ignore_paths === '-' ? [] : [path.join(dir, 'ignore-me')],
    ...overrides,
  };
}

describe("verifyOmsSignature on model_signing's signatures", () => {
  withOms('verifies all 13 cases, with paths relative to the shared folder and to each case folder', async () => {
    for (const c of cases()) {
      for (const base of [OMS, path.join(OMS, 'cases', c.case), work]) {
        const result = await verifyOmsSignature(optionsOf(c, base));
        expect(`${c.case} from ${base}: ${result.reason}`).toBe(
          `${c.case} from ${base}: ${optionsOf(c, base).modelPath} matches its OMS signature (${c.model_path.endsWith('signme-1') ? 1 : 2} resources, ${c.method} method)`,
        );
        expect(result).toMatchObject({ verified: true, format: 'oms', method: c.method, predicateType: c.predicate_type });
        if (c.predicate_type.endsWith('signature/v1.0')) expect(result.rootDigest).toBe(c.expected_digest);
      }
    }
  });

  withOms('reports what it read: the v0.2 signing input, the older key material, the log time', async () => {
    const v020 = await verifyOmsSignature(optionsOf(oneCase('v0.2.0-certificate'), OMS));
    expect(v020).toMatchObject({ verified: true, signingInput: 'v0.2-compat', modelName: 'compat-undefined-not-present' });
    expect(v020.rootDigest).toBeUndefined();
    expect((await verifyOmsSignature(optionsOf(oneCase('v1.0.1-elliptic-key'), OMS))).warnings).toEqual([
      expect.stringMatching(/older verification material format/),
    ]);
    expect((await verifyOmsSignature(optionsOf(oneCase('v1.1.0-elliptic-key'), OMS))).warnings).toEqual([]);
    const sigstore = await verifyOmsSignature(optionsOf(oneCase('v1.1.0-sigstore'), OMS));
    expect(sigstore).toMatchObject({ signedAt: '2025-10-10T02:12:20.000Z', signer: expect.stringContaining('stefanb@us.ibm.com') });
  });

  withOms('fails the v1.0.1 cases without --ignore-paths ignore-me (extra file), passes v1.1.0 (it records it)', async () => {
    for (const name of ['v1.0.1-certificate', 'v1.0.1-elliptic-key', 'v1.0.1-sigstore']) {
      const result = await verifyOmsSignature(optionsOf(oneCase(name), OMS, { ignorePaths: [] }));
      expect(result).toMatchObject({
        verified: false,
        failure: 'rejected',
        reason: 'the model does not match the signature: file "ignore-me" is in the model but not in the signature',
      });
    }
    for (const name of ['v1.1.0-certificate', 'v1.1.0-elliptic-key', 'v1.1.0-sigstore']) {
      expect((await verifyOmsSignature(optionsOf(oneCase(name), OMS, { ignorePaths: [] }))).verified).toBe(true);
    }
  });

  withOms('a case folder renamed still verifies (the name is informative only)', async () => {
    const dir = copyCase('v1.1.0-certificate', 'renamed-model');
    expect((await verifyOmsSignature(copyOptions(oneCase('v1.1.0-certificate'), dir))).verified).toBe(true);
  });
});

describe('verifyOmsSignature on tampered copies', () => {
  const methods = ['v1.1.0-elliptic-key', 'v1.0.0-certificate', 'v1.0.1-sigstore', 'v0.2.0-certificate'];

  withOms('a changed byte names the file', async () => {
    for (const name of methods) {
      const dir = copyCase(name);
      fs.writeFileSync(path.join(dir, 'signme-2'), 'signme-3');
      const result = await verifyOmsSignature(copyOptions(oneCase(name), dir));
      expect(`${name}: ${result.reason}`).toMatch(
        new RegExp(
          `^${name}: the model does not match the signature: file "signme-2" has changed \\(signed sha256:32dcb1f8e1ae52d5\\.\\.\\., found sha256:[0-9a-f]{16}\\.\\.\\.\\)$`,
        ),
      );
      expect(result.failure).toBe('rejected');
    }
  });

  withOms('an added file and a removed file are named', async () => {
    for (const name of methods) {
      const added = copyCase(name);
      fs.writeFileSync(path.join(added, 'backdoor.py'), 'import os');
      expect((await verifyOmsSignature(copyOptions(oneCase(name), added))).reason).toBe(
        'the model does not match the signature: file "backdoor.py" is in the model but not in the signature',
      );
      const removed = copyCase(name);
      fs.rmSync(path.join(removed, 'signme-1'));
      expect((await verifyOmsSignature(copyOptions(oneCase(name), removed))).reason).toBe(
        'the model does not match the signature: file "signme-1" is signed but missing from the model',
      );
    }
  });

  withOms('a single-file model with a changed byte fails', async () => {
    const dir = copyCase('v1.0.0-elliptic-key');
    fs.appendFileSync(path.join(dir, 'signme-1'), 'x');
    expect((await verifyOmsSignature(copyOptions(oneCase('v1.0.0-elliptic-key'), dir))).reason).toMatch(
      /^the model does not match the signature: file "\." has changed/,
    );
  });

  withOms('another key fails: by its hint (v1.1) or by the signature (before)', async () => {
    const other = path.join(work, 'other.pub');
    fs.writeFileSync(other, generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }));
    const hinted = await verifyOmsSignature(optionsOf(oneCase('v1.1.0-elliptic-key'), OMS, { publicKeyPath: other }));
    expect(hinted).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(/^the signature names another key \(hint e8450dec4eb99dae/),
    });
    const older = await verifyOmsSignature(optionsOf(oneCase('v1.0.1-elliptic-key'), OMS, { publicKeyPath: other }));
    expect(older).toMatchObject({ verified: false, failure: 'rejected', reason: `the signature does not verify with key ${other}` });
  });

  withOms("the key method also checks a certificate bundle with the certificate's key (as upstream's own test does)", async () => {
    const c = oneCase('v1.0.0-certificate');
    expect(
      (
        await verifyOmsSignature(
          optionsOf(c, OMS, { certificateChainPaths: undefined, publicKeyPath: path.join(OMS, 'keys/certificate/signing-key-pub.pem') }),
        )
      ).verified,
    ).toBe(true);
  });

  withOms('another identity or issuer fails; the time comes from the log, not the clock', async () => {
    const c = oneCase('v1.0.0-sigstore');
    const other = await verifyOmsSignature(
      optionsOf(c, OMS, {
        sigstore: omsSigstoreVerifier({ trustedRootPath: TRUSTED_ROOT, identity: 'mallory@example.com', oidcIssuer: c.oidc_issuer }),
      }),
    );
    expect(other).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(/certificate identity error - expected mallory@example.com, got stefanb@us.ibm.com/),
    });
    const issuer = await verifyOmsSignature(
      optionsOf(c, OMS, {
        sigstore: omsSigstoreVerifier({ trustedRootPath: TRUSTED_ROOT, identity: c.identity, oidcIssuer: 'https://accounts.google.com' }),
      }),
    );
    expect(issuer).toMatchObject({ verified: false, failure: 'rejected' });
  });

  withOms('a certificate chain that reaches no given self-signed CA fails', async () => {
    const c = oneCase('v1.1.0-certificate');
    const intermediateOnly = await verifyOmsSignature(
      optionsOf(c, OMS, { certificateChainPaths: [path.join(OMS, 'keys/certificate/int-ca-cert.pem')] }),
    );
    expect(intermediateOnly).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(
        /^the certificate chain does not reach a given CA: nothing given or in the bundle issued "CN=intermediate-ca" \(issuer "CN=root-ca"\)/,
      ),
    });
    const trustedRootCa = path.join(work, 'fulcio.pem');
    const fulcio = JSON.parse(fs.readFileSync(TRUSTED_ROOT, 'utf8'))
      .certificateAuthorities[1].certChain.certificates.map(
        (x: { rawBytes: string }) => `-----BEGIN CERTIFICATE-----\n${x.rawBytes}\n-----END CERTIFICATE-----\n`,
      )
      .join('');
    fs.writeFileSync(trustedRootCa, fulcio);
    expect((await verifyOmsSignature(optionsOf(c, OMS, { certificateChainPaths: [trustedRootCa] }))).reason).toMatch(
      /^the certificate chain does not reach a given CA/,
    );
  });

  withOms('a changed signature byte, a key bundle read as a certificate, a bundle for another method fail in one line', async () => {
    const dir = copyCase('v1.0.0-certificate');
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'model.sig'), 'utf8'));
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 2] ^= 1;
    bundle.dsseEnvelope.signatures[0].sig = sig.toString('base64');
    fs.writeFileSync(path.join(dir, 'model.sig'), JSON.stringify(bundle));
    expect((await verifyOmsSignature(copyOptions(oneCase('v1.0.0-certificate'), dir))).reason).toMatch(
      /^the signature does not verify with certificate "CN=intermediate-ca" <- "CN=intermediate-ca" <- "CN=root-ca"$/,
    );
    const keyCase = oneCase('v1.1.0-elliptic-key');
    expect(
      (
        await verifyOmsSignature(
          optionsOf(keyCase, OMS, { publicKeyPath: undefined, certificateChainPaths: [path.join(OMS, 'keys/certificate/ca-cert.pem')] }),
        )
      ).reason,
    ).toBe('the bundle carries no certificate chain (its verification material is publicKey); use the method that signed it');
    const sigstoreAsKey = await verifyOmsSignature(
      optionsOf(oneCase('v1.1.0-sigstore'), OMS, {
        sigstore: undefined,
        publicKeyPath: path.join(OMS, 'keys/certificate/signing-key-pub.pem'),
      }),
    );
    expect(sigstoreAsKey).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(/^the signature does not verify with key/),
    });
  });

  withOms('a missing model or signature is unreadable, not rejected; no method is bad usage', async () => {
    const c = oneCase('v1.1.0-elliptic-key');
    expect(await verifyOmsSignature(optionsOf(c, OMS, { modelPath: path.join(work, 'absent') }))).toMatchObject({
      verified: false,
      failure: 'unreadable',
      reason: expect.stringMatching(/absent: no such file$/),
    });
    expect(await verifyOmsSignature(optionsOf(c, OMS, { signaturePath: path.join(work, 'absent.sig') }))).toMatchObject({
      failure: 'unreadable',
    });
    expect(await verifyOmsSignature(optionsOf(c, OMS, { publicKeyPath: undefined }))).toMatchObject({ failure: 'usage' });
  });
});

// ---- bundles signed here -------------------------------------------------------------------

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function signBundle(statement: unknown, key: KeyObject = keys.privateKey, publicKey: KeyObject = keys.publicKey): string {
  const payload = Buffer.from(JSON.stringify(statement, null, 2));
  const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), { key, dsaEncoding: 'der' });
  return JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: publicKeyHint(publicKey) }, tlogEntries: [] },
    dsseEnvelope: {
      payload: payload.toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: sig.toString('base64'), keyid: '' }],
    },
  });
}

async function statementFor(
  model: string,
  serialization: Record<string, unknown>,
  options: Parameters<typeof serializeModel>[1] = {},
): Promise<Record<string, any>> {
  const serialized = await serializeModel(model, options);
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: serialized.name, digest: { sha256: serialized.rootDigest } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: {
      serialization,
      resources: serialized.resources.map((r) => ({
        name: r.start === undefined ? r.path : `${r.path}:${r.start}:${r.end}`,
        algorithm: r.algorithm,
        digest: r.digest,
      })),
    },
  };
}

function model(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [f, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), content);
  }
  return dir;
}

async function verifyOwn(
  dir: string,
  statement: unknown,
  extra: Partial<VerifyOmsOptions> = {},
): Promise<ReturnType<typeof verifyOmsSignature>> {
  const signature = path.join(work, `${path.basename(dir)}.sig`);
  fs.writeFileSync(signature, signBundle(statement));
  const pub = path.join(work, 'own.pub');
  fs.writeFileSync(pub, keys.publicKey.export({ type: 'spki', format: 'pem' }));
  return verifyOmsSignature({ modelPath: dir, signaturePath: signature, publicKeyPath: pub, ...extra });
}

describe('verifyOmsSignature on bundles signed here', () => {
  it('verifies shards with the recorded shard size (written as a float) and names the changed shard', async () => {
    const dir = model('sharded', { 'weights.bin': 'abcdefghijklmnopqrstuvwxyz', empty: '' });
    const statement = await statementFor(
      dir,
      { method: 'shards', hash_type: 'sha256', shard_size: 8.0, allow_symlinks: false },
      { method: 'shards', shardSize: 8 },
    );
    expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toEqual([
      'weights.bin:0:8',
      'weights.bin:8:16',
      'weights.bin:16:24',
      'weights.bin:24:26',
    ]);
    expect(await verifyOwn(dir, statement)).toMatchObject({
      verified: true,
      resources: 4,
      serialization: { method: 'shards', shardSize: 8 },
    });
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'abcdefghijklmnopqrstuvwxyZ');
    expect((await verifyOwn(dir, statement)).reason).toMatch(
      /^the model does not match the signature: file "weights.bin" bytes 24\.\.26 has changed/,
    );
  });

  it('verifies blake2b and blake3, and names a blake3 file that changed', async () => {
    const dir = model('blake', { a: 'a', 'b/c': 'c' });
    expect(
      (
        await verifyOwn(
          dir,
          await statementFor(dir, { method: 'files', hash_type: 'blake2b', allow_symlinks: false }, { hashType: 'blake2b' }),
        )
      ).verified,
    ).toBe(true);
    const blake3 = await statementFor(dir, { method: 'files', hash_type: 'blake3', allow_symlinks: false }, { hashType: 'blake3' });
    expect(await verifyOwn(dir, blake3)).toMatchObject({ verified: true, serialization: { hashType: 'blake3' } });
    fs.writeFileSync(path.join(dir, 'a'), 'A');
    expect((await verifyOwn(dir, blake3)).reason).toMatch(/^the model does not match the signature: file "a" has changed \(signed blake3:/);
  });

  it('refuses a symlink unless the signature allows symlinks', async () => {
    const dir = model('linked', { 'real.bin': 'real' });
    fs.symlinkSync('real.bin', path.join(dir, 'alias.bin'));
    const allowed = await statementFor(dir, { method: 'files', hash_type: 'sha256', allow_symlinks: true }, { allowSymlinks: true });
    expect((await verifyOwn(dir, allowed)).verified).toBe(true);
    const refused = {
      ...allowed,
      predicate: { ...allowed.predicate, serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false } },
    };
    expect(await verifyOwn(dir, refused)).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(/alias\.bin is a symbolic link/),
    });
  });

  it('refuses a file whose name is not UTF-8, which used to pass unread beside the file its lossy name names', async () => {
    const dir = model('lossy', { 'w\uFFFD': 'good' });
    const statement = await statementFor(dir, { method: 'files', hash_type: 'sha256', allow_symlinks: false });
    expect((await verifyOwn(dir, statement)).verified).toBe(true);
    try {
      fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'w')), Buffer.from([0xff])]), 'EVIL');
    } catch {
      return; // a file system that refuses such names
    }
    expect(await verifyOwn(dir, statement)).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: expect.stringMatching(/w\uFFFD has a name that is not UTF-8/),
    });
  });

  it('refuses an inconsistent manifest, a resource listed twice, a path out of the model', async () => {
    const dir = model('malformed', { a: 'a', b: 'b' });
    const good = await statementFor(dir, { method: 'files', hash_type: 'sha256', allow_symlinks: false });
    const inconsistent = JSON.parse(JSON.stringify(good));
    inconsistent.subject[0].digest.sha256 = createHash('sha256').update('x').digest('hex');
    expect((await verifyOwn(dir, inconsistent)).reason).toMatch(/^manifest is inconsistent: the subject's root digest is 2d711642/);
    const twice = JSON.parse(JSON.stringify(good));
    twice.predicate.resources[1].name = 'a';
    expect((await verifyOwn(dir, twice)).reason).toBe('statement lists resource "a" twice');
    const outside = JSON.parse(JSON.stringify(good));
    outside.predicate.resources[1].name = '../b';
    expect((await verifyOwn(dir, outside)).reason).toBe(
      'statement predicate.resources[1].name "../b" is not a relative path inside the model',
    );
    const wrongAlgorithm = JSON.parse(JSON.stringify(good));
    wrongAlgorithm.predicate.resources[0].algorithm = 'sha512';
    expect((await verifyOwn(dir, wrongAlgorithm)).reason).toBe(
      'statement predicate.resources[0].algorithm is "sha512" (the serialization gives "sha256")',
    );
    const slsa = { ...good, predicateType: 'https://slsa.dev/provenance/v1' };
    expect((await verifyOwn(dir, slsa)).reason).toMatch(/^statement predicateType is "https:\/\/slsa.dev\/provenance\/v1" \(OMS:/);
  });

  it('leaves the recorded ignore paths out, and only those inside the model', async () => {
    const dir = model('recorded', { a: 'a', 'logs/run.txt': 'noise', 'notes.md': 'n' });
    const statement = await statementFor(
      dir,
      { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['logs', 'notes.md', '../outside', '/etc'] },
      { ignorePaths: ['logs', 'notes.md'] },
    );
    expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toEqual(['a']);
    expect((await verifyOwn(dir, statement)).verified).toBe(true);
    fs.writeFileSync(path.join(dir, 'b'), 'b');
    expect((await verifyOwn(dir, statement)).reason).toBe(
      'the model does not match the signature: file "b" is in the model but not in the signature',
    );
  });

  it('leaves the signature out when it lies inside the model, and lists many differences with a count', async () => {
    const dir = model('inside', { a: 'a' });
    const statement = await statementFor(dir, { method: 'files', hash_type: 'sha256', allow_symlinks: false });
    fs.writeFileSync(path.join(dir, 'model.sig'), signBundle(statement));
    const pub = path.join(work, 'own.pub');
    fs.writeFileSync(pub, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await verifyOmsSignature({ modelPath: dir, signaturePath: path.join(dir, 'model.sig'), publicKeyPath: pub })).verified).toBe(
      true,
    );
    for (const f of ['b', 'c', 'd', 'e']) fs.writeFileSync(path.join(dir, f), f);
    expect((await verifyOmsSignature({ modelPath: dir, signaturePath: path.join(dir, 'model.sig'), publicKeyPath: pub })).reason).toBe(
      'the model does not match the signature: file "b" is in the model but not in the signature; file "c" is in the model but not in the signature; file "d" is in the model but not in the signature; and 1 more differences',
    );
  });
});

describe("model_signing v0.2's signing input", () => {
  it('is Python\'s repr of the payload bytes after "DSSEV1"', () => {
    expect(pythonBytesRepr(Buffer.from('{"a": 1}\n\t\r\\'))).toBe('b\'{"a": 1}\\n\\t\\r\\\\\'');
    expect(pythonBytesRepr(Buffer.from("it's"))).toBe('b"it\'s"');
    expect(pythonBytesRepr(Buffer.from('it\'s "x"'))).toBe("b'it\\'s \"x\"'");
    expect(pythonBytesRepr(Buffer.from([0x00, 0x7f, 0xc3, 0xa9]))).toBe("b'\\x00\\x7f\\xc3\\xa9'");
    expect(compatPreAuthenticationEncoding(Buffer.from('{}')).toString()).toBe("DSSEV1 28 application/vnd.in-toto+json 2 b'{}'");
  });
});

describe('keyUsageDigitalSignature', () => {
  withOms('reads the KeyUsage bit of the test signing certificate, and nothing from a certificate without one', () => {
    const pem = fs.readFileSync(path.join(OMS, 'keys/certificate/signing-key-cert.pem'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(keyUsageDigitalSignature(der)).toBe(true);
    expect(keyUsageDigitalSignature(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeUndefined();
  });
});
