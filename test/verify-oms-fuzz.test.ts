// Property-based fuzzing of the OMS readers: structural mutations of a real bundle and statement
// always give a clean verdict (one of the verifier's one-line errors), never an exception.
import * as fc from 'fast-check';
import { readOmsBundle } from '../src/verify/oms/oms-bundle';
import { readOmsStatement } from '../src/verify/oms/oms-statement';
import { rootDigest } from '../src/verify/oms/manifest';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'model', digest: { sha256: rootDigest([{ digest: '1'.repeat(64) }, { digest: '2'.repeat(64) }]) } }],
  predicateType: 'https://model_signing/signature/v1.0',
  predicate: {
    serialization: { method: 'shards', hash_type: 'sha256', allow_symlinks: false, shard_size: 8.0, ignore_paths: ['model.sig'] },
    resources: [
      { name: 'a/b:0:8', algorithm: 'sha256-sharded-8', digest: '1'.repeat(64) },
      { name: 'a/b:8:9', algorithm: 'sha256-sharded-8', digest: '2'.repeat(64) },
    ],
  },
};
const bundle = {
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: {
    publicKey: { hint: 'ab' },
    x509CertificateChain: { certificates: [{ rawBytes: 'AAAA' }] },
    certificate: { rawBytes: 'AAAA' },
    tlogEntries: [],
  },
  dsseEnvelope: { payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'AAAA', keyid: null }] },
};

function cleanly(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof UnreadableInputError || err instanceof AttestationRejectedError)) throw err;
    expect(err.message).not.toMatch(/\n/);
  }
}

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string, unknown>)[k as string], [...prefix, k]))];
}

/** A copy of `doc` with the value at `at` replaced (or deleted when `replacement` is undefined). */
function mutate(doc: unknown, at: (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc));
  if (at.length === 0) return replacement;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k];
  if (replacement === undefined) delete parent[at[at.length - 1]];
  else parent[at[at.length - 1]] = replacement;
  return copy;
}

const anyJson = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant([]),
  fc.constant({}),
  fc.constant('../x'),
  fc.constant('x:1:0'),
  fc.constant(-1),
  fc.constant(1e21),
  fc.constant([null]),
  fc.jsonValue({ maxDepth: 2 }),
);

describe('OMS readers under fuzzing', () => {
  it('starts from a statement that reads', () => {
    expect(readOmsStatement(Buffer.from(JSON.stringify(statement))).resources).toHaveLength(2);
  });

  it('readOmsStatement: any value at any place is a clean verdict', () => {
    const all = paths(statement);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), anyJson, (index, replacement) => {
        const doc = mutate(statement, all[index], replacement);
        cleanly(() => readOmsStatement(Buffer.from(JSON.stringify(doc) ?? 'undefined')));
      }),
      { numRuns: 3000 },
    );
  });

  it('readOmsBundle: any value at any place is a clean verdict', () => {
    const all = paths(bundle);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), anyJson, (index, replacement) => {
        const doc = mutate(bundle, all[index], replacement);
        cleanly(() => readOmsBundle(Buffer.from(JSON.stringify(doc) ?? 'undefined'), 'model.sig'));
      }),
      { numRuns: 3000 },
    );
  });

  it('readOmsStatement: arbitrary bytes are a clean verdict', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => cleanly(() => readOmsStatement(bytes))),
      { numRuns: 1000 },
    );
  });
});
