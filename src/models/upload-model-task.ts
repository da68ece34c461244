/**
 * The upload task: checks that the model file still has the digest the training task recorded, uploads it
 * to a generic Artifact Registry repository with `gcloud artifacts generic upload --format=json`, and writes
 * the Chains output result `model_ARTIFACT_OUTPUTS` = `{uri, digest: "sha256:<hex>", isBuildArtifact: "true"}`.
 *
 * The uri addresses the uploaded file as Artifact Registry names it: a generic artifact's file is the
 * resource `projects/P/locations/L/repositories/R/files/<package>:<version>:<file name>`, written as its
 * Artifact Registry API URL `https://artifactregistry.googleapis.com/v1/<that resource>`. The project comes
 * from the resource name gcloud prints, so no project id is baked into the Task.
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Task } from '../tekton/task';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { DEFAULT_UPLOAD_RESOURCES, renderStepResources, StepResources, stepResourcesProblems } from './step-resources';
import { GCLOUD_IMAGE } from './images';

const PARAMS = {
  'model-path': { description: 'The model file, relative to the workspace root.' },
  digest: { description: 'The sha256 (64 hex) the training task recorded for the model file; the upload refuses a file that differs.' },
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
if [ ! -f "$file" ]; then echo "upload-model: $MODEL_PATH is not a file in the workspace" >&2; exit 1; fi
actual="$(sha256sum "$file" | cut -d ' ' -f 1)"
if [ "$actual" != "$EXPECTED_DIGEST" ]; then
  echo "upload-model: $MODEL_PATH has sha256 $actual, but training recorded $EXPECTED_DIGEST; refusing to upload" >&2
  exit 1
fi
CLOUDSDK_CONFIG="$(mktemp -d)"
export CLOUDSDK_CONFIG
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
response="$(mktemp)"
errors="$(mktemp)"
name="$(basename "$file")"
existing=false
if ! gcloud artifacts generic upload \\
  --location="$LOCATION" \\
  --repository="$REPOSITORY" \\
  --package="$PACKAGE" \\
  --version="$VERSION" \\
  --source="$file" \\
  --format=json > "$response" 2> "$errors"; then
  cat "$errors" >&2
  if ! grep -qi 'already exists' "$errors"; then exit 1; fi
  # versions are immutable: a re-run that made the same model finds it uploaded already
  echo "upload-model: $PACKAGE version $VERSION exists; checking that it holds this model" >&2
  gcloud artifacts files describe "$PACKAGE:$VERSION:$name" \\
    --location="$LOCATION" \\
    --repository="$REPOSITORY" \\
    --format=json > "$response"
  existing=true
else
  cat "$errors" >&2
fi
python3 - "$response" "$PACKAGE" "$VERSION" "$name" "$actual" "$RESULT" "$existing" <<'PY'
import base64, binascii, json, re, sys
response, package, version, file_name, digest, result, existing = sys.argv[1:]
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
    if digest not in stored:
        sys.exit(f'upload-model: {package}:{version}:{file_name} already exists with sha256 {stored or "unknown"}, not {digest}; refusing to record it')
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
