import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import { type Threshold, thresholdFor } from '../alerting/thresholds';
import {
  CLOUDWATCH_SERVICE_DIMENSION,
  COLLECTOR_FAILURE_METRIC_NAMES,
  COLLECTOR_SERVICE_NAME,
  cloudWatchNamespace,
} from '../collector/cloudwatch';
import { alarmName } from '../naming';
import type { Severity } from '../profile/schema';
import { AlarmFactory } from './alarm-factory';
import { withSourceToken } from './emf-metrics';
import { missingDataOf } from './signal-forms';

export interface EnvironmentAlarmsProps {
  /** The project the environment belongs to: the first part of its alarm names and CloudWatch namespace. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /**
   * The environment's resolved thresholds (`resolveThresholds(profile)`): one alarm per severity
   * that has a `collectorHealth` threshold; the other signals are ignored here.
   */
  readonly thresholds: readonly Threshold[];
  /** Where the alarms go, by severity. */
  readonly topics: Readonly<Record<Severity, sns.ITopic>>;
  /** The environment's source token, as `EmfSource.sourceToken`. */
  readonly sourceToken: string;
}

/**
 * Alarms that concern the whole environment rather than one service: telemetry the collectors
 * lost (failed exports, full queues, refused data). Every sidecar reports its own metrics under
 * the collector's service name, so one alarm watches them all.
 */
export class EnvironmentAlarms extends Construct {
  public readonly collectorHealth: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: EnvironmentAlarmsProps) {
    super(scope, id);
    const namespace = cloudWatchNamespace(props.project, props.environmentName);
    const { thresholds } = props;
    if (!thresholds.some((threshold) => threshold.signal === 'collectorHealth')) {
      throw new Error(
        `${this.node.path}: thresholds has no collectorHealth threshold, so nothing would watch the telemetry the ` +
          "collectors lose. Pass the environment's thresholds (resolveThresholds(profile))",
      );
    }
    const alarmFactory = new AlarmFactory(props.topics);
    for (const severity of ['critical', 'warning', 'info'] as const) {
      const threshold = thresholdFor(thresholds, 'collectorHealth', severity);
      if (threshold === undefined) continue;
      const period = Duration.minutes(threshold.windowMinutes);
      const usingMetrics = Object.fromEntries(
        COLLECTOR_FAILURE_METRIC_NAMES.map((metricName, index) => [
          `m${index}`,
          new cloudwatch.Metric({
            namespace,
            metricName,
            dimensionsMap: withSourceToken(
              { [CLOUDWATCH_SERVICE_DIMENSION]: COLLECTOR_SERVICE_NAME },
              props.sourceToken,
            ),
            statistic: cloudwatch.Stats.SUM,
            period,
          }),
        ]),
      );
      const identity = {
        id: `CollectorHealth-${severity}`,
        alarmName: alarmName(props.project, props.environmentName, 'collector', 'health', severity),
        signal: 'collectorHealth',
        severity,
        strategy: 'bySeverity',
      } as const;
      const alarm = alarmFactory.alarm(this, identity, {
        alarmDescription:
          `Collectors of ${props.environmentName} lost more than ${threshold.threshold} items in ` +
          `${threshold.windowMinutes} min (failed exports, full queues, refused data) [${severity}]` +
          runbookSentence('CollectorExportFailures'),
        metric: new cloudwatch.MathExpression({
          expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
          usingMetrics,
          period,
          label: 'items lost by collectors',
        }),
        threshold: threshold.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // The counters are written as deltas only when something was lost.
        treatMissingData: missingDataOf('collectorHealth'),
      });
      this.collectorHealth.push(alarm);
    }
  }
}
