#!/usr/bin/env bash
# An operator's first edit is a threshold or a retention in cdk.json. In a copy of the repository,
# change prod's error-rate warning and prod's logRetentionDays, run `npm run refresh` (generated
# files, and the snapshots, which build on the fixture profile and so stay as they are), then the
# whole suite must pass: tests build on the example app and fixtures in test/, and only the tests
# in test/support/cdk-json.ts read cdk.json.
# Run by .ci/run (a nested run of the suite is too slow for the suite itself).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
# The files of a clone (tracked and new, not ignored), and this checkout's node_modules.
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
  [ -e "$path" ] && printf '%s\0' "$path"
done | tar --null -T - -cf - | tar -xf - -C "$copy"
ln -s "$repo/node_modules" "$copy/node_modules"
cd "$copy"

# Other valid values than the current ones, whatever they are.
node -e '
const fs = require("node:fs");
const cdkJson = JSON.parse(fs.readFileSync("cdk.json", "utf8"));
const prod = cdkJson.context.environments.prod;
const warning = (((prod.alertThresholds ??= {}).errorRate ??= {}).warning ??= {});
warning.threshold = warning.threshold === 4 ? 6 : 4;
prod.logRetentionDays = prod.logRetentionDays === 180 ? 365 : 180;
fs.writeFileSync("cdk.json", `${JSON.stringify(cdkJson, null, 2)}\n`);
console.log(`cdk.json: prod errorRate warning ${warning.threshold} %, logRetentionDays ${prod.logRetentionDays}`);
'
# As an editor leaves it: formatted as the repository formats JSON.
node node_modules/@biomejs/biome/bin/biome format --write cdk.json >/dev/null

rules_before=$(cat alerts/prod.rules.yaml)
if ! output=$(npm run --silent refresh 2>&1); then
  printf '%s\n' "$output"
  echo 'FAIL: npm run refresh failed after a valid edit of cdk.json.' >&2
  exit 1
fi
if [ "$rules_before" = "$(cat alerts/prod.rules.yaml)" ]; then
  echo 'FAIL: npm run refresh left the prod rules as they were: the edit did not reach them.' >&2
  exit 1
fi

if ! output=$(node node_modules/jest/bin/jest.js --ci 2>&1); then
  printf '%s\n' "$output"
  echo 'FAIL: after an edit of cdk.json and `npm run refresh`, the suite must pass.' >&2
  exit 1
fi
grep -E '^Tests:' <<<"$output" || true
echo 'After a threshold and a retention edit in cdk.json and `npm run refresh`, the suite passes.'
