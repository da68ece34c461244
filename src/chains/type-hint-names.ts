// The names and digest syntax of Tekton Chains v0.29.2 type hinting, apart from the rest of
// type-hinting.ts so that the verifier (and the bundles that carry it into a step) can read
// recorded results without the whole table.

/** The name suffixes (and exact names) Chains looks for. */
export const TYPE_HINT_NAMES = {
  imageUrl: 'IMAGE_URL',
  imageDigest: 'IMAGE_DIGEST',
  images: 'IMAGES',
  artifactUri: 'ARTIFACT_URI',
  artifactDigest: 'ARTIFACT_DIGEST',
  artifactOutputs: 'ARTIFACT_OUTPUTS',
  artifactInputs: 'ARTIFACT_INPUTS',
  gitUrl: 'CHAINS-GIT_URL',
  gitCommit: 'CHAINS-GIT_COMMIT',
  isBuildArtifact: 'isBuildArtifact',
} as const;

/**
 * Parses an `alg:hex` digest as Chains' `ParseDigest` does: exactly one colon; the algorithm is trimmed and
 * lower-cased; sha256/sha384/sha512 need 64/96/128 lowercase hex characters, sha1 40; anything else is refused.
 * Returns `undefined` when Chains would reject the digest.
 */
export function parseChainsDigest(digest: string): { algorithm: string; hex: string } | undefined {
  const parts = digest.split(':');
  if (parts.length !== 2) return undefined;
  const algorithm = parts[0].trim().toLowerCase();
  const hex = parts[1].trim();
  const lengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128, sha1: 40 };
  const length = lengths[algorithm];
  if (length === undefined) return undefined;
  if (hex.length !== length || !/^[a-f0-9]*$/.test(hex)) return undefined;
  return { algorithm, hex };
}
