#!/usr/bin/env bash
# Installs cert-manager and KServe at pinned releases in Standard mode (no Knative), then applies the
# deploy gate in dist/deploy/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly CERT_MANAGER_VERSION="v1.17.0"
readonly KSERVE_VERSION="v0.20.0"
CERT_MANAGER_URL="https://github.com/cert-manager/cert-manager/releases/download/${CERT_MANAGER_VERSION}/cert-manager.yaml"
KSERVE_URL="https://github.com/kserve/kserve/releases/download/${KSERVE_VERSION}/kserve.yaml"
KSERVE_RUNTIMES_URL="https://github.com/kserve/kserve/releases/download/${KSERVE_VERSION}/kserve-cluster-resources.yaml"
# KServe's "deploy" setting: Standard mode (plain Deployments and Services; "RawDeployment" is its old name)
DEPLOY_CONFIG='{"data":{"deploy":"{\"defaultDeploymentMode\": \"Standard\"}"}}'

usage() {
  cat <<USAGE
usage: scripts/install-kserve.sh [--dry-run] [--help]

Installs, on the cluster kubectl points at, and is safe to re-run:
  1. cert-manager ${CERT_MANAGER_VERSION} (KServe's webhooks need its certificates in every mode):
     ${CERT_MANAGER_URL}
  2. KServe ${KSERVE_VERSION} and its cluster serving runtimes (server-side apply: the CRDs are large):
     ${KSERVE_URL}
     ${KSERVE_RUNTIMES_URL}
  3. sets KServe's default deployment mode to Standard: Deployments and Services, no Knative and no
     Istio to install or run (the InferenceService the gate applies also says so in its
     serving.kserve.io/deploymentMode annotation); scale-to-zero is what is given up;
  4. applies dist/deploy (the deploy gate: its ConfigMap, ServiceAccount, Role, RoleBinding, serving
     store claim, Tasks and Pipeline), in NAMESPACE;
  5. grants roles/artifactregistry.reader on LOCATION/REPOSITORY_NAME to the gate's Kubernetes
     service account NAMESPACE/slsa-for-models-deploy (Workload Identity principal): the gate may
     download models and nothing else in Google Cloud.

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  LOCATION, REPOSITORY_NAME  the Artifact Registry repository the models are in (required)
  NAMESPACE        where the deploy gate goes: the training runs' namespace (default: default)
  DEPLOY_DIST_DIR  the manifests to apply (default: dist/deploy next to scripts/)
  WAIT_TIMEOUT     how long to wait for the deployments (default: 300s)
  APPLY_ATTEMPTS   how often to try applying what KServe's webhooks judge (default: 3)
  RETRY_DELAY      seconds between those attempts (default: 10)

options:
  --dry-run  print every kubectl command instead of running it (no cluster call is made)
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_args
require_cluster_env
require_env PROJECT_ID LOCATION REPOSITORY_NAME
DEPLOY_DIST_DIR="${DEPLOY_DIST_DIR:-${SLSA_ROOT}/dist/deploy}"
NAMESPACE="${NAMESPACE:-default}"
WAIT_TIMEOUT="${WAIT_TIMEOUT:-300s}"
APPLY_ATTEMPTS="${APPLY_ATTEMPTS:-3}"
RETRY_DELAY="${RETRY_DELAY:-10}"
[[ -d "${DEPLOY_DIST_DIR}" ]] || die "${DEPLOY_DIST_DIR} does not exist (run npm run synth first)"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_tool gcloud "https://cloud.google.com/sdk/docs/install"
require_kube_context

WEBHOOK_STARTING="a webhook may not be serving yet"

log "installing cert-manager ${CERT_MANAGER_VERSION}"
run kubectl apply -f "${CERT_MANAGER_URL}"
run kubectl wait --for=condition=Available deployment --all -n cert-manager "--timeout=${WAIT_TIMEOUT}"

log "installing KServe ${KSERVE_VERSION}"
apply_with_retry "${WEBHOOK_STARTING}" --server-side --force-conflicts -f "${KSERVE_URL}"
run kubectl wait --for=condition=Available deployment --all -n kserve "--timeout=${WAIT_TIMEOUT}"
apply_with_retry "${WEBHOOK_STARTING}" --server-side --force-conflicts -f "${KSERVE_RUNTIMES_URL}"

log "setting KServe's default deployment mode to Standard"
run kubectl patch configmap/inferenceservice-config -n kserve --type=merge "-p=${DEPLOY_CONFIG}"
run kubectl rollout restart deployment/kserve-controller-manager -n kserve
run kubectl rollout status deployment/kserve-controller-manager -n kserve "--timeout=${WAIT_TIMEOUT}"

log "applying ${DEPLOY_DIST_DIR} in namespace ${NAMESPACE}"
apply_with_retry "${WEBHOOK_STARTING}" -n "${NAMESPACE}" -f "${DEPLOY_DIST_DIR}"
project_number="$(capture PROJECT_NUMBER gcloud projects describe "${PROJECT_ID}" "--format=value(projectNumber)")"
if [[ ! "${project_number}" =~ ^[0-9]+$ ]] && ((!DRY_RUN)); then
  die "gcloud projects describe ${PROJECT_ID} gave \"${project_number}\", not a project number"
fi
member="principal://iam.googleapis.com/projects/${project_number}/locations/global/workloadIdentityPools/${PROJECT_ID}.svc.id.goog/subject/ns/${NAMESPACE}/sa/slsa-for-models-deploy"
log "granting roles/artifactregistry.reader on ${REPOSITORY_NAME} to ${NAMESPACE}/slsa-for-models-deploy"
run gcloud artifacts repositories add-iam-policy-binding "${REPOSITORY_NAME}" \
  "--location=${LOCATION}" \
  "--project=${PROJECT_ID}" \
  "--member=${member}" \
  --role=roles/artifactregistry.reader \
  --condition=None
log "done: cert-manager ${CERT_MANAGER_VERSION} and KServe ${KSERVE_VERSION} (Standard mode) are ready, the deploy gate is applied; next: scripts/deploy-model.sh RUN"
