/** A usage mistake about Sigstore evidence (the command exits 2): a missing trusted root, log entry or identity. Has no dependencies, so checking for it loads no @sigstore code. */
export class SigstoreOptionsError extends Error {}
