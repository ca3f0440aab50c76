/**
 * What every dashboard is built from: the validated environment profiles, and the names derived
 * from them once (environments, services, the environment shown on opening).
 */

import { clusterName as namingClusterName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';

export interface DashboardContext {
  readonly profiles: Readonly<Record<string, EnvironmentProfile>>;
  /** Environment names in the profiles' order (cdk.json: dev, staging, prod). */
  readonly environments: readonly string[];
  /** The environment a dashboard opens on: prod when there is one, where an incident matters most. */
  readonly defaultEnvironment: string;
  /** Every service of any environment, sorted. */
  readonly services: readonly string[];
}

/** One service in one environment: the unit thresholds are resolved for. */
export interface Deployment {
  readonly environment: string;
  readonly service: string;
  readonly profile: EnvironmentProfile;
}

export function dashboardContext(profiles: Readonly<Record<string, EnvironmentProfile>>): DashboardContext {
  const environments = Object.keys(profiles);
  if (environments.length === 0) throw new Error('dashboards need at least one environment profile');
  const services = [...new Set(environments.flatMap((name) => Object.keys(profiles[name].services)))].sort();
  return {
    profiles,
    environments,
    defaultEnvironment: environments.includes('prod') ? 'prod' : environments[environments.length - 1],
    services,
  };
}

/** Every (environment, service) pair the profiles define, environment by environment. */
export function deployments(context: DashboardContext): Deployment[] {
  return context.environments.flatMap((environment) => {
    const profile = context.profiles[environment];
    return Object.keys(profile.services)
      .sort()
      .map((service) => ({ environment, service, profile }));
  });
}

/** `starmates-ai-team-prod`: the ECS cluster (and log group prefix) of an environment. */
export function clusterName(profile: EnvironmentProfile, environment: string): string {
  return namingClusterName(profile.project, environment);
}
