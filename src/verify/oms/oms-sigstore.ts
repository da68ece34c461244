// model_signing's `sigstore` method (`verify sigstore --identity I --identity-provider P`): the
// bundle's Fulcio certificate, log entry and timestamps checked against a trusted root by the
// Sigstore module (src/verify/sigstore), the signing time taken from the log entry or an RFC 3161
// timestamp (never from the clock: the certificates live ten minutes), and the identity.
import { readBoundedFile } from '../bounded-file';
import { parseSigstoreBundle } from '../sigstore/sigstore-bundle';
import { parseTrustedRoot } from '../sigstore/trusted-root';
import { verifySigstoreBundle } from '../sigstore/verify-bundle';
import { AttestationRejectedError } from '../verification-errors';
import { SigstoreBundleVerifier } from './verify-oms';

/** Who must have signed, and what to trust. */
export interface OmsSigstoreOptions {
  /** The trusted root file (Sigstore's `trusted_root.json`; public-good for model_signing's default). */
  readonly trustedRootPath: string;
  /** The certificate's subject alternative name (model_signing `--identity`). */
  readonly identity: string;
  /** The OIDC issuer recorded in the certificate (model_signing `--identity-provider`). */
  readonly oidcIssuer: string;
}

/** The `sigstore` method's signer check, for {@link verifyOmsSignature}. */
export function omsSigstoreVerifier(options: OmsSigstoreOptions): SigstoreBundleVerifier {
  return async (bundle, source) => {
    const trustedRoot = parseTrustedRoot(await readBoundedFile(options.trustedRootPath, 'trusted root'), options.trustedRootPath);
    if (bundle.material.kind !== 'certificate' && bundle.material.kind !== 'x509CertificateChain') {
      throw new AttestationRejectedError('the bundle is signed with a key, not a Sigstore certificate; verify it with the key method');
    }
    const verified = await verifySigstoreBundle({
      bundle: parseSigstoreBundle(JSON.stringify(bundle.json), source),
      source,
      trustedRoot,
      certificateIdentity: { identity: options.identity, oidcIssuer: options.oidcIssuer },
      requireTlog: true,
    });
    const entry = verified.checks.transparencyLog[0];
    return {
      payload: verified.payload!,
      signer: `${verified.checks.certificate?.identity ?? options.identity} (issuer ${verified.checks.certificate?.oidcIssuer ?? options.oidcIssuer}), log entry ${entry.logIndex}`,
      ...(entry.integratedTime !== undefined ? { signedAt: entry.integratedTime } : {}),
    };
  };
}
