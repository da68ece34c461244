/**
 * The Tasks of the deploy gate Pipeline. Four of them run the gate's commands (deploy-gate-program.ts)
 * of the bundled verifier in the pinned Node.js image, after checking that the ConfigMap still holds
 * the very bundle entry this Task was synthesized with (its sha256 is in the step script; the entry
 * pins the other parts, each in a ConfigMap of its own, projected into one directory; see
 * verifier-config-maps.ts); one downloads the model with gcloud.
 * Every step runs with the hardened security context of the training pipeline.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Env } from '../tekton/step';
import { Task } from '../tekton/task';
import { TaskVolume } from '../tekton/task-volume';
import { TaskContext } from '../tekton/context';
import { DeployGatePolicyJson, SUPPLIED_LOG_ENTRY } from './deploy-gate-program';
import { NODE_IMAGE } from './deploy-images';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { GCLOUD_IMAGE } from './images';
import { TRUSTED_ROOT_CONFIG_MAP } from './trusted-root-config-map';
import { VERIFIER_CONFIG_MAP, VerifierBundle } from './verifier-bundle';
import { verifierProjection } from './verifier-config-maps';

/** The Rekor Chains uploads to by default (its `transparency.url`). */
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev';

/** The ConfigMap `scripts/generate-signing-key.sh` publishes the Chains public key into, and its key. */
export const SIGNING_KEY_CONFIG_MAP = { name: 'slsa-for-models-signing-key', key: 'cosign.pub' } as const;

const VERIFIER_DIRECTORY = '/verifier';
const TRUSTED_ROOT_DIRECTORY = '/trusted-root';
const SCRATCH_DIRECTORY = '/scratch';
const KEY_DIRECTORY = '/signing-key';

/** What every gate Task needs to know about the bundle. */
export interface GateTaskProps {
  /** The bundled verifier: its entry's sha256 (the step refuses any other file) and the names of its parts. */
  readonly bundle: Pick<VerifierBundle, 'sha256'> & { readonly files: readonly { readonly name: string }[] };
  /** Metadata of the Task. @default - name `slsa-for-models-deploy-<what>` */
  readonly metadata?: ApiObjectMetadata;
}

/** Every part's ConfigMap, projected into one directory. */
function verifierVolume(props: GateTaskProps): TaskVolume {
  return { name: 'verifier', projected: { sources: verifierProjection(props.bundle) } };
}

/** The step script: check the bundle's digest, then run one gate command (after `preamble`, shell lines). */
export function gateScript(bundleSha256: string, command: string, preamble?: string): string {
  const file = `${VERIFIER_DIRECTORY}/${VERIFIER_CONFIG_MAP.key}`;
  return `#!/bin/sh
set -eu
if ! printf '%s  %s\\n' '${bundleSha256}' '${file}' | sha256sum -c --status; then
  echo 'deploy-gate: ${command} failed: ConfigMap ${VERIFIER_CONFIG_MAP.name} does not hold the verifier this Task was made with (sha256 ${bundleSha256}); kubectl apply -f dist again' >&2
  exit 1
fi
${preamble === undefined ? '' : `${preamble}\n`}exec node '${file}' ${command}
`;
}

function gateStep(
  task: Task<any, any, any>,
  props: GateTaskProps,
  command: string,
  env: Env,
  extraMounts: { name: string; mountPath: string; readOnly?: boolean }[] = [],
  preamble?: string,
) {
  return task.addStep({
    name: command,
    image: NODE_IMAGE,
    securityContext: HARDENED_STEP_SECURITY_CONTEXT,
    env: { HOME: '/tmp', ...env },
    volumeMounts: [{ name: 'verifier', mountPath: VERIFIER_DIRECTORY, readOnly: true }, ...extraMounts],
    script: gateScript(props.bundle.sha256, command, preamble),
  });
}

const GATE_PARAMS = {
  'training-run': { description: 'The name of the training PipelineRun, in this namespace.' },
  'served-model-name': { description: 'The model name TorchServe serves it under.' },
  'gcloud-image': { description: 'The Google Cloud CLI image for the download, pinned by digest.', default: GCLOUD_IMAGE },
} as const;
const GATE_RESULTS = {
  'model-uri': { description: 'The model as the training run recorded it (Artifact Registry).' },
  sha256: { description: 'The sha256 of the verified model (written only when every check passed).' },
  directory: { description: 'The promoted copy, relative to the store: sha256-<hex>.' },
  'package-sha256': { description: 'The sha256 of the TorchServe archive made from the verified bytes.' },
} as const;
const GATE_WORKSPACES = {
  store: {
    description: 'Where the server reads models (a PersistentVolumeClaim KServe mounts with pvc://); only the promote step writes it.',
  },
  'training-run': {
    description: `Optional: the training PipelineRun as JSON (pipelinerun.json, from kubectl get pipelinerun NAME -o json), read instead of asking the Kubernetes API; with its Rekor entry beside it (${SUPPLIED_LOG_ENTRY}, as scripts/fetch-attestation.sh saves it) the log entry is not fetched either.`,
    optional: true,
    readOnly: true,
  },
} as const;

/** Props of the `DeployGateTask`. */
export interface DeployGateTaskProps extends GateTaskProps {
  /** The policy, rendered. */
  readonly policy: DeployGatePolicyJson;
  /** The Rekor the training runs' entries are fetched from (Chains' `transparency.url`). @default DEFAULT_REKOR_URL */
  readonly rekorUrl?: string;
  /** The OMS signature's file name beside the model in Artifact Registry, when the policy requires one. @default - none is downloaded */
  readonly omsSignatureFile?: string;
  /**
   * A Secret holding the gate's own OMS signing key (key `gate.key`: an ECDSA P-256/P-384 private key,
   * PEM, unencrypted); promote then signs the promoted copy (`model.sig` inside it). Mounted into the
   * promote step only. @default - the promoted copy is not signed
   */
  readonly omsSigningKeySecret?: string;
  /** A GCS bucket to copy the promoted copy to (`gs://BUCKET/sha256-<hex>/`), from where KServe serves it. @default - served from the store claim */
  readonly gcsBucket?: string;
}

/** The key in the gate's OMS signing key Secret. */
export const OMS_SIGNING_KEY_FILE = 'gate.key';

/** The download step (bash and gcloud; the coordinates come from the fetch step). */
export const DOWNLOAD_MODEL_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
# LOCATION, REPOSITORY, PACKAGE, VERSION, FILE: written by the fetch step, each checked against a
# pattern of characters that are safe as shell words
. "${SCRATCH_DIRECTORY}/coordinates.env"
CLOUDSDK_CONFIG="$(mktemp -d)"
export CLOUDSDK_CONFIG
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
dir="${SCRATCH_DIRECTORY}/model"
mkdir -p "$dir"
gcloud artifacts generic download \\
  --location="$LOCATION" \\
  --repository="$REPOSITORY" \\
  --package="$PACKAGE" \\
  --version="$VERSION" \\
  --name="$FILE" \\
  --destination="$dir"
if [ ! -f "$dir/$FILE" ]; then echo "deploy-gate: download failed: $PACKAGE:$VERSION:$FILE was not downloaded" >&2; exit 1; fi
echo "deploy-gate: downloaded $PACKAGE:$VERSION:$FILE ($(wc -c < "$dir/$FILE") bytes); nothing is trusted before the verify step"
# the publisher's OMS signature, when the policy requires one (OMS_SIGNATURE_FILE: a plain file name, checked at synth)
if [ -n "\${OMS_SIGNATURE_FILE:-}" ]; then
  oms="${SCRATCH_DIRECTORY}/oms"
  mkdir -p "$oms"
  gcloud artifacts generic download \\
    --location="$LOCATION" \\
    --repository="$REPOSITORY" \\
    --package="$PACKAGE" \\
    --version="$VERSION" \\
    --name="$OMS_SIGNATURE_FILE" \\
    --destination="$oms"
  if [ ! -f "$oms/$OMS_SIGNATURE_FILE" ]; then echo "deploy-gate: download failed: $PACKAGE:$VERSION:$OMS_SIGNATURE_FILE (the OMS signature) was not downloaded" >&2; exit 1; fi
fi
`;

/**
 * Copies the promoted copy to a GCS bucket under the same digest-named prefix (bash and gcloud):
 * each file goes up only if no object has its name (`--if-generation-match=0`); an object that is
 * already there is downloaded and must have the same sha256, else the step fails (a re-run is
 * harmless, a swapped object is refused, never served).
 * Inputs: PROMOTED (the store), DIRECTORY_FILE (holds sha256-<hex>, the promote result), BUCKET.
 */
export const UPLOAD_GCS_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
CLOUDSDK_CONFIG="$(mktemp -d)"
export CLOUDSDK_CONFIG
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
DIRECTORY="$(cat "$DIRECTORY_FILE")"
[[ "$DIRECTORY" =~ ^sha256-[0-9a-f]{64}$ ]] || { echo "deploy-gate: upload-gcs failed: $DIRECTORY is not a promoted copy (sha256-<hex>)" >&2; exit 1; }
[[ "$BUCKET" =~ ^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$ ]] || { echo "deploy-gate: upload-gcs failed: $BUCKET is not a bucket name" >&2; exit 1; }
cd "$PROMOTED/$DIRECTORY"
check="$(mktemp -d)"
while IFS= read -r file; do
  file="\${file#./}"
  object="gs://$BUCKET/$DIRECTORY/$file"
  if gcloud storage objects describe "$object" --format='value(name)' >/dev/null 2>&1; then
    # already there (a re-run, or someone else's object): it must hold these very bytes
    rm -f "$check/object"
    gcloud storage cp "$object" "$check/object"
    if [ "$(sha256sum < "$check/object")" != "$(sha256sum < "$file")" ]; then
      echo "deploy-gate: upload-gcs failed: $object exists and differs from the verified copy; refusing to serve it" >&2
      exit 1
    fi
  else
    gcloud storage cp "$file" "$object" --if-generation-match=0
  fi
done < <(find . -type f | LC_ALL=C sort)
echo "deploy-gate: the promoted copy is gs://$BUCKET/$DIRECTORY"
`;

/** Reads the file name the fetch step found, for the verify and promote steps. */
const MODEL_FROM_COORDINATES = `. '${SCRATCH_DIRECTORY}/coordinates.env'
MODEL="${SCRATCH_DIRECTORY}/model/$FILE"
export MODEL`;

/**
 * The gate: one pod, four steps, so the model never leaves the pod between being verified and being
 * promoted (and only one PersistentVolumeClaim, the store, is bound, as Tekton's affinity assistant
 * requires). A failing step stops the rest.
 *  1. fetch-run: get the training PipelineRun through the Kubernetes API (the ServiceAccount may only
 *     `get` pipelineruns) and read where its model was uploaded;
 *  2. download: the model from Artifact Registry, with gcloud (Workload Identity);
 *  3. verify: signature (the Chains public key from a ConfigMap), predicate type, subject = the file's
 *     sha256, and the policy, with the project's own verifier;
 *  4. promote: only those verified bytes, under their digest, into the store, packaged for TorchServe.
 */
export class DeployGateTask extends Task<typeof GATE_PARAMS, typeof GATE_RESULTS, typeof GATE_WORKSPACES> {
  public constructor(scope: Construct, id: string, props: DeployGateTaskProps) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-deploy-gate', ...props.metadata },
      description:
        'Fetches the training run and its model, verifies the model against the signed provenance and the policy, and promotes only the verified bytes under their digest.',
      params: GATE_PARAMS,
      results: GATE_RESULTS,
      workspaces: GATE_WORKSPACES,
    });
    const rekorUrl = props.rekorUrl ?? DEFAULT_REKOR_URL;
    if (!/^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[A-Za-z0-9._~-]+)*$/.test(rekorUrl))
      throw new Error(`[${this.node.path}] rekorUrl "${rekorUrl}" is not an https URL of a Rekor (https://HOST[/PATH], no trailing slash)`);
    const checkLog = props.policy.insecureIgnoreTlog !== true;
    const omsSignatureFile = props.policy.omsPublisher === undefined ? undefined : (props.omsSignatureFile ?? 'model.sig');
    // the trusted root: for the log check, and for a publisher named by a Sigstore identity
    const needsRoot = checkLog || props.policy.omsPublisher?.identity !== undefined;
    this.addVolume(verifierVolume(props));
    this.addVolume({ name: 'scratch', emptyDir: {} });
    // the whole ConfigMap: cosign.pub, and earlier keys as other *.pub keys during a key rotation
    this.addVolume({ name: 'signing-key', configMap: { name: SIGNING_KEY_CONFIG_MAP.name } });
    // optional, so that a missing root is the gate's one line ("no trusted root"), not a pod that never starts
    if (needsRoot) this.addVolume({ name: 'trusted-root', configMap: { name: TRUSTED_ROOT_CONFIG_MAP.name, optional: true } });
    if (props.omsSigningKeySecret !== undefined) {
      this.addVolume({
        name: 'oms-signing-key',
        secret: {
          secretName: props.omsSigningKeySecret,
          items: [{ key: OMS_SIGNING_KEY_FILE, path: OMS_SIGNING_KEY_FILE }],
          defaultMode: 0o440,
        },
      });
    }
    const scratch = { name: 'scratch', mountPath: SCRATCH_DIRECTORY };
    const logEntryFile = `${SCRATCH_DIRECTORY}/rekor-entry.json`;
    gateStep(
      this,
      props,
      'fetch-run',
      {
        TRAINING_RUN: this.params['training-run'],
        NAMESPACE: TaskContext.taskRunNamespace,
        RUN_FILE: `${SCRATCH_DIRECTORY}/training-run.json`,
        COORDINATES_FILE: `${SCRATCH_DIRECTORY}/coordinates.env`,
        MODEL_URI_RESULT: this.results['model-uri'].path,
        SUPPLIED_RUN_BOUND: this.workspaces['training-run'].bound,
        SUPPLIED_RUN: `${this.workspaces['training-run'].path}/pipelinerun.json`,
        ...(checkLog ? { REKOR_ENTRY_FILE: logEntryFile, REKOR_URL: rekorUrl } : {}),
      },
      [scratch],
    );
    this.addStep({
      name: 'download',
      image: String(this.params['gcloud-image']),
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      env: { HOME: '/tmp', ...(omsSignatureFile === undefined ? {} : { OMS_SIGNATURE_FILE: omsSignatureFile }) },
      volumeMounts: [scratch],
      script: DOWNLOAD_MODEL_SCRIPT,
    });
    gateStep(
      this,
      props,
      'verify',
      {
        KEY: KEY_DIRECTORY,
        RUN_FILE: `${SCRATCH_DIRECTORY}/training-run.json`,
        POLICY: JSON.stringify(props.policy),
        SHA256_RESULT: this.results.sha256.path,
        ...(checkLog ? { REKOR_ENTRY: logEntryFile } : {}),
        ...(needsRoot ? { TRUSTED_ROOT: `${TRUSTED_ROOT_DIRECTORY}/${TRUSTED_ROOT_CONFIG_MAP.key}` } : {}),
        ...(omsSignatureFile === undefined ? {} : { OMS_SIGNATURE: `${SCRATCH_DIRECTORY}/oms/${omsSignatureFile}` }),
      },
      [
        scratch,
        { name: 'signing-key', mountPath: KEY_DIRECTORY, readOnly: true },
        ...(needsRoot ? [{ name: 'trusted-root', mountPath: TRUSTED_ROOT_DIRECTORY, readOnly: true }] : []),
      ],
      MODEL_FROM_COORDINATES,
    );
    gateStep(
      this,
      props,
      'promote',
      {
        SHA256_FILE: this.results.sha256.path,
        STORE: this.workspaces.store.path,
        SERVED_MODEL_NAME: this.params['served-model-name'],
        DIRECTORY_RESULT: this.results.directory.path,
        PACKAGE_SHA256_RESULT: this.results['package-sha256'].path,
        ...(props.omsSigningKeySecret === undefined ? {} : { OMS_SIGNING_KEY: `/oms-signing-key/${OMS_SIGNING_KEY_FILE}` }),
      },
      [
        scratch,
        ...(props.omsSigningKeySecret === undefined ? [] : [{ name: 'oms-signing-key', mountPath: '/oms-signing-key', readOnly: true }]),
      ],
      MODEL_FROM_COORDINATES,
    );
    if (props.gcsBucket !== undefined) {
      this.addStep({
        name: 'upload-gcs',
        image: String(this.params['gcloud-image']),
        securityContext: HARDENED_STEP_SECURITY_CONTEXT,
        env: { HOME: '/tmp', PROMOTED: this.workspaces.store.path, DIRECTORY_FILE: this.results.directory.path, BUCKET: props.gcsBucket },
        script: UPLOAD_GCS_SCRIPT,
      });
    }
  }
}

const DEPLOY_PARAMS = {
  directory: { description: 'The promoted copy, relative to the store.' },
  sha256: { description: 'The verified sha256 the copy is named after.' },
} as const;
const DEPLOY_RESULTS = { name: { description: 'The InferenceService applied.' } } as const;

/** Props of the `DeployModelTask`. */
export interface DeployModelTaskProps extends GateTaskProps {
  /** The InferenceService to apply, without its storageUri (plain JSON). */
  readonly inferenceService: Record<string, unknown>;
  /** The PersistentVolumeClaim of the store. */
  readonly storeClaimName: string;
  /** The GCS bucket the promoted copy was copied to: then served from there. @default - served from the store claim */
  readonly gcsBucket?: string;
}

/** Applies the InferenceService whose storageUri names exactly the promoted copy. */
export class DeployModelTask extends Task<typeof DEPLOY_PARAMS, typeof DEPLOY_RESULTS> {
  public constructor(scope: Construct, id: string, props: DeployModelTaskProps) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-deploy-inference-service', ...props.metadata },
      description: 'Applies the KServe InferenceService that serves the promoted copy (storageUri pvc://<claim>/sha256-<hex>).',
      params: DEPLOY_PARAMS,
      results: DEPLOY_RESULTS,
    });
    this.addVolume(verifierVolume(props));
    gateStep(this, props, 'deploy', {
      NAMESPACE: TaskContext.taskRunNamespace,
      INFERENCE_SERVICE: JSON.stringify(props.inferenceService),
      STORAGE_URI:
        props.gcsBucket === undefined
          ? `pvc://${props.storeClaimName}/${this.params.directory}`
          : `gs://${props.gcsBucket}/${this.params.directory}`,
      SHA256: this.params.sha256,
      NAME_RESULT: this.results.name.path,
    });
  }
}
