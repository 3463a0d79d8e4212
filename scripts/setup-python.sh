#!/usr/bin/env bash
# Creates .venv with the pinned Python tools the tests use (moto server, cfn-lint). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "setup-python: Python 3.10+ is required for moto server and cfn-lint, but '$PY' was not found. Install python3 (with venv) and retry." >&2
  exit 2
fi
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "setup-python: Python 3.10+ is required; found $("$PY" --version 2>&1)." >&2
  exit 2
fi
# awscli (the integrity tests' reference validator) gets a venv of its own: it carries its own botocore (see requirements-awscli.txt).
# The two venvs are built side by side (independent installs; the setup takes the slower one's time).
mkdir -p .cache
awscli_venv() {
  local stamp=.cache/awscli-venv/.requirements.sha want
  want=$(sha256sum requirements-awscli.txt | cut -d' ' -f1)
  if [[ -x .cache/awscli-venv/bin/python && -f $stamp && "$(cat $stamp)" == "$want" ]]; then
    return 0
  fi
  "$PY" -m venv .cache/awscli-venv
  .cache/awscli-venv/bin/pip install --quiet --disable-pip-version-check -r requirements-awscli.txt
  echo "$want" > "$stamp"
  echo "setup-python: .cache/awscli-venv ready ($(.cache/awscli-venv/bin/aws --version 2>&1))"
}
test_venv() {
  local stamp=.venv/.requirements.sha want
  want=$(sha256sum requirements-test.txt | cut -d' ' -f1)
  if [[ -x .venv/bin/python && -f $stamp && "$(cat $stamp)" == "$want" ]]; then
    return 0
  fi
  "$PY" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt
  echo "$want" > "$stamp"
  echo "setup-python: .venv ready ($(.venv/bin/python --version), moto $(.venv/bin/python -c 'import moto; print(moto.__version__)'), $(.venv/bin/cfn-lint --version))"
}
awscli_venv &
awscli=$!
test_venv &
tests=$!
failed=0
wait "$awscli" || failed=1
wait "$tests" || failed=1
exit $failed
