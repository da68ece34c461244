#!/usr/bin/env bash
# Creates the GKE cluster (Workload Identity Federation for GKE), the generic Artifact Registry
# repository, and the IAM binding that lets the pipeline's Kubernetes service account upload to it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/create-cluster.sh [--dry-run] [--help]

Creates what slsa-for-models needs in a Google Cloud project, and is safe to re-run:
  1. enables the container, artifactregistry, iam, iamcredentials and sts services;
  2. creates the GKE cluster CLUSTER_NAME in REGION with Workload Identity Federation for GKE
     (--workload-pool=PROJECT_ID.svc.id.goog), autoscaling 1-3 e2-standard-4 nodes per zone,
     no node-wide cloud-platform scope; an existing cluster is kept;
  3. fetches its kubectl credentials;
  4. creates the generic Artifact Registry repository REPOSITORY_NAME in LOCATION (kept if it exists);
  5. grants roles/artifactregistry.writer on that repository to the Kubernetes service account
     NAMESPACE/SERVICE_ACCOUNT through its Workload Identity principal (kept if already granted).

environment:
  PROJECT_ID       Google Cloud project id (required)
  CLUSTER_NAME     GKE cluster name (required)
  REGION           GKE region, e.g. us-central1 (required)
  LOCATION         Artifact Registry location, e.g. us (required)
  REPOSITORY_NAME  generic Artifact Registry repository, e.g. ml-artifacts (required)
  NAMESPACE        namespace of the pipeline's service account (default: default)
  SERVICE_ACCOUNT  the pipeline's Kubernetes service account (default: slsa-for-models)

options:
  --dry-run  print every gcloud command instead of running it (no cloud call is made)
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_args
require_env PROJECT_ID CLUSTER_NAME REGION LOCATION REPOSITORY_NAME
NAMESPACE="${NAMESPACE:-default}"
SERVICE_ACCOUNT="${SERVICE_ACCOUNT:-slsa-for-models}"
require_tool gcloud "https://cloud.google.com/sdk/docs/install"

log "enabling services in project ${PROJECT_ID}"
run gcloud services enable \
  container.googleapis.com \
  artifactregistry.googleapis.com \
  iam.googleapis.com \
  iamcredentials.googleapis.com \
  sts.googleapis.com \
  "--project=${PROJECT_ID}"

if probe gcloud container clusters describe "${CLUSTER_NAME}" "--region=${REGION}" "--project=${PROJECT_ID}" "--format=value(name)"; then
  log "cluster ${CLUSTER_NAME} already exists in ${REGION}: keeping it"
else
  log "creating cluster ${CLUSTER_NAME} in ${REGION}"
  run gcloud container clusters create "${CLUSTER_NAME}" \
    "--project=${PROJECT_ID}" \
    "--region=${REGION}" \
    "--workload-pool=${PROJECT_ID}.svc.id.goog" \
    --machine-type=e2-standard-4 \
    --num-nodes=1 \
    --enable-autoscaling \
    --min-nodes=1 \
    --max-nodes=3 \
    --release-channel=regular \
    --no-issue-client-certificate
fi

run gcloud container clusters get-credentials "${CLUSTER_NAME}" "--region=${REGION}" "--project=${PROJECT_ID}"

if probe gcloud artifacts repositories describe "${REPOSITORY_NAME}" "--location=${LOCATION}" "--project=${PROJECT_ID}" "--format=value(name)"; then
  log "repository ${REPOSITORY_NAME} already exists in ${LOCATION}: keeping it"
else
  log "creating generic repository ${REPOSITORY_NAME} in ${LOCATION}"
  run gcloud artifacts repositories create "${REPOSITORY_NAME}" \
    --repository-format=generic \
    "--location=${LOCATION}" \
    "--project=${PROJECT_ID}" \
    "--description=Models trained and attested by slsa-for-models"
fi

project_number="$(capture PROJECT_NUMBER gcloud projects describe "${PROJECT_ID}" "--format=value(projectNumber)")"
if [[ ! "${project_number}" =~ ^[0-9]+$ ]] && ((!DRY_RUN)); then
  die "gcloud projects describe ${PROJECT_ID} gave \"${project_number}\", not a project number"
fi
member="principal://iam.googleapis.com/projects/${project_number}/locations/global/workloadIdentityPools/${PROJECT_ID}.svc.id.goog/subject/ns/${NAMESPACE}/sa/${SERVICE_ACCOUNT}"
role="roles/artifactregistry.writer"

granted="$(capture "" gcloud artifacts repositories get-iam-policy "${REPOSITORY_NAME}" \
  "--location=${LOCATION}" \
  "--project=${PROJECT_ID}" \
  "--flatten=bindings[].members" \
  "--filter=bindings.role=\"${role}\" AND bindings.members=\"${member}\"" \
  "--format=value(bindings.members)")"
if [[ -n "${granted}" ]]; then
  log "${member} already has ${role} on ${REPOSITORY_NAME}: keeping it"
else
  log "granting ${role} on ${REPOSITORY_NAME} to ${NAMESPACE}/${SERVICE_ACCOUNT}"
  run gcloud artifacts repositories add-iam-policy-binding "${REPOSITORY_NAME}" \
    "--location=${LOCATION}" \
    "--project=${PROJECT_ID}" \
    "--member=${member}" \
    "--role=${role}" \
    --condition=None
fi

log "done: cluster ${CLUSTER_NAME}, repository ${LOCATION}/${REPOSITORY_NAME}, writer ${NAMESPACE}/${SERVICE_ACCOUNT}"
