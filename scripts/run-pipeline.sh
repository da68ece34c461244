#!/usr/bin/env bash
# Starts a PipelineRun from dist/runs/, follows its logs, and waits until Tekton Chains has signed it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/run-pipeline.sh [--dry-run] [--help] [RUN_FILE]

  1. publishes TRUSTED_ROOT, when given, into ConfigMap ${TRUSTED_ROOT_CONFIG_MAP} (key
     ${TRUSTED_ROOT_CONFIG_MAP_KEY}), where the training task reads it to check a base model signed by a
     Sigstore identity (param base-model with certificate-identity); without TRUSTED_ROOT, such a
     run gets a one-line warning when that ConfigMap does not exist (the task will refuse it);
  2. kubectl create -f RUN_FILE (default: dist/runs/slsa-for-models-run.yaml, the CPU run, or else the
     only file in dist/runs/), keeping the generated name; a run that still clones from the
     placeholder host git.example.invalid is refused (synthesize it with WORKLOAD_REPOSITORY set);
  3. tkn pipelinerun logs NAME -f, to follow the run;
  4. waits until the run has succeeded (fails, with Tekton's reason, when it failed) and until
     Tekton Chains has set the annotation chains.tekton.dev/signed to "true" (fails on "failed",
     or after SIGNED_TIMEOUT seconds).
The name of the run is printed on the last line of stdout, for scripts/fetch-attestation.sh.

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        namespace to run in (default: default)
  LOCATION, REPOSITORY_NAME  when set, the run must upload there (its param model-storage):
                   otherwise the script stops before creating it
  SIGNED_TIMEOUT   seconds to wait for the run to finish and be signed, after the logs end (default: 900)
  POLL_INTERVAL    seconds between status checks (default: 10)
  TRUSTED_ROOT     Sigstore's trusted_root.json, for a base model checked by its Sigstore identity in
                   the training task (optional once published: the ConfigMap is kept): the public-good
                   one from Sigstore's TUF repository, e.g. as cosign caches it (cosign initialize),
                   or your Rekor's; checked before anything is created

options:
  --dry-run  print every kubectl and tkn command instead of running it
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_extra_args
if ((${#ARGS[@]} > 1)); then
  usage_error "expected at most one RUN_FILE, got ${#ARGS[@]} arguments"
fi
require_cluster_env
NAMESPACE="${NAMESPACE:-default}"
SIGNED_TIMEOUT="${SIGNED_TIMEOUT:-900}"
POLL_INTERVAL="${POLL_INTERVAL:-10}"

if ((${#ARGS[@]} == 1)); then
  run_file="${ARGS[0]}"
  [[ -f "${run_file}" ]] || die "run file ${run_file} does not exist"
else
  runs_dir="${SLSA_ROOT}/dist/runs"
  shopt -s nullglob
  candidates=("${runs_dir}"/*.yaml "${runs_dir}"/*.yml)
  shopt -u nullglob
  if ((${#candidates[@]} == 0)); then
    die "no run file in ${runs_dir} (run npm run synth first, or name one)"
  elif [[ -f "${runs_dir}/slsa-for-models-run.yaml" ]]; then
    candidates=("${runs_dir}/slsa-for-models-run.yaml")
  elif ((${#candidates[@]} > 1)); then
    die "${runs_dir} has ${#candidates[@]} run files; name the one to run (for example ${candidates[0]})"
  fi
  run_file="${candidates[0]}"
fi

if grep -q 'git\.example\.invalid' "${run_file}"; then
  die "${run_file} clones its model source from the placeholder git.example.invalid; synthesize it with WORKLOAD_REPOSITORY=<your clone of slsa-for-models> npm run synth"
fi

# A TRUSTED_ROOT that is not one stops the script before any kubectl call; it is published further down.
if [[ -n "${TRUSTED_ROOT:-}" ]]; then
  check_trusted_root
fi

require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_tool tkn "https://tekton.dev/docs/cli/"
require_kube_context

# The run names the repository it uploads to (param model-storage); create-cluster.sh gave the
# service account write access to LOCATION/REPOSITORY_NAME only. Compare before anything starts.
if [[ -n "${LOCATION:-}" || -n "${REPOSITORY_NAME:-}" ]]; then
  storage_jsonpath='-o=jsonpath={.spec.params[?(@.name=="model-storage")].value.location}/{.spec.params[?(@.name=="model-storage")].value.repository}'
  storage="$(capture "${LOCATION:-}/${REPOSITORY_NAME:-}" kubectl create --dry-run=client -f "${run_file}" "${storage_jsonpath}")"
  # Only the variables that are set are compared (one of them may be left unset).
  storage_location="${storage%%/*}"
  storage_repository="${storage#*/}"
  if [[ "${storage}" != "/" ]] &&
    { [[ -n "${LOCATION:-}" && "${storage_location}" != "${LOCATION}" ]] ||
      [[ -n "${REPOSITORY_NAME:-}" && "${storage_repository}" != "${REPOSITORY_NAME}" ]]; }; then
    die "${run_file} uploads to ${storage} (param model-storage) but LOCATION/REPOSITORY_NAME say ${LOCATION:-}/${REPOSITORY_NAME:-}: make them agree (the model-storage of the run in src/main.ts, then npm run synth; or export LOCATION and REPOSITORY_NAME to match)"
  fi
fi

# A base model signed by a Sigstore identity is checked against the trusted root in a ConfigMap.
# kubectl reads the param (as for model-storage above) only when the file mentions the key at all.
trusted_root_purpose="a base model checked by its Sigstore identity in the training task"
if [[ -n "${TRUSTED_ROOT:-}" ]]; then
  publish_trusted_root "${NAMESPACE}" "${trusted_root_purpose}" ""
elif grep -q 'certificate-identity' "${run_file}"; then
  identity_jsonpath='-o=jsonpath={.spec.params[?(@.name=="base-model")].value.certificate-identity}'
  identity="$(capture CERTIFICATE_IDENTITY kubectl create --dry-run=client -f "${run_file}" "${identity_jsonpath}")" ||
    die "cannot read param base-model of ${run_file} (kubectl create --dry-run=client failed)"
  if [[ -n "${identity}" ]]; then
    publish_trusted_root "${NAMESPACE}" "${trusted_root_purpose}" \
      "the training task will refuse base-model, checked by Sigstore identity ${identity} (\"no trusted root\"): set TRUSTED_ROOT"
  fi
fi

log "creating a PipelineRun from ${run_file} in namespace ${NAMESPACE}"
name="$(capture slsa-for-models-xxxxx kubectl create -f "${run_file}" -n "${NAMESPACE}" '-o=jsonpath={.metadata.name}')"
[[ -n "${name}" ]] || die "kubectl create -f ${run_file} printed no name"
log "created pipelinerun ${name}"

follow_run_logs "${name}"

status_jsonpath='-o=jsonpath={.status.conditions[?(@.type=="Succeeded")].status}|{.metadata.annotations.chains\.tekton\.dev/signed}|{.status.conditions[?(@.type=="Succeeded")].reason}: {.status.conditions[?(@.type=="Succeeded")].message}'
if ((DRY_RUN)); then
  print_command kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "${status_jsonpath}"
  log "would poll every ${POLL_INTERVAL}s (up to ${SIGNED_TIMEOUT}s) until Succeeded is True and chains.tekton.dev/signed is \"true\""
  printf '%s\n' "${name}"
  exit 0
fi

deadline=$((SECONDS + SIGNED_TIMEOUT))
while :; do
  state="$(kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "${status_jsonpath}")"
  succeeded="${state%%|*}"
  rest="${state#*|}"
  signed="${rest%%|*}"
  reason="${rest#*|}"
  if [[ "${succeeded}" == "False" ]]; then
    die "pipelinerun ${name} failed: ${reason} (see: tkn pipelinerun describe ${name} -n ${NAMESPACE})"
  fi
  if [[ "${signed}" == "failed" ]]; then
    die "tekton chains failed to sign pipelinerun ${name} (see: kubectl logs -n tekton-chains deployment/tekton-chains-controller)"
  fi
  if [[ "${succeeded}" == "True" && "${signed}" == "true" ]]; then
    break
  fi
  if ((SECONDS >= deadline)); then
    die "pipelinerun ${name} is not signed after ${SIGNED_TIMEOUT}s (Succeeded=${succeeded:-unknown}, chains.tekton.dev/signed=${signed:-unset}); is the signing key in place (scripts/generate-signing-key.sh)?"
  fi
  log "waiting: Succeeded=${succeeded:-unknown}, chains.tekton.dev/signed=${signed:-unset}"
  sleep "${POLL_INTERVAL}"
done

log "pipelinerun ${name} succeeded and Tekton Chains signed it; next: scripts/fetch-attestation.sh ${name}"
printf '%s\n' "${name}"
