#!/usr/bin/env bash
# Checks the npgen image as a container runtime would run it, without one: builds it with
# build-image.sh, exports its root filesystem (podman create + export) and runs the binaries in it
# with chroot, as root and as a non-root uid (65532, the image's USER, and 999, Argo CD's sidecar uid):
#   npgen-plugin (the entrypoint) on a ResourceList from stdin, npgen --version, the CMP generate
#   step on the store example, and the repo-server init container's copy step, whose plugin layout
#   kubectl kustomize then uses through KUSTOMIZE_PLUGIN_HOME.
# Usage: kustomize-plugin/test-image.sh [--plugin-binary FILE]   (must run as root, for chroot)
#        kustomize-plugin/test-image.sh --image TAG              (check an image built before; kept)
# Prints "image test: N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tag="localhost/npgen:test-$$"
work="$(mktemp -d)"
container=
cleanup() {
  [ -n "${proc_mounted:-}" ] && umount "$work/rootfs/proc"
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1
  [ -n "${keep_image:-}" ] || podman rmi -f "$tag" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { echo "test-image.sh: chroot needs root" >&2; exit 1; }
if [ "${1:-}" = --image ]; then
  tag="${2:?--image needs an image name}"
  keep_image=1
else
  bash "$repo/kustomize-plugin/build-image.sh" --tag "$tag" "$@" || { echo "test-image.sh: build-image.sh failed" >&2; exit 1; }
fi
container=$(podman create "$tag") || exit 1
mkdir "$work/rootfs"
podman export "$container" | tar -x -C "$work/rootfs" || { echo "test-image.sh: podman export failed" >&2; exit 1; }
root="$work/rootfs"
# A container runtime mounts /proc; the .NET runtime needs it (without it: "Failed to create
# CoreCLR, HRESULT: 0x8007000E"). Native AOT npgen-plugin does not.
mkdir -p "$root/proc"
mount -t proc proc "$root/proc" || { echo "test-image.sh: could not mount /proc in the exported filesystem" >&2; exit 1; }
proc_mounted=1

passed=0 failed=0
check() { # name, command...
  local name="$1"; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; printf '%s\n' "$out" | sed 's/^/     /' | head -20; fi
}

# The image's entrypoint and user, as podman recorded them.
check "entrypoint is npgen-plugin, user 65532" \
  bash -c "[ \"\$(podman inspect -f '{{json .Config.Entrypoint}} {{.Config.User}}' '$tag')\" = '[\"/usr/local/bin/npgen-plugin\"] 65532:65532' ]"

resource_list="$work/rootfs/tmp/in.yaml"
{ # the kpt example's intent as the function config, the way kpt sends it
  printf 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n'
  sed -e '/^#/d' -e 's/^/  /' "$repo/kustomize-plugin/examples/kpt/store/intents.yaml"
} > "$resource_list"
chmod 0644 "$resource_list"

for user in root 65532:65532 999:999; do
  spec=(); [ "$user" = root ] || spec=(--userspec="$user")
  env=(env -i PATH=/usr/local/bin:/bin HOME=/tmp DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1)
  check "[$user] npgen-plugin: ResourceList in, NetworkPolicies out" \
    bash -c "chroot ${spec[*]} '$root' ${env[*]} /usr/local/bin/npgen-plugin < '$resource_list' | grep -q 'kind: NetworkPolicy'"
  check "[$user] npgen --version" \
    bash -c "chroot ${spec[*]} '$root' ${env[*]} npgen --version | grep -Eq '[0-9]+\.[0-9]+'"
done

# The CMP generate step, in the image, as Argo CD's sidecar user, on the store example.
mkdir -p "$root/tmp/app" && cp -r "$repo/kustomize-plugin/examples/legacy/base/." "$root/tmp/app/" && chmod -R a+rX "$root/tmp/app"
check "[999] npgen-cmp-generate with PARAM_ENVIRONMENT=prod builds the policies" \
  bash -c "chroot --userspec=999:999 '$root' env -i PATH=/usr/local/bin:/bin HOME=/tmp PARAM_ENVIRONMENT=prod /bin/sh -c 'cd /tmp/app && npgen-cmp-generate' | grep -q 'kind: NetworkPolicy'"
check "[999] npgen-cmp-generate refuses PARAM_ENVIRONMENT=../../x with exit 2" \
  bash -c "chroot --userspec=999:999 '$root' env -i PATH=/usr/local/bin:/bin HOME=/tmp PARAM_ENVIRONMENT=../../x /bin/sh -c 'cd /tmp/app && npgen-cmp-generate'; [ \$? -eq 2 ]"

# The repo-server init container's script (repo-server-patch.yaml), run in the image with
# /custom-tools as its emptyDir, then kubectl kustomize with the repo-server's KUSTOMIZE_PLUGIN_HOME.
init_script=$(python3 -c 'import sys,yaml; d=yaml.safe_load(open(sys.argv[1])); print(d["spec"]["template"]["spec"]["initContainers"][0]["args"][0])' "$repo/kustomize-plugin/argocd/repo-server-patch.yaml")
plugin_home=$(python3 -c 'import sys,yaml; d=yaml.safe_load(open(sys.argv[1])); print([e["value"] for c in d["spec"]["template"]["spec"]["containers"] for e in c.get("env",[]) if e["name"]=="KUSTOMIZE_PLUGIN_HOME"][0])' "$repo/kustomize-plugin/argocd/repo-server-patch.yaml")
mkdir -p "$root/custom-tools" && chown 999:999 "$root/custom-tools"
check "[999] the init container's copy step runs with the image's busybox" \
  chroot --userspec=999:999 "$root" env -i PATH=/usr/local/bin:/bin /bin/sh -c "$init_script"
# The legacy example's overlays share ../../base/intents.yaml: the repo-server's documented opt-in.
check "kubectl kustomize finds the plugin where KUSTOMIZE_PLUGIN_HOME=$plugin_home points" \
  bash -c "KUSTOMIZE_PLUGIN_HOME='$root$plugin_home' NPGEN_LOAD_RESTRICTOR=LoadRestrictionsNone kubectl kustomize --enable-alpha-plugins '$repo/kustomize-plugin/examples/legacy/overlays/prod' | grep -q 'kind: NetworkPolicy'"
check "/custom-tools/npgen-plugin (exec.path of the KRM route) is executable" test -x "$root/custom-tools/npgen-plugin"

echo "image test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
