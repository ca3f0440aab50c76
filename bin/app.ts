#!/usr/bin/env node
/**
 * The default app: every environment profile in cdk.json's `environments` context, or those named
 * by `-c env=prod` (a comma list selects several). The only place that reads context.
 */
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../lib/compliance';
import { ProfileError } from '../lib/profile-loader/load';
import { buildDefaultApp, DEFAULT_APP_CONTEXT } from '../lib/stacks/default-app';

const app = new App({ context: { ...DEFAULT_APP_CONTEXT } });
try {
  buildDefaultApp(app, {
    environments: app.node.tryGetContext('environments'),
    selection: app.node.tryGetContext('env'),
    source: 'cdk.json',
  });
} catch (error) {
  if (error instanceof ProfileError) {
    // A configuration mistake, not a bug: the message says what to fix; a stack trace would bury it.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
addComplianceChecks(app);
