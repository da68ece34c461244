#!/usr/bin/env bash
# Makes the key pair Tekton Chains signs with, inside the cluster, unless it is already there.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The ConfigMap the deploy gate reads the Chains public key from (src/models/deploy-gate-tasks.ts).
readonly PUBLIC_KEY_CONFIG_MAP="slsa-for-models-signing-key"

usage() {
  cat <<USAGE
usage: scripts/generate-signing-key.sh [--dry-run] [--help]

Runs "cosign generate-key-pair ${SIGNING_KEY_REF}": cosign writes cosign.key (encrypted),
cosign.pub and cosign.password into the Secret ${SIGNING_SECRET_NAME} in namespace
${SIGNING_SECRET_NAMESPACE}, where Chains reads its signing key. The private key never leaves
the cluster. When the Secret already holds a cosign.key, nothing is done: re-running never
replaces a key that earlier attestations were signed with. After a new key it restarts the
Chains controller, so that the next run is signed with it.

Then, new key or not, it publishes the public key (cosign.pub, nothing else) into the ConfigMap
${PUBLIC_KEY_CONFIG_MAP} in NAMESPACE, where the deploy gate reads it: RBAC grants a Secret
whole, so the gate is never given the Secret that also holds the private key and its password.

cosign asks for the key's password; set COSIGN_PASSWORD to answer without a prompt.

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  COSIGN_PASSWORD  the password for the new key (optional; cosign prompts without it)
  NAMESPACE        where the deploy gate runs, and the public key ConfigMap goes (default: default)
  WAIT_TIMEOUT     how long to wait for the restarted Chains controller (default: 300s)

options:
  --dry-run  print every kubectl and cosign command instead of running it
  --help     show this help
USAGE
}

parse_common_args "$@"
expect_no_args
require_cluster_env
WAIT_TIMEOUT="${WAIT_TIMEOUT:-300s}"
NAMESPACE="${NAMESPACE:-default}"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_tool cosign "https://docs.sigstore.dev/cosign/system_config/installation/"
require_kube_context

# publish_public_key: copies cosign.pub (only) from the Secret into the gate's ConfigMap.
publish_public_key() {
  local public_key file
  public_key="$(capture "" kubectl get secret "${SIGNING_SECRET_NAME}" -n "${SIGNING_SECRET_NAMESPACE}" '-o=jsonpath={.data.cosign\.pub}')"
  if ((DRY_RUN)); then
    print_command kubectl create configmap "${PUBLIC_KEY_CONFIG_MAP}" -n "${NAMESPACE}" --from-file=cosign.pub=COSIGN_PUB --dry-run=client -o yaml
    print_command kubectl apply -f -
    return 0
  fi
  [[ -n "${public_key}" ]] || die "secret ${SIGNING_SECRET_NAMESPACE}/${SIGNING_SECRET_NAME} holds no cosign.pub to publish"
  file="$(mktemp)"
  printf '%s' "${public_key}" | decode_base64 >"${file}"
  grep -q -- '-----BEGIN PUBLIC KEY-----' "${file}" || { rm -f "${file}"; die "cosign.pub in ${SIGNING_KEY_REF} is not a PEM public key"; }
  printf '+ %s | %s\n' "$(quote_command kubectl create configmap "${PUBLIC_KEY_CONFIG_MAP}" -n "${NAMESPACE}" "--from-file=cosign.pub=${file}" --dry-run=client -o yaml)" "kubectl apply -f -" >&2
  kubectl create configmap "${PUBLIC_KEY_CONFIG_MAP}" -n "${NAMESPACE}" "--from-file=cosign.pub=${file}" --dry-run=client -o yaml | kubectl apply -f -
  rm -f "${file}"
  log "published the public key into configmap ${NAMESPACE}/${PUBLIC_KEY_CONFIG_MAP} (for the deploy gate)"
}

existing_key="$(capture "" kubectl get secret "${SIGNING_SECRET_NAME}" -n "${SIGNING_SECRET_NAMESPACE}" --ignore-not-found '-o=jsonpath={.data.cosign\.key}')"
if [[ -n "${existing_key}" ]]; then
  log "secret ${SIGNING_SECRET_NAMESPACE}/${SIGNING_SECRET_NAME} already holds cosign.key: keeping it"
  publish_public_key
  exit 0
fi

log "generating the Chains signing key in ${SIGNING_KEY_REF}"
run cosign generate-key-pair "${SIGNING_KEY_REF}"
# Chains reads the key from the Secret mounted into its pod, which the kubelet refreshes only
# after a while: a restart makes the very next run signed with it.
run kubectl rollout restart deployment/tekton-chains-controller -n tekton-chains
run kubectl rollout status deployment/tekton-chains-controller -n tekton-chains "--timeout=${WAIT_TIMEOUT}"
publish_public_key
log "done: Chains signs with ${SIGNING_KEY_REF}; verify with --key ${SIGNING_KEY_REF} (or the cosign.pub it holds)"
