import { decodeStrictBase64 } from '../strict-base64';

/** The body of a transparency log checkpoint (C2SP signed note), as read; its signatures are checked elsewhere. */
export interface Checkpoint {
  /** The first line: the log's origin, e.g. `rekor.sigstore.dev - 1193050959916656506`. */
  readonly origin: string;
  /** The tree size the checkpoint commits to. */
  readonly treeSize: bigint;
  /** The tree's root hash. */
  readonly rootHash: Buffer;
  /** The names on its signature lines (`— NAME BASE64`). */
  readonly signerNames: readonly string[];
}

/**
 * Reads a checkpoint (https://c2sp.org/tlog-checkpoint, a signed note): origin line, decimal tree
 * size, base64 root hash, optional extension lines, a blank line, then one or more signature lines.
 * Returns a reason string when it is malformed (never throws), so callers and fuzzing see one verdict.
 */
export function parseCheckpoint(text: string): Checkpoint | string {
  if (typeof text !== 'string') return 'checkpoint is not text';
  const split = text.indexOf('\n\n');
  if (split < 0) return 'checkpoint has no blank line between its body and its signatures';
  const lines = text.slice(0, split).split('\n');
  if (lines.length < 3) return 'checkpoint body has fewer than three lines (origin, size, root hash)';
  const [origin, size, root] = lines;
  if (origin === '' || /\s$/.test(origin) || /^\s/.test(origin)) return 'checkpoint origin line is empty or padded';
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size)) return `checkpoint size line ${JSON.stringify(size.slice(0, 40))} is not a decimal number`;
  const rootHash = decodeStrictBase64(root);
  if (!rootHash.ok || rootHash.bytes.length !== 32) return 'checkpoint root hash is not 32 bytes of base64';
  const signatureLines = text.slice(split + 2).split('\n');
  if (signatureLines[signatureLines.length - 1] === '') signatureLines.pop();
  const signerNames: string[] = [];
  for (const line of signatureLines) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) return 'checkpoint has a signature line that is not "— NAME BASE64"';
    signerNames.push(match[1]);
  }
  if (signerNames.length === 0) return 'checkpoint has no signature lines';
  return { origin, treeSize: BigInt(size), rootHash: rootHash.bytes, signerNames };
}
