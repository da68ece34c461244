#!/usr/bin/env bash
# Installs Tekton Triggers and its core interceptors at their pinned release, waits until they are
# ready, then applies the synthesized Triggers objects in dist/triggers.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIGGERS_RELEASE_URL="https://infra.tekton.dev/tekton-releases/triggers/previous/${TEKTON_TRIGGERS_VERSION}/release.yaml"
INTERCEPTORS_RELEASE_URL="https://infra.tekton.dev/tekton-releases/triggers/previous/${TEKTON_TRIGGERS_VERSION}/interceptors.yaml"

usage() {
  cat <<USAGE
usage: scripts/install-triggers.sh [--dry-run] [--help]

Installs, on the cluster kubectl points at (after scripts/install-tekton.sh), and is safe to re-run:
  1. Tekton Triggers ${TEKTON_TRIGGERS_VERSION}: ${TRIGGERS_RELEASE_URL}
  2. its core interceptors (github, cel, ...): ${INTERCEPTORS_RELEASE_URL}
  3. waits until the Triggers deployments in tekton-pipelines are Available;
  4. applies dist/triggers (EventListener, Trigger, TriggerBinding, TriggerTemplate, the
     EventListener's ServiceAccount and bindings, and the Ingress when synthesized with
     TRIGGER_HOST), retrying while the Triggers webhook starts.

The GitHub interceptor reads the webhook token from the Secret ${WEBHOOK_SECRET_NAME}
(key ${WEBHOOK_SECRET_KEY}) in NAMESPACE: make it with scripts/create-webhook-secret.sh. This script
says so when it is missing; events are refused until it exists.

It refuses to act when kubectl's current context is not the cluster's
(gke_PROJECT_ID_REGION_CLUSTER_NAME, or KUBE_CONTEXT when set).

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        where the EventListener and its runs go (default: default)
  TRIGGERS_DIR     the Triggers manifests to apply (default: dist/triggers next to scripts/)
  WAIT_TIMEOUT     how long to wait for the deployments (default: 300s)
  APPLY_ATTEMPTS   how often to try applying them (default: 5)
  RETRY_DELAY      seconds between those attempts (default: 5)

options:
  --dry-run  print every kubectl command instead of running it (no cluster call is made)
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_args
require_cluster_env
TRIGGERS_DIR="${TRIGGERS_DIR:-${SLSA_ROOT}/dist/triggers}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-300s}"
APPLY_ATTEMPTS="${APPLY_ATTEMPTS:-5}"
RETRY_DELAY="${RETRY_DELAY:-5}"
NAMESPACE="${NAMESPACE:-default}"
[[ -d "${TRIGGERS_DIR}" ]] || die "${TRIGGERS_DIR} does not exist (run npm run synth first)"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"

# The ClusterRoleBinding in dist/triggers names the EventListener's namespace (TRIGGER_NAMESPACE at
# synth): applied into another one, the EventListener could not read its ClusterInterceptors.
synth_namespace=""
for file in "${TRIGGERS_DIR}"/*.yaml; do
  [[ -f "${file}" ]] || continue
  while IFS= read -r line; do
    if [[ "${line}" =~ ^[[:space:]]+namespace:[[:space:]]+([a-z0-9-]+)$ ]]; then
      synth_namespace="${BASH_REMATCH[1]}"
    fi
  done <"${file}"
done
if [[ -n "${synth_namespace}" && "${synth_namespace}" != "${NAMESPACE}" ]]; then
  die "${TRIGGERS_DIR} was synthesized for namespace \"${synth_namespace}\" but NAMESPACE is \"${NAMESPACE}\" (run: TRIGGER_NAMESPACE=${NAMESPACE} npm run synth, or export NAMESPACE=${synth_namespace})"
fi
require_kube_context

log "installing Tekton Triggers ${TEKTON_TRIGGERS_VERSION} and its interceptors"
run kubectl apply -f "${TRIGGERS_RELEASE_URL}"
run kubectl apply -f "${INTERCEPTORS_RELEASE_URL}"
log "waiting for the Triggers deployments in tekton-pipelines"
run kubectl wait --for=condition=Available deployment -l app.kubernetes.io/part-of=tekton-triggers -n tekton-pipelines "--timeout=${WAIT_TIMEOUT}"

# A Deployment is Available before its webhook serves admission requests: the first applies of
# Triggers objects can be refused with "connection refused" for a few seconds.
log "applying ${TRIGGERS_DIR} in namespace ${NAMESPACE}"
apply_with_retry "the Triggers webhook may still be starting" -n "${NAMESPACE}" -f "${TRIGGERS_DIR}"

if ! probe kubectl get secret "${WEBHOOK_SECRET_NAME}" -n "${NAMESPACE}"; then
  log "no secret ${NAMESPACE}/${WEBHOOK_SECRET_NAME} yet: run scripts/create-webhook-secret.sh, or the GitHub interceptor refuses every event"
fi
log "done: Tekton Triggers ${TEKTON_TRIGGERS_VERSION} is ready, ${TRIGGERS_DIR} is applied (the EventListener's Service: kubectl get service -n ${NAMESPACE} -l eventlistener)"
