import { Annotations, App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../../lib/compliance';
import { buildDefaultApp, COLLECTOR_IMAGE_WARNING_ID, type DefaultAppStacks } from '../../lib/stacks/default-app';

// The same context the CDK CLI hands the app (profiles and feature flags), so tests see what synth sees.
const cdkJson = require('../../cdk.json') as { context: Record<string, unknown> };

/** A deep copy of cdk.json's `environments`, to mutate in tests. */
export function defaultEnvironments(): Record<string, Record<string, unknown>> {
  return structuredClone(cdkJson.context.environments) as Record<string, Record<string, unknown>>;
}

export interface TestAppOptions {
  /** Replaces cdk.json's environments. */
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

/** Builds the default app exactly as bin/app.ts does, from cdk.json's context. */
export function buildTestApp(options: TestAppOptions = {}): { app: App } & DefaultAppStacks {
  const app = new App({ context: { ...cdkJson.context } });
  const stacks = buildDefaultApp(app, {
    environments: options.environments ?? app.node.tryGetContext('environments'),
    selection: options.selection,
  });
  if (options.compliance ?? true) addComplianceChecks(app, { controlTower: options.controlTower ?? false });
  // cdk.json's prod pins the collector by tag (README, "Collector image"): every synth of prod would
  // print the warning. test/stacks/collector-image.test.ts shows it, from an app of its own.
  if (options.collectorImageWarning !== true) {
    for (const platform of stacks.platforms) {
      Annotations.of(platform).acknowledgeWarning(COLLECTOR_IMAGE_WARNING_ID, 'shown by collector-image.test.ts');
    }
  }
  return { app, ...stacks };
}
