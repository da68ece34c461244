// verifyModelAttestation with keys and envelopes generated here: every way an attestation can fail.
import { createHash, generateKeyPairSync, KeyObject, sign as cryptoSign, constants } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { verifyModelAttestation as verifyWithLogCheck, VerifyModelAttestationOptions } from '../src/verify/verify-model-attestation';

// These cases predate the transparency-log check (now on by default) and judge everything else:
// they run as with --insecure-ignore-tlog. The log check has its own tests (verify-sigstore-*.test.ts).
const verifyModelAttestation = (options: Parameters<typeof verifyWithLogCheck>[0]) =>
  verifyWithLogCheck({ insecureIgnoreTlog: true, ...options });

const IN_TOTO = 'application/vnd.in-toto+json';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const UID = '9c5a0a9c-8b3e-4f0a-9d51-2b0cfe8e1f11';

type SignOptions = { payloadType?: string; dsaEncoding?: 'der' | 'ieee-p1363'; hash?: string | null; padding?: number; keyid?: string };

/** Signs `payload` as a DSSE envelope with `privateKey` (the way Chains and cosign do, over PAE). */
function signEnvelope(
  payload: Buffer | string,
  privateKey: KeyObject,
  options: SignOptions = {},
): { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] } {
  const payloadType = options.payloadType ?? IN_TOTO;
  const bytes = Buffer.from(payload);
  const pae = preAuthenticationEncoding(payloadType, bytes);
  const hash = options.hash === undefined ? (privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256') : options.hash;
  const sig = cryptoSign(hash, pae, {
    key: privateKey,
    ...(options.dsaEncoding ? { dsaEncoding: options.dsaEncoding } : {}),
    ...(options.padding !== undefined ? { padding: options.padding, saltLength: 32 } : {}),
  });
  return { payloadType, payload: bytes.toString('base64'), signatures: [{ keyid: options.keyid ?? '', sig: sig.toString('base64') }] };
}

/** An in-toto v1 statement with SLSA v1 provenance shaped as Tekton Chains slsa/v2alpha4 writes it for a PipelineRun. */
function chainsStatement(sha256: string): Record<string, any> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model.pth', digest: { sha256 } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://tekton.dev/chains/v2/slsa',
        externalParameters: {
          runSpec: {
            pipelineRef: { name: 'slsa-for-models' },
            params: [
              { name: 'model-name', value: 'pytorch_model' },
              { name: 'model-source', value: { url: 'https://github.com/acme/model', revision: 'main' } },
              { name: 'tool-versions', value: ['python=3.11', 'torch=2.3'] },
              { name: 'epochs', value: '3' },
            ],
            taskRunTemplate: { serviceAccountName: 'default' },
          },
        },
        internalParameters: {},
        resolvedDependencies: [
          { uri: 'oci://docker.io/library/python', digest: { sha256: 'b'.repeat(64) } },
          { uri: 'git+https://github.com/acme/model.git@refs/heads/main', digest: { sha1: COMMIT }, name: 'inputs/result' },
        ],
      },
      runDetails: {
        builder: { id: 'https://tekton.dev/chains/v2' },
        metadata: { invocationId: UID, startedOn: '2026-11-20T10:00:00Z', finishedOn: '2026-11-20T10:42:00Z' },
      },
    },
  };
}

let work: string;
let model: string;
let modelSha256: string;
let p256: { publicKey: KeyObject; privateKey: KeyObject };
let otherP256: { publicKey: KeyObject; privateKey: KeyObject };
let keyFile: string;
let otherKeyFile: string;

function write(name: string, content: string | Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

function pem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-model-'));
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  model = write('model.pth', bytes);
  modelSha256 = createHash('sha256').update(bytes).digest('hex');
  p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  otherP256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  keyFile = write('cosign.pub', pem(p256.publicKey));
  otherKeyFile = write('other.pub', pem(otherP256.publicKey));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function envelopeFile(name: string, envelope: unknown): string {
  return write(name, JSON.stringify(envelope));
}

async function verifyWith(overrides: Partial<VerifyModelAttestationOptions>, statement: unknown = chainsStatement(modelSha256)) {
  const signaturePath =
    overrides.signaturePath ?? envelopeFile(`env-${Math.random()}.json`, signEnvelope(JSON.stringify(statement), p256.privateKey));
  return verifyModelAttestation({ key: keyFile, modelPath: model, ...overrides, signaturePath } as VerifyModelAttestationOptions);
}

describe('verifyModelAttestation: a Chains-shaped SLSA v1 attestation', () => {
  test('verifies, and reports the facts a deploy gate needs', async () => {
    const result = await verifyWith({});
    expect(result).toMatchObject({
      verified: true,
      modelSha256,
      attestation: {
        predicateType: 'https://slsa.dev/provenance/v1',
        statementType: 'https://in-toto.io/Statement/v1',
        subjects: [{ name: 'model.pth', sha256: modelSha256 }],
        matchedSubject: { name: 'model.pth', sha256: modelSha256 },
        builderId: 'https://tekton.dev/chains/v2',
        buildType: 'https://tekton.dev/chains/v2/slsa',
        source: { uri: 'git+https://github.com/acme/model.git@refs/heads/main', commit: COMMIT },
        invocationId: UID,
        startedOn: '2026-11-20T10:00:00Z',
        finishedOn: '2026-11-20T10:42:00Z',
        signature: { index: 0 },
        keyDescription: 'ecdsa p-256',
      },
    });
    expect(result.failure).toBeUndefined();
    expect(result.reason).toBe(`verified model.pth sha256:${modelSha256} with the ecdsa p-256 key ${keyFile}`);
  });

  test('a model with one byte changed is refused on its digest', async () => {
    const tampered = Buffer.from(fs.readFileSync(model));
    tampered[tampered.length >> 1] ^= 1;
    const result = await verifyWith({ modelPath: write('tampered.pth', tampered) });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toMatch(new RegExp(`^no subject matches sha256:[0-9a-f]{64} \\(subjects: model.pth sha256:${modelSha256}\\)$`));
    expect(result.modelSha256).not.toBe(modelSha256);
  });

  test('a swapped payload (another statement under the same signature) is refused', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement('0'.repeat(64))), p256.privateKey);
    envelope.payload = Buffer.from(JSON.stringify(chainsStatement(modelSha256))).toString('base64');
    const result = await verifyWith({ signaturePath: envelopeFile('swapped.json', envelope) });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toBe(`the signature does not verify with the ecdsa p-256 key ${keyFile}`);
    expect(result.attestation).toBeUndefined();
  });

  test('a damaged signature is refused; so is one that is not base64', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey);
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    sig[sig.length - 3] ^= 0x40;
    const damaged = { ...envelope, signatures: [{ keyid: '', sig: sig.toString('base64') }] };
    expect((await verifyWith({ signaturePath: envelopeFile('damaged.json', damaged) })).reason).toMatch(/^the signature does not verify/);
    const junk = {
      ...envelope,
      signatures: [{ sig: `${envelope.signatures[0].sig.slice(0, 10)}*${envelope.signatures[0].sig.slice(11)}` }],
    };
    expect((await verifyWith({ signaturePath: envelopeFile('junk-sig.json', junk) })).reason).toBe(
      'the signature is not valid base64 (it has an invalid character "*" at offset 10)',
    );
  });

  test('a signature by another key is refused; the keyid it claims changes nothing', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), otherP256.privateKey, {
      keyid: 'SHA256:the-right-key-honest',
    });
    const result = await verifyWith({ signaturePath: envelopeFile('wrong-key.json', envelope) });
    expect(result).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: `the signature does not verify with the ecdsa p-256 key ${keyFile}`,
    });
    expect((await verifyWith({ signaturePath: envelopeFile('wrong-key.json', envelope), key: otherKeyFile })).verified).toBe(true);
  });

  test('any one valid signature suffices, wherever it is; keyids are not used to pick', async () => {
    const good = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey, { keyid: 'misleading' });
    const bad = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), otherP256.privateKey);
    const envelope = { ...good, signatures: [{ keyid: 'misleading', sig: '!!' }, bad.signatures[0], good.signatures[0]] };
    const result = await verifyWith({ signaturePath: envelopeFile('three.json', envelope) });
    expect(result).toMatchObject({ verified: true, attestation: { signature: { index: 2, keyid: 'misleading' } } });
    const none = { ...good, signatures: [bad.signatures[0], { sig: '' }] };
    expect((await verifyWith({ signaturePath: envelopeFile('none.json', none) })).reason).toBe(
      `none of the 2 signatures verifies: signature 1 does not verify with the ecdsa p-256 key ${keyFile}; signature 2 is empty`,
    );
  });

  test('an envelope with no signatures is refused', async () => {
    const envelope = { ...signEnvelope('{}', p256.privateKey), signatures: [] };
    expect(await verifyWith({ signaturePath: envelopeFile('empty.json', envelope) })).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: 'envelope has no signatures',
    });
  });

  test('a validly signed envelope of another payload type is refused', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey, {
      payloadType: 'application/vnd.dev.sigstore.cosign',
    });
    expect((await verifyWith({ signaturePath: envelopeFile('type.json', envelope) })).reason).toBe(
      'envelope payloadType is "application/vnd.dev.sigstore.cosign", expected "application/vnd.in-toto+json"',
    );
  });

  test('raw r||s (IEEE P1363) ECDSA signatures verify as DER ones do', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey, { dsaEncoding: 'ieee-p1363' });
    expect(Buffer.from(envelope.signatures[0].sig, 'base64')).toHaveLength(64);
    expect((await verifyWith({ signaturePath: envelopeFile('raw.json', envelope) })).verified).toBe(true);
  });

  test('high-S ECDSA signatures (S > n/2, as Go signers produce) verify like their low-S twins', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey, { dsaEncoding: 'ieee-p1363' });
    const raw = Buffer.from(envelope.signatures[0].sig, 'base64');
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const r = BigInt(`0x${raw.subarray(0, 32).toString('hex')}`);
    const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
    const derInteger = (value: bigint): Buffer => {
      let bytes = Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
      while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
      if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
      return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
    };
    const der = (sValue: bigint): string => {
      const body = Buffer.concat([derInteger(r), derInteger(sValue)]);
      return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
    };
    const [low, high] = s > n / 2n ? [n - s, s] : [s, n - s];
    for (const value of [low, high]) {
      const variant = { ...envelope, signatures: [{ sig: der(value) }] };
      expect((await verifyWith({ signaturePath: envelopeFile('s.json', variant) })).verified).toBe(true);
    }
    const wrong = { ...envelope, signatures: [{ sig: der(high - 1n) }] };
    expect((await verifyWith({ signaturePath: envelopeFile('s.json', wrong) })).verified).toBe(false);
  });

  test('URL-safe base64 in payload and signature is accepted', async () => {
    const envelope = signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey);
    const urlSafe = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');
    const converted = { ...envelope, payload: urlSafe(envelope.payload), signatures: [{ sig: urlSafe(envelope.signatures[0].sig) }] };
    expect((await verifyWith({ signaturePath: envelopeFile('urlsafe.json', converted) })).verified).toBe(true);
  });
});

describe('verifyModelAttestation: key types', () => {
  const statement = () => JSON.stringify(chainsStatement(modelSha256));
  test.each([
    ['ecdsa p-384 (sha384)', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), { hash: 'sha384' }, 'ecdsa p-384'],
    ['ecdsa p-384 (sha256, as cosign signs)', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), { hash: 'sha256' }, 'ecdsa p-384'],
    [
      'ecdsa p-384 raw r||s',
      () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      { hash: 'sha384', dsaEncoding: 'ieee-p1363' as const },
      'ecdsa p-384',
    ],
    ['rsa 2048 pkcs#1 v1.5', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), {}, 'rsa 2048'],
    ['rsa 3072 pss', () => generateKeyPairSync('rsa', { modulusLength: 3072 }), { padding: constants.RSA_PKCS1_PSS_PADDING }, 'rsa 3072'],
    ['ed25519', () => generateKeyPairSync('ed25519'), {}, 'ed25519'],
  ])('%s verifies, and fails for a one-byte change', async (_name, generate, options, description) => {
    const pair = generate();
    const key = write(`${description.replace(/\W/g, '-')}.pub`, pem(pair.publicKey));
    const envelope = signEnvelope(statement(), pair.privateKey, options as SignOptions);
    const ok = await verifyWith({ key, signaturePath: envelopeFile('typed.json', envelope) });
    expect(ok).toMatchObject({ verified: true, attestation: { keyDescription: description } });
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    sig[5] ^= 1;
    const bad = await verifyWith({
      key,
      signaturePath: envelopeFile('typed-bad.json', { ...envelope, signatures: [{ sig: sig.toString('base64') }] }),
    });
    expect(bad.reason).toBe(`the signature does not verify with the ${description} key ${key}`);
  });

  test('an unsupported key type (x25519) is unreadable as a verification key', async () => {
    const key = write('x25519.pub', pem(generateKeyPairSync('x25519').publicKey));
    const result = await verifyWith({ key });
    expect(result).toMatchObject({
      verified: false,
      failure: 'unreadable',
      reason: `key ${key} is a x25519 key (supported: ECDSA P-256/P-384/P-521, RSA, Ed25519)`,
    });
  });

  test('a KeyObject works as the key; a private KeyObject is refused', async () => {
    expect(await verifyWith({ key: p256.publicKey })).toMatchObject({ verified: true, attestation: { keyDescription: 'ecdsa p-256' } });
    expect(await verifyWith({ key: p256.privateKey })).toMatchObject({
      verified: false,
      failure: 'unreadable',
      reason: 'key (KeyObject) is a private key, not a public key',
    });
  });

  test('a PKCS#1 "RSA PUBLIC KEY" PEM is read too', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = write('pkcs1.pub', pair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    expect(
      (await verifyWith({ key, signaturePath: envelopeFile('pkcs1.json', signEnvelope(statement(), pair.privateKey)) })).verified,
    ).toBe(true);
  });
});

describe('verifyModelAttestation: unreadable input', () => {
  test('truncated envelope JSON', async () => {
    const text = JSON.stringify(signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey));
    const file = write('truncated.json', text.slice(0, text.length - 20));
    const result = await verifyWith({ signaturePath: file });
    expect(result).toMatchObject({ verified: false, failure: 'unreadable' });
    expect(result.reason).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(`));
  });

  test('an envelope file that is neither JSON nor base64', async () => {
    const file = write('junk.txt', 'hello, world');
    expect((await verifyWith({ signaturePath: file })).reason).toBe(
      `${file} is neither a JSON DSSE envelope nor base64 of one (as base64 it has an invalid character "," at offset 5)`,
    );
  });

  test('JSON that is not an envelope names the field', async () => {
    const file = write('shape.json', JSON.stringify({ payloadType: IN_TOTO, payload: 'e30=', signatures: [{ keyid: 'x' }] }));
    expect((await verifyWith({ signaturePath: file })).reason).toBe(
      `${file}: envelope field "signatures[0].sig" is missing (expected a base64 string)`,
    );
  });

  test('a junk key file', async () => {
    const key = write('junk.pub', '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n');
    const result = await verifyWith({ key });
    expect(result).toMatchObject({ verified: false, failure: 'unreadable' });
    expect(result.reason).toMatch(/^key .*junk.pub is not a valid PEM public key \(/);
  });

  test('missing files: key, signature, model', async () => {
    expect((await verifyWith({ key: path.join(work, 'nope.pub') })).reason).toBe(
      `cannot read key ${path.join(work, 'nope.pub')}: no such file`,
    );
    expect((await verifyModelAttestation({ key: keyFile, signaturePath: path.join(work, 'nope.json'), modelPath: model })).reason).toBe(
      `cannot read signature ${path.join(work, 'nope.json')}: no such file`,
    );
    const missingModel = await verifyWith({ modelPath: path.join(work, 'nope.pth') });
    expect(missingModel).toMatchObject({ failure: 'unreadable', reason: `cannot read model ${path.join(work, 'nope.pth')}: no such file` });
  });

  test('option mistakes are usage failures', async () => {
    expect((await verifyModelAttestation({ key: keyFile, modelPath: model })).failure).toBe('usage');
    expect((await verifyWith({ modelPath: undefined })).reason).toBe(
      'give the model file or --digest HEX (or --check-claims=false to check the signature only)',
    );
    expect((await verifyWith({ modelPath: undefined, modelSha256: 'abc' })).reason).toBe(
      'digest "abc" is not a sha256 (64 hex characters)',
    );
    expect((await verifyWith({ modelPath: undefined, modelSha256: `sha256:${modelSha256}` })).verified).toBe(true);
    expect((await verifyWith({ modelPath: undefined, modelSha256: `sha512:${modelSha256}` })).failure).toBe('usage');
    expect((await verifyWith({ modelSha256: modelSha256 })).reason).toBe('give the model file or its digest, not both');
    expect((await verifyWith({ policy: { sourceDigest: 'main' } })).failure).toBe('usage');
  });
});

describe('verifyModelAttestation: the statement', () => {
  test.each([
    ['a payload that is not JSON', 'not json', /^the signed payload is not JSON \(/],
    [
      'an unknown _type',
      JSON.stringify({ ...chainsStatement('0'.repeat(64)), _type: 'https://in-toto.io/Statement/v2' }),
      /^statement _type is "https:\/\/in-toto.io\/Statement\/v2" \(expected https:\/\/in-toto.io\/Statement\/v0.1 or https:\/\/in-toto.io\/Statement\/v1\)$/,
    ],
    [
      'a subject that is not a list',
      JSON.stringify({ ...chainsStatement('0'.repeat(64)), subject: { name: 'x' } }),
      /^statement subject is an object \(expected a list\)$/,
    ],
    [
      'a digest value that is not a string',
      JSON.stringify({ ...chainsStatement('0'.repeat(64)), subject: [{ name: 'x', digest: { sha256: 1 } }] }),
      /^statement subject\[0\].digest.sha256 is number 1/,
    ],
  ])('%s is refused', async (_name, payload, reason) => {
    const result = await verifyWith({ signaturePath: envelopeFile('statement.json', signEnvelope(payload, p256.privateKey)) });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toMatch(reason);
  });

  test('the v0.1 statement type is read as well as v1', async () => {
    const statement = { ...chainsStatement(modelSha256), _type: 'https://in-toto.io/Statement/v0.1' };
    expect((await verifyWith({}, statement)).verified).toBe(true);
  });

  test('--type: short names and URIs', async () => {
    expect((await verifyWith({ predicateType: 'https://slsa.dev/provenance/v1' })).verified).toBe(true);
    expect((await verifyWith({ predicateType: 'slsaprovenance02' })).reason).toBe(
      'statement predicateType is https://slsa.dev/provenance/v1, not https://slsa.dev/provenance/v0.2 (that is --type slsaprovenance1)',
    );
    const custom = { ...chainsStatement(modelSha256), predicateType: 'https://cosign.sigstore.dev/attestation/v1' };
    expect((await verifyWith({ predicateType: 'custom' }, custom)).verified).toBe(true);
  });

  test('--check-claims=false skips the subject, not the signature or the type', async () => {
    const other = chainsStatement('0'.repeat(64));
    expect((await verifyWith({ checkClaims: false, modelPath: undefined }, other)).verified).toBe(true);
    expect((await verifyWith({ checkClaims: false, modelPath: undefined, predicateType: 'slsaprovenance' }, other)).verified).toBe(false);
    const envelope = signEnvelope(JSON.stringify(other), otherP256.privateKey);
    expect((await verifyWith({ checkClaims: false, modelPath: undefined, signaturePath: envelopeFile('o.json', envelope) })).verified).toBe(
      false,
    );
  });
});

describe('verifyModelAttestation: policy', () => {
  test.each([
    [
      'builder id',
      { builderId: 'https://tekton.dev/chains/v2' },
      { builderId: 'https://tekton.dev/chains/v3' },
      'builder id is https://tekton.dev/chains/v2, not https://tekton.dev/chains/v3',
    ],
    [
      'source uri without @ref or .git',
      { sourceUri: 'git+https://github.com/acme/model' },
      { sourceUri: 'git+https://github.com/acme/other' },
      'no resolved dependency has source uri git+https://github.com/acme/other (recorded: oci://docker.io/library/python, git+https://github.com/acme/model.git@refs/heads/main)',
    ],
    [
      'source uri with its ref',
      { sourceUri: 'git+https://github.com/acme/model.git@refs/heads/main' },
      { sourceUri: 'git+https://github.com/acme/model.git@refs/heads/dev' },
      'no resolved dependency has source uri git+https://github.com/acme/model.git@refs/heads/dev (recorded: oci://docker.io/library/python, git+https://github.com/acme/model.git@refs/heads/main)',
    ],
    [
      'source digest',
      { sourceDigest: COMMIT },
      { sourceDigest: 'f'.repeat(40) },
      `the provenance is at commit ${COMMIT}, not ${'f'.repeat(40)}`,
    ],
    [
      'source uri and digest',
      { sourceUri: 'https://github.com/acme/model.git', sourceDigest: COMMIT.toUpperCase() },
      { sourceUri: 'https://github.com/acme/model.git', sourceDigest: 'e'.repeat(40) },
      `source https://github.com/acme/model.git is at commit ${COMMIT}, not ${'e'.repeat(40)}`,
    ],
    [
      'string param',
      { params: [{ name: 'model-name', value: 'pytorch_model' }] },
      { params: [{ name: 'model-name', value: 'tensorflow_model' }] },
      'param model-name is "pytorch_model", not "tensorflow_model"',
    ],
    [
      'array param (as JSON)',
      { params: [{ name: 'tool-versions', value: '["python=3.11","torch=2.3"]' }] },
      { params: [{ name: 'tool-versions', value: 'python=3.11' }] },
      'param tool-versions is ["python=3.11","torch=2.3"], not "python=3.11"',
    ],
    [
      'object param key',
      { params: [{ name: 'model-source.revision', value: 'main' }] },
      { params: [{ name: 'model-source.revision', value: 'dev' }] },
      'param model-source.revision is "main", not "dev"',
    ],
    [
      'object param missing key',
      { params: [{ name: 'model-source.url', value: 'https://github.com/acme/model' }] },
      { params: [{ name: 'model-source.branch', value: 'main' }] },
      'param model-source has no key "branch" (keys: url, revision)',
    ],
    [
      'object param as a whole',
      { params: [{ name: 'epochs', value: '3' }] },
      { params: [{ name: 'model-source', value: 'main' }] },
      'param model-source is an object; require one key with --param model-source.KEY=VALUE',
    ],
    [
      'param not recorded',
      {
        params: [
          { name: 'epochs', value: '3' },
          { name: 'model-name', value: 'pytorch_model' },
        ],
      },
      { params: [{ name: 'learning-rate', value: '0.1' }] },
      'param learning-rate is not recorded (params: model-name, model-source, tool-versions, epochs)',
    ],
  ])('%s: passes when met, fails with one line when not', async (_name, passing, failing, reason) => {
    const ok = await verifyWith({ policy: passing });
    expect(ok.reason).toMatch(/^verified /);
    const bad = await verifyWith({ policy: failing });
    expect(bad).toMatchObject({ verified: false, failure: 'rejected', reason });
    expect(bad.attestation?.builderId).toBe('https://tekton.dev/chains/v2');
  });

  test('a failed source digest still reports the source it found', async () => {
    const result = await verifyWith({ policy: { sourceDigest: 'f'.repeat(40) } });
    expect(result).toMatchObject({
      verified: false,
      attestation: { source: { uri: 'git+https://github.com/acme/model.git@refs/heads/main', commit: COMMIT } },
    });
  });

  test('the matched source is the one reported', async () => {
    const statement = chainsStatement(modelSha256);
    statement.predicate.buildDefinition.resolvedDependencies.unshift({
      uri: 'git+https://github.com/acme/tools.git',
      digest: { sha1: 'c'.repeat(40) },
    });
    expect((await verifyWith({}, statement)).attestation?.source).toEqual({
      uri: 'git+https://github.com/acme/tools.git',
      commit: 'c'.repeat(40),
    });
    expect((await verifyWith({ policy: { sourceUri: 'git+https://github.com/acme/model' } }, statement)).attestation?.source).toEqual({
      uri: 'git+https://github.com/acme/model.git@refs/heads/main',
      commit: COMMIT,
    });
  });

  test('SLSA v0.2 (Chains slsa/v1): materials, invocation.parameters, metadata', async () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: 'model.pth', digest: { sha256: modelSha256 } }],
      predicate: {
        builder: { id: 'https://tekton.dev/chains/v2' },
        buildType: 'tekton.dev/v1/PipelineRun',
        invocation: { configSource: {}, parameters: { 'model-name': 'pytorch_model', 'model-source': { revision: 'main' } } },
        metadata: { buildInvocationId: UID, buildStartedOn: '2026-11-20T10:00:00Z', buildFinishedOn: '2026-11-20T10:42:00Z' },
        materials: [{ uri: 'git+https://github.com/acme/model.git', digest: { sha1: COMMIT } }],
      },
    };
    const policy = {
      builderId: 'https://tekton.dev/chains/v2',
      sourceUri: 'git+https://github.com/acme/model',
      sourceDigest: COMMIT,
      params: [
        { name: 'model-name', value: 'pytorch_model' },
        { name: 'model-source.revision', value: 'main' },
      ],
    };
    const result = await verifyWith({ predicateType: 'slsaprovenance', policy }, statement);
    expect(result).toMatchObject({
      verified: true,
      attestation: { invocationId: UID, startedOn: '2026-11-20T10:00:00Z', source: { commit: COMMIT } },
    });
    expect(
      (await verifyWith({ predicateType: 'slsaprovenance', policy: { params: [{ name: 'model-name', value: 'x' }] } }, statement)).reason,
    ).toBe('param model-name is "pytorch_model", not "x"');
  });

  test('a predicate without provenance facts fails any policy clearly', async () => {
    const custom = {
      ...chainsStatement(modelSha256),
      predicateType: 'https://cosign.sigstore.dev/attestation/v1',
      predicate: { data: 'x' },
    };
    expect((await verifyWith({ predicateType: 'custom', policy: { builderId: 'https://tekton.dev/chains/v2' } }, custom)).reason).toBe(
      'the provenance records no builder id (required: https://tekton.dev/chains/v2)',
    );
    expect((await verifyWith({ predicateType: 'custom', policy: { params: [{ name: 'a', value: 'b' }] } }, custom)).reason).toBe(
      'the provenance records no run params (required: a=b)',
    );
    expect((await verifyWith({ predicateType: 'custom', policy: { sourceDigest: COMMIT } }, custom)).reason).toBe(
      `the provenance records no git commit (required: ${COMMIT})`,
    );
  });
});

describe('verifyModelAttestation: --pipelinerun', () => {
  function pipelineRun(uid: string, annotationUid: string | undefined, envelopeJson: string): Record<string, any> {
    const annotations: Record<string, string> = { 'chains.tekton.dev/signed': 'true' };
    if (annotationUid) {
      annotations[`chains.tekton.dev/signature-pipelinerun-${annotationUid}`] = Buffer.from(envelopeJson).toString('base64');
      annotations[`chains.tekton.dev/payload-pipelinerun-${annotationUid}`] = 'eyJ9';
    }
    return {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'train-abc12', namespace: 'default', uid, annotations },
      spec: {},
      status: {},
    };
  }
  const envelopeJson = () => JSON.stringify(signEnvelope(JSON.stringify(chainsStatement(modelSha256)), p256.privateKey));

  test('the envelope of the annotation for its own uid verifies (JSON and YAML)', async () => {
    const run = pipelineRun(UID, UID, envelopeJson());
    const json = write('pr.json', JSON.stringify(run, null, 2));
    expect((await verifyModelAttestation({ key: keyFile, pipelineRunPath: json, modelPath: model })).verified).toBe(true);
    const annotation = run.metadata.annotations[`chains.tekton.dev/signature-pipelinerun-${UID}`];
    const yaml = write(
      'pr.yaml',
      `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: train-abc12\n  uid: ${UID}\n  annotations:\n    chains.tekton.dev/signed: "true"\n    chains.tekton.dev/signature-pipelinerun-${UID}: ${annotation}\nspec: {}\n`,
    );
    expect((await verifyModelAttestation({ key: keyFile, pipelineRunPath: yaml, modelPath: model })).verified).toBe(true);
    const list = write('list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [run] }));
    expect((await verifyModelAttestation({ key: keyFile, pipelineRunPath: list, modelPath: model })).verified).toBe(true);
  });

  test("a PipelineRun carrying only another run's signature is refused, naming the uids present", async () => {
    const file = write('pr-other.json', JSON.stringify(pipelineRun(UID, '11111111-2222-3333-4444-555555555555', envelopeJson())));
    const result = await verifyModelAttestation({ key: keyFile, pipelineRunPath: file, modelPath: model });
    expect(result).toMatchObject({ verified: false, failure: 'rejected' });
    expect(result.reason).toBe(
      `pipelinerun train-abc12 (uid ${UID}) has no annotation chains.tekton.dev/signature-pipelinerun-${UID}; it carries signatures for other uids only: 11111111-2222-3333-4444-555555555555`,
    );
  });

  test('an unsigned PipelineRun is refused', async () => {
    const run = pipelineRun(UID, undefined, '');
    run.metadata.annotations['chains.tekton.dev/signed'] = 'failed';
    const result = await verifyModelAttestation({
      key: keyFile,
      pipelineRunPath: write('pr-unsigned.json', JSON.stringify(run)),
      modelPath: model,
    });
    expect(result.reason).toBe(
      `pipelinerun train-abc12 (uid ${UID}) has no annotation chains.tekton.dev/signature-pipelinerun-${UID}: Chains has not signed it (chains.tekton.dev/signed is "failed")`,
    );
  });

  test('not a PipelineRun, or no uid: unreadable', async () => {
    const taskRun = { ...pipelineRun(UID, UID, envelopeJson()), kind: 'TaskRun' };
    const file = write('tr.json', JSON.stringify(taskRun));
    expect(await verifyModelAttestation({ key: keyFile, pipelineRunPath: file, modelPath: model })).toMatchObject({
      failure: 'unreadable',
      reason: `${file} is a TaskRun, not a PipelineRun`,
    });
    const noUid = pipelineRun('', UID, envelopeJson());
    const noUidFile = write('nouid.json', JSON.stringify(noUid));
    expect((await verifyModelAttestation({ key: keyFile, pipelineRunPath: noUidFile, modelPath: model })).reason).toBe(
      `${noUidFile}: pipelinerun train-abc12 has no metadata.uid (save it from the cluster: kubectl get pipelinerun train-abc12 -o json)`,
    );
    const broken = write('broken.yaml', 'kind: PipelineRun\nmetadata: [unclosed\n');
    expect((await verifyModelAttestation({ key: keyFile, pipelineRunPath: broken, modelPath: model })).failure).toBe('unreadable');
  });
});

describe('verifyModelAttestation: k8s:// keys through kubectl', () => {
  let bin: string;
  let log: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-kubectl-'));
    log = path.join(bin, 'calls.log');
    const secretData = Buffer.from(pem(p256.publicKey)).toString('base64');
    // A stand-in for kubectl against a cluster holding tekton-chains/signing-secrets (cosign.pub, cosign.key, cosign.password).
    fs.writeFileSync(
      path.join(bin, 'kubectl'),
      `#!/bin/sh
printf '%s\\n' "$*" >> '${log}'
if [ "$1 $2 $3 $4 $5" = "get secret -n tekton-chains signing-secrets" ] && [ "$6 $7" = '-o jsonpath={.data.cosign\\.pub}' ]; then
  printf '%s' '${secretData}'; exit 0
fi
if [ "$5" = "empty-secret" ]; then exit 0; fi
echo "Error from server (NotFound): secrets \\"$5\\" not found" >&2
exit 1
`,
      { mode: 0o755 },
    );
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));
  const env = () => ({ ...process.env, PATH: `${bin}:${process.env.PATH}` });

  test('reads cosign.pub from the Secret with the exact kubectl command', async () => {
    fs.rmSync(log, { force: true });
    const result = await verifyWith({ key: 'k8s://tekton-chains/signing-secrets', env: env() });
    expect(result).toMatchObject({
      verified: true,
      reason: expect.stringMatching(/with the ecdsa p-256 key k8s:\/\/tekton-chains\/signing-secrets$/),
    });
    expect(fs.readFileSync(log, 'utf8')).toBe('get secret -n tekton-chains signing-secrets -o jsonpath={.data.cosign\\.pub}\n');
  });

  test('a missing Secret, an empty entry, a malformed reference, no kubectl', async () => {
    expect((await verifyWith({ key: 'k8s://tekton-chains/nope', env: env() })).reason).toBe(
      'cannot read key k8s://tekton-chains/nope: kubectl get secret failed: Error from server (NotFound): secrets "nope" not found',
    );
    expect((await verifyWith({ key: 'k8s://tekton-chains/empty-secret', env: env() })).reason).toBe(
      'secret tekton-chains/empty-secret has no data entry "cosign.pub"',
    );
    expect((await verifyWith({ key: 'k8s://tekton-chains', env: env() })).reason).toBe(
      'key k8s://tekton-chains is not of the form k8s://NAMESPACE/SECRET',
    );
    const result = await verifyWith({
      key: 'k8s://tekton-chains/signing-secrets',
      env: { ...process.env, PATH: path.join(work, 'empty-bin') },
    });
    expect(result).toMatchObject({
      failure: 'unreadable',
      reason: 'cannot read key k8s://tekton-chains/signing-secrets: kubectl is not on PATH',
    });
  });
});

describe('verifyModelAttestation: a model directory matched by its root digest', () => {
  // The root digest model_signing names: sha256 over the files' sha256 in its order (a, a/b, a-c).
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = path.join(work, 'tiny-model');
    fs.mkdirSync(path.join(dir, 'a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'b'), 'weights');
    fs.writeFileSync(path.join(dir, 'a-c'), 'config');
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main');
    const sha = (text: string): Buffer => createHash('sha256').update(text).digest();
    root = createHash('sha256')
      .update(Buffer.concat([sha('weights'), sha('config')]))
      .digest('hex');
  });

  test('a subject with the root digest verifies the directory (git files left out)', async () => {
    const result = await verifyWith({ modelPath: dir }, chainsStatement(root));
    expect(result).toMatchObject({ verified: true, modelSha256: root, checks: { subject: 'directory root' } });
    expect(result.reason).toBe(`verified model.pth sha256:${root} with the ecdsa p-256 key ${keyFile}`);
  });

  test('a changed, added or removed file changes the root: refused', async () => {
    const signed = envelopeFile('root.json', signEnvelope(JSON.stringify(chainsStatement(root)), p256.privateKey));
    const copy = path.join(work, 'tiny-model-copy');
    for (const change of [
      () => fs.writeFileSync(path.join(copy, 'a', 'b'), 'weightz'),
      () => fs.writeFileSync(path.join(copy, 'extra'), ''),
      () => fs.rmSync(path.join(copy, 'a-c')),
    ]) {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.cpSync(dir, copy, { recursive: true });
      change();
      const result = await verifyWith({ modelPath: copy, signaturePath: signed });
      expect(result).toMatchObject({ verified: false, failure: 'rejected' });
      expect(result.reason).toMatch(/^no subject matches the directory's root digest sha256:[0-9a-f]{64} \(subjects: model.pth sha256:/);
    }
  });

  test("a file's own sha256 is not a directory's subject, nor the root a file's", async () => {
    // one file's sha256 names the file; its OMS root (the sha256 of that sha256) is not a subject
    const single = path.join(dir, 'a', 'b');
    const fileSha = createHash('sha256').update('weights').digest('hex');
    expect(await verifyWith({ modelPath: single }, chainsStatement(fileSha))).toMatchObject({
      verified: true,
      checks: { subject: 'file' },
    });
    expect(await verifyWith({ modelPath: dir }, chainsStatement(fileSha))).toMatchObject({ verified: false, failure: 'rejected' });
  });
});
