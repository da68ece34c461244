import type { TransparencyLogEntry } from '@sigstore/bundle';
import { DsseEnvelope } from '../dsse-envelope';
import { VerificationKey } from '../verification-key';
import { SigstoreChecks, verifySigstoreEvidence } from './sigstore-evidence';
import { signedEntityOfEnvelope } from './signed-entity';
import { SigstoreTrustedRoot } from './trusted-root';

/** Options for {@link verifyEnvelopeLogEntries}. */
export interface VerifyEnvelopeLogEntriesOptions {
  /** The envelope, whose signature at `signatureIndex` already verified with `key`. */
  readonly envelope: DsseEnvelope;
  /** Which signature verified. */
  readonly signatureIndex: number;
  /** The key that verified it. */
  readonly key: VerificationKey;
  /** The log entries saved beside the envelope (read with `parseRekorEntry`). */
  readonly entries: readonly TransparencyLogEntry[];
  /** The logs to trust. */
  readonly trustedRoot: SigstoreTrustedRoot;
  /** The clock. @default new Date() */
  readonly now?: Date;
}

/**
 * Checks, offline, that a key-signed DSSE envelope (what Chains signs with `cosign.key`) is in a
 * transparency log: each entry's signed entry timestamp and inclusion proof against the trusted
 * root's log keys, and that its body is this envelope's payload, this signature and this key.
 * Throws `AttestationRejectedError` saying which check failed.
 */
export function verifyEnvelopeLogEntries(options: VerifyEnvelopeLogEntriesOptions): SigstoreChecks {
  const entity = signedEntityOfEnvelope(options.envelope, options.signatureIndex, options.entries, options.key);
  return verifySigstoreEvidence(entity, {
    trustedRoot: options.trustedRoot,
    key: options.key.keyObject,
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
}
