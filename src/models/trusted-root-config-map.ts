/**
 * The ConfigMap Sigstore's trusted root is published into (`scripts/deploy-model.sh` and
 * `scripts/run-pipeline.sh` with `TRUSTED_ROOT` set), and its key: read by the deploy gate's log
 * check and OMS identity check, and by the training task's check of a base model signed by identity.
 * A module of its own so that the verifier program names it without loading the constructs.
 */
export const TRUSTED_ROOT_CONFIG_MAP = { name: 'slsa-for-models-trusted-root', key: 'trusted_root.json' } as const;
