/**
 * The scale guard's estimate against real templates: resources, outputs and parameters exactly,
 * template bytes within 5 %, for the default app and for a fixture environment of 26 tenants (just
 * under the 500-resource limit). When this fails, the stacks changed: re-measure and update the
 * constants in lib/profile-loader/scale.ts. And 35 tenants are refused with split advice before any
 * construct exists.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { cdkContext } from '../../bench/context';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles, ProfileError } from '../../lib/profile-loader/load';
import { CLOUDFORMATION_LIMITS, estimateEnvironment, type StackEstimate } from '../../lib/profile-loader/scale';
import { buildDefaultApp } from '../../lib/stacks/default-app';
import { exampleEnvironments } from '../support/example-app';
import { fixtureEnvironments } from '../support/fixture-profiles';
import { profileProblems, type RawEnvironments } from '../support/profile-problems';

/** The fixture's prod with `count` tenants, each with one service of its own. */
function withTenants(count: number): RawEnvironments {
  const environments = fixtureEnvironments();
  const prod = environments['shop-prod'];
  const template = prod.tenants.contoso;
  prod.gateway.memoryMiB = 8192;
  prod.tenants = {};
  for (let index = 0; index < count; index++) {
    const tenant = `tenant-${String(index).padStart(2, '0')}`;
    prod.tenants[tenant] = {
      ...structuredClone(template),
      gatewayPort: 4400 + index,
      readerPrincipalArns: [`arn:aws:iam::${600000000000 + index}:role/sre`],
    };
    prod.tenants[tenant].grafanaCloud.instanceId = String(910000 + index);
    prod.tenants[tenant].grafanaCloud.apiKeyParameterName = `/fixture-shop/shop-prod/tenants/${tenant}/token`;
    prod.services[`${tenant}-app`] = { ...prod.services.catalog, port: 9200 + index, tenant };
  }
  delete prod.services['north-wind-portal'];
  delete prod.services['contoso-portal'];
  return { 'shop-prod': prod };
}

interface Measured {
  readonly estimate: StackEstimate;
  readonly real: Omit<StackEstimate, 'stackName'>;
}

/** Each stack of the app built from `environments`: its estimate and its real template. */
function measure(environments: unknown): Measured[] {
  // CloudFormation's own validator is off: sizes are the point here, and it costs seconds per app.
  const app = new App({ context: cdkContext(), builtinCloudFormationValidation: false });
  buildDefaultApp(app, { environments });
  const assembly = app.synth();
  const profiles: Record<string, EnvironmentProfile> = loadEnvironmentProfiles(environments);
  const estimates = Object.entries(profiles).flatMap(([name, profile]) => {
    const estimate = estimateEnvironment(profile, name);
    return [estimate.platform, ...estimate.views, ...Object.values(estimate.services)];
  });
  return estimates.map((estimate) => {
    const stack = assembly.getStackByName(estimate.stackName);
    const template = stack.template as Record<string, object | undefined>;
    return {
      estimate,
      real: {
        resources: Object.keys(template.Resources ?? {}).length,
        bytes: statSync(join(assembly.directory, stack.templateFile)).size,
        outputs: Object.keys(template.Outputs ?? {}).length,
        parameters: Object.keys(template.Parameters ?? {}).length,
      },
    };
  });
}

function expectCalibrated(measured: readonly Measured[]): void {
  const counts = measured.map(({ estimate, real }) => ({
    stack: estimate.stackName,
    resources: [estimate.resources, real.resources],
    outputs: [estimate.outputs, real.outputs],
    parameters: [estimate.parameters, real.parameters],
  }));
  expect(
    counts.filter(
      (c) => c.resources[0] !== c.resources[1] || c.outputs[0] !== c.outputs[1] || c.parameters[0] !== c.parameters[1],
    ),
  ).toEqual([]);
  const bytes = measured.map(({ estimate, real }) => ({
    stack: estimate.stackName,
    estimate: estimate.bytes,
    real: real.bytes,
  }));
  expect(bytes.filter((b) => Math.abs(b.estimate - b.real) > 0.05 * b.real)).toEqual([]);
}

test("the estimate matches the default app's stacks", () => {
  const measured = measure(exampleEnvironments());
  expect(measured).toHaveLength(15);
  expectCalibrated(measured);
});

test('the estimate matches an environment of 26 tenants, just under the resource limit', () => {
  const measured = measure(withTenants(26));
  const platform = measured[0];
  expect(platform.real.resources).toBeGreaterThan(450);
  expect(platform.real.resources).toBeLessThanOrEqual(CLOUDFORMATION_LIMITS.resources);
  expectCalibrated(measured);
});

test('the estimate matches an environment whose views split into a view stack (80 services observed elsewhere)', () => {
  const environments = exampleEnvironments();
  const prod = environments.prod;
  // Observed from other repositories: in the views, without service stacks, so the synth stays fast.
  prod.externalServices = Array.from({ length: 80 }, (_, index) => `elsewhere-${index}`);
  const measured = measure({ prod });
  const views = measured.filter(({ estimate }) => estimate.stackName.endsWith('-Views2'));
  expect(views.map(({ real }) => real.resources)).toEqual([11]);
  expectCalibrated(measured);
});

describe('35 tenants', () => {
  const environments = withTenants(35);

  test('are refused with advice on how to split them', () => {
    expect(profileProblems(environments, () => undefined)).toEqual([
      'cdk.json: environments.shop-prod.tenants: 35 tenants; the platform stack FixtureShop-ShopProd-Platform would ' +
        'have about 614 resources; CloudFormation allows 500 (about 15 per tenant). Split the tenants into 2 ' +
        "environment profiles of at most 26 tenants each, with each tenant's services: each profile gets its own " +
        'platform stack; give each its own SSM parameter names',
    ]);
  });

  test('stop the default app before it builds any construct', () => {
    const app = new App({ context: cdkContext() });
    expect(() => buildDefaultApp(app, { environments })).toThrow(ProfileError);
    expect(app.node.children).toHaveLength(0);
  });
});
