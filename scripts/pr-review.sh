#!/usr/bin/env bash
# The pull-request review of docs/workflows/pr-review.yml, run here: the same commands as its
# Install and Review steps (test/review/workflow.test.ts checks that they match). The base ref is
# the first argument (default HEAD: the review of the uncommitted changes). Prints the Markdown
# the workflow would post, and exits as the workflow's check would (1 on a risk).
# Run by .ci/run, where a clean clone reviews as "no observability changes".
set -euo pipefail
cd "$(dirname "$0")/.."
export BASE_REF="${1:-HEAD}"
export CDK_DISABLE_CLI_TELEMETRY=true

npm ci --no-audit --no-fund
status=0
npx obsctl review --base-ref "$BASE_REF" --markdown --fail-on-risk > review.md || status=$?
cat review.md
exit "$status"
