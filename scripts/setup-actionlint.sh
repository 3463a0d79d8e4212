#!/usr/bin/env bash
# Installs a pinned actionlint into .cache/bin (repo-local, never on the system) with `go install`.
# Idempotent: an installed binary of the pinned version is kept. Needs Go >= 1.22 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="v1.7.7"
BIN="$PWD/.cache/bin/actionlint"
if [ -x "$BIN" ] && "$BIN" -version 2>/dev/null | head -n1 | grep -qx "${VERSION}"; then
  echo "actionlint ${VERSION} already installed at ${BIN}"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "setup-actionlint: Go is required (go install github.com/rhysd/actionlint/cmd/actionlint@${VERSION}); install Go >= 1.22 and retry" >&2
  exit 1
fi
mkdir -p "$PWD/.cache/bin"
GOBIN="$PWD/.cache/bin" GOFLAGS="-buildvcs=false" go install "github.com/rhysd/actionlint/cmd/actionlint@${VERSION}"
"$BIN" -version | head -n1
