#!/usr/bin/env bash
# Runs the deploy gate for one training run: verify its model against the signed provenance and the
# policy, promote the verified bytes, and serve exactly them with KServe.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/deploy-model.sh [--dry-run] [--help] RUN

Deploys the model of the training PipelineRun RUN (the name scripts/run-pipeline.sh printed):
  1. checks that Tekton Chains signed RUN (chains.tekton.dev/signed is "true"), and publishes
     TRUSTED_ROOT into ConfigMap slsa-for-models-trusted-root when it is given (the gate checks
     RUN's Rekor entry against it, as slsa-for-models verify does);
  2. creates a PipelineRun of slsa-for-models-deploy from dist/deploy/runs/ with training-run=RUN;
  3. follows its logs (tkn) and waits for it. The gate task fetches RUN through the Kubernetes API,
     and its Rekor entry (the URL in chains.tekton.dev/transparency), downloads the model, verifies it
     (signature with the public key in ConfigMap slsa-for-models-signing-key, the log entry against
     the trusted root, subject digest, builder, source and commit, params, age) and copies
     only the verified bytes under their digest into the serving store; then the InferenceService is
     applied with storageUri pvc://<store>/sha256-<digest>. Any failed check stops the run before the
     deploy: the script prints the gate's one line ("deploy-gate: verify failed: ...") and exits 1;
  4. prints the InferenceService and how to send it a request.
Needs scripts/install-kserve.sh (which applies dist/deploy) and scripts/generate-signing-key.sh
(which publishes the public key) first.

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        namespace of the training run and the gate (default: default)
  DEPLOY_RUN_FILE  the deploy PipelineRun to start (default: the only file in dist/deploy/runs/)
  DEPLOY_TIMEOUT   seconds to wait for the deploy run after its logs end (default: 900)
  POLL_INTERVAL    seconds between status checks (default: 10)
  INFERENCE_SERVICE  the InferenceService the deploy run applies (default: slsa-for-models)
  TRUSTED_ROOT     Sigstore's trusted_root.json for the gate's log check (optional once published:
                   the ConfigMap is kept): the public-good one from Sigstore's TUF repository, e.g.
                   as cosign caches it (cosign initialize), or your Rekor's

options:
  --dry-run  print every kubectl and tkn command instead of running it
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_extra_args
require_cluster_env
if ((${#ARGS[@]} != 1)); then
  usage_error "expected one RUN (the training PipelineRun), got ${#ARGS[@]} arguments"
fi
training_run="${ARGS[0]}"
if [[ ! "${training_run}" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]]; then
  usage_error "RUN \"${training_run}\" is not a PipelineRun name"
fi
NAMESPACE="${NAMESPACE:-default}"
DEPLOY_TIMEOUT="${DEPLOY_TIMEOUT:-900}"
POLL_INTERVAL="${POLL_INTERVAL:-10}"
INFERENCE_SERVICE="${INFERENCE_SERVICE:-slsa-for-models}"

if [[ -n "${DEPLOY_RUN_FILE:-}" ]]; then
  run_file="${DEPLOY_RUN_FILE}"
  [[ -f "${run_file}" ]] || die "run file ${run_file} does not exist"
else
  runs_dir="${SLSA_ROOT}/dist/deploy/runs"
  shopt -s nullglob
  candidates=("${runs_dir}"/*.yaml)
  shopt -u nullglob
  ((${#candidates[@]} == 1)) || die "expected one run file in ${runs_dir}, found ${#candidates[@]} (run npm run synth, or set DEPLOY_RUN_FILE)"
  run_file="${candidates[0]}"
fi

require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_tool tkn "https://tekton.dev/docs/cli/"
require_kube_context

signed="$(capture true kubectl get pipelinerun "${training_run}" -n "${NAMESPACE}" '-o=jsonpath={.metadata.annotations.chains\.tekton\.dev/signed}')"
if [[ "${signed}" != "true" ]]; then
  die "pipelinerun ${NAMESPACE}/${training_run} is not signed by Tekton Chains (chains.tekton.dev/signed is \"${signed:-unset}\"); wait for scripts/run-pipeline.sh to finish"
fi

# The gate's log check reads Sigstore's trusted root from a ConfigMap: publish it when given (it is public data).
publish_trusted_root "${NAMESPACE}" "the gate's log check" \
  "the gate refuses the run (\"transparency log: no trusted root\") unless its policy skips the log"

# The run file is synthesized with an empty training-run (its only param): set it, then create.
patch="[{\"op\":\"replace\",\"path\":\"/spec/params/0\",\"value\":{\"name\":\"training-run\",\"value\":\"${training_run}\"}}]"
pipeline_run="$(capture "" kubectl patch --local -f "${run_file}" --type=json "-p=${patch}" -o json)"
log "creating a deploy PipelineRun for ${training_run} in namespace ${NAMESPACE}"
name="$(capture slsa-for-models-deploy-xxxxx kubectl create -n "${NAMESPACE}" -f - '-o=jsonpath={.metadata.name}' <<<"${pipeline_run}")"
[[ -n "${name}" ]] || die "kubectl create printed no name for the deploy run"
log "created pipelinerun ${name}"

follow_run_logs "${name}"

status_jsonpath='-o=jsonpath={.status.conditions[?(@.type=="Succeeded")].status}|{.status.conditions[?(@.type=="Succeeded")].reason}: {.status.conditions[?(@.type=="Succeeded")].message}'
if ((DRY_RUN)); then
  print_command kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "${status_jsonpath}"
  log "would poll every ${POLL_INTERVAL}s (up to ${DEPLOY_TIMEOUT}s) until Succeeded is True"
  print_command kubectl get inferenceservice "${INFERENCE_SERVICE}" -n "${NAMESPACE}"
  exit 0
fi

deadline=$((SECONDS + DEPLOY_TIMEOUT))
while :; do
  state="$(kubectl get pipelinerun "${name}" -n "${NAMESPACE}" "${status_jsonpath}")"
  succeeded="${state%%|*}"
  reason="${state#*|}"
  if [[ "${succeeded}" == "False" ]]; then
    # the gate prints one line naming the failed check; show it rather than Tekton's summary
    gate_line=""
    while IFS= read -r line; do
      if [[ "${line}" =~ ^deploy-gate:\ [a-z-]+\ failed:\  ]]; then gate_line="${line}"; fi
    done < <(kubectl logs -n "${NAMESPACE}" -l "tekton.dev/pipelineRun=${name}" --all-containers --tail=-1 2>/dev/null || true)
    die "deploy run ${name} stopped before serving anything: ${gate_line:-${reason}}"
  fi
  if [[ "${succeeded}" == "True" ]]; then
    break
  fi
  if ((SECONDS >= deadline)); then
    die "deploy run ${name} has not finished after ${DEPLOY_TIMEOUT}s (Succeeded=${succeeded:-unknown})"
  fi
  log "waiting: Succeeded=${succeeded:-unknown}"
  sleep "${POLL_INTERVAL}"
done

log "deploy run ${name} succeeded; InferenceService ${INFERENCE_SERVICE} serves the verified model (sha256, storageUri):"
kubectl get inferenceservice "${INFERENCE_SERVICE}" -n "${NAMESPACE}" '-o=jsonpath={.metadata.annotations.slsa-for-models\.dev/verified-model-sha256} {.spec.predictor.model.storageUri}{"\n"}'
log "try it: kubectl port-forward -n ${NAMESPACE} service/${INFERENCE_SERVICE}-predictor 8080:80, then the curl in docs/deploy-gate.md"
