// The statement that is judged is exactly the payload whose signature verified, read the way
// cosign (Go's encoding/json) reads it: ambiguous keys are refused, subjects match on sha256 only.
import { createHash, generateKeyPairSync, KeyObject, sign as cryptoSign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findAmbiguousJsonKey, IN_TOTO_STATEMENT_FIELDS, DSSE_ENVELOPE_FIELDS } from '../src/verify/ambiguous-json-keys';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { verifyModelAttestation as verifyWithLogCheck } from '../src/verify/verify-model-attestation';

// These cases predate the transparency-log check (now on by default) and judge everything else:
// they run as with --insecure-ignore-tlog. The log check has its own tests (verify-sigstore-*.test.ts).
const verifyModelAttestation = (options: Parameters<typeof verifyWithLogCheck>[0]) =>
  verifyWithLogCheck({ insecureIgnoreTlog: true, ...options });

const IN_TOTO = 'application/vnd.in-toto+json';
let work: string;
let keyFile: string;
let privateKey: KeyObject;
const model = Buffer.from('model bytes\n');
const sha256 = createHash('sha256').update(model).digest('hex');
let modelFile: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-ambiguous-'));
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  privateKey = pair.privateKey;
  keyFile = path.join(work, 'cosign.pub');
  fs.writeFileSync(keyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  modelFile = path.join(work, 'model.pth');
  fs.writeFileSync(modelFile, model);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function signature(payloadText: string): string {
  return cryptoSign('sha256', preAuthenticationEncoding(IN_TOTO, Buffer.from(payloadText)), privateKey).toString('base64');
}

function statementText(subjectJson: string, extra = ''): string {
  return `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",${extra}"subject":${subjectJson},"predicate":{}}`;
}

async function verifyEnvelopeText(envelope: string) {
  return verifyModelAttestation({ key: keyFile, envelope, modelPath: modelFile });
}

async function verifyStatement(text: string) {
  return verifyEnvelopeText(
    JSON.stringify({ payloadType: IN_TOTO, payload: Buffer.from(text).toString('base64'), signatures: [{ sig: signature(text) }] }),
  );
}

describe('findAmbiguousJsonKey', () => {
  test('a key twice in one object, at any depth, after unescaping', () => {
    expect(findAmbiguousJsonKey('{"a":1,"a":2}', {})).toBe('key "a" appears twice in the top-level object');
    expect(findAmbiguousJsonKey('{"predicate":{"x":{"b":1,"\\u0062":2}}}', {})).toBe('key "b" appears twice in predicate.x');
    expect(findAmbiguousJsonKey('{"subject":[{"digest":{"sha256":"a","sha256":"b"}}]}', IN_TOTO_STATEMENT_FIELDS)).toBe(
      'key "sha256" appears twice in subject[].digest',
    );
  });

  test('the same key in sibling objects, in strings, or as a value is not a duplicate', () => {
    expect(findAmbiguousJsonKey('{"a":{"k":1},"b":{"k":1},"c":["a","a"],"d":"{\\"a\\":1,\\"a\\":2}"}', {})).toBeUndefined();
    expect(findAmbiguousJsonKey('[{"a":1},{"a":1}]', {})).toBeUndefined();
    expect(findAmbiguousJsonKey('{"a":"a","b":"a"}', {})).toBeUndefined();
  });

  test('case variants of struct fields, as Go folds them (ſ is s, K is k), where Go decodes a struct', () => {
    expect(findAmbiguousJsonKey('{"Subject":[]}', IN_TOTO_STATEMENT_FIELDS)).toBe(
      'key "Subject" in the top-level object is not "subject" but Go\'s decoder reads it as "subject"',
    );
    expect(findAmbiguousJsonKey('{"\u017Fubject":[]}', IN_TOTO_STATEMENT_FIELDS)).toMatch(/reads it as "subject"/);
    expect(findAmbiguousJsonKey('{"subject":[{"DIGEST":{}}]}', IN_TOTO_STATEMENT_FIELDS)).toMatch(/^key "DIGEST" in subject\[\] /);
    expect(findAmbiguousJsonKey('{"signatures":[{"\u212Aeyid":"x"}]}', DSSE_ENVELOPE_FIELDS)).toMatch(/reads it as "keyid"/);
  });

  test('case variants inside maps (digest, predicate) are distinct keys in Go too', () => {
    expect(
      findAmbiguousJsonKey('{"subject":[{"digest":{"sha256":"a","SHA256":"b"}}],"predicate":{"X":1,"x":2}}', IN_TOTO_STATEMENT_FIELDS),
    ).toBeUndefined();
  });
});

describe('verify: the signed bytes are the statement judged', () => {
  test('an envelope with two payload keys is refused, whichever is signed', async () => {
    const good = statementText(`[{"name":"m","digest":{"sha256":"${sha256}"}}]`);
    const other = statementText('[{"name":"m","digest":{"sha256":"' + '0'.repeat(64) + '"}}]');
    const sig = signature(good);
    for (const [first, second] of [
      [good, other],
      [other, good],
    ]) {
      const envelope = `{"payloadType":"${IN_TOTO}","payload":"${Buffer.from(first).toString('base64')}","payload":"${Buffer.from(second).toString('base64')}","signatures":[{"sig":"${sig}"}]}`;
      const result = await verifyEnvelopeText(envelope);
      expect(result).toMatchObject({
        verified: false,
        failure: 'unreadable',
        reason: 'the envelope is an ambiguous DSSE envelope: key "payload" appears twice in the top-level object',
      });
    }
    // The close case: the same envelope with one payload key verifies.
    const single = `{"payloadType":"${IN_TOTO}","payload":"${Buffer.from(good).toString('base64')}","signatures":[{"sig":"${sig}"}]}`;
    expect(await verifyEnvelopeText(single)).toMatchObject({ verified: true });
  });

  test('a "Payload" key beside "payload" is refused (Go would read the last one)', async () => {
    const good = statementText(`[{"name":"m","digest":{"sha256":"${sha256}"}}]`);
    const envelope = `{"payloadType":"${IN_TOTO}","payload":"${Buffer.from(good).toString('base64')}","Payload":"e30=","signatures":[{"sig":"${signature(good)}"}]}`;
    expect((await verifyEnvelopeText(envelope)).reason).toMatch(/key "Payload" in the top-level object is not "payload"/);
  });

  test('a signed statement with two subject lists, or a "Subject" Go would read instead, is refused', async () => {
    const matching = `[{"name":"m","digest":{"sha256":"${sha256}"}}]`;
    const duplicate = await verifyStatement(statementText(matching, `"subject":[],`));
    expect(duplicate).toMatchObject({ verified: false, failure: 'rejected' });
    expect(duplicate.reason).toBe(
      'the signed statement is ambiguous: key "subject" appears twice in the top-level object (JSON readers would disagree on what it says)',
    );
    const variant = await verifyStatement(statementText(matching, `"Subject":[],`));
    expect(variant.reason).toMatch(/^the signed statement is ambiguous: key "Subject" in the top-level object is not "subject"/);
    expect(await verifyStatement(statementText(matching))).toMatchObject({ verified: true });
  });
});

describe('verify: subjects match as cosign matches them', () => {
  test('only the exact lowercase "sha256" entry counts: not SHA256, not uppercase hex', async () => {
    const upperKey = await verifyStatement(statementText(`[{"name":"m","digest":{"SHA256":"${sha256}"}}]`));
    expect(upperKey).toMatchObject({ verified: false, failure: 'rejected' });
    expect(upperKey.reason).toBe(`no subject matches sha256:${sha256} (subjects: m (no sha256))`);
    const upperHex = await verifyStatement(statementText(`[{"name":"m","digest":{"sha256":"${sha256.toUpperCase()}"}}]`));
    expect(upperHex.reason).toMatch(/; subject m records it in uppercase hex, which cosign does not match either$/);
    const both = await verifyStatement(statementText(`[{"name":"m","digest":{"sha512":"${'ab'.repeat(64)}","sha256":"${sha256}"}}]`));
    expect(both).toMatchObject({ verified: true, attestation: { matchedSubject: { name: 'm', sha256 } } });
  });

  test("a sha512 alone never matches, even if it were the model's", async () => {
    const sha512 = createHash('sha512').update(model).digest('hex');
    expect(await verifyStatement(statementText(`[{"name":"m","digest":{"sha512":"${sha512}"}}]`))).toMatchObject({
      verified: false,
      failure: 'rejected',
    });
  });

  test("--digest in uppercase names the same digest (the user's input is normalised, the statement's never)", async () => {
    const text = statementText(`[{"name":"m","digest":{"sha256":"${sha256}"}}]`);
    const envelope = JSON.stringify({
      payloadType: IN_TOTO,
      payload: Buffer.from(text).toString('base64'),
      signatures: [{ sig: signature(text) }],
    });
    expect(await verifyModelAttestation({ key: keyFile, envelope, modelSha256: sha256.toUpperCase() })).toMatchObject({ verified: true });
  });

  test('__proto__ keys in the statement pollute nothing and match nothing', async () => {
    const text = statementText(`[{"name":"m","digest":{"__proto__":{"sha256":"${sha256}"}}}]`);
    expect(() => JSON.parse(text)).not.toThrow();
    const result = await verifyStatement(text);
    expect(result.reason).toMatch(/^subject\[0\]\.digest\.__proto__ is an object|statement subject\[0\]\.digest\.__proto__ is an object/);
    expect(({} as Record<string, unknown>).sha256).toBeUndefined();
    const stringProto = await verifyStatement(statementText(`[{"name":"m","digest":{"__proto__":"${sha256}"}}]`));
    expect(stringProto).toMatchObject({ verified: false, failure: 'rejected' });
    expect(({} as Record<string, unknown>).sha256).toBeUndefined();
  });
});

describe('verify: --type compares the predicate type URI exactly', () => {
  test.each([
    'HTTPS://slsa.dev/provenance/v1',
    'https://slsa.dev/provenance/v1/',
    'https://slsa.dev/provenance/v1#',
    'https://slsa.dev/provenance/V1',
  ])('%s is another type', async (type) => {
    const text = statementText(`[{"name":"m","digest":{"sha256":"${sha256}"}}]`);
    const envelope = JSON.stringify({
      payloadType: IN_TOTO,
      payload: Buffer.from(text).toString('base64'),
      signatures: [{ sig: signature(text) }],
    });
    const result = await verifyModelAttestation({ key: keyFile, envelope, modelPath: modelFile, predicateType: type });
    expect(result).toMatchObject({
      verified: false,
      failure: 'rejected',
      reason: `statement predicateType is https://slsa.dev/provenance/v1, not ${type} (that is --type slsaprovenance1)`,
    });
  });

  test.each(['constructor', '__proto__', 'toString'])('%s is neither a cosign name nor a URI', async (type) => {
    const result = await verifyModelAttestation({ key: keyFile, envelope: '{}', modelPath: modelFile, predicateType: type });
    expect(result).toMatchObject({ verified: false, failure: 'usage' });
    expect(result.reason).toMatch(new RegExp(`^invalid predicate type "${type}"`));
  });
});
