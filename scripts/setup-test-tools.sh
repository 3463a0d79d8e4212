#!/usr/bin/env bash
# Installs every tool the test suite runs as a real component, each idempotently: moto server and
# cfn-lint (.venv), Debian's chromium (HTML report test) and actionlint (workflow test). A tool that
# cannot be installed fails the run with one line saying how to install it; its full output is kept
# in .cache/setup-<tool>.log. Nothing is skipped: a missing tool would otherwise make its tests fail
# for a reason that has nothing to do with the code.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
run() {
  local tool="$1" script="$2" how="$3" log=".cache/setup-$1.log"
  if ! bash "$script" >"$log" 2>&1; then
    echo "setup: $tool could not be installed ($(tail -n 1 "$log")); $how (full output: $log)" >&2
    return 1
  fi
}
# The three are independent (a venv, an apt package, a go build): installed side by side, the setup
# takes as long as the slowest one instead of their sum (docs/performance.md).
run python scripts/setup-python.sh "install Python >= 3.10 with venv and pip, then run bash scripts/setup-python.sh" &
python=$!
run chromium scripts/setup-browser.sh "install Debian's chromium (apt-get install chromium), then run bash scripts/setup-browser.sh" &
chromium=$!
run actionlint scripts/setup-actionlint.sh "install Go >= 1.22, then run bash scripts/setup-actionlint.sh" &
actionlint=$!
status=0
for pid in "$python" "$chromium" "$actionlint"; do
  wait "$pid" || status=1
done
exit $status
