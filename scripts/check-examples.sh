#!/usr/bin/env bash
# The consumer examples (examples/*), as a team in another repository has them: the package is
# packed (npm pack), each example is copied next to the tarball and installed from it (never the
# source tree), type-checked, synthesized offline, and its templates asserted on
# (scripts/assert-example-templates.mjs). Each example's cdk.json context would hold the platform
# team's profile; here it is the example app's (test/fixtures/example-app/cdk.json).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm pack --silent --pack-destination "$work" >/dev/null
context=$(node -e "process.stdout.write(JSON.stringify(require('./test/fixtures/example-app/cdk.json').context))")

for example in examples/*/; do
  name=$(basename "$example")
  echo "examples/$name: install from the tarball, typecheck, synth"
  cp -r "$example" "$work/$name"
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
