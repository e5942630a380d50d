#!/usr/bin/env sh
# Installs npgen from this release archive:
#   PREFIX/bin/npgen            the npgen command
#   PREFIX/bin/kubectl-npgen    the same program as a kubectl plugin: `kubectl npgen ...`
# Usage: ./install.sh [--prefix DIR]   (default ~/.local; put DIR/bin on your PATH)
set -eu

prefix="${HOME:?HOME is not set; use --prefix DIR}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$here/npgen" ] || { echo "install.sh: no npgen executable next to this script ($here)" >&2; exit 1; }
mkdir -p "$prefix/bin"
install -m 0755 "$here/npgen" "$prefix/bin/npgen"
# kubectl finds plugins by file name on PATH; a symbolic link keeps one copy of the program.
ln -sfn npgen "$prefix/bin/kubectl-npgen"
echo "installed $prefix/bin/npgen and $prefix/bin/kubectl-npgen ($("$prefix/bin/npgen" --version))"
case ":${PATH:-}:" in
  *":$prefix/bin:"*) ;;
  *) echo "add it to your PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
