#!/usr/bin/env bash
# Downloads the trained model from Artifact Registry and verifies it against the provenance
# Tekton Chains signed: with cosign, and with slsa-for-models verify.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/verify-model.sh [--dry-run] [--help] [--dir DIR] [--package NAME] [--version VERSION]
                               [--model FILE] [-- VERIFY_OPTION...]

Run it after scripts/fetch-attestation.sh, in the same DIR (default: .). It
  1. downloads the model:
       gcloud artifacts generic download --project=PROJECT_ID --location=LOCATION
         --repository=REPOSITORY_NAME --package=NAME --version=VERSION --name=FILE
         --destination=DIR/.verify-model.XXXXXX
     then moves FILE to DIR/FILE (replacing an earlier download: gcloud will not overwrite one);
  2. verifies it with cosign:
       cosign verify-blob-attestation --key KEY --signature DIR/model.build-slsa
         --type slsaprovenance1 DIR/FILE
  3. verifies it with slsa-for-models (from this checkout's build, or on PATH), adding any
     VERIFY_OPTION given after "--" (for example --source-uri git+https://... --builder-id URI):
       slsa-for-models verify --key KEY --signature DIR/model.build-slsa
         [--rekor-entry DIR/rekor-entry.json] [--trusted-root TRUSTED_ROOT] DIR/FILE
     The transparency log entry is checked offline when fetch-attestation.sh saved one; verify
     requires the log check, so without an entry pass -- --insecure-ignore-tlog (and say why).
A verifier that is not installed is skipped with a note; at least one must run, and every one
that runs must pass.

NAME, VERSION and FILE default to what DIR/pipelinerun.json says: the uri of its *_ARTIFACT_OUTPUTS
result names them (.../repositories/R/files/NAME:VERSION:FILE, as the upload task writes it);
otherwise FILE is the param model-name, NAME the param model-storage.package and VERSION the hex
of the result's sha256 digest. Reading the file needs node.

environment:
  PROJECT_ID, LOCATION, REPOSITORY_NAME  where the model is (required)
  VERIFY_KEY   the public key: a cosign.pub path or k8s://NAMESPACE/SECRET (default: ${SIGNING_KEY_REF})
  TRUSTED_ROOT Sigstore's trusted_root.json for the log check (required with DIR/rekor-entry.json):
               the public-good one from Sigstore's TUF repository, e.g. as cosign caches it
               (cosign initialize), or your Rekor's
  REGION, CLUSTER_NAME  name the expected kubectl context when VERIFY_KEY is k8s:// (or KUBE_CONTEXT)
  SLSA_FOR_MODELS  the slsa-for-models command to run (default: this checkout's lib/src/cli/main.js,
               else slsa-for-models on PATH)

options:
  --dry-run  print every gcloud, cosign and slsa-for-models command instead of running it
  --help     show this help
USAGE
}

parse_common_args "$@"
dir="."
package=""
version=""
model=""
set -- "${ARGS[@]+"${ARGS[@]}"}"
while (($#)); do
  case "$1" in
    --dir | --package | --version | --model)
      (($# >= 2)) || usage_error "$1 needs a value"
      case "$1" in
        --dir) dir="$2" ;;
        --package) package="$2" ;;
        --version) version="$2" ;;
        --model) model="$2" ;;
      esac
      shift
      ;;
    --dir=*) dir="${1#*=}" ;;
    --package=*) package="${1#*=}" ;;
    --version=*) version="${1#*=}" ;;
    --model=*) model="${1#*=}" ;;
    *)
      usage_error "unknown argument \"$1\" (options for slsa-for-models verify go after --)"
      ;;
  esac
  shift
done
verify_options=("${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"}")
require_env PROJECT_ID LOCATION REPOSITORY_NAME
VERIFY_KEY="${VERIFY_KEY:-${SIGNING_KEY_REF}}"
signature="${dir}/model.build-slsa"
pipelinerun="${dir}/pipelinerun.json"
[[ -d "${dir}" ]] || die "directory ${dir} does not exist"
log_options=()
if [[ -f "${dir}/rekor-entry.json" ]]; then
  [[ -n "${TRUSTED_ROOT:-}" ]] ||
    die "environment variable TRUSTED_ROOT is not set: the log entry ${dir}/rekor-entry.json is checked against Sigstore's trusted_root.json (see --help)"
  log_options=(--rekor-entry "${dir}/rekor-entry.json" --trusted-root "${TRUSTED_ROOT}")
fi

if [[ -z "${package}" || -z "${version}" || -z "${model}" ]]; then
  [[ -f "${pipelinerun}" ]] || die "${pipelinerun} does not exist: run scripts/fetch-attestation.sh first, or give --package, --version and --model"
  command -v node >/dev/null 2>&1 || die "node is needed to read ${pipelinerun}; give --package, --version and --model instead"
  # Prints three lines: model-name, model-storage.package, version. A missing one is an empty line.
  facts="$(node -e '
    const run = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const param = (name) => {
      const given = (run.spec?.params ?? []).find((p) => p.name === name);
      if (given !== undefined) return given.value;
      const declared = (run.status?.pipelineSpec?.params ?? []).find((p) => p.name === name);
      return declared?.default;
    };
    const output = (run.status?.results ?? []).find((r) => /ARTIFACT_OUTPUTS$/.test(r.name) && r.value?.uri);
    let file = { model: param("model-name") ?? "", package: param("model-storage")?.package ?? "", version: "" };
    if (output !== undefined) {
      const uri = decodeURIComponent(String(output.value.uri));
      // .../repositories/R/files/PACKAGE:VERSION:FILE (the upload task), or .../packages/P/versions/V
      const named = /\/files\/([^/:]+):([^/:]+):([^/]+)$/.exec(uri);
      const versioned = /\/packages\/([^/]+)\/versions\/([^/]+)/.exec(uri);
      if (named) file = { package: named[1], version: named[2], model: named[3] };
      else if (versioned) file = { ...file, package: versioned[1], version: versioned[2] };
      else file.version = String(output.value.digest ?? "").replace(/^sha256:/, "");
    }
    console.log([file.model, file.package, file.version].join("\n"));
  ' "${pipelinerun}")" || die "cannot read ${pipelinerun} as a PipelineRun"
  {
    read -r found_model || true
    read -r found_package || true
    read -r found_version || true
  } <<<"${facts}"
  model="${model:-${found_model}}"
  package="${package:-${found_package}}"
  version="${version:-${found_version}}"
  [[ -n "${model}" ]] || die "${pipelinerun} has no param model-name; give --model"
  [[ -n "${package}" ]] || die "${pipelinerun} has no param model-storage.package; give --package"
  [[ -n "${version}" ]] || die "${pipelinerun} has no *_ARTIFACT_OUTPUTS result with a uri; give --version"
fi
[[ "${model}" != */* ]] || die "--model must be a file name inside the package, not a path: ${model}"
if ((!DRY_RUN)); then
  [[ -f "${signature}" ]] || die "${signature} does not exist: run scripts/fetch-attestation.sh first"
fi
require_tool gcloud "https://cloud.google.com/sdk/docs/install"
if [[ "${VERIFY_KEY}" == k8s://* ]]; then
  require_kube_context
fi

# gcloud refuses to download over an existing file ("File ... already exists.", exit 1), so a
# second verification of the same model would fail. It downloads into a fresh directory instead;
# the registry's copy then replaces an earlier download, and a failed download leaves it alone.
if ((DRY_RUN)); then
  download_dir="${dir}/.verify-model.XXXXXX"
else
  download_dir="$(mktemp -d "${dir}/.verify-model.XXXXXX")"
  trap 'rm -rf "${download_dir}"' EXIT
fi
log "downloading ${model} (package ${package}, version ${version}) from ${LOCATION}/${REPOSITORY_NAME}"
run gcloud artifacts generic download \
  "--project=${PROJECT_ID}" \
  "--location=${LOCATION}" \
  "--repository=${REPOSITORY_NAME}" \
  "--package=${package}" \
  "--version=${version}" \
  "--name=${model}" \
  "--destination=${download_dir}"
model_path="${dir}/${model}"
if ((!DRY_RUN)); then
  [[ -f "${download_dir}/${model}" ]] || die "gcloud artifacts generic download wrote no ${model}"
  [[ ! -e "${model_path}" ]] || log "replacing ${model_path} with the copy just downloaded"
  mv -f "${download_dir}/${model}" "${model_path}"
fi

verifiers=0
if ((DRY_RUN)) || command -v cosign >/dev/null 2>&1; then
  log "verifying ${model_path} with cosign"
  run cosign verify-blob-attestation \
    --key "${VERIFY_KEY}" \
    --signature "${signature}" \
    --type slsaprovenance1 \
    "${model_path}"
  verifiers=$((verifiers + 1))
else
  log "cosign is not installed: skipping cosign verify-blob-attestation"
fi

slsa_for_models=()
if [[ -n "${SLSA_FOR_MODELS:-}" ]]; then
  slsa_for_models=("${SLSA_FOR_MODELS}")
elif [[ -f "${SLSA_ROOT}/lib/src/cli/main.js" ]] && command -v node >/dev/null 2>&1; then
  slsa_for_models=(node "${SLSA_ROOT}/lib/src/cli/main.js")
elif command -v slsa-for-models >/dev/null 2>&1; then
  slsa_for_models=(slsa-for-models)
fi
if ((${#slsa_for_models[@]})); then
  log "verifying ${model_path} with slsa-for-models"
  run "${slsa_for_models[@]}" verify --key "${VERIFY_KEY}" --signature "${signature}" "${log_options[@]+"${log_options[@]}"}" "${verify_options[@]+"${verify_options[@]}"}" "${model_path}"
  verifiers=$((verifiers + 1))
else
  log "slsa-for-models is not built or installed (npm ci && npm run build): skipping slsa-for-models verify"
fi

((verifiers > 0)) || die "neither cosign nor slsa-for-models is available, so nothing verified ${model_path}"
if ((DRY_RUN)); then
  log "dry run: nothing was downloaded or verified"
else
  log "verified: ${model_path} is the model the signed provenance names"
fi
