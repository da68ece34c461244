/**
 * Input that cannot be read or parsed at all: a missing file, a key that is not a public key,
 * an envelope file that is not JSON. The command exits 2 for it; the library reports it as
 * `failure: 'unreadable'`.
 */
export class UnreadableInputError extends Error {
  public constructor(message: string) {
    super(message);
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
    super(message);
    this.name = 'AttestationRejectedError';
  }
}
