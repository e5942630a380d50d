#!/usr/bin/env bash
# Builds npgen's kustomize/kpt plugin as a Native AOT executable and installs it where
# `kubectl kustomize --enable-alpha-plugins` looks for legacy exec plugins:
#   $PREFIX/kustomize/plugin/npgen.dev/v1alpha1/networkintentgenerator/NetworkIntentGenerator
#   $PREFIX/kustomize/plugin/npgen.dev/v1alpha1/networkintent/NetworkIntent
#   $PREFIX/kustomize/plugin/npgen.dev/v1alpha1/networkintentvalidator/NetworkIntentValidator
# and, for KRM use (kpt, kustomize --enable-exec), as $PREFIX/bin/npgen-plugin.
#
# Usage: kustomize-plugin/install.sh [--prefix DIR]
#   DIR defaults to ${XDG_CONFIG_HOME:-$HOME/.config}. With another prefix, point kustomize at it:
#   XDG_CONFIG_HOME=DIR kubectl kustomize --enable-alpha-plugins ...
# Needs the .NET 10 SDK, clang and zlib1g-dev (Native AOT): apt-get install -y clang zlib1g-dev
set -euo pipefail

prefix="${XDG_CONFIG_HOME:-$HOME/.config}"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
if ! command -v clang >/dev/null && ! compgen -c clang- | grep -q '^clang-[0-9]'; then
  echo "install.sh: Native AOT needs a C toolchain: apt-get install -y clang zlib1g-dev" >&2
  exit 1
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
dotnet publish "$repo/src/PolicyGen.Plugin" -c Release -r linux-x64 -o "$build" --nologo -v quiet

plugin_dir="$prefix/kustomize/plugin/npgen.dev/v1alpha1"
mkdir -p "$plugin_dir/networkintentgenerator" "$plugin_dir/networkintent" "$plugin_dir/networkintentvalidator" "$prefix/bin"
install -m 0755 "$build/npgen-plugin" "$prefix/bin/npgen-plugin"
install -m 0755 "$build/npgen-plugin" "$plugin_dir/networkintentgenerator/NetworkIntentGenerator"
install -m 0755 "$build/npgen-plugin" "$plugin_dir/networkintent/NetworkIntent"
# kustomize finds a validator like any plugin, by its config's group/version/kind.
install -m 0755 "$build/npgen-plugin" "$plugin_dir/networkintentvalidator/NetworkIntentValidator"

echo "installed npgen-plugin:"
echo "  $plugin_dir/networkintentgenerator/NetworkIntentGenerator   (kubectl kustomize --enable-alpha-plugins)"
echo "  $plugin_dir/networkintent/NetworkIntent"
echo "  $plugin_dir/networkintentvalidator/NetworkIntentValidator   (validators: in a kustomization)"
echo "  $prefix/bin/npgen-plugin   (KRM function: kpt fn eval --exec, kustomize --enable-exec)"
