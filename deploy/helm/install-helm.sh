#!/usr/bin/env bash
# Builds the Helm CLI from the Go module proxy into .cache/tools/bin (the only way to get it here: no
# release downloads). test/helm.test.ts uses it for `helm lint` and `helm template`.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HELM_VERSION=${HELM_VERSION:-v3.22.0}
BIN=$REPO/.cache/tools/bin
if [[ -x $BIN/helm ]]; then
  echo "helm already in $BIN ($("$BIN/helm" version --short))"; exit 0
fi
command -v go >/dev/null || { echo "install-helm: Go is needed to build helm from the module proxy" >&2; exit 1; }
mkdir -p "$BIN"
GOBIN=$BIN GOFLAGS=-buildvcs=false go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
"$BIN/helm" version --short
