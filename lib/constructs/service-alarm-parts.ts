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
import type { SignalDeclaration } from '../signals';
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
 * The `sloBurn:<objective>` signal's CloudWatch form: fires when the budget burns faster than the
 * window's rate over both its long and short window. Alarms are made in `context.scope`, so their
 * logical ids are the service alarms' own.
 */
export function burnRateAlarm(
  context: BurnRateAlarmContext,
  slo: ServiceLevelObjective,
  window: BurnRateWindow,
): cloudwatch.CompositeAlarm {
  const sloIdentity: AlarmIdentity = {
    id: `${slo.name}-burn${window.burnRate}`,
    alarmName: context.name('slo', slo.name, `burn${window.burnRate}`),
    signal: `sloBurn:${slo.name}`,
    severity: window.severity,
    strategy: 'pageThroughComposite',
  };
  const thresholdPercent = Math.round(100 * burnRateThreshold(slo, window.burnRate) * 1e6) / 1e6;
  const windowAlarm = (label: 'long' | 'short', minutes: number) => {
    const key = `${slo.name}-burn${window.burnRate}-${label}`;
    // A window alarm alone is not worth a look: info, and the burn composite over both windows is the alert.
    const identity = { ...sloIdentity, id: key, alarmName: context.name('slo', key), severity: 'info' } as const;
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
  return context.alarmFactory.compositeAlarm(context.scope, sloIdentity, {
    alarmDescription:
      `${context.serviceName}: the ${slo.name} SLO (${slo.objective * 100} %) burns its error budget ` +
      `${window.burnRate}x too fast over ${window.longWindowMinutes} and ${window.shortWindowMinutes} min` +
      runbookSentence(BURN_RATE_ALERTS[slo.name][window.severity]),
    alarmRule: cloudwatch.AlarmRule.allOf(
      windowAlarm('long', window.longWindowMinutes),
      windowAlarm('short', window.shortWindowMinutes),
    ),
  });
}

/**
 * The burn-rate windows CloudWatch evaluates: the fastest critical one (pages within minutes) and
 * the warning one. The middle tier runs in Grafana Cloud only, to keep the alarm count (and bill) down.
 */
export function cloudWatchBurnWindows(): BurnRateWindow[] {
  const critical = BURN_RATE_WINDOWS.filter((window) => window.severity === 'critical');
  const fastest = critical.reduce((a, b) => (a.burnRate >= b.burnRate ? a : b));
  return [fastest, ...BURN_RATE_WINDOWS.filter((window) => window.severity !== 'critical')];
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
