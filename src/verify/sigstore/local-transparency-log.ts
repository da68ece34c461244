import { createHash, createPublicKey, KeyObject, sign } from 'node:crypto';
import { json } from '@sigstore/core';

/** Options for {@link LocalTransparencyLog}. */
export interface LocalTransparencyLogOptions {
  /** The log's signing key (ECDSA P-256 private key): it signs entry timestamps and checkpoints. */
  readonly privateKey: KeyObject;
  /** The log's host name: its base URL is `https://HOST`, its checkpoints' origin `HOST - TREEID`. @default 'rekor.rehearsal.invalid' */
  readonly host?: string;
  /** The tree id, a decimal number. @default '1' */
  readonly treeId?: string;
  /** When its key became valid (the trusted root's `validFor.start`). @default 2020-01-01 */
  readonly validFrom?: Date;
}

/** A DSSE signature to log: the envelope, and the PEM of the key or certificate that verifies it. */
export interface LoggedDsse {
  /** The envelope as JSON text (its hash is recorded). */
  readonly envelopeJson: string;
  /** The payload type. */
  readonly payloadType: string;
  /** The payload bytes. */
  readonly payload: Buffer;
  /** The signatures, base64, with the PEM that verifies each. */
  readonly signatures: readonly { readonly sig: string; readonly verifierPem: string }[];
}

/**
 * A transparency log in memory that writes what Rekor v1 writes, with real cryptography: `dsse`
 * 0.0.1 entries (what Tekton Chains uploads), a signed entry timestamp over each, RFC 6962
 * inclusion proofs to a signed checkpoint, and the Rekor API's JSON for an entry. For rehearsals
 * and tests: a whole chain (sign, log, fetch, verify) with no network. Its `trustedRoot()` is the
 * `trusted_root.json` that trusts it.
 */
export class LocalTransparencyLog {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly host: string;
  private readonly treeId: string;
  private readonly validFrom: Date;
  private readonly leaves: { body: Buffer; integratedTime: number }[] = [];

  public constructor(options: LocalTransparencyLogOptions) {
    this.privateKey = options.privateKey;
    this.publicKey = createPublicKey(options.privateKey);
    this.host = options.host ?? 'rekor.rehearsal.invalid';
    this.treeId = options.treeId ?? '1';
    this.validFrom = options.validFrom ?? new Date('2020-01-01T00:00:00Z');
  }

  /** The log id: the sha256 of its public key (DER SubjectPublicKeyInfo). */
  public get logId(): Buffer {
    return createHash('sha256')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest();
  }

  /** Appends a `dsse` 0.0.1 entry; returns its index. */
  public appendDsse(dsse: LoggedDsse, integratedTime: number): number {
    const body = {
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(dsse.envelopeJson)) },
        payloadHash: { algorithm: 'sha256', value: sha256Hex(dsse.payload) },
        signatures: dsse.signatures.map((s) => ({ signature: s.sig, verifier: Buffer.from(s.verifierPem).toString('base64') })),
      },
    };
    return this.appendBody(Buffer.from(json.canonicalize(body)), integratedTime);
  }

  /**
   * Appends an `intoto` 0.0.2 entry (what `cosign attest` uploads): the envelope without its
   * payload, each signature base64-encoded once more, the payload's and envelope's hashes; returns its index.
   */
  public appendIntoto(dsse: LoggedDsse, integratedTime: number): number {
    const body = {
      apiVersion: '0.0.2',
      kind: 'intoto',
      spec: {
        content: {
          envelope: {
            payloadType: dsse.payloadType,
            signatures: dsse.signatures.map((s) => ({
              publicKey: Buffer.from(s.verifierPem).toString('base64'),
              sig: Buffer.from(s.sig).toString('base64'),
            })),
          },
          hash: { algorithm: 'sha256', value: sha256Hex(Buffer.from(dsse.envelopeJson)) },
          payloadHash: { algorithm: 'sha256', value: sha256Hex(dsse.payload) },
        },
      },
    };
    return this.appendBody(Buffer.from(json.canonicalize(body)), integratedTime);
  }

  /** Appends an entry with this exact canonicalized body (any kind); returns its index. */
  public appendBody(body: Buffer, integratedTime: number): number {
    this.leaves.push({ body, integratedTime });
    return this.leaves.length - 1;
  }

  /** What `GET /api/v1/log/entries?logIndex=N` answers, for the tree as it is now. */
  public entryJson(logIndex: number): Record<string, unknown> {
    const leaf = this.leaves[logIndex];
    if (leaf === undefined) throw new Error(`no entry ${logIndex} in the local log`);
    const logID = this.logId.toString('hex');
    const bodyBase64 = leaf.body.toString('base64');
    const setPayload = json.canonicalize({ body: bodyBase64, integratedTime: leaf.integratedTime, logIndex, logID });
    const set = sign('sha256', Buffer.from(setPayload), this.privateKey);
    const hashes = this.leaves.map((l) => leafHash(l.body));
    const size = hashes.length;
    const root = treeHash(hashes);
    const note = `${this.host} - ${this.treeId}\n${size}\n${root.toString('base64')}\n`;
    const noteSignature = Buffer.concat([this.logId.subarray(0, 4), sign('sha256', Buffer.from(note), this.privateKey)]);
    const uuid = `${BigInt(this.treeId).toString(16).padStart(16, '0')}${leafHash(leaf.body).toString('hex')}`;
    return {
      [uuid]: {
        body: bodyBase64,
        integratedTime: leaf.integratedTime,
        logID,
        logIndex,
        verification: {
          inclusionProof: {
            checkpoint: `${note}\n\u2014 ${this.host} ${noteSignature.toString('base64')}\n`,
            hashes: inclusionPath(logIndex, hashes).map((h) => h.toString('hex')),
            logIndex,
            rootHash: root.toString('hex'),
            treeSize: size,
          },
          signedEntryTimestamp: set.toString('base64'),
        },
      },
    };
  }

  /** The `trusted_root.json` that trusts this log (and no CA: keys only). */
  public trustedRoot(): Record<string, unknown> {
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: `https://${this.host}`,
          hashAlgorithm: 'SHA2_256',
          publicKey: {
            rawBytes: this.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            validFor: { start: this.validFrom.toISOString() },
          },
          logId: { keyId: this.logId.toString('base64') },
        },
      ],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    };
  }
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function leafHash(body: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(body)
    .digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 MTH over leaf hashes. */
function treeHash(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0];
  const k = split(hashes.length);
  return nodeHash(treeHash(hashes.slice(0, k)), treeHash(hashes.slice(k)));
}

/** RFC 6962 PATH(m, D[n]): the audit path, lowest level first. */
function inclusionPath(m: number, hashes: readonly Buffer[]): Buffer[] {
  if (hashes.length <= 1) return [];
  const k = split(hashes.length);
  return m < k
    ? [...inclusionPath(m, hashes.slice(0, k)), treeHash(hashes.slice(k))]
    : [...inclusionPath(m - k, hashes.slice(k)), treeHash(hashes.slice(0, k))];
}
