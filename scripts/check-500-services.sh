#!/usr/bin/env bash
# A 500-service environment synthesizes with every stack under CloudFormation's limits and every
# dashboard page and saved query under CloudWatch's (scripts/check-500-services.ts). 45 s to minutes of
# synth, so a CI step, not a jest test.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsx scripts/check-500-services.ts 500
