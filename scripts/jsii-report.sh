#!/usr/bin/env bash
# How far the public API is from jsii (the CDK's multi-language compiler): compiles a copy of the
# package with jsii, non-jsii dependencies declared bundled, and counts the errors by code. Not in
# CI (it fetches jsii from npm); run it before changing the exports of lib/index.ts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work")
ln -s "$root/node_modules" "$work/node_modules"
cd "$work"
# jsii writes its own tsconfig.json and refuses to overwrite one it did not write.
mv tsconfig.json tsconfig.dev.json
node -e '
const fs = require("fs");
const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
p.author = { name: "starmates", organization: true };
p.main = "jsii-out/lib/index.js";
p.types = "jsii-out/lib/index.d.ts";
p.bundledDependencies = Object.keys(p.dependencies);
p.jsii = { outdir: "dist", targets: {}, excludeTypescript: ["test", "scripts", "bench", "bin", "examples", "jsii-out"], tsc: { outDir: "jsii-out", rootDir: "." } };
fs.writeFileSync("package.json", JSON.stringify(p, null, 2));
'
npx --yes jsii@5.9 --silence-warnings=reserved-word >jsii.log 2>&1 || true
grep -oE 'error (JSII|TS)[0-9]+' jsii.log | sort | uniq -c | sort -rn || true
grep -E '^Errors:' jsii.log || tail -3 jsii.log
