#!/usr/bin/env node
/**
 * obsctl, the operator's command line: `obsctl --help`. Run by bin/obsctl.js (the package's `bin`): from
 * this source in the repository, compiled to dist/bin/obsctl.js in the package. Exit codes are set, not
 * forced, so stdout drains before the process ends.
 */
import { processDependencies, runCli } from '../lib/cli/program';

// The SDK warns on every run under Node < 22 about SDK releases after January 2027. obsctl pins an
// SDK that supports this Node, so the operator cannot act on it; `engines` is where that is handled.
// An explicit setting in the environment wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `obsctl ... | head` closes the pipe early: that ends the output, it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

runCli(process.argv.slice(2), processDependencies()).then((code) => {
  process.exitCode = code;
});
