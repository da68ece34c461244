// The Sigstore client conformance suite's bundle-verification cases (../shared/sigstore/conformance):
// a folder ending in _fail must fail, every other must verify.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseInTotoStatement } from '../src/verify/in-toto-statement';
import { parseSigstoreBundle } from '../src/verify/sigstore/sigstore-bundle';
import { parseTrustedRoot } from '../src/verify/sigstore/trusted-root';
import { verifySigstoreBundle } from '../src/verify/sigstore/verify-bundle';
import { parsePublicKeyPem } from '../src/verify/verification-key';
import { AttestationRejectedError, UnreadableInputError } from '../src/verify/verification-errors';

const SHARED = path.resolve(__dirname, '..', '..', 'shared', 'sigstore');
const CONFORMANCE = path.join(SHARED, 'conformance');
const available = existsSync(CONFORMANCE);
if (!available) console.log(`skipping the Sigstore conformance cases: ${CONFORMANCE} is absent (it sits beside the checkout)`);

const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Cases this verifier does not support, which therefore fail closed (and are listed in the README).
 * Each is a passing case upstream: the test asserts that it fails, with the reason shown here.
 */
export const UNSUPPORTED_CONFORMANCE_CASES: Readonly<Record<string, string>> = {};

/** Runs one case: the verdict and its one-line reason. */
export async function runConformanceCase(dir: string): Promise<{ verified: boolean; reason: string }> {
  const read = (name: string): Buffer | undefined => (existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name)) : undefined);
  try {
    const trustedRoot = parseTrustedRoot(
      read('trusted_root.json') ?? readFileSync(path.join(SHARED, 'trusted_root.public-good.json')),
      'trusted_root.json',
    );
    const bundle = parseSigstoreBundle(readFileSync(path.join(dir, 'bundle.sigstore.json')), 'bundle.sigstore.json');
    const artifactPath = existsSync(path.join(dir, 'artifact')) ? path.join(dir, 'artifact') : path.join(CONFORMANCE, 'a.txt');
    const artifact = readFileSync(artifactPath);
    const keyPem = read('key.pub');
    const result = await verifySigstoreBundle({
      bundle,
      source: 'bundle.sigstore.json',
      trustedRoot,
      // A message signature is read as the command reads a model: streamed from the file.
      ...(bundle.content.$case === 'messageSignature' ? { artifactPath } : { artifact }),
      ...(keyPem !== undefined
        ? { key: parsePublicKeyPem(keyPem.toString('utf8'), 'key.pub').keyObject }
        : {
            certificateIdentity: {
              identity: (read('identity')?.toString() ?? DEFAULT_IDENTITY).trim(),
              oidcIssuer: (read('issuer')?.toString() ?? DEFAULT_ISSUER).trim(),
            },
          }),
    });
    if (result.content === 'dsse') {
      // The artifact is the attestation's subject: this package's own subject check.
      const sha256 = createHash('sha256').update(artifact).digest('hex');
      const statement = parseInTotoStatement(result.payload!);
      if (!statement.subjects.some((subject) => subject.digest.sha256 === sha256))
        return { verified: false, reason: `no subject matches sha256:${sha256}` };
    }
    return { verified: true, reason: `verified with ${result.checks.transparencyLog.length} log entries` };
  } catch (err) {
    if (err instanceof AttestationRejectedError || err instanceof UnreadableInputError) return { verified: false, reason: err.message };
    throw err;
  }
}

const cases = available
  ? readdirSync(CONFORMANCE, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  : [];

(available ? describe : describe.skip)('Sigstore conformance bundle cases', () => {
  const verdicts: string[] = [];
  let expected = 0;
  // The figure the README quotes; SIGSTORE_CONFORMANCE_VERBOSE=1 prints each case's verdict and reason.
  afterAll(() =>
    console.log(
      [
        `sigstore conformance: ${expected} of ${cases.length} cases give the expected verdict`,
        ...(process.env.SIGSTORE_CONFORMANCE_VERBOSE ? verdicts : []),
      ].join('\n'),
    ),
  );

  test.each(cases)('%s', async (name) => {
    const verdict = await runConformanceCase(path.join(CONFORMANCE, name));
    verdicts.push(`${verdict.verified ? 'PASS' : 'FAIL'} ${name}: ${verdict.reason}`);
    const shouldVerify = !name.endsWith('_fail') && UNSUPPORTED_CONFORMANCE_CASES[name] === undefined;
    if (verdict.verified === shouldVerify) expected++;
    expect(verdict.verified).toBe(shouldVerify);
  });
});
