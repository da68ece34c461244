import * as crypto from 'node:crypto';
import { CHAINS_TRANSPARENCY_ANNOTATION } from '../chains/chains-annotations';
import { LocalTransparencyLog } from '../verify/sigstore/local-transparency-log';
import { publicKeyPemOf } from './cosign-key';
import { SignedDsseEnvelope } from './dsse-signing';

/** The host of the rehearsal's own log (`.invalid`: it names no real server). */
export const REHEARSAL_LOG_HOST = 'rekor.rehearsal.invalid';

/** What logging an envelope in the rehearsal's log gives: the annotation Chains writes, the entry and the root that trusts the log. */
export interface RehearsalLogEntry {
  /** `chains.tekton.dev/transparency`: the entry's URL, as Chains writes it after uploading to Rekor. */
  readonly annotations: Record<string, string>;
  /** Rekor's JSON for the entry (what scripts/fetch-attestation.sh saves as rekor-entry.json). */
  readonly entryJson: string;
  /** The trusted_root.json holding the log's public key. */
  readonly trustedRootJson: string;
}

/**
 * Logs a signed envelope as Chains does with `transparency.enabled` (a `dsse` 0.0.1 entry), in a
 * transparency log of the rehearsal's own, with a fresh log key and real cryptography (signed
 * entry timestamp, inclusion proof, signed checkpoint), so that verify's log check runs whole.
 */
export function logInRehearsalLog(
  envelope: SignedDsseEnvelope,
  payload: Buffer,
  signingKey: crypto.KeyObject,
  now: Date = new Date(),
): RehearsalLogEntry {
  const log = new LocalTransparencyLog({
    privateKey: crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    host: REHEARSAL_LOG_HOST,
  });
  const verifierPem = publicKeyPemOf(signingKey);
  const index = log.appendDsse(
    {
      envelopeJson: JSON.stringify(envelope),
      payloadType: envelope.payloadType,
      payload,
      signatures: envelope.signatures.map((s) => ({ sig: s.sig, verifierPem })),
    },
    Math.floor(now.getTime() / 1000),
  );
  return {
    annotations: { [CHAINS_TRANSPARENCY_ANNOTATION]: `https://${REHEARSAL_LOG_HOST}/api/v1/log/entries?logIndex=${index}` },
    entryJson: `${JSON.stringify(log.entryJson(index), null, 2)}\n`,
    trustedRootJson: `${JSON.stringify(log.trustedRoot(), null, 2)}\n`,
  };
}
