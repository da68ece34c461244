/**
 * The training task: installs the model project's requirements with `pip --require-hashes` into a fresh
 * virtual environment, runs its training entry point for the chosen model name (and any extra training
 * arguments), and records the sha256 of the model file it wrote.
 *
 * Preemption: the step points `CHECKPOINT_DIR` at a directory on the workspace, which outlives the pod.
 * An entry point that checkpoints there resumes when the pipeline task is retried; the task records in
 * its `resumed-from` result what it found there when the attempt began (`none`, or the sha256 of the
 * checkpoint files), so that the provenance says a run was resumed and from which bytes.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { TaskContext } from '../tekton/context';
import { Task } from '../tekton/task';
import { CHECKOUT_DIRECTORY } from './git-clone-task';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { PYTHON_IMAGE } from './images';
import { MODEL_NAMES } from './model-names';
import { OMS_MANIFEST_SCRIPT } from './oms-manifest-step';
import { NODE_IMAGE } from './deploy-images';
import { TRAIN_INPUTS_COMMAND } from './train-inputs-program';
import { TRUSTED_ROOT_CONFIG_MAP } from './trusted-root-config-map';
import { VERIFIER_CONFIG_MAP, verifierBundle } from './verifier-bundle';
import {
  DEFAULT_TRAINING_RESOURCES,
  DEFAULT_UPLOAD_RESOURCES,
  renderStepResources,
  StepResources,
  stepResourcesProblems,
} from './step-resources';

/** The directory on the source workspace where the entry point keeps its checkpoints (`CHECKPOINT_DIR`). */
export const CHECKPOINT_DIRECTORY = 'checkpoints';

/**
 * The keys of the `base-model` object param (the Task's and the Pipeline's): the model, its OMS
 * signature, and one way to check its signer, as model_signing's `key`, `certificate` and `sigstore`
 * methods. Each is empty when not given.
 */
export const BASE_MODEL_PROPERTIES = {
  uri: {},
  signature: {},
  key: {},
  'certificate-chain': {},
  'certificate-identity': {},
  'certificate-oidc-issuer': {},
} as const;

/** The `base-model` param's default: no base model. */
export const NO_BASE_MODEL = {
  uri: '',
  signature: '',
  key: '',
  'certificate-chain': '',
  'certificate-identity': '',
  'certificate-oidc-issuer': '',
} as const;

const PARAMS = {
  'model-name': { description: 'The model format to train; also the name of the file the entry point writes.', enum: MODEL_NAMES },
  'requirements-path': { description: 'The pip requirements file with hashes, relative to the repository root.' },
  'main-path': { description: 'The training entry point, relative to the repository root.' },
  'python-image': { description: 'The Python image, pinned by digest.', default: PYTHON_IMAGE },
  'training-args': {
    type: 'array',
    description: 'More arguments for the entry point, after the model name (e.g. --epochs 20 --device auto).',
    default: [],
  },
  'base-model': {
    type: 'object',
    description:
      'Optional: the model to train from (uri: file://PATH or https://), its OpenSSF Model Signing signature (signature, a uri) and one way to check its signer: a key (key, a uri), a certificate chain (certificate-chain, a uri), or a Sigstore identity (certificate-identity, with certificate-oidc-issuer; checked against the trusted root in ConfigMap slsa-for-models-trusted-root); verified before training, else the task fails.',
    properties: BASE_MODEL_PROPERTIES,
    default: NO_BASE_MODEL,
  },
  dataset: {
    type: 'object',
    description:
      'Optional: the dataset to train on (uri: file://PATH or https://) and its expected digest (sha256:<hex>; a directory: its root digest).',
    properties: { uri: {}, digest: {} },
    default: { uri: '', digest: '' },
  },
} as const;

const RESULTS = {
  digest: {
    description:
      "The sha256 of the model file, or of a model directory its OMS root digest (sha256 over its files' sha256), 64 lowercase hex characters.",
  },
  'model-path': { description: 'The model file or directory, relative to the workspace root.' },
  'base-model_ARTIFACT_INPUTS': {
    type: 'object',
    description: 'The verified base model for Tekton Chains: uri and digest sha256:<hex> (empty when none was given).',
    properties: { uri: {}, digest: {} },
  },
  dataset_ARTIFACT_INPUTS: {
    type: 'object',
    description: 'The verified dataset for Tekton Chains: uri and digest sha256:<hex> (empty when none was given).',
    properties: { uri: {}, digest: {} },
  },
  'resumed-from': {
    description:
      'none when this attempt started without a checkpoint; else sha256:<hex> of the checkpoint files it found (the sha256sum listing of CHECKPOINT_DIR).',
  },
} as const;

const WORKSPACES = {
  source: { description: `Holds the repository in ${CHECKOUT_DIRECTORY}/; the model file is written next to it.` },
  checkpoints: {
    description:
      'Where checkpoints go when bound (e.g. a Cloud Storage bucket), under <taskRun uid>/<model-name>; else the source workspace.',
    optional: true,
  },
  verifier: {
    description: `The bundled verifier (${VERIFIER_CONFIG_MAP.key} and its parts, from ConfigMap ${VERIFIER_CONFIG_MAP.name} and the next ones) and, for a base model checked by Sigstore identity, ${TRUSTED_ROOT_CONFIG_MAP.key} (ConfigMap ${TRUSTED_ROOT_CONFIG_MAP.name}), projected into one directory; needed when a base model or a dataset is given.`,
    optional: true,
    readOnly: true,
  },
} as const;

/** Where the verified copies of the inputs go, on the source workspace; the entry point reads them there. */
export const INPUTS_DIRECTORY = 'inputs';

/**
 * The input check step (a stock Node.js image): with no base model and no dataset it records both as
 * not given; else it checks that the verifier workspace holds the very verifier this Task was made
 * with (the entry's sha256; the entry checks its parts), then runs its input check
 * (train-inputs-program.ts), which fails closed.
 */
export function verifyInputsScript(bundleSha256: string): string {
  const empty = '{"uri":"","digest":""}';
  return `#!/usr/bin/env bash
set -euo pipefail
rm -rf -- "$INPUTS_DIR"
if [ -z "$BASE_MODEL_URI" ] && [ -z "$DATASET_URI" ]; then
  printf '%s' '${empty}' > "$BASE_MODEL_RESULT"
  printf '%s' '${empty}' > "$DATASET_RESULT"
  echo 'train-inputs: no base model and no dataset given'
  exit 0
fi
if [ "$VERIFIER_BOUND" != "true" ]; then
  echo 'train-inputs: a base model or a dataset is given, but the verifier workspace is not bound (bind it to the ConfigMaps ${VERIFIER_CONFIG_MAP.name}, ${VERIFIER_CONFIG_MAP.name}-2, ..., projected)' >&2
  exit 1
fi
file="$VERIFIER_PATH/${VERIFIER_CONFIG_MAP.key}"
if [ ! -f "$file" ]; then
  echo "train-inputs: the verifier workspace has no ${VERIFIER_CONFIG_MAP.key} (ConfigMap ${VERIFIER_CONFIG_MAP.name}); kubectl apply -f dist" >&2
  exit 1
fi
if ! printf '%s  %s\n' '${bundleSha256}' "$file" | sha256sum -c --status; then
  echo "train-inputs: $file is not the verifier this Task was made with (sha256 ${bundleSha256}); kubectl apply -f dist again" >&2
  exit 1
fi
exec node "$file" ${TRAIN_INPUTS_COMMAND}
`;
}

/**
 * The training step: bash and a python3 with `ensurepip` (the official Python images have it); inputs from the
 * environment. On Python 3.12 and later ensurepip brings no setuptools, so a lock whose packages need it must
 * pin it (`pip-compile --allow-unsafe`).
 */
export const TRAIN_MODEL_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
cd "$CHECKOUT_DIR"
# A bound checkpoints workspace (a bucket that outlives the run) keeps this TaskRun's checkpoints under
# its uid, which every retry of the TaskRun shares; otherwise they stay on the source workspace.
if [ "$CHECKPOINTS_BOUND" = "true" ]; then
  CHECKPOINT_DIR="$CHECKPOINTS_PATH/$TASKRUN_UID/$MODEL_NAME"
fi
export CHECKPOINT_DIR
# A checkpoint left by an earlier attempt of this task (the workspace outlives a preempted pod): record
# which bytes this attempt may resume from before the entry point reads them.
mkdir -p "$CHECKPOINT_DIR"
listing="$(cd "$CHECKPOINT_DIR" && find . -type f ! -name '.*' -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)"
if [ -z "$listing" ]; then
  printf 'none' > "$RESUMED_FROM_RESULT"
else
  printf 'train-model: resuming: checkpoint files found in %s:\n%s\n' "$CHECKPOINT_DIR" "$listing"
  printf 'sha256:%s' "$(printf '%s\n' "$listing" | sha256sum | cut -d' ' -f1)" > "$RESUMED_FROM_RESULT"
fi
for f in "$REQUIREMENTS_PATH" "$MAIN_PATH"; do
  if [ ! -f "$f" ]; then echo "train-model: $f is not a file in the repository" >&2; exit 1; fi
done
venv="$(mktemp -d)/venv"
# With ensurepip the environment gets the pip and, on Python 3.11, the setuptools bundled with the
# image's Python (nothing downloaded). A pip-compile lock leaves setuptools out ("unsafe"), and
# --require-hashes refuses an unpinned setuptools (tensorboard and tensorflow need one) unless it is
# installed already. The environment also sees the image's own packages (--system-site-packages): a
# PyTorch image's torch is then used as it is, pinned by the image digest.
python3 -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check --require-hashes -r "$REQUIREMENTS_PATH"
rm -rf -- "$MODEL_NAME"
"$venv/bin/python" "$MAIN_PATH" "$MODEL_NAME" "$@"
if [ -d "$MODEL_NAME" ] && [ ! -L "$MODEL_NAME" ]; then
  # A directory model: its digest is the OMS root digest, the one digest its provenance and any
  # OpenSSF Model Signing signature share (what slsa-for-models digest prints).
  root="$(python3 - "$MODEL_NAME" "$(mktemp)" <<'OMS'
${OMS_MANIFEST_SCRIPT}OMS
)"
  printf '%s' "\${root#sha256:}" > "$DIGEST_RESULT"
  echo "train-model: $MODEL_NAME/ root digest $root"
  printf '%s/%s' "$CHECKOUT_DIR_NAME" "$MODEL_NAME" > "$MODEL_PATH_RESULT"
  exit 0
fi
if [ ! -f "$MODEL_NAME" ] || [ -L "$MODEL_NAME" ]; then echo "train-model: $MAIN_PATH did not write $MODEL_NAME" >&2; exit 1; fi
python3 - "$MODEL_NAME" "$DIGEST_RESULT" <<'PY'
import hashlib, sys
model, result = sys.argv[1], sys.argv[2]
sha = hashlib.sha256()
with open(model, 'rb') as f:
    for block in iter(lambda: f.read(1 << 20), b''):
        sha.update(block)
with open(result, 'w') as out:
    out.write(sha.hexdigest())
print(f'train-model: {model} sha256:{sha.hexdigest()}')
PY
printf '%s/%s' "$CHECKOUT_DIR_NAME" "$MODEL_NAME" > "$MODEL_PATH_RESULT"
`;

/** Props of the `TrainModelTask`. */
export interface TrainModelTaskProps {
  /** Metadata of the Task. @default - name `slsa-for-models-train-model` */
  readonly metadata?: ApiObjectMetadata;
  /**
   * CPU, memory and node disk for the training step. The upstream lock installs about 7 GB of wheels
   * (TensorFlow, PyTorch and its CUDA libraries) into the step's virtual environment.
   * @default DEFAULT_TRAINING_RESOURCES (fits an e2-standard-4 node)
   */
  readonly resources?: StepResources;
  /** The sha256 of the bundled verifier's entry the step accepts. @default - of verifierBundle() (needs npm run build) */
  readonly verifierSha256?: string;
}

/**
 * Trains the model: `pip install --require-hashes -r <requirements-path>` into a fresh virtual environment,
 * then `python <main-path> <model-name> <training-args...>` in the checked-out repository, then the sha256
 * of `<model-name>` into the `digest` result.
 */
export class TrainModelTask extends Task<typeof PARAMS, typeof RESULTS, typeof WORKSPACES> {
  public constructor(scope: Construct, id: string, props: TrainModelTaskProps = {}) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-train-model', ...props.metadata },
      description:
        'Installs the requirements with pip --require-hashes, runs the training entry point and records the sha256 of the model file.',
      params: PARAMS,
      results: RESULTS,
      workspaces: WORKSPACES,
    });
    const resources = props.resources ?? DEFAULT_TRAINING_RESOURCES;
    const inputsDir = `${this.workspaces.source.path}/${INPUTS_DIRECTORY}`;
    const base = this.params['base-model'];
    const dataset = this.params.dataset;
    this.addStep({
      name: 'verify-inputs',
      image: NODE_IMAGE,
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      computeResources: renderStepResources(DEFAULT_UPLOAD_RESOURCES),
      env: {
        INPUTS_DIR: inputsDir,
        BASE_MODEL_URI: base.key('uri'),
        BASE_MODEL_SIGNATURE: base.key('signature'),
        BASE_MODEL_KEY: base.key('key'),
        BASE_MODEL_CERTIFICATE_CHAIN: base.key('certificate-chain'),
        BASE_MODEL_CERTIFICATE_IDENTITY: base.key('certificate-identity'),
        BASE_MODEL_CERTIFICATE_OIDC_ISSUER: base.key('certificate-oidc-issuer'),
        TRUSTED_ROOT: `${this.workspaces.verifier.path}/${TRUSTED_ROOT_CONFIG_MAP.key}`,
        DATASET_URI: dataset.key('uri'),
        DATASET_DIGEST: dataset.key('digest'),
        BASE_MODEL_RESULT: this.results['base-model_ARTIFACT_INPUTS'].path,
        DATASET_RESULT: this.results['dataset_ARTIFACT_INPUTS'].path,
        VERIFIER_BOUND: this.workspaces.verifier.bound,
        VERIFIER_PATH: this.workspaces.verifier.path,
        HOME: '/tmp',
      },
      script: verifyInputsScript(props.verifierSha256 ?? verifierBundle().sha256),
    });
    this.addStep({
      name: 'train',
      image: String(this.params['python-image']),
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      computeResources: renderStepResources(resources),
      env: {
        MODEL_NAME: this.params['model-name'],
        REQUIREMENTS_PATH: this.params['requirements-path'],
        MAIN_PATH: this.params['main-path'],
        CHECKOUT_DIR: `${this.workspaces.source.path}/${CHECKOUT_DIRECTORY}`,
        CHECKOUT_DIR_NAME: CHECKOUT_DIRECTORY,
        DIGEST_RESULT: this.results.digest.path,
        MODEL_PATH_RESULT: this.results['model-path'].path,
        RESUMED_FROM_RESULT: this.results['resumed-from'].path,
        CHECKPOINT_DIR: `${this.workspaces.source.path}/${CHECKPOINT_DIRECTORY}/${this.params['model-name']}`,
        CHECKPOINTS_BOUND: this.workspaces.checkpoints.bound,
        CHECKPOINTS_PATH: this.workspaces.checkpoints.path,
        TASKRUN_UID: TaskContext.taskRunUid,
        // the verified copies (empty directories' absence means none was given)
        BASE_MODEL_DIR: `${inputsDir}/base-model`,
        DATASET_DIR: `${inputsDir}/dataset`,
        HOME: '/tmp',
        // the uid has no passwd entry in the image: getpass.getuser() (used by some ML libraries' caches) reads USER
        USER: 'slsa-for-models',
        PYTHONUNBUFFERED: '1',
      },
      script: TRAIN_MODEL_SCRIPT,
      args: [this.params['training-args']],
    });
    this.node.addValidation({ validate: () => stepResourcesProblems(resources, `Task/${this.taskName} step "train"`) });
  }
}
