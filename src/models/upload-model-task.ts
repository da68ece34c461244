/**
 * The upload task: checks that the model still has the digest the training task recorded, uploads it
 * to a generic Artifact Registry repository with `gcloud artifacts generic upload --format=json`, and writes
 * the Chains output result `model_ARTIFACT_OUTPUTS` = `{uri, digest: "sha256:<hex>", isBuildArtifact: "true"}`.
 *
 * The uri addresses the uploaded file as Artifact Registry names it: a generic artifact's file is the
 * resource `projects/P/locations/L/repositories/R/files/<package>:<version>:<file name>`, written as its
 * Artifact Registry API URL `https://artifactregistry.googleapis.com/v1/<that resource>`. The project comes
 * from the resource name gcloud prints, so no project id is baked into the Task.
 *
 * A model directory (several files) is uploaded with `--source-directory` together with its unsigned
 * OpenSSF Model Signing statement `<name>.oms.json` (the manifest: every file's sha256, and their root
 * digest as the subject); the uri is then the package version
 * (`.../packages/<package>/versions/<version>`) and the digest `sha256:<root digest>`, the digest
 * `slsa-for-models digest` prints and an OMS signature of the directory names.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Task } from '../tekton/task';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { DEFAULT_UPLOAD_RESOURCES, renderStepResources, StepResources, stepResourcesProblems } from './step-resources';
import { GCLOUD_IMAGE } from './images';
import { OMS_MANIFEST_SCRIPT } from './oms-manifest-step';

const PARAMS = {
  'model-path': { description: 'The model file or directory, relative to the workspace root.' },
  digest: {
    description:
      'The sha256 (64 hex) the training task recorded for the model file, or a directory its OMS root digest; the upload refuses a model that differs.',
  },
  package: { description: 'The Artifact Registry package.' },
  version: { description: 'The package version (lowercase letters, digits, hyphens and periods).' },
  location: { description: 'The location of the Artifact Registry repository, e.g. us or us-central1.' },
  repository: { description: 'The generic Artifact Registry repository.' },
  'gcloud-image': { description: 'The Google Cloud CLI image, pinned by digest.', default: GCLOUD_IMAGE },
} as const;

const RESULTS = {
  model_ARTIFACT_OUTPUTS: {
    type: 'object',
    description: 'The uploaded model for Tekton Chains: uri, digest sha256:<hex> and isBuildArtifact "true".',
    properties: { uri: {}, digest: {}, isBuildArtifact: {} },
  },
} as const;

const WORKSPACES = {
  source: { description: 'Holds the model file at model-path.' },
} as const;

/** The upload step: bash, coreutils, python3 and gcloud; inputs from the environment. */
export const UPLOAD_MODEL_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
file="$WORKSPACE/$MODEL_PATH"
name="$(basename "$file")"
if [ -d "$file" ] && [ ! -L "$file" ]; then
  # A directory model: its subject digest is the OMS root digest, and the unsigned OMS statement
  # (the manifest of every file's sha256) goes beside it, in the same package version.
  kind="directory"
  stage="$(dirname "$file")/.upload-$name"
  trap 'rm -rf -- "$stage"' EXIT
  rm -rf -- "$stage"
  mkdir -p -- "$stage"
  manifest="$stage/$name.oms.json"
  actual="$(python3 - "$file" "$manifest" <<'OMS'
${OMS_MANIFEST_SCRIPT}OMS
)"
  actual="\${actual#sha256:}"
  # hard links on the workspace volume: no second copy of the model's bytes
  cp -al -- "$file" "$stage/$name" 2>/dev/null || cp -a -- "$file" "$stage/$name"
  source_flag="--source-directory=$stage"
  check_name="$name.oms.json"
  check_sha256="$(sha256sum "$manifest" | cut -d ' ' -f 1)"
elif [ -f "$file" ]; then
  kind="file"
  actual="$(sha256sum "$file" | cut -d ' ' -f 1)"
  source_flag="--source=$file"
  check_name="$name"
  check_sha256="$actual"
else
  echo "upload-model: $MODEL_PATH is not a file in the workspace" >&2
  exit 1
fi
if [ "$actual" != "$EXPECTED_DIGEST" ]; then
  echo "upload-model: $MODEL_PATH has sha256 $actual, but training recorded $EXPECTED_DIGEST; refusing to upload" >&2
  exit 1
fi
CLOUDSDK_CONFIG="$(mktemp -d)"
export CLOUDSDK_CONFIG
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
response="$(mktemp)"
errors="$(mktemp)"
existing=false
if ! gcloud artifacts generic upload \\
  --location="$LOCATION" \\
  --repository="$REPOSITORY" \\
  --package="$PACKAGE" \\
  --version="$VERSION" \\
  "$source_flag" \\
  --format=json > "$response" 2> "$errors"; then
  cat "$errors" >&2
  if ! grep -qi 'already exists' "$errors"; then exit 1; fi
  # versions are immutable: a re-run that made the same model finds it uploaded already
  # (a directory: its manifest, which lists every file's sha256, must be this one)
  echo "upload-model: $PACKAGE version $VERSION exists; checking that it holds this model" >&2
  gcloud artifacts files describe "$PACKAGE:$VERSION:$check_name" \\
    --location="$LOCATION" \\
    --repository="$REPOSITORY" \\
    --format=json > "$response"
  existing=true
else
  cat "$errors" >&2
fi
python3 - "$response" "$PACKAGE" "$VERSION" "$name" "$actual" "$RESULT" "$existing" "$kind" "$check_name" "$check_sha256" <<'PY'
import base64, binascii, json, re, sys
response, package, version, file_name, digest, result, existing, kind, check_name, check_sha256 = sys.argv[1:]
with open(response) as f:
    text = f.read()
try:
    printed = json.loads(text) if text.strip() else None
except ValueError:
    sys.exit(f'upload-model: gcloud printed no json: {text[:200]!r}')
repository = re.compile(r'^(projects/[^/]+/locations/[^/]+/repositories/[^/]+)(/|$)')
def names(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from names(v)
    elif isinstance(value, list):
        for v in value:
            yield from names(v)
    elif isinstance(value, str):
        yield value
found = next((m.group(1) for m in map(repository.match, names(printed)) if m), None)
if found is None:
    sys.exit('upload-model: gcloud printed no projects/.../repositories/... resource name: ' + text[:200])
if existing == 'true':
    def hex_of(value):
        if re.fullmatch(r'[0-9a-fA-F]{64}', value):
            return value.lower()
        try:
            return base64.b64decode(value, validate=True).hex()
        except (binascii.Error, ValueError):
            return ''
    hashes = printed.get('hashes', []) if isinstance(printed, dict) else []
    stored = [hex_of(h.get('value', '')) for h in hashes if isinstance(h, dict) and str(h.get('type', '')).upper() == 'SHA256']
    if check_sha256 not in stored:
        sys.exit(f'upload-model: {package}:{version}:{check_name} already exists with sha256 {stored or "unknown"}, not {check_sha256}; refusing to record it')
if kind == 'directory':
    # the package version holds the directory's files and its manifest: the version is the artifact
    uri = f'https://artifactregistry.googleapis.com/v1/{found}/packages/{package}/versions/{version}'
else:
    uri = f'https://artifactregistry.googleapis.com/v1/{found}/files/{package}:{version}:{file_name}'
with open(result, 'w') as out:
    json.dump({'uri': uri, 'digest': 'sha256:' + digest, 'isBuildArtifact': 'true'}, out, separators=(',', ':'))
print(f'upload-model: {uri} sha256:{digest}')
PY
`;

/** Props of the `UploadModelTask`. */
export interface UploadModelTaskProps {
  /** Metadata of the Task. @default - name `slsa-for-models-upload-model` */
  readonly metadata?: ApiObjectMetadata;
  /** CPU, memory and node disk of the step. @default DEFAULT_UPLOAD_RESOURCES (fits an e2-standard-4 node) */
  readonly resources?: StepResources;
}

/**
 * Uploads the model file to a generic Artifact Registry repository and type-hints it for Chains as
 * `model_ARTIFACT_OUTPUTS` with `isBuildArtifact: "true"` (what `slsa/v2alpha4` needs to make it a subject).
 * Cloud access comes from the run's Kubernetes service account (Workload Identity Federation for GKE).
 */
export class UploadModelTask extends Task<typeof PARAMS, typeof RESULTS, typeof WORKSPACES> {
  public constructor(scope: Construct, id: string, props: UploadModelTaskProps = {}) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-upload-model', ...props.metadata },
      description:
        'Uploads the model to a generic Artifact Registry repository and records it for Tekton Chains as model_ARTIFACT_OUTPUTS.',
      params: PARAMS,
      results: RESULTS,
      workspaces: WORKSPACES,
    });
    const resources = props.resources ?? DEFAULT_UPLOAD_RESOURCES;
    this.node.addValidation({ validate: () => stepResourcesProblems(resources, `Task/${this.taskName} step "upload"`) });
    this.addStep({
      name: 'upload',
      image: String(this.params['gcloud-image']),
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      computeResources: renderStepResources(resources),
      env: {
        WORKSPACE: this.workspaces.source.path,
        MODEL_PATH: this.params['model-path'],
        EXPECTED_DIGEST: this.params.digest,
        PACKAGE: this.params.package,
        VERSION: this.params.version,
        LOCATION: this.params.location,
        REPOSITORY: this.params.repository,
        RESULT: this.results.model_ARTIFACT_OUTPUTS.path,
        HOME: '/tmp',
      },
      script: UPLOAD_MODEL_SCRIPT,
    });
  }
}
