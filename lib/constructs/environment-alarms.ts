import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import { resolveThresholds, thresholdFor } from '../alerting/thresholds';
import {
  CLOUDWATCH_SERVICE_DIMENSION,
  COLLECTOR_FAILURE_METRIC_NAMES,
  COLLECTOR_SERVICE_NAME,
  cloudWatchNamespace,
} from '../collector/cloudwatch';
import { alarmName } from '../naming';
import type { EnvironmentProfile, Severity } from '../profile/schema';
import { AlarmFactory } from './alarm-factory';
import { withSourceToken } from './emf-metrics';
import { missingDataOf } from './signal-forms';

export interface EnvironmentAlarmsProps {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
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
    const namespace = cloudWatchNamespace(props.profile.project, props.environmentName);
    const thresholds = resolveThresholds(props.profile);
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
        alarmName: alarmName(props.profile.project, props.environmentName, 'collector', 'health', severity),
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
