import { Annotations, App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../../lib/compliance';
import { buildDefaultApp, COLLECTOR_IMAGE_WARNING_ID, type DefaultAppStacks } from '../../lib/stacks/default-app';
import { exampleContext } from './example-app';

// Tests build the app from the example app's context (test/support/example-app.ts), not cdk.json's:
// an operator's edit there changes none of them.
export { exampleEnvironments } from './example-app';

export interface TestAppOptions {
  /**
   * The CDK context: profiles and feature flags.
   * @default - the example app's (test/fixtures/example-app/cdk.json)
   */
  readonly context?: Record<string, unknown>;
  /** Replaces the context's environments. */
  readonly environments?: unknown;
  /** The `-c env=` selection. */
  readonly selection?: string;
  /** Registers the cdk-nag packs, as bin/app.ts does. @default true */
  readonly compliance?: boolean;
  /**
   * Also registers the Control Tower controls, as bin/app.ts does. Off by default: cfn-guard adds
   * about 2 s to a synth of the whole default app, so it runs in the tests that are about it.
   * @default false
   */
  readonly controlTower?: boolean;
  /**
   * Keeps the warning for a production collector image pinned by tag alone.
   * @default false
   */
  readonly collectorImageWarning?: boolean;
}

/** Builds the default app exactly as bin/app.ts does, from the example app's context unless told otherwise. */
export function buildTestApp(options: TestAppOptions = {}): { app: App } & DefaultAppStacks {
  const app = new App({ context: options.context ?? exampleContext() });
  const stacks = buildDefaultApp(app, {
    environments: options.environments ?? app.node.tryGetContext('environments'),
    selection: options.selection,
  });
  if (options.compliance ?? true) addComplianceChecks(app, { controlTower: options.controlTower ?? false });
  // The example's prod (as cdk.json's) pins the collector by tag (README, "Collector image"): every synth of prod would
  // print the warning. test/stacks/collector-image.test.ts shows it, from an app of its own.
  if (options.collectorImageWarning !== true) {
    for (const platform of stacks.platforms) {
      Annotations.of(platform).acknowledgeWarning(COLLECTOR_IMAGE_WARNING_ID, 'shown by collector-image.test.ts');
    }
  }
  return { app, ...stacks };
}
