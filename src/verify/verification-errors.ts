/**
 * Input that cannot be read or parsed at all: a missing file, a key that is not a public key,
 * an envelope file that is not JSON. The command exits 2 for it; the library reports it as
 * `failure: 'unreadable'`.
 */
export class UnreadableInputError extends Error {
  public constructor(message: string) {
    super(oneLine(message));
    this.name = 'UnreadableInputError';
  }
}

/**
 * Input that was read and judged not to verify: a signature that does not match, a statement
 * about another digest, a policy that is not met. The command exits 1 for it; the library
 * reports it as `failure: 'rejected'`.
 */
export class AttestationRejectedError extends Error {
  public constructor(message: string) {
    super(oneLine(message));
    this.name = 'AttestationRejectedError';
  }
}

/**
 * Collapses control characters (newlines included) to spaces: messages quote input (JSON
 * snippets, builder ids, file names), and a reason must stay one line.
 */
export function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}
