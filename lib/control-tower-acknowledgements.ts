import { Aspects, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { HEALTH_PROBE_IMAGE } from './collector/health-probe';
import { COLLECTOR_SETUP_USER } from './constructs/collector-container';
import { FargateObservability } from './constructs/fargate-observability';
import { ObservedFargateService } from './constructs/observed-fargate-service';
import { PlatformStack } from './stacks/platform-stack';

/** A Control Tower finding this library keeps on purpose, for the resources it names. */
export interface ControlTowerAcknowledgement {
  /** The control, e.g. `CT.CLOUDWATCH.PR.2`. */
  readonly control: string;
  /** The cfn-guard rule name the validator reports. */
  readonly rule: string;
  /** Which resources, in words (the README table quotes it). */
  readonly scope: string;
  readonly reason: string;
  /** Whether the acknowledgement applies to this construct; only L1 resources are matched. */
  readonly appliesTo: (construct: IConstruct) => boolean;
}

/** The minimum CT.CLOUDWATCH.PR.2 accepts: `RetentionInDays` of at least 365 (or none: never expire). */
const CONTROL_TOWER_MIN_RETENTION_DAYS = 365;

/**
 * Every Control Tower finding the default app and the constructs keep, with its reason: the one
 * place to review them. Each is acknowledged per resource (never a disabled rule), so the same
 * rule still fails synth on any other resource.
 */
export const CONTROL_TOWER_ACKNOWLEDGEMENTS: readonly ControlTowerAcknowledgement[] = [
  {
    control: 'CT.CLOUDWATCH.PR.2',
    rule: 'cloudwatch_log_group_retention_period_check',
    scope:
      "log groups of a platform or an observed service whose retention is the environment profile's logRetentionDays, " +
      'when that is under 365 days',
    reason:
      "The retention is the environment profile's logRetentionDays, chosen per environment for cost (cdk.json: dev 7, " +
      'staging 30, prod 90 days): these are operational logs, read within days of an incident, and the audit trail of ' +
      'the account is CloudTrail, not these log groups. A profile with logRetentionDays of 365 or more passes the ' +
      'control, and this acknowledgement then matches nothing.',
    appliesTo: (construct) => {
      if (!(construct instanceof logs.CfnLogGroup)) return false;
      const retention = Stack.of(construct).resolve(construct.retentionInDays) as unknown;
      const retentionDays = environmentRetentionOf(construct);
      return (
        typeof retention === 'number' &&
        retention < CONTROL_TOWER_MIN_RETENTION_DAYS &&
        retentionDays !== undefined &&
        retention === retentionDays
      );
    },
  },
  {
    control: 'CT.ECS.PR.2',
    rule: 'ecs_container_insights_enabled_check',
    scope: "ECS clusters with Container Insights set to 'enhanced'",
    reason:
      "The cluster runs Container Insights with enhanced observability (containerInsights 'enhanced'), which collects " +
      "every metric of 'enabled' and adds task- and container-level ones. The control accepts only the literal " +
      "'enabled', the one value that existed when it was written.",
    appliesTo: (construct) => {
      if (!(construct instanceof ecs.CfnCluster)) return false;
      const settings = Stack.of(construct).resolve(construct.clusterSettings) as unknown;
      return (
        Array.isArray(settings) &&
        settings.some(
          (setting: { name?: unknown; value?: unknown }) =>
            setting.name === 'containerInsights' && setting.value === 'enhanced',
        )
      );
    },
  },
  {
    control: 'CT.ECS.PR.3',
    rule: 'ecs_task_definition_nonroot_user_check',
    scope:
      "task definitions whose only container with a root user is a collector's setup container (BusyBox, pinned by " +
      'digest), which exits before the collector starts',
    reason:
      "The collector's setup container copies a static BusyBox into a task volume for the collector's health check " +
      "and opens the gateway's queue directory to the collector's user. Fargate creates task volumes owned by root " +
      '(mode 755) and ECS cannot set their owner, so only root may write them. It runs with every Linux capability ' +
      'dropped and a read-only root filesystem, its command is fixed, and it exits before any other container ' +
      'starts; every other container of the task still needs a non-root user, or the control fails.',
    appliesTo: (construct) => {
      if (!(construct instanceof ecs.CfnTaskDefinition)) return false;
      const containers = Stack.of(construct).resolve(construct.containerDefinitions) as unknown;
      if (!Array.isArray(containers)) return false;
      const root = containers.filter((container: { user?: unknown }) => isRootUser(container.user));
      return (
        root.length > 0 &&
        root.every(
          (container: { user?: unknown; image?: unknown; name?: unknown }) =>
            container.user === COLLECTOR_SETUP_USER &&
            container.image === HEALTH_PROBE_IMAGE.image &&
            typeof container.name === 'string' &&
            container.name.endsWith('-setup'),
        )
      );
    },
  },
];

/** A user the control reads as root: none at all, or uid 0 / root (its ROOT_USER_PATTERNS). */
function isRootUser(user: unknown): boolean {
  if (user === undefined) return true;
  return typeof user === 'string' && /^(?:0|root)(?::.*)?$/.test(user);
}

/**
 * Acknowledges the findings of CONTROL_TOWER_ACKNOWLEDGEMENTS at each resource they apply to, at
 * synth (an Aspect), so resources added after this call are matched too.
 */
export function acknowledgeControlTowerFindings(scope: IConstruct): void {
  Aspects.of(scope).add(new ControlTowerAcknowledgements());
}

class ControlTowerAcknowledgements implements IAspect {
  public visit(construct: IConstruct): void {
    for (const acknowledgement of CONTROL_TOWER_ACKNOWLEDGEMENTS) {
      if (!acknowledgement.appliesTo(construct)) continue;
      Validations.of(construct).acknowledge({
        id: `cdk-validator-cfnguard::${acknowledgement.rule}`,
        reason: `${acknowledgement.control}: ${acknowledgement.reason}`,
      });
    }
  }
}

/** The log retention (days) of the environment of the platform or observed service a construct belongs to. */
function environmentRetentionOf(construct: IConstruct): number | undefined {
  // Log groups FargateObservability created, or adopted from a container it observes.
  const observed = FargateObservability.platformOf(construct);
  if (observed !== undefined) return observed.settings.logRetentionDays;
  for (const scope of [...construct.node.scopes].reverse()) {
    if (scope instanceof ObservedFargateService) return scope.platform.settings.logRetentionDays;
    if (scope instanceof PlatformStack) return scope.settings.logRetentionDays;
  }
  return undefined;
}
