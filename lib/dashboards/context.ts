/**
 * What every dashboard is built from: the validated environment profiles, and the names derived
 * from them once (environments, services, the environment shown on opening).
 */

import { SeriesNames } from '../metrics/series-names';
import { clusterName as namingClusterName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration } from '../signals';

export interface DashboardContext {
  readonly profiles: Readonly<Record<string, EnvironmentProfile>>;
  /** Environment names in the profiles' order (cdk.json: dev, staging, prod). */
  readonly environments: readonly string[];
  /** The environment a dashboard opens on: prod when there is one, where an incident matters most. */
  readonly defaultEnvironment: string;
  /** Every service of any environment, sorted. */
  readonly services: readonly string[];
  /** The series names the queries use: the catalogue's, as every environment's stack names them. */
  readonly series: SeriesNames;
  /** The declared signals whose thresholds the panels draw (lib/signals). */
  readonly signals: readonly SignalDeclaration[];
}

/** One service in one environment: the unit thresholds are resolved for. */
export interface Deployment {
  readonly environment: string;
  readonly service: string;
  readonly profile: EnvironmentProfile;
}

export function dashboardContext(
  profiles: Readonly<Record<string, EnvironmentProfile>>,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): DashboardContext {
  const environments = Object.keys(profiles);
  if (environments.length === 0) throw new Error('dashboards need at least one environment profile');
  const services = [...new Set(environments.flatMap((name) => Object.keys(profiles[name].services)))].sort();
  return {
    profiles,
    environments,
    defaultEnvironment: environments.includes('prod') ? 'prod' : environments[environments.length - 1],
    services,
    series: sharedSeriesNames(profiles),
    signals,
  };
}

/**
 * The one translation strategy of every environment. dashboards/ is one set of files for all
 * environments (an environment is a template variable), so a query can name each series only one
 * way; rules (alerts/<environment>.rules.yaml) are per environment and follow their own profile,
 * but a stack whose strategy differs would need its own dashboards, and would split its history
 * at the switch anyway. So differing strategies are refused rather than half-served.
 * @throws Error naming the fields that differ and the fix
 */
export function sharedSeriesNames(profiles: Readonly<Record<string, EnvironmentProfile>>): SeriesNames {
  const strategies = Object.entries(profiles).map(([name, profile]) => ({
    name,
    strategy: profile.grafanaCloud.metricNameTranslation,
  }));
  const distinct = [...new Set(strategies.map((entry) => entry.strategy))];
  if (distinct.length > 1) {
    throw new Error(
      `cdk.json: environments.*.grafanaCloud.metricNameTranslation differ (${strategies
        .map((entry) => `${entry.name}: ${entry.strategy}`)
        .join(', ')}), but dashboards/ is shared by every environment and can name each series only one way. ` +
        'Set the same value in every profile (the Grafana Cloud default is UnderscoreEscapingWithSuffixes), and ' +
        "configure each stack's OTLP translation to match.",
    );
  }
  return new SeriesNames(distinct[0]);
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
