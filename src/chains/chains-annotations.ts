/**
 * Where Tekton Chains v0.29.2's `tekton` storage keeps a run's attestation: annotations on the run
 * (`pkg/chains/storage/tekton/tekton.go`, keys `chains.tekton.dev/{payload,signature,cert,chain}-<kind>-<uid>`,
 * values base64) and `chains.tekton.dev/signed: "true"` once signed. Plain data, no cdk8s: the rehearsal
 * writes these annotations and `src/verify` reads them.
 */

/** The prefix of every annotation Chains writes. */
export const CHAINS_ANNOTATION_PREFIX = 'chains.tekton.dev/';

/** Set to `"true"` once Chains has signed the run. */
export const CHAINS_SIGNED_ANNOTATION = `${CHAINS_ANNOTATION_PREFIX}signed`;

/** The Rekor entry Chains uploaded the signature to (transparency on): `https://HOST/api/v1/log/entries?logIndex=N`. */
export const CHAINS_TRANSPARENCY_ANNOTATION = `${CHAINS_ANNOTATION_PREFIX}transparency`;

/** The kinds whose attestations Chains stores on the run (its lower-case kind is part of the key). */
export type ChainsAnnotatedKind = 'pipelinerun' | 'taskrun';

/** The annotation holding the base64 DSSE envelope of a run (`kind` lower-case, e.g. `pipelinerun`), without the uid. */
export function chainsSignatureAnnotationPrefix(kind: ChainsAnnotatedKind): string {
  return `${CHAINS_ANNOTATION_PREFIX}signature-${kind}-`;
}

/**
 * The annotations Chains' `tekton` storage writes for a run signed with a key: the payload (the statement
 * bytes) and the envelope, base64; cert and chain empty (no certificate); `signed: "true"`.
 */
export function chainsAnnotations(kind: ChainsAnnotatedKind, uid: string, payload: Buffer, envelope: unknown): Record<string, string> {
  const key = `${kind}-${uid}`;
  return {
    [`${CHAINS_ANNOTATION_PREFIX}payload-${key}`]: payload.toString('base64'),
    [`${CHAINS_ANNOTATION_PREFIX}signature-${key}`]: Buffer.from(JSON.stringify(envelope)).toString('base64'),
    [`${CHAINS_ANNOTATION_PREFIX}cert-${key}`]: '',
    [`${CHAINS_ANNOTATION_PREFIX}chain-${key}`]: '',
    [CHAINS_SIGNED_ANNOTATION]: 'true',
  };
}

/** True for an annotation Chains writes once it has signed (storage, `signed`, `transparency`): absent when it signed. */
export function isChainsResultAnnotation(key: string): boolean {
  return (
    /^chains\.tekton\.dev\/(payload|signature|cert|chain)-/.test(key) ||
    key === CHAINS_SIGNED_ANNOTATION ||
    key === CHAINS_TRANSPARENCY_ANNOTATION
  );
}

/** The run as Chains saw it when it signed: without the annotations its signing added afterwards. */
export function withoutChainsResultAnnotations<T extends { readonly metadata?: { readonly annotations?: Record<string, string> } }>(
  run: T,
): T {
  const annotations = run.metadata?.annotations;
  if (!annotations || !Object.keys(annotations).some(isChainsResultAnnotation)) return run;
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) if (!isChainsResultAnnotation(key)) kept[key] = value;
  const metadata: Record<string, unknown> = { ...run.metadata, annotations: kept };
  // The API server keeps no empty map: without annotations left, the field is absent (nil in Go).
  if (Object.keys(kept).length === 0) delete metadata.annotations;
  return { ...run, metadata };
}
