/**
 * The scale guard: every stack stays under CloudFormation's limits, for the default app and for a
 * generated 100-service environment; the dashboard pages and saved queries of a 120-service
 * environment, split into view groups of 50, stay under CloudWatch's limits; a profile of more
 * than 500 services fails before any construct. The real 500-service synth takes minutes:
 * scripts/check-500-services.sh runs it in CI.
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
import { viewGroups } from '../../lib/profile-loader/scale';
import { buildDefaultApp } from '../../lib/stacks/default-app';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { ServiceStack } from '../../lib/stacks/service-stack';
import { ViewStack } from '../../lib/stacks/view-stack';
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

// Without the services observed elsewhere: the generated services are the whole environment.
const prodProfile = (): EnvironmentProfile => ({
  ...loadEnvironmentProfiles(exampleEnvironments()).prod,
  externalServices: undefined,
});

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

describe('an environment of 120 services: the platform stack and its view stacks', () => {
  // Platform and views only: the service stacks do not grow with the environment (see above).
  const app = new App({ context: cdkContext(), builtinCloudFormationValidation: false });
  const profile = scaledProfile(prodProfile(), 120);
  const env = { account: profile.account, region: profile.region };
  const platform = new PlatformStack(app, 'Platform', { env, environmentName: 'prod', profile });
  const views = viewGroups(profile)
    .slice(1)
    .map((group) => new ViewStack(app, `Views${group.number}`, { env, environmentName: 'prod', profile, group }));
  const assembly = app.synth();
  const resourcesOf = (type: string) =>
    [platform, ...views].flatMap((stack) =>
      Object.values(assembly.getStackByName(stack.stackName).template.Resources as Record<string, CfnResource>).filter(
        (r) => r.Type === type,
      ),
    );
  const dashboards = resourcesOf('AWS::CloudWatch::Dashboard').map(
    (dashboard) => JSON.parse(flattenIntrinsic(dashboard.Properties.DashboardBody)) as { widgets: Widget[] },
  );
  const queries = resourcesOf('AWS::Logs::QueryDefinition');

  test('has 3 dashboard pages, each under the widget limit', () => {
    expect(dashboards.map((d) => d.widgets.length > MAX_DASHBOARD_WIDGETS)).toEqual([false, false, false]);
  });

  test("each page's alarm status widget names at most 50 paging alarms, each service's once", () => {
    const alarms = dashboards.flatMap((d) => d.widgets.filter((w) => w.type === 'alarm'));
    expect(alarms.map((w) => w.properties.alarms?.length)).toEqual([50, 50, 20]);
    expect(alarms.every((w) => (w.properties.alarms?.length ?? 0) <= MAX_ALARM_WIDGET_ALARMS)).toBe(true);
  });

  test('every saved query names at most 50 log groups, and each service is in one group of queries', () => {
    expect(queries.filter((q) => (q.Properties.LogGroupNames as unknown[]).length > MAX_QUERY_LOG_GROUPS)).toEqual([]);
    const topErrors = queries.filter((q) => String(q.Properties.Name).endsWith('/Top error types'));
    expect(topErrors.map((q) => q.Properties.Name)).toEqual([
      'starmates-ai-team/prod/Top error types',
      'starmates-ai-team/prod/services-51-100/Top error types',
      'starmates-ai-team/prod/services-101-150/Top error types',
    ]);
    const named = topErrors.flatMap((q) => q.Properties.LogGroupNames as string[]);
    expect(named).toEqual(Object.keys(profile.services).map((service) => `/ecs/starmates-ai-team-prod/${service}`));
  });
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
        `${MAX_SERVICES_PER_ENVIRONMENT} (the size its split into view stacks of 50 services is proven for). Split the ` +
        `services into 2 environment profiles of at most ${MAX_SERVICES_PER_ENVIRONMENT} services each: each profile ` +
        'gets its own platform stack, dashboards and saved queries; give each its own grafanaCloud.configParameterName',
    ]);
  });

  test('counts the services observed from other repositories', () => {
    const mixed = scaledEnvironments({ prod: prodProfile() }, 'prod', 400);
    mixed.prod = { ...mixed.prod, externalServices: Array.from({ length: 101 }, (_, i) => `elsewhere-${i}`) };
    expect(profileProblems(mixed, () => {})).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.services: 501 services \(400 here and 101 in externalServices\); /,
      ),
    ]);
  });

  test('stops the default app before it builds any construct', () => {
    const app = new App();
    expect(() => buildDefaultApp(app, { environments })).toThrow(/environments\.prod\.services: 501 services/);
    expect(app.node.children).toHaveLength(0);
  });

  test(`${MAX_SERVICES_PER_ENVIRONMENT} services pass`, () => {
    const atLimit = scaledEnvironments({ prod: prodProfile() }, 'prod', MAX_SERVICES_PER_ENVIRONMENT);
    expect(Object.keys(loadEnvironmentProfiles(atLimit).prod.services)).toHaveLength(MAX_SERVICES_PER_ENVIRONMENT);
  });
});
