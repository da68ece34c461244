import { TrustedRoot } from '@sigstore/protobuf-specs';
import { KeyFinderFunc, TrustMaterial, toTrustMaterial } from '@sigstore/verify';
import { AttestationRejectedError, UnreadableInputError } from '../verification-errors';

/** The media types of Sigstore's `trusted_root.json` this reader accepts. */
export const TRUSTED_ROOT_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
];

/** A parsed Sigstore trusted root: the logs, CAs, CT logs and timestamp authorities to trust. */
export interface SigstoreTrustedRoot {
  /** Where it came from, for messages (a file name). */
  readonly source: string;
  /** The protobuf-specs object. */
  readonly root: TrustedRoot;
}

/**
 * Reads Sigstore's `trusted_root.json` (the `TrustedRoot` message of sigstore/protobuf-specs as
 * JSON). Checks what @sigstore/verify takes on trust: every transparency log and CT log has a
 * key with a validity start (a root without one would trust the key for all time, and the
 * conformance suite requires refusing it), every CA has a certificate. Throws
 * {@link UnreadableInputError} naming the field.
 */
export function parseTrustedRoot(bytes: Uint8Array | string, source: string): SigstoreTrustedRoot {
  const what = `trusted root ${source}`;
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new UnreadableInputError(`${what} is not JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UnreadableInputError(`${what} is not a JSON object`);
  const record = json as Record<string, unknown>;
  if (typeof record.mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPES.includes(record.mediaType)) {
    throw new UnreadableInputError(
      `${what} has mediaType ${JSON.stringify(record.mediaType)}, not a Sigstore trusted root (${TRUSTED_ROOT_MEDIA_TYPES.join(', ')})`,
    );
  }
  for (const field of ['tlogs', 'certificateAuthorities', 'ctlogs', 'timestampAuthorities']) {
    if (record[field] !== undefined && !Array.isArray(record[field]))
      throw new UnreadableInputError(`${what} field ${field} is not a list`);
  }
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(json);
  } catch (err) {
    throw new UnreadableInputError(`${what} cannot be read: ${(err as Error).message}`);
  }
  root.tlogs.forEach((log, i) => assertLogInstance(log, `${what} tlogs[${i}]`));
  root.ctlogs.forEach((log, i) => assertLogInstance(log, `${what} ctlogs[${i}]`));
  root.certificateAuthorities.forEach((ca, i) => assertAuthority(ca, `${what} certificateAuthorities[${i}]`));
  root.timestampAuthorities.forEach((ca, i) => assertAuthority(ca, `${what} timestampAuthorities[${i}]`));
  return { source, root };
}

function assertLogInstance(log: TrustedRoot['tlogs'][number], where: string): void {
  if (!log.publicKey?.rawBytes?.length) throw new UnreadableInputError(`${where} has no publicKey.rawBytes`);
  if (!log.logId?.keyId?.length) throw new UnreadableInputError(`${where} has no logId.keyId`);
  // @sigstore/verify reads a missing start as "since the beginning of time": refuse it instead.
  if (!log.publicKey.validFor?.start) throw new UnreadableInputError(`${where} publicKey.validFor has no start`);
}

function assertAuthority(ca: TrustedRoot['certificateAuthorities'][number], where: string): void {
  if (!ca.certChain?.certificates?.length) throw new UnreadableInputError(`${where} has no certChain.certificates`);
  if (!ca.validFor?.start) throw new UnreadableInputError(`${where} validFor has no start`);
}

/**
 * The trust material @sigstore/verify works with: the root's logs and authorities, plus the
 * public key a bundle or envelope is checked with when it is not signed by a Fulcio certificate
 * (valid at every time: cosign's `--key` carries no validity).
 */
export function trustMaterialOf(trustedRoot: SigstoreTrustedRoot, key?: import('node:crypto').KeyObject): TrustMaterial {
  const finder: KeyFinderFunc = () => {
    if (key === undefined) throw new AttestationRejectedError('the bundle is signed with a public key: give it with --key');
    return { publicKey: key, validFor: () => true };
  };
  try {
    return toTrustMaterial(trustedRoot.root, finder);
  } catch (err) {
    throw new UnreadableInputError(
      `trusted root ${trustedRoot.source} holds a key or certificate that cannot be read: ${(err as Error).message}`,
    );
  }
}
