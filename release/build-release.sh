#!/usr/bin/env bash
# Builds npgen's release archives, their SHA256SUMS and the krew manifest, in one step:
#   DIR/npgen-V-linux-x64.tar.gz     npgen (self-contained single file, ReadyToRun), install.sh, README.md
#   DIR/npgen-V-linux-arm64.tar.gz   the same for 64-bit ARM
#   DIR/npgen-plugin-V-linux-x64.tar.gz   npgen-plugin, the Native AOT kustomize/kpt plugin
#   DIR/SHA256SUMS                   sha256sum of every archive (check: cd DIR && sha256sum -c SHA256SUMS)
#   DIR/npgen.yaml                   krew plugin manifest (`kubectl npgen`) with the archives' sha256
#
# Usage: release/build-release.sh --version V --out DIR [--rid RID]... [--base-url URL]
#                                 [--plugin-binary FILE | --no-plugin]
#   --version        the release version, e.g. 0.2.0 (semantic version; default: Directory.Build.props)
#   --out            a new or empty directory; the archives appear there only when all were built
#   --rid            linux-x64 and/or linux-arm64 (repeatable; default: both)
#   --base-url       where the archives will be downloaded from, for the krew manifest's uri
#                    (default: https://example.invalid/npgen/releases/download/vV: replace it)
#   --plugin-binary  package this npgen-plugin (built by kustomize-plugin/install.sh) instead of
#                    publishing it again; --no-plugin leaves the plugin archive out
# After extracting an archive: ./install.sh --prefix ~/.local puts npgen and kubectl-npgen in ~/.local/bin.
# Needs: the .NET 10 SDK; clang and zlib1g-dev for the Native AOT plugin (apt-get install -y clang zlib1g-dev)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
version=
out=
base_url=
rids=()
plugin_binary=
build_plugin=1
usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "build-release.sh: $1" >&2; exit "${2:-2}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a version}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --rid) rids+=("${2:?--rid needs linux-x64 or linux-arm64}"); shift 2 ;;
    --base-url) base_url="${2:?--base-url needs a URL}"; shift 2 ;;
    --plugin-binary) plugin_binary="${2:?--plugin-binary needs a file}"; shift 2 ;;
    --no-plugin) build_plugin=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

[ -n "$out" ] || die "--out DIR is required (try --help)"
if [ -z "$version" ]; then
  version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n1)"
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] \
  || die "--version '$version' is not a semantic version such as 0.2.0 or 0.2.0-rc.1"
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
  case "$rid" in linux-x64|linux-arm64) ;; *) die "--rid '$rid' is not built here: use linux-x64 or linux-arm64" ;; esac
done
[ -z "$base_url" ] && base_url="https://example.invalid/npgen/releases/download/v$version" \
  && echo "build-release.sh: no --base-url: the krew manifest names $base_url; set the real download location" >&2
[[ "$base_url" =~ ^https:// ]] || die "--base-url must be an https:// URL (krew downloads the archives from it)"
base_url="${base_url%/}"
if [ -n "$plugin_binary" ] && [ ! -x "$plugin_binary" ]; then die "--plugin-binary $plugin_binary is not an executable file"; fi
if [ -e "$out" ] && { [ ! -d "$out" ] || [ -n "$(ls -A "$out")" ]; }; then
  die "--out $out exists and is not an empty directory: name a new one (nothing was written)"
fi
command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required" 1

# Everything is built in a staging directory and moved into --out at the end: a failed build leaves
# no half-filled release directory.
mkdir -p "$(dirname "$out")"
stage="$(mktemp -d "$(dirname "$out")/.npgen-release.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/out"
# Reproducible archives: fixed owner, order and timestamps (the last commit's time when in git).
epoch="$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)"
archive() { # archive NAME DIR: DIR's files into NAME.tar.gz
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$2" -cf - . | gzip -n > "$stage/out/$1.tar.gz"
}

platforms=""
for rid in "${rids[@]}"; do
  arch="${rid#linux-}"; [ "$arch" = x64 ] && krew_arch=amd64 || krew_arch="$arch"
  echo "build-release.sh: npgen $version for $rid" >&2
  if ! dotnet restore "$repo/src/PolicyGen.Cli" -r "$rid" -p:PublishReadyToRun=true --nologo -v quiet >"$stage/restore-$rid.log" 2>  if ! dotnet restore "$repo/src/PolicyGen.Cli" -r "$rid" --nologo -v quiet >"$stage/restore-$rid.log" 2>&1; then1; then
    cat "$stage/restore-$rid.log" >&2
    die "the .NET runtime packs for $rid did not restore from the configured NuGet sources (above); nothing was written to $out" 1
  fi
  dotnet publish "$repo/src/PolicyGen.Cli" -c Release -r "$rid" --self-contained --nologo -v quiet \
    -p:Version="$version" -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
    -p:DebugType=none -p:GenerateDocumentationFile=false -o "$stage/publish-$rid"
  dir="$stage/npgen-$rid"
  mkdir "$dir"
  install -m 0755 "$stage/publish-$rid/npgen" "$dir/npgen"
  install -m 0755 "$repo/release/install.sh" "$dir/install.sh"
  install -m 0644 "$repo/README.md" "$dir/README.md"
  name="npgen-$version-$rid"
  archive "$name" "$dir"
  sha="$(sha256sum "$stage/out/$name.tar.gz" | cut -d' ' -f1)"
  platforms+="  - selector:
      matchLabels:
        os: linux
        arch: $krew_arch
    uri: $base_url/$name.tar.gz
    sha256: $sha
    bin: npgen
"
done

if [ "$build_plugin" = 1 ]; then
  # Native AOT compiles to the build machine's architecture; linux-arm64 needs an arm64 machine (or
  # an arm64 sysroot and cross linker), so only linux-x64 is built here.
  if [ -z "$plugin_binary" ]; then
    echo "build-release.sh: npgen-plugin $version for linux-x64 (Native AOT)" >&2
    dotnet publish "$repo/src/PolicyGen.Plugin" -c Release -r linux-x64 --nologo -v quiet \
      -p:Version="$version" -o "$stage/publish-plugin"
    plugin_binary="$stage/publish-plugin/npgen-plugin"
  fi
  mkdir "$stage/plugin"
  install -m 0755 "$plugin_binary" "$stage/plugin/npgen-plugin"
  archive "npgen-plugin-$version-linux-x64" "$stage/plugin"
  for rid in "${rids[@]}"; do
    [ "$rid" = linux-x64 ] || echo "build-release.sh: npgen-plugin is not built for $rid: Native AOT cannot cross-compile to it here; run kustomize-plugin/install.sh on a $rid machine" >&2
  done
fi

(cd "$stage/out" && sha256sum -- *.tar.gz > SHA256SUMS)
# The template's own comments (how to fill it) stay behind.
awk -v platforms="$platforms" -v version="$version" '
  NR == 1 { print "# krew plugin manifest for npgen " version ", written by release/build-release.sh" }
  /^#/ { next }
  /^@PLATFORMS@$/ { printf "%s", platforms; next }
  { gsub(/@VERSION@/, version); print }' "$repo/release/krew/npgen.yaml.in" > "$stage/out/npgen.yaml"

mkdir -p "$out"
mv "$stage/out/"* "$out/"
echo "build-release.sh: release $version in $out:" >&2
(cd "$out" && ls -l -- *.tar.gz SHA256SUMS npgen.yaml) >&2
