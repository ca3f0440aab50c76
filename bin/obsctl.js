#!/usr/bin/env node
// The package's `bin`, committed as JavaScript so that it exists before any build. In the
// repository (the TypeScript source is beside it) it runs that source through tsx, so `npx obsctl`
// never runs a stale build; in an installed package (no source) it runs the compiled dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, 'obsctl.ts');
if (existsSync(source)) {
  let register;
  try {
    ({ register } = require('tsx/cjs/api'));
  } catch {
    process.stderr.write(
      'obsctl: running from the repository needs its dev dependencies (tsx): run npm ci in the repository root\n',
    );
    process.exit(2);
  }
  register();
  require(source);
} else {
  require('../dist/bin/obsctl.js');
}
