#!/usr/bin/env bash
# Runs a command under an exact Node.js release: `tools/with-node.sh 24 npm test`.
#
# The release of each supported line is pinned in package.json ("config": {"node22": ..., "node24": ...}).
# It comes from the npm registry's `node` package (a real Node binary; nothing else is downloaded) and is
# installed once, outside the project tree, into $NODE_LINES_DIR/<version> (default:
# ${XDG_CACHE_HOME:-$HOME/.cache}/slsa-for-models/node). That Node is put first on PATH, so `npm` and
# everything it starts run under it; `node --version` is printed before the command.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: tools/with-node.sh LINE COMMAND [ARG...]

LINE is a supported Node.js line (22 or 24); the exact release is the one package.json pins.
Environment: NODE_LINES_DIR, where releases are installed (default ~/.cache/slsa-for-models/node).
TXT
}

if [[ $# -lt 1 || $1 == --help || $1 == -h ]]; then
  usage
  [[ $# -ge 1 ]] && exit 0
  exit 2
fi
line=$1
shift
if [[ $# -lt 1 ]]; then
  echo "with-node: no command given (usage: tools/with-node.sh $line COMMAND [ARG...])" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n "s/^ *\"node$line\": *\"\\([0-9][0-9.]*\\)\".*/\\1/p" "$root/package.json")
if [[ -z $version ]]; then
  supported=$(sed -n 's/^ *"node\([0-9][0-9]*\)": *"[0-9.]*".*/\1/p' "$root/package.json" | paste -sd' ')
  echo "with-node: Node.js $line is not a supported line (package.json config pins: $supported)" >&2
  exit 2
fi

dir=${NODE_LINES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/slsa-for-models/node}/$version
bin=$dir/node_modules/.bin
if [[ $("$bin/node" --version 2>/dev/null) != "v$version" ]]; then
  echo "with-node: installing Node.js $version from the npm registry's node package into $dir" >&2
  mkdir -p "$dir"
  # The `node` package's preinstall script fetches the platform's binary package from the same registry.
  (cd "$dir" && npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$version" >&2)
  if [[ $("$bin/node" --version 2>/dev/null) != "v$version" ]]; then
    echo "with-node: the node@$version package installed no working binary at $bin/node" >&2
    exit 1
  fi
fi

export PATH="$bin:$PATH"
echo "node --version: $(node --version)"
exec "$@"
