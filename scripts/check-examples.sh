#!/usr/bin/env bash
# The consumer examples (examples/*), as a team in another repository has them: the package is
# packed (npm pack), each example is copied next to the tarball and installed from it (never the
# source tree), type-checked, synthesized offline, and its templates asserted on
# (scripts/assert-example-templates.mjs). Each example reads platform-settings/prod.json, the
# platform team's generated settings that a team keeps in its repository: here the platform's own
# (this repository's platform-settings/prod.json, which npm run generate writes) is copied in, so
# the examples never hold a copy that could drift. The feature flags are the example app's
# (test/fixtures/example-app/cdk.json); no example reads a profile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm pack --silent --pack-destination "$work" >/dev/null
context=$(node -e "const { environments, ...flags } = require('./test/fixtures/example-app/cdk.json').context; process.stdout.write(JSON.stringify(flags))")

for example in examples/*/; do
  name=$(basename "$example")
  echo "examples/$name: install from the tarball, typecheck, synth"
  cp -r "$example" "$work/$name"
  mkdir -p "$work/$name/platform-settings"
  cp platform-settings/prod.json "$work/$name/platform-settings/prod.json"
  (
    cd "$work/$name"
    npm install --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null
    npx tsc --noEmit -p .
    CDK_CONTEXT_JSON="$context" CDK_OUTDIR=cdk.out npx tsx app.ts
  )
  node "$root/scripts/assert-example-templates.mjs" "$work/$name/cdk.out"
done

# What a team adds to an existing ALB service to observe it (the README's number).
added=$(grep -c '// observability$' examples/existing-alb-service/app.ts)
echo "lines added to observe an existing ApplicationLoadBalancedFargateService: $added"
test "$added" -le 6
