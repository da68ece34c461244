#!/usr/bin/env bash
# Refreshes the sha256 digests of the pinned images in src/models/images.ts by asking their registry.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/update-image-digests.sh [--dry-run] [--help] [--file FILE]

For every image in FILE (default: src/models/images.ts) written as one string literal
'<registry/repo>:<tag>@sha256:<64 hex>' on its own line, asks the registry which digest
<registry/repo>:<tag> has now, and rewrites the line when it changed. The first tool found does
the asking:
  crane digest REF
  docker buildx imagetools inspect REF --format '{{json .Manifest}}'
  gcloud container images describe REF --format='value(image_summary.digest)'  (gcr.io and *-docker.pkg.dev only)
The file is written once, at the end, only when every image was resolved. Afterwards, update
the "Source:" comment above each changed image, run npm run synth, and commit src/ and dist/.

environment:
  DIGEST_TOOL  crane, docker or gcloud, to choose the tool instead of the first one found (optional)

options:
  --file FILE  the TypeScript file to update (default: src/models/images.ts)
  --dry-run    print the registry queries instead of running them; the file is left alone
  --help       show this help
USAGE
}

parse_common_args "$@"
expect_no_extra_args
file="${SLSA_ROOT}/src/models/images.ts"
set -- "${ARGS[@]+"${ARGS[@]}"}"
while (($#)); do
  case "$1" in
    --file)
      (($# >= 2)) || usage_error "--file needs a path"
      file="$2"
      shift
      ;;
    --file=*) file="${1#--file=}" ;;
    *) usage_error "unknown argument \"$1\"" ;;
  esac
  shift
done
[[ -f "${file}" ]] || die "${file} does not exist"

# The tool that resolves a tag to a digest.
tool="${DIGEST_TOOL:-}"
if [[ -z "${tool}" ]]; then
  for candidate in crane docker gcloud; do
    if command -v "${candidate}" >/dev/null 2>&1; then
      tool="${candidate}"
      break
    fi
  done
fi
if [[ -z "${tool}" ]]; then
  if ((DRY_RUN)); then
    tool="crane"
    log "no crane, docker or gcloud on PATH; showing the crane commands"
  else
    die "none of crane, docker (with buildx) or gcloud is installed, so no registry can be asked (install crane: https://github.com/google/go-containerregistry/tree/main/cmd/crane)"
  fi
fi
case "${tool}" in
  crane | docker | gcloud) ;;
  *) die "DIGEST_TOOL must be crane, docker or gcloud, not \"${tool}\"" ;;
esac

# resolve_digest REF: prints sha256:<hex> for REF (a tag reference), or fails. (It runs on the left
# of "||", where set -e is off, hence the explicit returns.)
resolve_digest() {
  local ref="$1" answer
  case "${tool}" in
    crane)
      answer="$(capture "sha256:DIGEST" crane digest "${ref}")" || return 1
      ;;
    docker)
      answer="$(capture '{"digest":"sha256:DIGEST"}' docker buildx imagetools inspect "${ref}" --format '{{json .Manifest}}')" || return 1
      # The manifest as JSON: take its "digest" field.
      if [[ "${answer}" =~ \"digest\":\ *\"(sha256:[0-9a-f]{64}|sha256:DIGEST)\" ]]; then
        answer="${BASH_REMATCH[1]}"
      fi
      ;;
    gcloud)
      answer="$(capture "sha256:DIGEST" gcloud container images describe "${ref}" '--format=value(image_summary.digest)')" || return 1
      ;;
  esac
  printf '%s' "${answer}"
}

pinned='^([^'"'"']*'"'"')([a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+)@(sha256:[0-9a-f]{64})('"'"'.*)$'
output=""
images=0
changed=0
while IFS= read -r line || [[ -n "${line}" ]]; do
  if [[ "${line}" =~ ${pinned} ]]; then
    prefix="${BASH_REMATCH[1]}"
    ref="${BASH_REMATCH[2]}"
    old="${BASH_REMATCH[4]}"
    suffix="${BASH_REMATCH[5]}"
    images=$((images + 1))
    if [[ "${tool}" == gcloud ]]; then
      # gcloud container images describe knows only Google's registries; Docker Hub it cannot ask.
      case "${ref%%/*}" in
        gcr.io | *.gcr.io | *-docker.pkg.dev) ;;
        *) die "gcloud can resolve only images in gcr.io or Artifact Registry (*-docker.pkg.dev), not ${ref}: install crane or docker (with buildx)" ;;
      esac
    fi
    new="$(resolve_digest "${ref}")" || die "${tool} could not resolve ${ref} (is the registry reachable and the tag still there?)"
    if ((DRY_RUN)); then
      :
    elif [[ ! "${new}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
      die "${tool} answered \"${new}\" for ${ref}, not a sha256 digest"
    elif [[ "${new}" != "${old}" ]]; then
      log "${ref}: ${old} -> ${new}"
      line="${prefix}${ref}@${new}${suffix}"
      changed=$((changed + 1))
    else
      log "${ref}: unchanged"
    fi
  fi
  output+="${line}"$'\n'
done <"${file}"

((images > 0)) || die "no pinned image ('<registry/repo>:<tag>@sha256:<64 hex>' on its own line) found in ${file}"
if ((DRY_RUN)); then
  log "dry run: ${images} images would be checked; ${file} is left alone"
  exit 0
fi
if ((changed == 0)); then
  log "all ${images} digests are current; ${file} is unchanged"
  exit 0
fi
# Written beside the file and moved over it, so it is never half-written; cp -p keeps its mode.
tmp="$(mktemp "${file}.XXXXXX")"
cp -p "${file}" "${tmp}"
printf '%s' "${output}" >"${tmp}"
mv "${tmp}" "${file}"
log "updated ${changed} of ${images} digests in ${file}; now update their Source: comments, run npm run synth and commit src/ and dist/"
