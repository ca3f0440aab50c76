/**
 * The parts of a service's alarms that follow from the signal declarations (lib/signals): the
 * runbook an alarm links to, its missing-data treatment and CloudWatch form, and the SLO burn-rate
 * alarms; plus the load balancer's 5xx share and the Container Insights check.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import { BURN_RATE_ALERTS, declaredAlerts } from '../alerting/prometheus-rules';
import { type RunbookName, runbookSentence } from '../alerting/runbooks';
import {
  BURN_RATE_WINDOWS,
  type BurnRateWindow,
  burnRateThreshold,
  type ServiceLevelObjective,
} from '../alerting/thresholds';
import type { Severity } from '../profile/schema';
import { cloudWatchPlacement, type SignalDeclaration } from '../signals';
import type { AlarmFactory, AlarmIdentity } from './alarm-factory';

/**
 * The runbook of a signal's alarm, from its declaration: the Prometheus alert of the same signal and
 * severity, else of the same signal (a warning on running tasks is read like ServiceDown), else its
 * own first section (a CloudWatch-only signal: task failures, log ingestion).
 */
export function signalRunbook(signal: SignalDeclaration, severity: Severity): RunbookName | undefined {
  const alerts = declaredAlerts(signal);
  const own = signal.runbook.kind === 'sections' ? signal.runbook.sections[0] : undefined;
  return alerts[severity] ?? alerts.critical ?? alerts.warning ?? own;
}

/** What a service's burn-rate alarms need from it: scope, factory, names, and its bad-event metric. */
export interface BurnRateAlarmContext {
  readonly scope: Construct;
  readonly alarmFactory: AlarmFactory;
  readonly serviceName: string;
  readonly name: (...parts: string[]) => string;
  readonly badEventPercent: (slo: ServiceLevelObjective, period: Duration) => cloudwatch.IMetric;
  /** Records each window alarm under its key, `<slo>-burn<rate>-<long|short>`. */
  readonly record: (key: string, alarm: cloudwatch.Alarm) => void;
}

/**
 * The `sloBurn:<objective>` signal's CloudWatch form for one burn-rate window: an alarm on the long
 * window and one on the short, and the rule that fires when both do (the long window does the job
 * of `for`; the short one ends the alert soon after the burn stops). The rule has no composite of
 * its own: it is a term of the service's `Page` rule (docs/design.md, "Alarm placement"). Alarms
 * are made in `context.scope`, so their logical ids are the service alarms' own.
 */
export function burnRateRule(
  context: BurnRateAlarmContext,
  slo: ServiceLevelObjective,
  window: BurnRateWindow,
): cloudwatch.IAlarmRule {
  const thresholdPercent = Math.round(100 * burnRateThreshold(slo, window.burnRate) * 1e6) / 1e6;
  const windowAlarm = (label: 'long' | 'short', minutes: number) => {
    const key = `${slo.name}-burn${window.burnRate}-${label}`;
    // A window alarm alone is not worth a look: info; both windows together are the page's term.
    const identity: AlarmIdentity = {
      id: key,
      alarmName: context.name('slo', key),
      signal: `sloBurn:${slo.name}`,
      severity: 'info',
      strategy: 'pageThroughComposite',
    };
    const alarm = context.alarmFactory.alarm(context.scope, identity, {
      alarmDescription:
        `${context.serviceName}: ${slo.description}; bad events over ${minutes} min above ` +
        `${thresholdPercent.toFixed(3)} % (burn rate ${window.burnRate})` +
        runbookSentence(BURN_RATE_ALERTS[slo.name][window.severity]),
      metric: context.badEventPercent(slo, Duration.minutes(minutes)),
      threshold: thresholdPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No requests burn no budget.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    context.record(key, alarm);
    return alarm;
  };
  return cloudwatch.AlarmRule.allOf(
    windowAlarm('long', window.longWindowMinutes),
    windowAlarm('short', window.shortWindowMinutes),
  );
}

/**
 * The burn-rate windows CloudWatch evaluates for an SLO's signal: of each severity its declaration
 * places as a service alarm, the fastest window (critical: the one that pages within minutes). The
 * other tiers run in Grafana Cloud only (the library places the slow burn Prometheus only).
 */
export function cloudWatchBurnWindows(signal: SignalDeclaration): BurnRateWindow[] {
  const severities = [...new Set(BURN_RATE_WINDOWS.map((window) => window.severity))];
  return severities
    .filter((severity) => cloudWatchPlacement(signal, severity) === 'serviceAlarm')
    .map((severity) =>
      BURN_RATE_WINDOWS.filter((window) => window.severity === severity).reduce((a, b) =>
        a.burnRate >= b.burnRate ? a : b,
      ),
    );
}

/** The share of requests the targets answered with a 5xx, in percent, per minute. */
export function targetErrorPercent(targetGroup: elbv2.IApplicationTargetGroup): cloudwatch.MathExpression {
  const period = Duration.minutes(1);
  return new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, 100 * errors / requests, 0)',
    usingMetrics: {
      errors: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }),
      requests: targetGroup.metrics.requestCount({ statistic: 'Sum', period }),
    },
    period,
    label: 'target 5xx, % of requests',
  });
}

/** Whether a cluster of this app has Container Insights on; an imported cluster is taken to (the platform's does). */
export function hasContainerInsights(cluster: ecs.ICluster): boolean {
  if (!(cluster instanceof ecs.Cluster)) return true;
  const settings = Stack.of(cluster).resolve((cluster.node.defaultChild as ecs.CfnCluster).clusterSettings) as unknown;
  return (
    Array.isArray(settings) &&
    settings.some(
      (setting: { name?: unknown; value?: unknown }) =>
        setting.name === 'containerInsights' && (setting.value === 'enabled' || setting.value === 'enhanced'),
    )
  );
}
