/**
 * The training task: installs the model project's requirements with `pip --require-hashes` into a fresh
 * virtual environment, runs its training entry point for the chosen model name, and records the sha256 of
 * the model file it wrote.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Task } from '../tekton/task';
import { CHECKOUT_DIRECTORY } from './git-clone-task';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { PYTHON_IMAGE } from './images';
import { MODEL_NAMES } from './model-names';

const PARAMS = {
  'model-name': { description: 'The model format to train; also the name of the file the entry point writes.', enum: MODEL_NAMES },
  'requirements-path': { description: 'The pip requirements file with hashes, relative to the repository root.' },
  'main-path': { description: 'The training entry point, relative to the repository root.' },
  'python-image': { description: 'The Python image, pinned by digest.', default: PYTHON_IMAGE },
} as const;

const RESULTS = {
  digest: { description: 'The sha256 of the model file, 64 lowercase hex characters.' },
  'model-path': { description: 'The model file, relative to the workspace root.' },
} as const;

const WORKSPACES = {
  source: { description: `Holds the repository in ${CHECKOUT_DIRECTORY}/; the model file is written next to it.` },
} as const;

/**
 * The training step: bash and a python3 with `ensurepip` (the official Python images have it); inputs from the
 * environment. On Python 3.12 and later ensurepip brings no setuptools, so a lock whose packages need it must
 * pin it (`pip-compile --allow-unsafe`).
 */
export const TRAIN_MODEL_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
cd "$CHECKOUT_DIR"
for f in "$REQUIREMENTS_PATH" "$MAIN_PATH"; do
  if [ ! -f "$f" ]; then echo "train-model: $f is not a file in the repository" >&2; exit 1; fi
done
venv="$(mktemp -d)/venv"
# With ensurepip the environment gets the pip and, on Python 3.11, the setuptools bundled with the
# image's Python (nothing downloaded). A pip-compile lock leaves setuptools out ("unsafe"), and
# --require-hashes refuses an unpinned setuptools (tensorboard and tensorflow need one) unless it is
# installed already.
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check --require-hashes -r "$REQUIREMENTS_PATH"
rm -f -- "$MODEL_NAME"
"$venv/bin/python" "$MAIN_PATH" "$MODEL_NAME"
if [ ! -f "$MODEL_NAME" ]; then echo "train-model: $MAIN_PATH did not write $MODEL_NAME" >&2; exit 1; fi
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
   * @default - requests 2 CPUs, 6Gi of memory and 16Gi of ephemeral storage; memory limit 12Gi
   */
  readonly computeResources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}

/**
 * Trains the model: `pip install --require-hashes -r <requirements-path>` into a fresh virtual environment,
 * then `python <main-path> <model-name>` in the checked-out repository, then the sha256 of `<model-name>`
 * into the `digest` result.
 */
export class TrainModelTask extends Task<typeof PARAMS, typeof RESULTS, typeof WORKSPACES> {
  public constructor(scope: Construct, id: string, props: TrainModelTaskProps = {}) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-train-model', ...props.metadata },
      description: 'Installs the requirements with pip --require-hashes, runs the training entry point and records the sha256 of the model file.',
      params: PARAMS,
      results: RESULTS,
      workspaces: WORKSPACES,
    });
    this.addStep({
      name: 'train',
      image: String(this.params['python-image']),
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      computeResources: props.computeResources ?? { requests: { 'cpu': '2', 'memory': '6Gi', 'ephemeral-storage': '16Gi' }, limits: { memory: '12Gi' } },
      env: {
        MODEL_NAME: this.params['model-name'],
        REQUIREMENTS_PATH: this.params['requirements-path'],
        MAIN_PATH: this.params['main-path'],
        CHECKOUT_DIR: `${this.workspaces.source.path}/${CHECKOUT_DIRECTORY}`,
        CHECKOUT_DIR_NAME: CHECKOUT_DIRECTORY,
        DIGEST_RESULT: this.results.digest.path,
        MODEL_PATH_RESULT: this.results['model-path'].path,
        HOME: '/tmp',
        // the uid has no passwd entry in the image: getpass.getuser() (used by some ML libraries' caches) reads USER
        USER: 'slsa-for-models',
        PYTHONUNBUFFERED: '1',
      },
      script: TRAIN_MODEL_SCRIPT,
    });
  }
}
