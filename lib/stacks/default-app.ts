import { Annotations, type App, type Stack, Tags } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { collectorImageWarnings } from '../collector/image';
import { DynamicReferenceCountingSynthesizer } from '../constructs/dynamic-reference-limit';
import { stackName } from '../naming';
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
  const platforms: PlatformStack[] = [];
  const services: ServiceStack[] = [];
  const views: ViewStack[] = [];
  for (const environmentName of selectEnvironments(profiles, options.selection)) {
    const profile = profiles[environmentName];
    const env = { account: profile.account, region: profile.region };
    const name = (part: string) => stackName(profile.project, environmentName, part);

    const platform = new PlatformStack(app, name('Platform'), {
      env,
      synthesizer: new DynamicReferenceCountingSynthesizer(),
      stackName: name('Platform'),
      description: `${profile.project} ${environmentName}: network, ECS cluster, encryption key and alarm topics`,
      environmentName,
      profile,
    });
    platforms.push(platform);
    // Printed by `cdk synth` (and failing it only with --strict).
    for (const warning of collectorImageWarnings(profile, `environments.${environmentName}`)) {
      Annotations.of(platform).addWarningV2(COLLECTOR_IMAGE_WARNING_ID, `${options.source ?? 'cdk.json'}: ${warning}`);
    }
    const environmentStacks: Stack[] = [platform];
    for (const serviceName of Object.keys(profile.services)) {
      const service = new ServiceStack(app, name(serviceName), {
        env,
        synthesizer: new DynamicReferenceCountingSynthesizer(),
        stackName: name(serviceName),
        description: `${profile.project} ${environmentName}: the ${serviceName} service`,
        platform,
        serviceName,
      });
      services.push(service);
      environmentStacks.push(service);
      const tenant = profile.services[serviceName].tenant;
      if (tenant !== undefined) Tags.of(service).add('tenant', tenant);
    }
    // The views of services 51 and up, 50 per stack (the scale guard's split rule).
    for (const group of viewGroups(profile).slice(1)) {
      const view = new ViewStack(app, name(group.stackPart), {
        env,
        synthesizer: new DynamicReferenceCountingSynthesizer(),
        stackName: name(group.stackPart),
        description: `${profile.project} ${environmentName}: dashboard page and saved queries of ${group.label}`,
        environmentName,
        profile,
        group,
      });
      views.push(view);
      environmentStacks.push(view);
    }
    for (const stack of environmentStacks) {
      Tags.of(stack).add('project', profile.project);
      Tags.of(stack).add('environment', environmentName);
    }
  }
  return { platforms, services, views };
}
