import { Annotations, type App, Tags } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { collectorImageWarnings } from '../collector/image';
import { DynamicReferenceCountingSynthesizer } from '../constructs/dynamic-reference-limit';
import { stackName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import { loadEnvironmentProfiles, selectEnvironments } from '../profile-loader/load';
import { viewGroups } from '../profile-loader/scale';
import { PlatformStack } from './platform-stack';
import { ServiceStack } from './service-stack';
import { ViewStack } from './view-stack';

/** The id of the warning for a collector image pinned by tag alone (`cdk synth` prints it; acknowledge it by this id). */
export const COLLECTOR_IMAGE_WARNING_ID = '@starmates/cdk-otel-observability:collectorImageByTag';

/**
 * Context the default app sets in code, not in cdk.json: the CDK CLI warns on every synth about a
 * reserved `aws:` key in cdk.json. Creation stack traces off: capturing one per CloudFormation
 * element was a fifth of an observed service's synth time (docs/design.md, "Synth time per
 * service"); `cdk --debug` records them again. Give it to `new App({ context })`: the CLI's
 * context (cdk.json, `-c`) still overrides it.
 */
export const DEFAULT_APP_CONTEXT: Readonly<Record<string, unknown>> = {
  [cxapi.DISABLE_CREATION_STACK_TRACES]: true,
};

export interface DefaultAppOptions {
  /** The raw `environments` context value; it is validated before any construct is built. */
  readonly environments: unknown;
  /**
   * The `env` context value: one environment name or a comma list.
   * @default - every environment
   */
  readonly selection?: string;
  /**
   * Where the profiles come from, for error messages.
   * @default 'cdk.json'
   */
  readonly source?: string;
}

export interface DefaultAppStacks {
  readonly platforms: readonly PlatformStack[];
  readonly services: readonly ServiceStack[];
  /** The view stacks of environments of more than 50 services (dashboard pages and saved queries). */
  readonly views: readonly ViewStack[];
}

/**
 * Builds the default app: per selected environment, a platform stack, one stack per service
 * of the profile and, past 50 services, one view stack per further 50 (lib/profile-loader/scale.ts). Profiles are validated first, so a bad profile creates nothing.
 * @throws ProfileError for an invalid profile or an unknown environment name
 */
export function buildDefaultApp(app: App, options: DefaultAppOptions): DefaultAppStacks {
  const profiles = loadEnvironmentProfiles(options.environments, { source: options.source });
  const built = selectEnvironments(profiles, options.selection).map((environmentName) =>
    buildEnvironment(app, environmentName, profiles[environmentName], options.source),
  );
  return {
    platforms: built.map((environment) => environment.platform),
    services: built.flatMap((environment) => environment.services),
    views: built.flatMap((environment) => environment.views),
  };
}

/** The stacks of one environment of the default app. */
export interface EnvironmentStacks {
  readonly platform: PlatformStack;
  readonly services: readonly ServiceStack[];
  readonly views: readonly ViewStack[];
}

/**
 * The default app's stacks of one environment from its validated profile: the platform stack, a
 * stack per service and, past 50 services, a view stack per further 50. `buildDefaultApp` calls it
 * for each selected environment; the benchmark calls it for its generated profiles.
 * @param source where the profile comes from, for the collector image warning
 */
export function buildEnvironment(
  scope: Construct,
  environmentName: string,
  profile: EnvironmentProfile,
  source = 'cdk.json',
): EnvironmentStacks {
  const env = { account: profile.account, region: profile.region };
  const name = (part: string) => stackName(profile.project, environmentName, part);

  const platform = new PlatformStack(scope, name('Platform'), {
    env,
    synthesizer: new DynamicReferenceCountingSynthesizer(),
    stackName: name('Platform'),
    description: `${profile.project} ${environmentName}: network, ECS cluster, encryption key and alarm topics`,
    environmentName,
    profile,
  });
  // Printed by `cdk synth` (and failing it only with --strict).
  for (const warning of collectorImageWarnings(profile, `environments.${environmentName}`)) {
    Annotations.of(platform).addWarningV2(COLLECTOR_IMAGE_WARNING_ID, `${source}: ${warning}`);
  }
  const services = Object.keys(profile.services).map((serviceName) => {
    const service = new ServiceStack(scope, name(serviceName), {
      env,
      synthesizer: new DynamicReferenceCountingSynthesizer(),
      stackName: name(serviceName),
      description: `${profile.project} ${environmentName}: the ${serviceName} service`,
      platform,
      serviceName,
    });
    const tenant = profile.services[serviceName].tenant;
    if (tenant !== undefined) Tags.of(service).add('tenant', tenant);
    return service;
  });
  // The views of services 51 and up, 50 per stack (the scale guard's split rule).
  const views = viewGroups(profile)
    .slice(1)
    .map(
      (group) =>
        new ViewStack(scope, name(group.stackPart), {
          env,
          synthesizer: new DynamicReferenceCountingSynthesizer(),
          stackName: name(group.stackPart),
          description: `${profile.project} ${environmentName}: dashboard page and saved queries of ${group.label}`,
          environmentName,
          profile,
          group,
        }),
    );
  for (const stack of [platform, ...services, ...views]) {
    Tags.of(stack).add('project', profile.project);
    Tags.of(stack).add('environment', environmentName);
  }
  return { platform, services, views };
}
