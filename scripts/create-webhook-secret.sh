#!/usr/bin/env bash
# Makes the GitHub webhook secret: a random token in a Kubernetes Secret, printed once for the
# webhook form. Re-running keeps the existing token unless --rotate is given.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/create-webhook-secret.sh [--rotate] [--dry-run] [--help]

Makes a random token (32 bytes from openssl rand, as 64 hex characters) and stores it as key
${WEBHOOK_SECRET_KEY} of the Secret ${WEBHOOK_SECRET_NAME} in NAMESPACE, where the GitHub interceptor of
dist/triggers reads it to check each delivery's X-Hub-Signature-256. The token is printed once,
alone on stdout, for the "Secret" field of the GitHub webhook form; it never appears on a
command line (kubectl reads it from a file only this user can read, removed afterwards).

When the Secret already holds a token, nothing is changed and nothing is printed: GitHub keeps
signing with the token it was given. --rotate makes a new token and replaces the old one; paste
it into the webhook form at once, deliveries signed with the old token are refused from then on.

It refuses to act when kubectl's current context is not the cluster's
(gke_PROJECT_ID_REGION_CLUSTER_NAME, or KUBE_CONTEXT when set).

environment:
  PROJECT_ID, REGION, CLUSTER_NAME  name the expected kubectl context (required unless KUBE_CONTEXT is set)
  KUBE_CONTEXT     the kubectl context to expect instead (optional)
  NAMESPACE        the EventListener's namespace (default: default)

options:
  --rotate   replace an existing token with a new one
  --dry-run  print every kubectl command instead of running it (no token is made)
  --help     show this help
USAGE
}

parse_common_args "$@"
ROTATE=0
for arg in "${ARGS[@]+"${ARGS[@]}"}"; do
  case "${arg}" in
    --rotate) ROTATE=1 ;;
    *) usage_error "unexpected argument \"${arg}\"" ;;
  esac
done
expect_no_extra_args
require_cluster_env
NAMESPACE="${NAMESPACE:-default}"
require_tool kubectl "https://kubernetes.io/docs/tasks/tools/"
require_tool openssl "https://www.openssl.org/"
require_kube_context

existing="$(capture "" kubectl get secret "${WEBHOOK_SECRET_NAME}" -n "${NAMESPACE}" --ignore-not-found "-o=jsonpath={.data.${WEBHOOK_SECRET_KEY}}")"
if [[ -n "${existing}" ]] && ((!ROTATE)); then
  log "secret ${NAMESPACE}/${WEBHOOK_SECRET_NAME} already holds a token: keeping it (--rotate makes a new one)"
  exit 0
fi

if ((DRY_RUN)); then
  print_command openssl rand -hex 32
  print_command kubectl create secret generic "${WEBHOOK_SECRET_NAME}" -n "${NAMESPACE}" "--from-file=${WEBHOOK_SECRET_KEY}=TOKEN_FILE" --dry-run=client -o yaml
  print_command kubectl apply -f -
  exit 0
fi

umask 077
file="$(mktemp)"
trap 'rm -f "${file}"' EXIT
openssl rand -hex 32 | tr -d '\n' >"${file}"
[[ "$(cat "${file}")" =~ ^[0-9a-f]{64}$ ]] || die "openssl rand did not give 32 random bytes"
printf '+ %s | %s\n' "$(quote_command kubectl create secret generic "${WEBHOOK_SECRET_NAME}" -n "${NAMESPACE}" "--from-file=${WEBHOOK_SECRET_KEY}=${file}" --dry-run=client -o yaml)" "kubectl apply -f -" >&2
kubectl create secret generic "${WEBHOOK_SECRET_NAME}" -n "${NAMESPACE}" "--from-file=${WEBHOOK_SECRET_KEY}=${file}" --dry-run=client -o yaml | kubectl apply -f - >&2
if ((ROTATE)) && [[ -n "${existing}" ]]; then
  log "rotated the token in ${NAMESPACE}/${WEBHOOK_SECRET_NAME}: paste the new one into the GitHub webhook form now"
else
  log "stored a new token in ${NAMESPACE}/${WEBHOOK_SECRET_NAME}; paste it into the GitHub webhook form (Content type application/json, event: push). It is printed this once:"
fi
cat "${file}"
printf '\n'
