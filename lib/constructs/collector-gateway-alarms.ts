import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import { type Threshold, thresholdFor } from '../alerting/thresholds';
import { CLOUDWATCH_SERVICE_DIMENSION, GATEWAY_CLOUDWATCH_METRICS } from '../collector/cloudwatch';
import { GATEWAY_TELEMETRY_SERVICE_NAME } from '../collector/generate';
import { alarmName, GATEWAY_SERVICE_NAME } from '../naming';
import type { Severity } from '../profile/schema';
import { AlarmFactory } from './alarm-factory';
import { CollectorHeartbeatAlarms } from './collector-heartbeat-alarms';
import { withSourceToken } from './emf-metrics';
import type { AlarmTopicsBySeverity } from './platform';
import { fixedPeriodsOf, missingDataOf } from './signal-forms';

export interface CollectorGatewayMetricsProps {
  /** The environment's CloudWatch namespace, where awsemf writes the gateway's own counters. */
  readonly namespace: string;
  /** The gateway's ECS task family: the dimension of its collectors' heartbeat. */
  readonly taskFamily: string;
  /** The ECS cluster of the gateway service (Container Insights dimensions). */
  readonly clusterName: string;
  /** The environment's source token, as `EmfSource.sourceToken`. */
  readonly sourceToken: string;
}

/** The CloudWatch metrics of a collector gateway, for its alarms and dashboard widgets. */
export class CollectorGatewayMetrics {
  constructor(private readonly props: CollectorGatewayMetricsProps) {}

  public get namespace(): string {
    return this.props.namespace;
  }

  public get taskFamily(): string {
    return this.props.taskFamily;
  }

  public get sourceToken(): string {
    return this.props.sourceToken;
  }

  /** The same metrics with another source-token value (a dashboard's placeholder). */
  public withSourceToken(sourceToken: string): CollectorGatewayMetrics {
    return new CollectorGatewayMetrics({ ...this.props, sourceToken });
  }

  /** Container Insights' running task count of the gateway service (by default the fewest in the period). */
  public runningTasks(period: Duration, statistic: string = cloudwatch.Stats.MINIMUM): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: this.props.clusterName, ServiceName: GATEWAY_SERVICE_NAME },
      statistic,
      period,
      label: 'running gateway tasks',
    });
  }

  /** One of the gateway's own counters, summed over its tasks. */
  public gatewayMetric(metricName: string, period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.namespace,
      metricName,
      dimensionsMap: withSourceToken(
        { [CLOUDWATCH_SERVICE_DIMENSION]: GATEWAY_TELEMETRY_SERVICE_NAME },
        this.props.sourceToken,
      ),
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  }

  /** Everything the gateway lost: its collector failure counters and traces evicted undecided. */
  public lostItems(period: Duration): cloudwatch.MathExpression {
    const usingMetrics = Object.fromEntries(
      GATEWAY_CLOUDWATCH_METRICS.map((metric, index) => [`m${index}`, this.gatewayMetric(metric.name, period)]),
    );
    return new cloudwatch.MathExpression({
      expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      period,
      label: 'items lost by the gateway',
    });
  }
}

export interface CollectorGatewayAlarmsProps {
  /** The project the environment belongs to: the first part of the alarm names. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /**
   * The environment's resolved thresholds (`resolveThresholds(profile)`): the lost-telemetry alarms
   * take its `collectorHealth` ones; the other signals are ignored here.
   */
  readonly thresholds: readonly Threshold[];
  readonly metrics: CollectorGatewayMetrics;
  /** The fewest tasks the gateway should run (the profile's `gateway.minTasks`). */
  readonly minTasks: number;
  /** Where the alarms go, by severity. */
  readonly alarmTopics: AlarmTopicsBySeverity;
}

/**
 * The collector gateway's alarms: telemetry it lost (failed exports, refused spans, traces evicted
 * before their sampling decision) on the collectorHealth thresholds; no task running (critical:
 * every trace of the environment is being lost); fewer than minTasks (warning: the others carry
 * more traces than their cache was sized for).
 */
export class CollectorGatewayAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CollectorGatewayAlarmsProps) {
    super(scope, id);
    const { project, environmentName, metrics, thresholds } = props;
    if (!thresholds.some((threshold) => threshold.signal === 'collectorHealth')) {
      throw new Error(
        `${this.node.path}: thresholds has no collectorHealth threshold, so nothing would watch the telemetry the ` +
          "gateway loses. Pass the environment's thresholds (resolveThresholds(profile))",
      );
    }
    const alarmFactory = new AlarmFactory(props.alarmTopics);
    const name = (...parts: string[]) => alarmName(project, environmentName, GATEWAY_SERVICE_NAME, ...parts);
    // The gateway has no composite alarm: each of its alarms pages on its own (bySeverity).
    const alarm = (
      id: string,
      signal: string,
      nameParts: string[],
      severity: Severity,
      alarmProps: cloudwatch.AlarmProps,
    ) =>
      this.alarms.push(
        alarmFactory.alarm(
          this,
          { id, alarmName: name(...nameParts), signal, severity, strategy: 'bySeverity' },
          alarmProps,
        ),
      );
    for (const severity of ['critical', 'warning', 'info'] as const) {
      const threshold = thresholdFor(thresholds, 'collectorHealth', severity);
      if (threshold === undefined) continue;
      alarm(`Lost-${severity}`, 'collectorHealth', ['health', severity], severity, {
        alarmDescription:
          `The ${environmentName} collector gateway lost more than ${threshold.threshold} items in ` +
          `${threshold.windowMinutes} min (failed exports, refused spans, traces evicted before their ` +
          `sampling decision) [${severity}]` +
          runbookSentence('GatewayDataLost'),
        metric: metrics.lostItems(Duration.minutes(threshold.windowMinutes)),
        threshold: threshold.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // The counters are written only when something was lost.
        treatMissingData: missingDataOf('collectorHealth'),
      });
    }
    // No gateway task: the sidecars queue traces for a minute, then every trace of the environment is lost.
    alarm('NoTasks', 'gatewayDown', ['down', 'critical'], 'critical', {
      alarmDescription:
        `No collector gateway task runs in ${environmentName}: traces are being lost [critical]` +
        runbookSentence('GatewayDown'),
      metric: metrics.runningTasks(Duration.minutes(1)),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: fixedPeriodsOf('gatewayDown'),
      datapointsToAlarm: fixedPeriodsOf('gatewayDown'),
      treatMissingData: missingDataOf('gatewayDown'),
    });
    // A gateway task whose collector hangs keeps its Cloud Map registration until its health check
    // fails; one that stops reporting for 15 minutes (warning) or all of them (critical) page here.
    const heartbeat = new CollectorHeartbeatAlarms(this, 'CollectorHeartbeat', {
      namespace: metrics.namespace,
      taskFamily: metrics.taskFamily,
      sourceToken: metrics.sourceToken,
      runningTasks: (period) => metrics.runningTasks(period, cloudwatch.Stats.AVERAGE),
      subject: `the ${environmentName} collector gateway`,
      alarmName: (severity) => name('heartbeat', severity),
      alarmFactory,
      strategy: 'bySeverity',
    });
    this.alarms.push(heartbeat.alarms.warning, heartbeat.alarms.critical);
    // Fewer tasks than the sizing needs: the remaining ones carry more traces than their cache holds.
    alarm('BelowMinTasks', 'gatewayBelowMinTasks', ['capacity', 'warning'], 'warning', {
      alarmDescription:
        `Fewer than ${props.minTasks} collector gateway tasks (minTasks) have run in ${environmentName} ` +
        'for 10 minutes: the others may evict traces before deciding [warning]' +
        runbookSentence('GatewayBelowMinTasks'),
      metric: metrics.runningTasks(Duration.minutes(1)),
      threshold: props.minTasks,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: fixedPeriodsOf('gatewayBelowMinTasks'),
      datapointsToAlarm: fixedPeriodsOf('gatewayBelowMinTasks'),
      treatMissingData: missingDataOf('gatewayBelowMinTasks'),
    });
  }
}
