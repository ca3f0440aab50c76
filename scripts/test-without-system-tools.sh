#!/usr/bin/env bash
# A newcomer's machine has no promtool nor amtool. With a PATH that holds every program of this one
# but those, the whole suite must pass (their tests skipped, with one line each saying how to
# install it), and under CI=true their tests must fail. Run by .ci/run, so the skip can never
# turn into a silent pass in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

bare_path=$(mktemp -d)
trap 'rm -rf "$bare_path"' EXIT
IFS=: read -r -a folders <<<"$PATH"
for folder in "${folders[@]}"; do
  [ -d "$folder" ] || continue
  for program in "$folder"/*; do
    name=$(basename "$program")
    # The first of a name on PATH wins, as the shell would find it.
    if [ "$name" != promtool ] && [ "$name" != amtool ] && [ -x "$program" ] && [ ! -e "$bare_path/$name" ]; then
      ln -s "$program" "$bare_path/$name"
    fi
  done
done
jest=(node node_modules/jest/bin/jest.js --ci)
promtool_tests=(test/alerting/promtool.test.ts test/local-stack/promtool.test.ts)
amtool_tests=(test/alerting/amtool.test.ts)

output=$(env PATH="$bare_path" CI= "${jest[@]}" 2>&1) || {
  printf '%s\n' "$output"
  echo 'FAIL: without promtool the suite must pass, its promtool tests skipped.' >&2
  exit 1
}
if ! grep -q 'promtool is not installed: apt-get install prometheus' <<<"$output"; then
  printf '%s\n' "$output"
  echo 'FAIL: without promtool the run must say how to install it.' >&2
  exit 1
fi
if ! grep -q 'amtool is not installed: apt-get install prometheus-alertmanager' <<<"$output"; then
  printf '%s\n' "$output"
  echo 'FAIL: without amtool the run must say how to install it.' >&2
  exit 1
fi
if env PATH="$bare_path" CI=true "${jest[@]}" "${promtool_tests[@]}" >/dev/null 2>&1; then
  echo 'FAIL: with CI=true, a missing promtool must fail the promtool tests.' >&2
  exit 1
fi
if env PATH="$bare_path" CI=true "${jest[@]}" "${amtool_tests[@]}" >/dev/null 2>&1; then
  echo 'FAIL: with CI=true, a missing amtool must fail the amtool tests.' >&2
  exit 1
fi
echo 'Without promtool and amtool: the suite passes with their tests skipped, and fails under CI=true.'
