#!/usr/bin/env bash
# Installs Tekton Pipelines and Tekton Chains at their pinned releases, waits until they are ready,
# then applies the synthesized manifests in dist/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PIPELINES_RELEASE_URL="https://infra.tekton.dev/tekton-releases/pipeline/previous/${TEKTON_PIPELINES_VERSION}/release.yaml"
CHAINS_RELEASE_URL="https://infra.tekton.dev/tekton-releases/chains/previous/${TEKTON_CHAINS_VERSION}/release.yaml"

usage() {
  cat <<USAGE
usage: scripts/install-tekton.sh [--dry-run] [--help]

Installs, on the cluster kubectl points at, and is safe to re-run:
  1. Tekton Pipelines ${TEKTON_PIPELINES_VERSION}: ${PIPELINES_RELEASE_URL}
  2. Tekton Chains ${TEKTON_CHAINS_VERSION}: ${CHAINS_RELEASE_URL}
  (both with server-side apply: their CRDs are too large for kubectl's last-applied annotation;
  --force-conflicts hands the ConfigMaps back to the release, step 4 sets them again)
  3. waits until every Tekton deployment is Available;
  4. applies dist/ (feature flags, chains config, service account, Tasks, Pipeline) and restarts
     the controllers so they read the new configuration at once.

It refuses to act when kubectl's current context is not the cluster's
(gke_PROJECT_ID_REGION_CLUSTER_NAME, or KUBE_CONTEXT when set).

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        where runs go (default: default); must be the context's namespace, which is
                   where dist/ puts the service account, Tasks and Pipeline
  DIST_DIR         the manifests to apply (default: dist next to scripts/)
  WAIT_TIMEOUT     how long to wait for the deployments (default: 300s)
  APPLY_ATTEMPTS   how often to try applying dist/ (default: 3)
  RETRY_DELAY      seconds between those attempts (default: 5)

options:
  --dry-run  print every kubectl command instead of running it (no cluster call is made)
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_args
require_cluster_env
DIST_DIR="${DIST_DIR:-${SLSA_ROOT}/dist}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-300s}"
APPLY_ATTEMPTS="${APPLY_ATTEMPTS:-3}"
RETRY_DELAY="${RETRY_DELAY:-5}"
[[ -d "${DIST_DIR}" ]] || die "${DIST_DIR} does not exist (run npm run synth first)"
NAMESPACE="${NAMESPACE:-default}"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_kube_context

# dist/ gives its ServiceAccount, Tasks and Pipeline no namespace (its ConfigMaps name theirs, so
# "kubectl apply -n" is refused): they land in the current context's namespace. create-cluster.sh
# bound the upload role to NAMESPACE/slsa-for-models and run-pipeline.sh starts runs in NAMESPACE,
# so the two must agree, or the first run finds no Pipeline (or uploads without permission).
context_namespace="$(capture "${NAMESPACE}" kubectl config view --minify '-o=jsonpath={.contexts[0].context.namespace}')"
context_namespace="${context_namespace:-default}"
if [[ "${context_namespace}" != "${NAMESPACE}" ]]; then
  die "kubectl's current namespace is \"${context_namespace}\" but NAMESPACE is \"${NAMESPACE}\": dist/ would put the pipeline's service account, Tasks and Pipeline where runs and the IAM binding do not look (run: kubectl config set-context --current --namespace=${NAMESPACE}, or export NAMESPACE=${context_namespace})"
fi

log "installing Tekton Pipelines ${TEKTON_PIPELINES_VERSION}"
run kubectl apply --server-side --force-conflicts -f "${PIPELINES_RELEASE_URL}"
log "installing Tekton Chains ${TEKTON_CHAINS_VERSION}"
run kubectl apply --server-side --force-conflicts -f "${CHAINS_RELEASE_URL}"

for namespace in tekton-pipelines tekton-pipelines-resolvers tekton-chains; do
  log "waiting for the deployments in ${namespace}"
  run kubectl wait --for=condition=Available deployment --all -n "${namespace}" "--timeout=${WAIT_TIMEOUT}"
done

# dist/ carries the feature-flags ConfigMap and the Pipeline that needs one of its flags (param
# enum). The webhook sees a changed ConfigMap a moment after it is written, so a first apply can
# reject the Pipeline; the ConfigMap is in place by then and a second apply passes.
log "applying ${DIST_DIR}"
apply_with_retry "the webhook may not have seen the new feature flags yet" -f "${DIST_DIR}"

# The controllers read feature-flags and chains-config through informers, but a restart makes the
# new configuration certain before the first run.
run kubectl rollout restart deployment/tekton-pipelines-controller -n tekton-pipelines
run kubectl rollout restart deployment/tekton-chains-controller -n tekton-chains
run kubectl rollout status deployment/tekton-pipelines-controller -n tekton-pipelines "--timeout=${WAIT_TIMEOUT}"
run kubectl rollout status deployment/tekton-chains-controller -n tekton-chains "--timeout=${WAIT_TIMEOUT}"

log "done: Tekton Pipelines ${TEKTON_PIPELINES_VERSION} and Chains ${TEKTON_CHAINS_VERSION} are ready, ${DIST_DIR} is applied"
