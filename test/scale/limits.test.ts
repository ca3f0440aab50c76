/**
 * The scale guard: every stack stays under CloudFormation's limits, for the default app and for a
 * generated 100-service environment; an environment within the profile limit stays under the
 * CloudWatch limits its platform stack grows towards; a bigger profile fails before any construct.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { cdkContext } from '../../bench/context';
import { flattenIntrinsic } from '../../bench/cost-model/inventory';
import { scaledEnvironments, scaledProfile } from '../../bench/profiles';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles, MAX_SERVICES_PER_ENVIRONMENT } from '../../lib/profile-loader/load';
import { buildDefaultApp } from '../../lib/stacks/default-app';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { ServiceStack } from '../../lib/stacks/service-stack';
import { buildTestApp, exampleEnvironments } from '../support/default-app';
import { profileProblems } from '../support/profile-problems';

// CloudFormation quotas (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
// the values aws-cdk-lib 2.276 checks at synth (core/lib/stack.js: MAX_RESOURCES, TEMPLATE_BODY_MAXIMUM_SIZE).
const MAX_RESOURCES_PER_STACK = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
// CloudWatch dashboard body (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
const MAX_DASHBOARD_WIDGETS = 500;
const MAX_ALARM_WIDGET_ALARMS = 100;
// CloudWatch Logs StartQuery: "You can include up to 50 log groups" (logGroupNames, logGroupIdentifiers).
const MAX_QUERY_LOG_GROUPS = 50;

const prodProfile = (): EnvironmentProfile => loadEnvironmentProfiles(exampleEnvironments()).prod;

interface StackSize {
  readonly stackName: string;
  readonly resources: number;
  readonly bytes: number;
}

function stackSizes(assembly: CloudAssembly): StackSize[] {
  return assembly.stacks.map((stack) => ({
    stackName: stack.stackName,
    resources: Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length,
    bytes: statSync(join(assembly.directory, stack.templateFile)).size,
  }));
}

function expectWithinCloudFormationLimits(sizes: readonly StackSize[]): void {
  const over = sizes.filter((s) => s.resources >= MAX_RESOURCES_PER_STACK || s.bytes >= MAX_TEMPLATE_BYTES);
  expect(over).toEqual([]);
}

test('every stack of the default app stays under the CloudFormation limits', () => {
  const { app } = buildTestApp({ compliance: false });
  const sizes = stackSizes(app.synth());
  expect(sizes.length).toBeGreaterThan(3);
  expectWithinCloudFormationLimits(sizes);
});

describe('a generated 100-service environment', () => {
  // The default app's stacks, built past the profile guard to show CloudFormation is not what limits it.
  const app = new App({ context: cdkContext() });
  const profile = scaledProfile(prodProfile(), 100);
  const env = { account: profile.account, region: profile.region };
  const platform = new PlatformStack(app, 'Platform', { env, environmentName: 'prod', profile });
  for (const serviceName of Object.keys(profile.services)) {
    new ServiceStack(app, serviceName, { env, platform, serviceName });
  }
  const sizes = stackSizes(app.synth());
  const services = sizes.filter((s) => s.stackName !== platform.stackName);

  test('every stack stays under the CloudFormation limits', () => {
    expect(sizes).toHaveLength(101);
    expectWithinCloudFormationLimits(sizes);
  });

  test('every service stack has the same size: only the platform stack grows with the services', () => {
    expect(new Set(services.map((s) => s.resources)).size).toBe(1);
    const bytes = services.map((s) => s.bytes);
    expect(Math.max(...bytes) - Math.min(...bytes)).toBeLessThan(100);
  });
});

test(`an environment of ${MAX_SERVICES_PER_ENVIRONMENT} services stays under the CloudWatch limits of its platform stack`, () => {
  const app = new App({ context: cdkContext() });
  const platform = new PlatformStack(app, 'Platform', {
    env: { account: '333333333333', region: 'eu-west-1' },
    environmentName: 'prod',
    profile: scaledProfile(prodProfile(), MAX_SERVICES_PER_ENVIRONMENT),
  });
  const resources = Object.values(
    app.synth().getStackByName(platform.stackName).template.Resources as Record<string, CfnResource>,
  );
  const ofType = (type: string) => resources.filter((r) => r.Type === type);

  const [dashboard] = ofType('AWS::CloudWatch::Dashboard');
  const widgets = (JSON.parse(flattenIntrinsic(dashboard.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
  expect(widgets.length).toBeLessThanOrEqual(MAX_DASHBOARD_WIDGETS);
  for (const widget of widgets.filter((w) => w.type === 'alarm')) {
    expect(widget.properties.alarms?.length).toBeLessThanOrEqual(MAX_ALARM_WIDGET_ALARMS);
  }
  const queries = ofType('AWS::Logs::QueryDefinition');
  expect(queries.length).toBeGreaterThan(0);
  for (const query of queries) {
    expect((query.Properties.LogGroupNames as unknown[]).length).toBeLessThanOrEqual(MAX_QUERY_LOG_GROUPS);
  }
});

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

interface Widget {
  readonly type: string;
  readonly properties: { readonly alarms?: readonly unknown[] };
}

describe('a profile over the limit', () => {
  const tooMany = MAX_SERVICES_PER_ENVIRONMENT + 1;
  const environments = scaledEnvironments({ prod: prodProfile() }, 'prod', tooMany);

  test('fails profile validation with the file, the field and how to split', () => {
    expect(profileProblems(environments, () => {})).toEqual([
      `cdk.json: environments.prod.services: ${tooMany} services; one environment holds at most ` +
        `${MAX_SERVICES_PER_ENVIRONMENT} (its saved Logs Insights queries open every service's log group, and a ` +
        'query reads at most 50). Split the services into 2 environment profiles of at most ' +
        `${MAX_SERVICES_PER_ENVIRONMENT} services each: each profile gets its own platform stack, dashboard and ` +
        'saved queries; give each its own grafanaCloud.configParameterName',
    ]);
  });

  test('stops the default app before it builds any construct', () => {
    const app = new App();
    expect(() => buildDefaultApp(app, { environments })).toThrow(/environments\.prod\.services: 51 services/);
    expect(app.node.children).toHaveLength(0);
  });

  test(`${MAX_SERVICES_PER_ENVIRONMENT} services pass`, () => {
    const atLimit = scaledEnvironments({ prod: prodProfile() }, 'prod', MAX_SERVICES_PER_ENVIRONMENT);
    expect(Object.keys(loadEnvironmentProfiles(atLimit).prod.services)).toHaveLength(MAX_SERVICES_PER_ENVIRONMENT);
  });
});
