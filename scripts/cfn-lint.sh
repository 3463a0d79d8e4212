#!/usr/bin/env bash
# Writes the member baseline template (with example inputs) to a file and runs the project's cfn-lint on it.
# Usage: scripts/cfn-lint.sh [out.json]   — exit status is cfn-lint's (0 clean, bit 2 errors, bit 4 warnings).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp --suffix=.json)}"
if [[ ! -x .venv/bin/cfn-lint ]]; then
  echo "cfn-lint.sh: .venv/bin/cfn-lint is missing; run bash scripts/setup-python.sh" >&2
  exit 2
fi
npx --no-install tsx -e '
import { memberBaselineTemplateBody } from "./baseline/detection";
import { TEMPLATE_INPUT } from "./test/baseline/detection/template-input";
process.stdout.write(memberBaselineTemplateBody(TEMPLATE_INPUT));
' > "$out"
echo "cfn-lint.sh: linting $out" >&2
exec .venv/bin/cfn-lint --regions us-east-1 eu-west-1 -- "$out"
