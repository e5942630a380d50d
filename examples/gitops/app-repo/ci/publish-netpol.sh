#!/usr/bin/env bash
# Runs in the application repository's CI after a merge to main: render the shop's
# NetworkPolicies for production, prove them, and publish them to the GitOps repository,
# where Argo CD picks them up (gitops-repo/argocd/shop-netpol.yaml).
#
# Needs: npgen on PATH (dotnet tool install --global npgen, a release archive, or the npgen image
# from kustomize-plugin/build-image.sh, which has /usr/local/bin/npgen); the secret GITOPS_TOKEN (a
# token that may push to the GitOps repository).
# Exit codes: 0 pushed or up to date, 1 the policies do not mean what the intent says,
# 2 bad intent or usage, 4 Git or remote failure (retry the job).
set -euo pipefail

: "${GITOPS_REPO:=https://git.example.com/platform/gitops.git}"
: "${GITOPS_TOKEN:?set GITOPS_TOKEN from the CI secret store}"

# The token goes in through the environment only: never on the command line, never in the URL.
export NPGEN_GIT_USERNAME="${GITOPS_USERNAME:-x-access-token}"
export NPGEN_GIT_PASSWORD="$GITOPS_TOKEN"
export NPGEN_GIT_AUTHOR_NAME="shop-ci"
export NPGEN_GIT_AUTHOR_EMAIL="shop-ci@example.invalid"

result=$(npgen publish deploy/intents.yaml --env prod \
  --repo "$GITOPS_REPO" --path apps/shop --branch main \
  -o json)
echo "$result"

# {"apiVersion":"npgen.dev/v1alpha1","kind":"PublishReport","changed":true,"commit":"...","branch":"main","pushed":true,"attempts":1,"flows":{"added":1,"removed":0},...} (docs/output.md)
if command -v jq >/dev/null && [ "$(jq -r .changed <<<"$result")" = "true" ]; then
  echo "published $(jq -r .commit <<<"$result"): $(jq -r .flows.added <<<"$result") flows added, $(jq -r .flows.removed <<<"$result") removed"
fi
