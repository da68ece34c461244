#!/usr/bin/env bash
# Copies the provenance Tekton Chains stored on a PipelineRun to files: the signed DSSE envelope,
# the in-toto statement inside it, the PipelineRun itself, and the envelope's Rekor log entry.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/fetch-attestation.sh [--dry-run] [--help] [--output-dir DIR] [PIPELINERUN]

Reads, from PIPELINERUN (default: the newest run of the slsa-for-models pipeline), the annotations
Tekton Chains writes with storage "tekton":
  chains.tekton.dev/signature-pipelinerun-<uid>  base64 of the signed DSSE envelope
  chains.tekton.dev/payload-pipelinerun-<uid>    base64 of the in-toto statement
  chains.tekton.dev/transparency                 the Rekor entry Chains uploaded, when transparency
                                                 is on (https://HOST/api/v1/log/entries?logIndex=N)
and writes into DIR (default: the current directory):
  model.build-slsa        the DSSE envelope (cosign verify-blob-attestation --signature takes it)
  model.statement.json    the SLSA provenance statement, decoded
  pipelinerun.json        the PipelineRun (slsa-for-models verify --pipelinerun takes it)
  rekor-entry.json        Rekor's answer for that URL, fetched with curl (slsa-for-models verify
                          --rekor-entry takes it, with --trusted-root); removed when there is none
  signer.crt              keyless Chains only: the Fulcio certificate of chains.tekton.dev/cert-pipelinerun-<uid>
                          (slsa-for-models verify --certificate takes it); removed when there is none
Base64 is decoded with openssl (or python3), so Linux and macOS behave alike.

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        namespace of the run (default: default)

options:
  --output-dir DIR  where to write the files (default: .)
  --dry-run         print every kubectl command instead of running it
  --help            show this help
USAGE
}

parse_common_args "$@"
expect_no_extra_args
output_dir="."
name=""
set -- "${ARGS[@]+"${ARGS[@]}"}"
while (($#)); do
  case "$1" in
    --output-dir)
      (($# >= 2)) || usage_error "--output-dir needs a directory"
      output_dir="$2"
      shift
      ;;
    --output-dir=*)
      output_dir="${1#--output-dir=}"
      ;;
    -*)
      usage_error "unknown option \"$1\""
      ;;
    *)
      [[ -z "${name}" ]] || usage_error "expected one PIPELINERUN, got \"${name}\" and \"$1\""
      name="$1"
      ;;
  esac
  shift
done
require_cluster_env
NAMESPACE="${NAMESPACE:-default}"
[[ -d "${output_dir}" ]] || die "output directory ${output_dir} does not exist"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_kube_context

if [[ -z "${name}" ]]; then
  name="$(capture slsa-for-models-xxxxx kubectl get pipelinerun -n "${NAMESPACE}" -l tekton.dev/pipeline=slsa-for-models \
    --sort-by=.metadata.creationTimestamp '-o=jsonpath={.items[-1:].metadata.name}')"
  [[ -n "${name}" ]] || die "no pipelinerun of the slsa-for-models pipeline in namespace ${NAMESPACE} (run scripts/run-pipeline.sh first, or name one)"
  log "newest run: ${name}"
fi

uid="$(capture PIPELINERUN_UID kubectl get pipelinerun "${name}" -n "${NAMESPACE}" '-o=jsonpath={.metadata.uid}')"
[[ -n "${uid}" ]] || die "pipelinerun ${name} has no uid"

signature_b64="$(capture "" kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "-o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/signature-pipelinerun-${uid}}")"
payload_b64="$(capture "" kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "-o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/payload-pipelinerun-${uid}}")"
# Keyless Chains (Fulcio) stores the signing certificate beside the signature; with a key it is empty.
certificate="$(capture "" kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "-o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/cert-pipelinerun-${uid}}")"
pipelinerun_json="$(capture "" kubectl get pipelinerun "${name}" -n "${NAMESPACE}" -o json)"
transparency="$(capture "https://rekor.sigstore.dev/api/v1/log/entries?logIndex=LOG_INDEX" kubectl get pipelinerun "${name}" -n "${NAMESPACE}" '-o=jsonpath={.metadata.annotations.chains\.tekton\.dev/transparency}')"

# Chains writes "<rekor url>/api/v1/log/entries?logIndex=N": nothing else is fetched.
rekor_url='^https://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~-]+)*/api/v1/log/entries\?logIndex=([0-9]+|LOG_INDEX)$'
if [[ -n "${transparency}" && ! "${transparency}" =~ ${rekor_url} ]]; then
  die "the annotation chains.tekton.dev/transparency of ${name} is not a Rekor entry URL (https://HOST/api/v1/log/entries?logIndex=N): $(printf '%q' "${transparency}")"
fi
[[ -z "${transparency}" ]] || require_tool curl "https://curl.se"
fetch_entry=(curl --fail --silent --show-error --proto '=https' --max-time 60 "${transparency}")

if ((DRY_RUN)); then
  print_command "${fetch_entry[@]}"
  log "would write ${output_dir}/model.build-slsa, ${output_dir}/model.statement.json, ${output_dir}/pipelinerun.json and ${output_dir}/rekor-entry.json"
  exit 0
fi

if [[ -z "${signature_b64}" ]]; then
  die "pipelinerun ${name} has no annotation chains.tekton.dev/signature-pipelinerun-${uid}: Chains has not signed it (yet), or stores provenance elsewhere than \"tekton\""
fi
[[ -n "${payload_b64}" ]] || die "pipelinerun ${name} has no annotation chains.tekton.dev/payload-pipelinerun-${uid}"

# Write to temporary files first, so a failure leaves no half-written result behind.
tmp_dir="$(mktemp -d "${output_dir}/.fetch-attestation.XXXXXX")"
trap 'rm -rf "${tmp_dir}"' EXIT
printf '%s' "${signature_b64}" | decode_base64 >"${tmp_dir}/model.build-slsa" ||
  die "the signature annotation of ${name} is not valid base64"
printf '%s' "${payload_b64}" | decode_base64 >"${tmp_dir}/model.statement.json" ||
  die "the payload annotation of ${name} is not valid base64"
printf '%s\n' "${pipelinerun_json}" >"${tmp_dir}/pipelinerun.json"

grep -q '"payloadType"' "${tmp_dir}/model.build-slsa" ||
  die "the signature annotation of ${name} does not decode to a DSSE envelope (no payloadType): is the format in-toto/slsa?"
grep -q '"predicateType"' "${tmp_dir}/model.statement.json" ||
  die "the payload annotation of ${name} does not decode to an in-toto statement (no predicateType)"

written="model.build-slsa, model.statement.json, pipelinerun.json"
if [[ -n "${certificate}" ]]; then
  printf '%s\n' "${certificate}" >"${tmp_dir}/signer.crt"
  written="${written}, signer.crt"
fi
if [[ -n "${transparency}" ]]; then
  log "the transparency log entry of this provenance: ${transparency}"
  "${fetch_entry[@]}" >"${tmp_dir}/rekor-entry.json" ||
    die "cannot fetch the transparency log entry ${transparency} (verify checks it offline; without it, verify needs --insecure-ignore-tlog)"
  grep -q '"signedEntryTimestamp"' "${tmp_dir}/rekor-entry.json" ||
    die "${transparency} did not answer with a Rekor log entry (no signedEntryTimestamp)"
  written="${written}, rekor-entry.json"
else
  log "pipelinerun ${name} has no annotation chains.tekton.dev/transparency: Chains logged nothing (transparency.enabled is off), so verify needs --insecure-ignore-tlog"
fi

mv "${tmp_dir}/model.build-slsa" "${tmp_dir}/model.statement.json" "${tmp_dir}/pipelinerun.json" "${output_dir}/"
# A file left from another run would be checked against this run's envelope: remove it.
for optional in rekor-entry.json signer.crt; do
  if [[ -f "${tmp_dir}/${optional}" ]]; then
    mv "${tmp_dir}/${optional}" "${output_dir}/"
  else
    rm -f "${output_dir:?}/${optional}"
  fi
done
log "wrote ${written} into ${output_dir} from pipelinerun ${name} (uid ${uid})"
