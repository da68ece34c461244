/**
 * cosign's short names for predicate types (`--type`), mapped to the predicateType URI the
 * statement must carry, as in sigstore/cosign `cmd/cosign/cli/options/predicate.go`.
 */
export const COSIGN_PREDICATE_TYPES: Readonly<Record<string, string>> = {
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  link: 'https://in-toto.io/Link/v1',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
};

/** The `--type` used when none is given: SLSA provenance v1, what Tekton Chains `slsa/v2alpha4` writes. */
export const DEFAULT_PREDICATE_TYPE = 'slsaprovenance1';

/**
 * Resolves a cosign `--type` value (a short name, or an absolute URI) to a predicateType URI,
 * or `undefined` when it is neither (cosign refuses it as "invalid predicate type").
 */
export function resolvePredicateType(nameOrUri: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(COSIGN_PREDICATE_TYPES, nameOrUri)) return COSIGN_PREDICATE_TYPES[nameOrUri];
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(nameOrUri) ? nameOrUri : undefined;
}
