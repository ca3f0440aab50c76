import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { resolveThresholds } from '../alerting/thresholds';
import { limitDynamicReferences } from '../constructs/dynamic-reference-limit';
import { EnvironmentDashboard } from '../constructs/environment-dashboard';
import { SavedQueries } from '../constructs/saved-queries';
import { sourceTokenParameterValue } from '../constructs/source-token';
import { clusterName, environmentDashboardName, serviceLogGroupName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import type { ViewGroup } from '../profile-loader/scale';

export interface ViewStackProps extends StackProps {
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The validated profile of that environment. */
  readonly profile: EnvironmentProfile;
  /** The view group this stack shows: one of `viewGroups(profile)` after the first. */
  readonly group: ViewGroup;
}

/**
 * One bounded view of an environment of more than 50 services: a dashboard page and a set of
 * saved Logs Insights queries over one view group (at most 50 services, see
 * lib/profile-loader/scale.ts). Built from names alone (log groups, alarms, the cluster), so it
 * references no other stack: every stack keeps the same size however many services the
 * environment has.
 */
export class ViewStack extends Stack {
  public readonly dashboard: EnvironmentDashboard;
  public readonly savedQueries: SavedQueries;

  constructor(scope: Construct, id: string, props: ViewStackProps) {
    super(scope, id, props);
    limitDynamicReferences(this);
    const { profile, environmentName, group } = props;
    if (group.label === undefined) {
      throw new Error(
        `ViewStack: view group ${group.number} lives in the platform stack; view stacks hold groups 2 and up`,
      );
    }
    this.dashboard = new EnvironmentDashboard(this, 'Dashboard', {
      project: profile.project,
      environmentName,
      clusterName: clusterName(profile.project, environmentName),
      services: group.services,
      thresholds: resolveThresholds(profile),
      serviceThresholds: Object.fromEntries(
        group.services
          .filter((service) => Object.hasOwn(profile.services, service))
          .map((service) => [service, resolveThresholds(profile, service)]),
      ),
      dashboardName: environmentDashboardName(profile.project, environmentName, group.label),
      firstPage: false,
      // By the parameter the platform publishes: a view stack references no other stack.
      sourceToken: sourceTokenParameterValue(this, profile.project, environmentName),
    });
    this.savedQueries = new SavedQueries(this, 'SavedQueries', {
      project: profile.project,
      environmentName,
      group: group.label,
      logGroupNames: group.services.map((service) => serviceLogGroupName(profile.project, environmentName, service)),
    });
  }
}
