/**
 * The operator's own cdk.json. Unit, construct and stack tests never read it: they build on the
 * frozen copy in test/fixtures/example-app (test/support/example-app.ts), so that changing a
 * threshold or a retention in cdk.json, then `npm run refresh`, leaves the suite green
 * (scripts/check-operator-edit.sh proves it in CI).
 *
 * Only the tests listed in CDK_JSON_READERS read it, each because its subject is the operator's own
 * files; test/operator-files.test.ts fails if any other test file reads cdk.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** The test files allowed to read the operator's cdk.json, and why (paths from the repository root). */
export const CDK_JSON_READERS: Readonly<Record<string, string>> = {
  'test/operator-files.test.ts': 'the profiles in cdk.json validate, and no other test reads cdk.json',
  'test/generated-files.test.ts': 'the committed generated files equal what the code generates from cdk.json',
  'test/alerting/promtool.test.ts': 'promtool checks the committed rule files and runs their committed tests',
  'test/alerting/amtool.test.ts': 'amtool checks the committed Alertmanager configurations and resolves their routes',
  'test/collector/files.test.ts': 'every collector config cdk.json asks for is committed',
  'test/metrics/names-in-files.test.ts': "the metric names in the committed files follow cdk.json's strategy",
};

/** cdk.json's context as it is now on disk (environments and feature flags), a fresh copy per call. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** cdk.json's `environments`, a fresh copy per call. */
export function cdkJsonEnvironments(): Record<string, Record<string, unknown>> {
  return cdkJsonContext().environments as Record<string, Record<string, unknown>>;
}
