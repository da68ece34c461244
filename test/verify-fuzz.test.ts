// Property-based fuzzing of the parsers: thousands of mutated inputs, always a clean verdict, never an exception.
import { generateKeyPairSync, sign } from 'node:crypto';
import * as fc from 'fast-check';
import { parseDsseEnvelope } from '../src/verify/dsse-envelope';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { parseInTotoStatement } from '../src/verify/in-toto-statement';
import { envelopeFromPipelineRun } from '../src/verify/pipelinerun-envelope';
import { readProvenanceFacts } from '../src/verify/provenance-facts';
import { enforceProvenancePolicy } from '../src/verify/provenance-policy';
import { decodeStrictBase64 } from '../src/verify/strict-base64';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';
import { verifyModelAttestation as verifyWithLogCheck } from '../src/verify/verify-model-attestation';

// These cases predate the transparency-log check (now on by default) and judge everything else:
// they run as with --insecure-ignore-tlog. The log check has its own tests (verify-sigstore-*.test.ts).
const verifyModelAttestation = (options: Parameters<typeof verifyWithLogCheck>[0]) =>
  verifyWithLogCheck({ insecureIgnoreTlog: true, ...options });

const SHA256 = 'a'.repeat(64);
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'model.pth', digest: { sha256: SHA256 } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: {
    buildDefinition: {
      buildType: 'https://tekton.dev/chains/v2/slsa',
      externalParameters: {
        runSpec: {
          params: [
            { name: 'model-name', value: 'm' },
            { name: 'src', value: { revision: 'main' } },
          ],
        },
      },
      resolvedDependencies: [{ uri: 'git+https://github.com/acme/model.git@refs/heads/main', digest: { sha1: 'b'.repeat(40) } }],
    },
    runDetails: { builder: { id: 'https://tekton.dev/chains/v2' }, metadata: { invocationId: 'uid' } },
  },
};
const payload = Buffer.from(JSON.stringify(statement));
const signature = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), privateKey).toString('base64');
const envelopeText = JSON.stringify({
  payloadType: 'application/vnd.in-toto+json',
  payload: payload.toString('base64'),
  signatures: [{ keyid: 'k', sig: signature }],
});

/** Runs `parse`; passes when it returns or throws one of the verifier's own one-line errors. */
function cleanly(parse: () => unknown): void {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof UnreadableInputError || err instanceof AttestationRejectedError)) throw err;
    expect(err.message).not.toMatch(/\n/);
    expect(err.message.length).toBeGreaterThan(0);
  }
}

/** A text edit: replace, insert or delete characters at a position. */
const edit = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  text: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
  length: fc.integer({ min: 1, max: 8 }),
});
type Edit = { kind: string; at: number; text: string; length: number };
function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.kind === 'insert') out = out.slice(0, at) + e.text + out.slice(at);
    else if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + e.length);
    else out = out.slice(0, at) + e.text + out.slice(at + e.text.length);
  }
  return out;
}

describe('fuzzing decodeStrictBase64', () => {
  test('any string: a decoding or a one-line error, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        const result = decodeStrictBase64(text);
        if (!result.ok) expect(result.error).not.toMatch(/\n/);
      }),
      { numRuns: 3000 },
    );
  });

  test('every encoding of any bytes, std or URL-safe, padded or not, round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.boolean(), fc.boolean(), (bytes, urlSafe, padded) => {
        let text = Buffer.from(bytes)
          .toString(urlSafe ? 'base64url' : 'base64')
          .replace(/=+$/, '');
        if (padded) text += '='.repeat((4 - (text.length % 4)) % 4);
        const result = decodeStrictBase64(text);
        expect(result.ok && Buffer.compare(result.bytes, Buffer.from(bytes))).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  test('a mutated encoding either is refused or decodes to what Node reads from the same canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (bytes, edits) => {
        const text = applyEdits(Buffer.from(bytes).toString('base64'), edits);
        const result = decodeStrictBase64(text);
        if (result.ok) {
          const canonical = text.replace(/[\r\n]/g, '').replace(/=+$/, '');
          expect(result.bytes.toString('base64').replace(/=+$/, '')).toBe(canonical.replace(/-/g, '+').replace(/_/g, '/'));
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('fuzzing parseDsseEnvelope', () => {
  test('arbitrary bytes and strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (input) => {
        cleanly(() => parseDsseEnvelope(input, 'fuzz'));
      }),
      { numRuns: 3000 },
    );
  });

  test('arbitrary JSON values, alone and as envelope fields', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (anything, payloadType, payloadValue, signatures) => {
        cleanly(() => parseDsseEnvelope(JSON.stringify(anything) ?? 'null', 'fuzz'));
        cleanly(() => parseDsseEnvelope(JSON.stringify({ payloadType, payload: payloadValue, signatures }), 'fuzz'));
        cleanly(() =>
          parseDsseEnvelope(
            Buffer.from(JSON.stringify({ payloadType, payload: 'e30=', signatures: [signatures] })).toString('base64'),
            'fuzz',
          ),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fuzzing the whole verification with mutated envelopes', () => {
  test('any edit of a signed envelope: a clean verdict, and "verified" only for the signed statement', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), async (edits, asBase64) => {
        const mutated = applyEdits(asBase64 ? Buffer.from(envelopeText).toString('base64') : envelopeText, edits);
        const result = await verifyModelAttestation({ key: publicKey, envelope: mutated, modelSha256: SHA256 });
        expect(typeof result.verified).toBe('boolean');
        expect(result.reason).not.toMatch(/\n/);
        if (result.verified) {
          expect(result.attestation?.subjects).toEqual([{ name: 'model.pth', sha256: SHA256 }]);
          expect(result.attestation?.builderId).toBe('https://tekton.dev/chains/v2');
        } else {
          expect(['unreadable', 'rejected']).toContain(result.failure);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('payload bytes flipped inside a correctly shaped envelope never verify', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (position, mask) => {
        const bytes = Buffer.from(payload);
        bytes[position % bytes.length] ^= mask;
        const envelope = JSON.stringify({
          payloadType: 'application/vnd.in-toto+json',
          payload: bytes.toString('base64'),
          signatures: [{ sig: signature }],
        });
        const result = await verifyModelAttestation({ key: publicKey, envelope, checkClaims: false });
        expect(result).toMatchObject({ verified: false, failure: 'rejected' });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fuzzing parseInTotoStatement, the facts and the policy', () => {
  const policy = fc.record(
    {
      builderId: fc.option(fc.string(), { nil: undefined }),
      sourceUri: fc.option(fc.constantFrom('git+https://github.com/acme/model', 'https://x@y/z@', '@', ''), { nil: undefined }),
      sourceDigest: fc.option(fc.constantFrom('b'.repeat(40), 'c'.repeat(40)), { nil: undefined }),
      params: fc.array(
        fc.record({
          name: fc.constantFrom('model-name', 'src.revision', 'src', 'a.b.c', '.', 'src.', '__proto__', 'constructor'),
          value: fc.string(),
        }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['params'] },
  );

  test('arbitrary JSON and mutated statements: a statement or a one-line rejection; facts and policy never throw otherwise', () => {
    const mutatedStatement = fc
      .tuple(
        fc.jsonValue(),
        fc.constantFrom(
          '_type',
          'subject',
          'predicateType',
          'predicate',
          'buildDefinition',
          'runDetails',
          'resolvedDependencies',
          'params',
          'digest',
        ),
      )
      .map(([value, field]) => JSON.stringify(statement, (key, original) => (key === field ? value : original)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
          mutatedStatement,
          fc.string({ unit: 'binary' }),
        ),
        policy,
        (text, rules) => {
          cleanly(() => {
            const parsed = parseInTotoStatement(Buffer.from(text));
            const facts = readProvenanceFacts(parsed);
            enforceProvenancePolicy(facts, rules);
          });
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('fuzzing envelopeFromPipelineRun', () => {
  test('arbitrary text, JSON and near-PipelineRuns', () => {
    const nearRun = fc.record({
      kind: fc.constantFrom('PipelineRun', 'TaskRun', 'List', undefined),
      metadata: fc.oneof(
        fc.jsonValue(),
        fc.record({
          uid: fc.oneof(fc.string(), fc.jsonValue()),
          annotations: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.string())),
        }),
      ),
      items: fc.jsonValue(),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
          nearRun.map((v) => JSON.stringify(v)),
        ),
        (text) => {
          cleanly(() => envelopeFromPipelineRun(text, 'fuzz'));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
