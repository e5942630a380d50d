#!/usr/bin/env bash
# Builds the npgen container image with podman, FROM scratch: nothing is pulled.
#   /usr/local/bin/npgen-plugin        Native AOT kustomize/KRM plugin (the image's entrypoint)
#   /usr/local/bin/npgen               the npgen CLI (self-contained .NET, in /opt/npgen)
#   /usr/local/bin/npgen-cmp-generate  the Argo CD CMP generate step (kustomize-plugin/argocd/)
#   /bin/sh, cp, mkdir, ...            static busybox, for the Argo CD init container and the CMP step
# plus the shared libraries those binaries load, copied from this host.
#
# Usage: kustomize-plugin/build-image.sh [--tag TAG] [--plugin-binary FILE]   (linux-x64)
#   --tag            image name (default localhost/npgen:dev)
#   --plugin-binary  reuse an npgen-plugin built by install.sh instead of publishing it again
# Push it where your cluster pulls from, e.g.:
#   podman tag localhost/npgen:dev registry.example.com/platform/npgen:0.1.0
#   podman push registry.example.com/platform/npgen:0.1.0
# Needs: the .NET 10 SDK, clang and zlib1g-dev (Native AOT), podman, busybox-static
#   apt-get install -y clang zlib1g-dev podman busybox-static
set -euo pipefail

tag=localhost/npgen:dev
plugin_binary=
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="${2:?--tag needs an image name}"; shift 2 ;;
    --plugin-binary) plugin_binary="${2:?--plugin-binary needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

for tool in dotnet podman ldd; do
  command -v "$tool" >/dev/null || { echo "build-image.sh: $tool is required (see --help)" >&2; exit 1; }
done
busybox=/bin/busybox   # Debian's busybox-static: one static binary, no libraries to copy
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  echo "build-image.sh: a static busybox is required at $busybox: apt-get install -y busybox-static" >&2; exit 1
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/rootfs"
mkdir -p "$root/usr/local/bin" "$root/bin" "$root/opt" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"

if [ -n "$plugin_binary" ]; then
  install -m 0755 "$plugin_binary" "$root/usr/local/bin/npgen-plugin"
else
  dotnet publish "$repo/src/PolicyGen.Plugin" -c Release -r linux-x64 -o "$stage/plugin" --nologo -v quiet
  install -m 0755 "$stage/plugin/npgen-plugin" "$root/usr/local/bin/npgen-plugin"
fi
dotnet publish "$repo/src/PolicyGen.Cli" -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o "$root/opt/npgen" --nologo -v quiet
rm -f "$root"/opt/npgen/*.pdb
ln -s /opt/npgen/npgen "$root/usr/local/bin/npgen"
install -m 0755 "$repo/kustomize-plugin/argocd/npgen-cmp-generate" "$root/usr/local/bin/npgen-cmp-generate"

install -m 0755 "$busybox" "$root/bin/busybox"
for applet in sh cat cp ln ls mkdir chmod rm realpath test [ printf echo env grep sed head tr; do
  ln -s busybox "$root/bin/$applet"
done

# The shared libraries the binaries load (glibc, libstdc++, zlib, ...), at the paths ldd names.
# OpenSSL and ICU are left out: npgen runs with invariant globalization and the image does no git.
{
  ldd "$root/usr/local/bin/npgen-plugin"
  ldd "$root/opt/npgen/npgen"
  for so in "$root"/opt/npgen/*.so; do ldd "$so"; done
} 2>/dev/null | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  [ -e "$lib" ] || continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# Where the dynamic loader is found through the /lib64 link on Debian.
if [ -e /lib64/ld-linux-x86-64.so.2 ] && [ ! -e "$root/lib64/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$root/lib64"
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi
printf 'root:x:0:0:root:/tmp:/bin/sh\nnonroot:x:65532:65532:nonroot:/tmp:/bin/sh\nargocd:x:999:999:argocd:/tmp:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\nargocd:x:999:\n' > "$root/etc/group"

podman build --quiet -f "$repo/kustomize-plugin/Containerfile" -t "$tag" "$stage" >/dev/null
echo "built $tag: npgen-plugin (entrypoint), npgen, npgen-cmp-generate"
