// Property-based fuzzing of the Sigstore readers (bundle, Rekor entry, checkpoint, trusted root) and
// of the log check: thousands of inputs, always a clean verdict, never an exception.
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parseDsseEnvelope } from '../src/verify/dsse-envelope';
import { preAuthenticationEncoding } from '../src/verify/dsse-pae';
import { parseCheckpoint } from '../src/verify/sigstore/checkpoint';
import { LocalTransparencyLog } from '../src/verify/sigstore/local-transparency-log';
import { parseRekorEntry } from '../src/verify/sigstore/rekor-entry';
import { parseSigstoreBundle } from '../src/verify/sigstore/sigstore-bundle';
import { parseTrustedRoot } from '../src/verify/sigstore/trusted-root';
import { verifySigstoreBundle } from '../src/verify/sigstore/verify-bundle';
import { verifyEnvelopeLogEntries } from '../src/verify/sigstore/verify-envelope-log';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';
import { verificationKeyFromKeyObject } from '../src/verify/verification-key';

/** Runs `run`; passes when it returns or throws one of the verifier's own one-line errors. Returns whether it returned. */
function cleanly(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (err) {
    if (!(err instanceof UnreadableInputError || err instanceof AttestationRejectedError)) throw err;
    expect(err.message).not.toMatch(/\n/);
    expect(err.message.length).toBeGreaterThan(0);
    return false;
  }
}

/** {@link cleanly} for a promise. */
async function cleanlyAsync(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (!(err instanceof UnreadableInputError || err instanceof AttestationRejectedError)) throw err;
    expect(err.message).not.toMatch(/\n/);
    return false;
  }
}

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

/** A copy of `value` with the thing at `at` replaced (or deleted, when `replacement` is undefined). */
function replaced(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = at;
  if (rest.length === 0 && replacement === undefined) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head];
  } else {
    copy[head] = replaced(copy[head], rest, replacement);
  }
  return copy;
}

/** Structural mutations of a JSON document: a few of its values replaced by anything, or removed. */
function mutationsOf(document: unknown): fc.Arbitrary<unknown> {
  const all = paths(document);
  const one = fc.tuple(
    fc.nat(),
    fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 'AAAA', '0', -1, 1e21, '00'.repeat(32))), { nil: undefined }),
  );
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((edits) => {
    let doc = document;
    for (const [i, value] of edits) doc = replaced(doc, all[i % all.length], value);
    return doc;
  });
}

const NOW = new Date('2026-06-01T12:00:00Z');
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x', predicate: {} }));
const sig = sign('sha256', preAuthenticationEncoding('application/vnd.in-toto+json', payload), signer.privateKey).toString('base64');
const envelopeJson = JSON.stringify({
  payloadType: 'application/vnd.in-toto+json',
  payload: payload.toString('base64'),
  signatures: [{ sig }],
});
const log = new LocalTransparencyLog({ privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
log.appendDsse(
  {
    envelopeJson: '{}',
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from('other'),
    signatures: [{ sig, verifierPem: 'x' }],
  },
  1_700_000_000,
);
log.appendDsse(
  {
    envelopeJson,
    payloadType: 'application/vnd.in-toto+json',
    payload,
    signatures: [{ sig, verifierPem: signer.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  },
  1_700_000_000,
);
const entry = log.entryJson(1);
const root = log.trustedRoot();

describe('parseRekorEntry and the log check', () => {
  test('arbitrary text and JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        ),
        (text) => {
          cleanly(() => parseRekorEntry(text, 'e.json'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('mutated entries: a clean verdict from reading through verifying', () => {
    const envelope = parseDsseEnvelope(envelopeJson, 'env');
    const key = verificationKeyFromKeyObject(signer.publicKey, 'k');
    const trustedRoot = parseTrustedRoot(JSON.stringify(root), 'root');
    expect(
      cleanly(() =>
        verifyEnvelopeLogEntries({
          envelope,
          signatureIndex: 0,
          key,
          entries: [parseRekorEntry(JSON.stringify(entry), 'e')],
          trustedRoot,
          now: NOW,
        }),
      ),
    ).toBe(true);
    fc.assert(
      fc.property(mutationsOf(entry), (mutated) => {
        cleanly(() =>
          verifyEnvelopeLogEntries({
            envelope,
            signatureIndex: 0,
            key,
            entries: [parseRekorEntry(JSON.stringify(mutated), 'e')],
            trustedRoot,
            now: NOW,
          }),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseCheckpoint', () => {
  const good = (Object.values(entry)[0] as any).verification.inclusionProof.checkpoint as string;
  test('a checkpoint reads; arbitrary and edited text gives a checkpoint or a reason, never an exception', () => {
    expect(parseCheckpoint(good)).toMatchObject({ origin: 'rekor.rehearsal.invalid - 1', treeSize: 2n });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc
            .tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 4 }))
            .map(([at, text]) => good.slice(0, at % good.length) + text + good.slice((at % good.length) + 1)),
        ),
        (text) => {
          const result = parseCheckpoint(text);
          expect(typeof result === 'string' || typeof result.origin === 'string').toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('parseTrustedRoot', () => {
  test('arbitrary JSON and mutated roots', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
          mutationsOf(root).map((v) => JSON.stringify(v) ?? ''),
        ),
        (text) => {
          cleanly(() => parseTrustedRoot(text, 'root'));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

const CONFORMANCE = path.resolve(__dirname, '..', '..', 'shared', 'sigstore');
const haveConformance = existsSync(path.join(CONFORMANCE, 'conformance', 'happy-path-v0.3'));
if (!haveConformance) console.log(`skipping bundle fuzzing from the conformance suite: ${CONFORMANCE} is absent`);

describe('parseSigstoreBundle and verifySigstoreBundle', () => {
  test('arbitrary text and JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
        ),
        (text) => {
          cleanly(() => parseSigstoreBundle(text, 'b.json'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  (haveConformance ? test : test.skip).each(['happy-path-v0.3', 'happy-path-intoto-in-dsse-v3', 'managed-key-happy-path'])(
    'mutated %s bundles: a clean verdict',
    async (name) => {
      const dir = path.join(CONFORMANCE, 'conformance', name);
      const bundle = JSON.parse(readFileSync(path.join(dir, 'bundle.sigstore.json'), 'utf8'));
      const trustedRoot = parseTrustedRoot(
        readFileSync(
          existsSync(path.join(dir, 'trusted_root.json'))
            ? path.join(dir, 'trusted_root.json')
            : path.join(CONFORMANCE, 'trusted_root.public-good.json'),
        ),
        'root',
      );
      const artifact = readFileSync(path.join(CONFORMANCE, 'conformance', 'a.txt'));
      const keyPath = path.join(dir, 'key.pub');
      const identity = {
        identity:
          'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
        oidcIssuer: 'https://token.actions.githubusercontent.com',
      };
      const verify = async (doc: unknown): Promise<boolean> =>
        cleanlyAsync(() =>
          verifySigstoreBundle({
            bundle: parseSigstoreBundle(JSON.stringify(doc), 'b'),
            source: 'b',
            trustedRoot,
            artifact,
            ...(existsSync(keyPath)
              ? { key: require('node:crypto').createPublicKey(readFileSync(keyPath)) }
              : { certificateIdentity: identity }),
          }),
        );
      expect(await verify(bundle)).toBe(true);
      await fc.assert(
        fc.asyncProperty(mutationsOf(bundle), async (doc) => {
          await verify(doc);
        }),
        { numRuns: 1500 },
      );
    },
  );
});
