#!/usr/bin/env bash
# Adds a GKE node pool with NVIDIA GPUs (or Cloud TPUs) that scales from zero, for the training task
# of a GPU run (dist/runs/tiny-cnn-gpu.yaml). Checks first that the zones offer the accelerator.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/create-accelerator-pool.sh [--spot] [--dry-run] [--help]

Adds a node pool for training on accelerators to the cluster CLUSTER_NAME, and is safe to re-run:
  1. finds the zones of REGION that offer the accelerator (gcloud compute accelerator-types list
     for a GPU, gcloud compute machine-types list for a TPU machine type), or checks the ZONES given;
     none is an error, before anything is created;
  2. creates the node pool POOL_NAME in those zones, autoscaling from 0 to MAX_NODES nodes per zone:
     GPUs with --accelerator type=ACCELERATOR,count=ACCELERATOR_COUNT,gpu-driver-version=default
     (GKE installs the NVIDIA driver), TPUs with --machine-type=TPU_MACHINE_TYPE and
     --tpu-topology=TPU_TOPOLOGY; Workload Identity metadata on every node; an existing pool is kept.
GKE labels the nodes (cloud.google.com/gke-accelerator, or gke-tpu-accelerator and gke-tpu-topology)
and taints them (nvidia.com/gpu or google.com/tpu, NoSchedule): only a pod that tolerates the taint and
asks for the device lands there, which is what the GPU run's training task does. An idle pool costs
nothing for its nodes: it scales back to zero about ten minutes after the last training pod ends.

environment:
  PROJECT_ID         Google Cloud project id (required)
  CLUSTER_NAME       GKE cluster name (required)
  REGION             the cluster's region, e.g. us-central1 (required)
  ACCELERATOR        GPU type, e.g. nvidia-l4, nvidia-tesla-t4, nvidia-a100-80gb (default: nvidia-l4)
  ACCELERATOR_COUNT  GPUs per node (default: 1)
  MACHINE_TYPE       machine type of a GPU node (default: g2-standard-8 for nvidia-l4,
                     n1-standard-8 for nvidia-tesla-t4, a2-highgpu-1g for nvidia-tesla-a100,
                     a2-ultragpu-1g for nvidia-a100-80gb, a3-highgpu-1g for nvidia-h100-80gb; required
                     for any other type or count)
  TPU_MACHINE_TYPE   a TPU machine type, e.g. ct5lp-hightpu-4t: makes a TPU pool instead of a GPU pool
  TPU_TOPOLOGY       the TPU slice topology, e.g. 2x2 (required with TPU_MACHINE_TYPE)
  ZONES              comma-separated zones for the pool (default: every zone of REGION that offers it)
  POOL_NAME          node pool name (default: gpu-ACCELERATOR, or tpu-TPU_MACHINE_TYPE)
  MAX_NODES          the most nodes per zone (default: 1)

options:
  --spot     Spot VMs (far cheaper, reclaimed at any time: the training task's retries resume from
             its checkpoint), tainted cloud.google.com/gke-spot=true:NoSchedule
  --dry-run  print every gcloud command instead of running it (no cloud call is made)
  --help     show this help
USAGE
}

SPOT=0
parse_common_args "$@"
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "${arg}" in
    --spot) SPOT=1 ;;
    *) usage_error "unexpected argument \"${arg}\"" ;;
  esac
done
expect_no_extra_args
require_env PROJECT_ID CLUSTER_NAME REGION
TPU_MACHINE_TYPE="${TPU_MACHINE_TYPE:-}"
if [[ -n "${TPU_MACHINE_TYPE}" ]]; then
  require_env TPU_TOPOLOGY
  [[ "${TPU_TOPOLOGY}" =~ ^[1-9][0-9]*x[1-9][0-9]*(x[1-9][0-9]*)?$ ]] || die "TPU_TOPOLOGY \"${TPU_TOPOLOGY}\" is not a topology such as 2x2 or 2x2x1"
  [[ -z "${ACCELERATOR:-}" ]] || die "ACCELERATOR and TPU_MACHINE_TYPE are both set; a pool has GPUs or TPUs, not both"
  POOL_NAME="${POOL_NAME:-tpu-${TPU_MACHINE_TYPE}}"
else
  ACCELERATOR="${ACCELERATOR:-nvidia-l4}"
  ACCELERATOR_COUNT="${ACCELERATOR_COUNT:-1}"
  [[ "${ACCELERATOR}" =~ ^nvidia-[a-z0-9-]+$ ]] || die "ACCELERATOR \"${ACCELERATOR}\" is not a GPU type such as nvidia-l4 (gcloud compute accelerator-types list)"
  [[ "${ACCELERATOR_COUNT}" =~ ^(1|2|4|8|16)$ ]] || die "ACCELERATOR_COUNT \"${ACCELERATOR_COUNT}\" is not 1, 2, 4, 8 or 16"
  if [[ -z "${MACHINE_TYPE:-}" ]]; then
    case "${ACCELERATOR}/${ACCELERATOR_COUNT}" in
      nvidia-l4/1) MACHINE_TYPE=g2-standard-8 ;;
      nvidia-tesla-t4/1) MACHINE_TYPE=n1-standard-8 ;;
      nvidia-tesla-a100/1) MACHINE_TYPE=a2-highgpu-1g ;;
      nvidia-a100-80gb/1) MACHINE_TYPE=a2-ultragpu-1g ;;
      nvidia-h100-80gb/1) MACHINE_TYPE=a3-highgpu-1g ;;
      *) die "no default machine type for ${ACCELERATOR_COUNT} x ${ACCELERATOR}; set MACHINE_TYPE (see --help)" ;;
    esac
  fi
  POOL_NAME="${POOL_NAME:-gpu-${ACCELERATOR}}"
fi
MAX_NODES="${MAX_NODES:-1}"
[[ "${MAX_NODES}" =~ ^[1-9][0-9]*$ ]] || die "MAX_NODES \"${MAX_NODES}\" is not a whole number of nodes (1 or more)"
require_tool gcloud "https://cloud.google.com/sdk/docs/install"

if [[ -n "${TPU_MACHINE_TYPE}" ]]; then
  what="TPU machine type ${TPU_MACHINE_TYPE}"
  offered="$(capture "${REGION}-a" gcloud compute machine-types list "--project=${PROJECT_ID}" \
    "--filter=name=${TPU_MACHINE_TYPE} AND zone~${REGION}-[a-z]+$" "--format=value(zone.basename())")"
else
  what="GPU ${ACCELERATOR}"
  offered="$(capture "${REGION}-a" gcloud compute accelerator-types list "--project=${PROJECT_ID}" \
    "--filter=name=${ACCELERATOR} AND zone~${REGION}-[a-z]+$" "--format=value(zone.basename())")"
fi
offered_zones=()
while IFS= read -r zone; do
  [[ -n "${zone}" ]] && offered_zones+=("${zone}")
done <<<"${offered}"
if ((${#offered_zones[@]} == 0)); then
  die "no zone of ${REGION} offers the ${what}; pick another REGION or type (gcloud compute accelerator-types list)"
fi
if [[ -n "${ZONES:-}" ]]; then
  IFS=',' read -r -a zones <<<"${ZONES}"
  for zone in "${zones[@]}"; do
    found=0
    for offered_zone in "${offered_zones[@]}"; do
      [[ "${zone}" == "${offered_zone}" ]] && found=1
    done
    ((found)) || die "zone ${zone} does not offer the ${what} (zones of ${REGION} that do: ${offered_zones[*]})"
  done
else
  zones=("${offered_zones[@]}")
fi
node_locations="$(IFS=','; printf '%s' "${zones[*]}")"
log "zones for the ${what}: ${node_locations}"

if probe gcloud container node-pools describe "${POOL_NAME}" "--cluster=${CLUSTER_NAME}" "--region=${REGION}" "--project=${PROJECT_ID}" "--format=value(name)"; then
  log "node pool ${POOL_NAME} already exists in cluster ${CLUSTER_NAME}: keeping it (delete it first to change it)"
  exit 0
fi

create=(gcloud container node-pools create "${POOL_NAME}"
  "--cluster=${CLUSTER_NAME}"
  "--region=${REGION}"
  "--project=${PROJECT_ID}"
  "--node-locations=${node_locations}")
if [[ -n "${TPU_MACHINE_TYPE}" ]]; then
  create+=("--machine-type=${TPU_MACHINE_TYPE}" "--tpu-topology=${TPU_TOPOLOGY}")
else
  create+=("--machine-type=${MACHINE_TYPE}" "--accelerator=type=${ACCELERATOR},count=${ACCELERATOR_COUNT},gpu-driver-version=default")
fi
create+=(--enable-autoscaling --num-nodes=0 --min-nodes=0 "--max-nodes=${MAX_NODES}"
  --disk-size=100 --workload-metadata=GKE_METADATA)
if ((SPOT)); then
  create+=(--spot --node-taints=cloud.google.com/gke-spot=true:NoSchedule)
fi
spot_note=""
((SPOT)) && spot_note=", Spot"
log "creating node pool ${POOL_NAME} (${what}${spot_note}) in cluster ${CLUSTER_NAME}"
run "${create[@]}"
log "done: node pool ${POOL_NAME} in ${node_locations}, 0 to ${MAX_NODES} nodes per zone"
