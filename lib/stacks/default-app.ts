import { Annotations, type App, type Stack, Tags } from 'aws-cdk-lib';
import { collectorImageWarnings } from '../collector/image';
import { stackName } from '../naming';
import { loadEnvironmentProfiles, selectEnvironments } from '../profile-loader/load';
import { PlatformStack } from './platform-stack';
import { ServiceStack } from './service-stack';

/** The id of the warning for a collector image pinned by tag alone (`cdk synth` prints it; acknowledge it by this id). */
export const COLLECTOR_IMAGE_WARNING_ID = '@starmates/cdk-otel-observability:collectorImageByTag';

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
}

/**
 * Builds the default app: per selected environment, a platform stack and one stack per service
 * of the profile. Profiles are validated first, so a bad profile creates nothing.
 * @throws ProfileError for an invalid profile or an unknown environment name
 */
export function buildDefaultApp(app: App, options: DefaultAppOptions): DefaultAppStacks {
  const profiles = loadEnvironmentProfiles(options.environments, { source: options.source });
  const platforms: PlatformStack[] = [];
  const services: ServiceStack[] = [];
  for (const environmentName of selectEnvironments(profiles, options.selection)) {
    const profile = profiles[environmentName];
    const env = { account: profile.account, region: profile.region };
    const name = (part: string) => stackName(profile.project, environmentName, part);

    const platform = new PlatformStack(app, name('Platform'), {
      env,
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
    for (const stack of environmentStacks) {
      Tags.of(stack).add('project', profile.project);
      Tags.of(stack).add('environment', environmentName);
    }
  }
  return { platforms, services };
}
