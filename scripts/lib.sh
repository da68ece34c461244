# shellcheck shell=bash
# shellcheck disable=SC2034  # the constants below are used by the scripts that source this file
# Shared helpers for the slsa-for-models scripts. Source it; do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   usage() { ...; }              # printed by --help
#   parse_common_args "$@"        # handles --help and --dry-run; leaves the rest in ARGS
#                                 # (and what follows a "--" in EXTRA_ARGS)
#   require_env PROJECT_ID ...    # fails naming the first missing variable
#   run gcloud ...                # runs, or prints the command under --dry-run
#
# Commands are printed shell-quoted ("+ gcloud ... 'value(name)'") so they can be copied and pasted.

# The repository root (the directory above scripts/).
SLSA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The name of the running script, for messages.
SCRIPT_NAME="$(basename "${BASH_SOURCE[1]:-$0}")"
# 1 under --dry-run.
DRY_RUN=0
# The arguments left after the common options, and those after a "--".
ARGS=()
EXTRA_ARGS=()

# The dry-run transcript goes to fd 3, a copy of the script's stdout, so that a command printed
# inside "$(capture ...)" still reaches the terminal instead of the captured value.
exec 3>&1

# The pinned versions this project is built and tested against.
readonly TEKTON_PIPELINES_VERSION="v1.15.0"
readonly TEKTON_CHAINS_VERSION="v0.29.2"
readonly TEKTON_TRIGGERS_VERSION="v0.37.0"
# The Secret that holds the GitHub webhook token (src/models/slsa-for-models-trigger.ts DEFAULT_WEBHOOK_SECRET).
readonly WEBHOOK_SECRET_NAME="github-webhook-secret"
readonly WEBHOOK_SECRET_KEY="token"
# Where the Chains signing key lives (cosign's k8s:// key reference).
readonly SIGNING_SECRET_NAMESPACE="tekton-chains"
readonly SIGNING_SECRET_NAME="signing-secrets"
readonly SIGNING_KEY_REF="k8s://${SIGNING_SECRET_NAMESPACE}/${SIGNING_SECRET_NAME}"
# The ConfigMap that holds Sigstore's trusted_root.json in the cluster, and its key (TRUSTED_ROOT_CONFIG_MAP
# in src/models/trusted-root-config-map.ts; test/scripts.test.ts holds them equal): read by the deploy gate's log check and by the training task's check of a base model
# signed by a Sigstore identity.
readonly TRUSTED_ROOT_CONFIG_MAP="slsa-for-models-trusted-root"
readonly TRUSTED_ROOT_CONFIG_MAP_KEY="trusted_root.json"

# log MESSAGE...: one line on stderr, prefixed with the script name.
log() {
  printf '%s: %s\n' "${SCRIPT_NAME}" "$*" >&2
}

# die MESSAGE...: one "error:" line on stderr, exit 1.
die() {
  printf '%s: error: %s\n' "${SCRIPT_NAME}" "$*" >&2
  exit 1
}

# usage_error MESSAGE...: a bad command line; one line on stderr, exit 2.
usage_error() {
  printf '%s: %s (see --help)\n' "${SCRIPT_NAME}" "$*" >&2
  exit 2
}

# quote_word WORD: WORD as a shell word that pastes back to itself.
quote_word() {
  # The quote and its replacement are variables: bash 4.2 and older (macOS's 3.2) do not remove
  # quotes from a literal replacement inside "${word//...}", so a literal would print backslashes.
  local word="$1" quote="'" escaped="'\\''"
  if [[ -n "${word}" && "${word}" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
    printf '%s' "${word}"
  else
    printf "'%s'" "${word//${quote}/${escaped}}"
  fi
}

# quote_command WORD...: the words as one pasteable command line.
quote_command() {
  local out="" word
  for word in "$@"; do
    out+="${out:+ }$(quote_word "${word}")"
  done
  printf '%s' "${out}"
}

# print_command WORD...: "+ command" on the script's stdout (the dry-run transcript).
print_command() {
  printf '+ %s\n' "$(quote_command "$@")" >&3
}

# run COMMAND...: run it (echoing it to stderr), or under --dry-run print it and succeed.
run() {
  if ((DRY_RUN)); then
    print_command "$@"
    return 0
  fi
  printf '+ %s\n' "$(quote_command "$@")" >&2
  "$@"
}

# capture PLACEHOLDER COMMAND...: print COMMAND's stdout; under --dry-run print the command and
# write PLACEHOLDER instead, so the rest of the script can show what it would do.
capture() {
  local placeholder="$1"
  shift
  if ((DRY_RUN)); then
    print_command "$@"
    printf '%s' "${placeholder}"
    return 0
  fi
  "$@"
}

# apply_with_retry WHY ARG...: kubectl apply ARG..., tried APPLY_ATTEMPTS times RETRY_DELAY seconds
# apart while a webhook that has only just started (or not yet seen new configuration) refuses it;
# WHY says so in the retry line.
apply_with_retry() {
  local why="$1" attempt=1
  shift
  until run kubectl apply "$@"; do
    if ((attempt >= APPLY_ATTEMPTS)); then
      die "kubectl apply $* failed ${attempt} times (see the error above)"
    fi
    log "apply failed (attempt ${attempt} of ${APPLY_ATTEMPTS}); ${why}, retrying in ${RETRY_DELAY}s"
    sleep "${RETRY_DELAY}"
    attempt=$((attempt + 1))
  done
}

# probe COMMAND...: whether COMMAND succeeds, its output discarded (an existence check such as
# "gcloud ... describe"). Under --dry-run the check is printed and answers "no", so the
# transcript shows the full path a fresh project takes.
probe() {
  if ((DRY_RUN)); then
    print_command "$@"
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# require_env NAME...: fail, naming the first variable that is unset or empty.
require_env() {
  local name
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then
      die "environment variable ${name} is not set (export ${name}=... first; see --help)"
    fi
  done
}

# require_tool NAME HINT: fail when NAME is not on PATH (skipped under --dry-run, which runs no tool).
require_tool() {
  local name="$1" hint="$2"
  if ((DRY_RUN)); then
    return 0
  fi
  command -v "${name}" >/dev/null 2>&1 || die "${name} is not installed or not on PATH (${hint})"
}

# parse_common_args ARG...: handles -h/--help (calls usage, exits 0) and --dry-run; every other
# argument is kept, in order, in ARGS. "--" ends option parsing: what follows is kept in EXTRA_ARGS.
parse_common_args() {
  ARGS=()
  EXTRA_ARGS=()
  while (($#)); do
    case "$1" in
      -h | --help)
        usage
        exit 0
        ;;
      --dry-run)
        DRY_RUN=1
        ;;
      --)
        shift
        EXTRA_ARGS=("$@")
        break
        ;;
      *)
        ARGS+=("$1")
        ;;
    esac
    shift
  done
}

# expect_no_args: fail when arguments are left over that the script does not take.
expect_no_args() {
  if ((${#ARGS[@]})); then
    usage_error "unexpected argument \"${ARGS[0]}\""
  fi
  expect_no_extra_args
}

# expect_no_extra_args: fail when arguments follow a "--" and the script passes none on.
expect_no_extra_args() {
  if ((${#EXTRA_ARGS[@]})); then
    usage_error "unexpected argument \"${EXTRA_ARGS[0]}\" after --"
  fi
}

# expected_kube_context: the kubectl context the scripts act on: KUBE_CONTEXT when set, else the
# one "gcloud container clusters get-credentials" writes for PROJECT_ID, REGION and CLUSTER_NAME.
expected_kube_context() {
  if [[ -n "${KUBE_CONTEXT:-}" ]]; then
    printf '%s' "${KUBE_CONTEXT}"
  else
    printf 'gke_%s_%s_%s' "${PROJECT_ID}" "${REGION}" "${CLUSTER_NAME}"
  fi
}

# require_cluster_env: the variables that name the cluster: KUBE_CONTEXT, or else PROJECT_ID,
# REGION and CLUSTER_NAME (from which the gcloud-written context name is derived).
require_cluster_env() {
  if [[ -z "${KUBE_CONTEXT:-}" ]]; then
    require_env PROJECT_ID REGION CLUSTER_NAME
  fi
}

# require_kube_context: fail unless kubectl's current context is the expected one, so a script
# never applies to some other cluster. Needs PROJECT_ID, REGION, CLUSTER_NAME or KUBE_CONTEXT.
require_kube_context() {
  require_cluster_env
  local expected current
  expected="$(expected_kube_context)"
  if ((DRY_RUN)); then
    print_command kubectl config current-context
    return 0
  fi
  current="$(kubectl config current-context 2>/dev/null || true)"
  if [[ "${current}" != "${expected}" ]]; then
    die "kubectl's current context is \"${current:-none}\", expected \"${expected}\" (run: $(quote_command gcloud container clusters get-credentials "${CLUSTER_NAME:-CLUSTER_NAME}" "--region=${REGION:-REGION}" "--project=${PROJECT_ID:-PROJECT_ID}"), or set KUBE_CONTEXT)"
  fi
}

# decode_base64: standard base64 on stdin to bytes on stdout, the same on Linux and macOS
# (GNU base64 says -d, old BSD base64 says -D; openssl and python3 agree everywhere).
decode_base64() {
  if command -v openssl >/dev/null 2>&1; then
    tr -d ' \n\r\t' | openssl base64 -d -A
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import base64, sys; sys.stdout.buffer.write(base64.b64decode(sys.stdin.buffer.read(), validate=False))'
  else
    base64 --decode
  fi
}

# follow_run_logs NAME: streams a PipelineRun's logs with tkn until it ends. tkn can stop early (a
# lost connection, a pod gone); the caller then reads the run's status, so that is not an error here.
follow_run_logs() {
  if ! run tkn pipelinerun logs "$1" -f -n "${NAMESPACE}"; then
    log "tkn stopped following the logs with an error; checking the run's status"
  fi
}

# trusted_root_problem FILE: why FILE is not a Sigstore trusted_root.json, on stdout; nothing when it
# is one. A shape check only (the reader in the cluster checks the keys and certificates): one JSON
# object with a top-level "tlogs" list and, when it names a mediaType, a trusted root's. jq is not
# required by the scripts: with jq the file is parsed; without it the text must hold a "tlogs" list
# and every mediaType it names must be a trusted root's (so a cosign.pub, a Sigstore bundle, a
# signing_config.json or a ClientTrustConfig are refused either way).
trusted_root_problem() {
  local file="$1" line
  if command -v jq >/dev/null 2>&1; then
    # --slurp: a second JSON value after the first is refused too; a parse error prints "not JSON".
    jq --join-output --slurp '
      if length != 1 or (.[0] | type) != "object" then "not one JSON object"
      elif (.[0].tlogs | type) != "array" then "no tlogs"
      elif (.[0] | has("mediaType")) and (.[0].mediaType | tostring | startswith("application/vnd.dev.sigstore.trustedroot") | not)
      then "mediaType \(.[0].mediaType | tojson)"
      else empty end' "${file}" 2>/dev/null || printf 'not JSON'
    return 0
  fi
  if ! grep -Eq '"tlogs"[[:space:]]*:[[:space:]]*\[' "${file}"; then
    printf 'no tlogs'
    return 0
  fi
  while IFS= read -r line; do
    if [[ "${line}" =~ :[[:space:]]*\"([^\"]*)\"$ && "${BASH_REMATCH[1]}" != application/vnd.dev.sigstore.trustedroot* ]]; then
      printf 'mediaType "%s"' "${BASH_REMATCH[1]}"
      return 0
    fi
  done < <(grep -Eo '"mediaType"[[:space:]]*:[[:space:]]*"[^"]*"' "${file}" || true)
}

# check_trusted_root: fail, in one line, unless TRUSTED_ROOT names a file that is a Sigstore trusted_root.json.
check_trusted_root() {
  local problem
  [[ -f "${TRUSTED_ROOT}" ]] || die "TRUSTED_ROOT ${TRUSTED_ROOT} is not a file"
  problem="$(trusted_root_problem "${TRUSTED_ROOT}")"
  [[ -z "${problem}" ]] || die "TRUSTED_ROOT ${TRUSTED_ROOT} is not a Sigstore trusted_root.json (${problem})"
}

# publish_trusted_root NAMESPACE PURPOSE REFUSAL: with TRUSTED_ROOT set, checks it and publishes it
# into ConfigMap NAMESPACE/slsa-for-models-trusted-root (key trusted_root.json) for PURPOSE, as
# "kubectl create configmap ... --dry-run=client -o yaml | kubectl apply -f -" so that a re-run
# updates it (a trusted root is public data). Without TRUSTED_ROOT it warns, in one line, when that
# ConfigMap does not exist: then REFUSAL (what its reader will do).
publish_trusted_root() {
  local config_namespace="$1" purpose="$2" refusal="$3" published
  if [[ -z "${TRUSTED_ROOT:-}" ]]; then
    published="$(capture "" kubectl get configmap "${TRUSTED_ROOT_CONFIG_MAP}" -n "${config_namespace}" --ignore-not-found '-o=name')"
    if [[ -z "${published}" ]]; then
      log "warning: no configmap ${config_namespace}/${TRUSTED_ROOT_CONFIG_MAP} and no TRUSTED_ROOT: ${refusal}"
    fi
    return 0
  fi
  check_trusted_root
  local create=(kubectl create configmap "${TRUSTED_ROOT_CONFIG_MAP}" -n "${config_namespace}" "--from-file=${TRUSTED_ROOT_CONFIG_MAP_KEY}=${TRUSTED_ROOT}" --dry-run=client -o yaml)
  if ((DRY_RUN)); then
    print_command "${create[@]}"
    print_command kubectl apply -f -
  else
    printf '+ %s | %s\n' "$(quote_command "${create[@]}")" "kubectl apply -f -" >&2
    "${create[@]}" | kubectl apply -f -
  fi
  log "published ${TRUSTED_ROOT} into configmap ${config_namespace}/${TRUSTED_ROOT_CONFIG_MAP} (for ${purpose})"
}
