/**
 * The example app: the context cdk.json shipped with (profiles and feature flags), frozen in
 * test/fixtures/example-app/cdk.json. Unit, construct and stack tests build on it, never on
 * cdk.json, so an operator's edit to cdk.json (a threshold, a retention) changes none of them; only
 * the tests listed in test/support/cdk-json.ts read cdk.json itself. No aws-cdk-lib import here:
 * pure tests load this without paying for the CDK.
 */
const fixture = require('../fixtures/example-app/cdk.json') as { context: Record<string, unknown> };

/** A deep copy of the example app's context. */
export function exampleContext(): Record<string, unknown> {
  return structuredClone(fixture.context);
}

/** A deep copy of the example app's `environments` (dev, staging, prod), to mutate in tests. */
export function exampleEnvironments(): Record<string, Record<string, unknown>> {
  return exampleContext().environments as Record<string, Record<string, unknown>>;
}
