import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  HEARTBEAT_EVALUATION_PERIODS,
  HEARTBEAT_PERIOD_MINUTES,
  HEARTBEAT_PERIOD_SECONDS,
  REPORTING_COLLECTORS_THRESHOLD,
  SILENT_COLLECTORS_THRESHOLD,
} from '../alerting/collector-heartbeat';
import { runbookSentence } from '../alerting/runbooks';
import { COLLECTOR_HEARTBEAT_METRIC, HEARTBEAT_DIMENSION } from '../collector/cloudwatch';
import type { Severity } from '../profile/schema';
import type { AlarmFactory, AlarmStrategy } from './alarm-factory';
import { withSourceToken } from './emf-metrics';
import { missingDataOf } from './signal-forms';

export interface CollectorHeartbeatProps {
  /** The environment's CloudWatch namespace, where awsemf writes the heartbeat. */
  readonly namespace: string;
  /** The environment's source token, as `EmfSource.sourceToken`: a dimension of the heartbeat too. */
  readonly sourceToken: string;
  /** The ECS task family whose collectors report: the heartbeat's dimension. */
  readonly taskFamily: string;
  /** Container Insights' running task count of the same tasks, for the given period (Average). */
  readonly runningTasks: (period: Duration) => cloudwatch.IMetric;
  /** Who the collectors serve, for the descriptions: `api-gateway (prod)`. */
  readonly subject: string;
  /** The alarm name of a severity. */
  readonly alarmName: (severity: Severity) => string;
}

export interface CollectorHeartbeatAlarmsProps extends CollectorHeartbeatProps {
  /** Makes and routes the alarms. */
  readonly alarmFactory: AlarmFactory;
  /** How the alarms are routed: `pageThroughComposite` when a composite alarm pages for the critical one. */
  readonly strategy: AlarmStrategy;
}

/** The heartbeat's metrics: collectors that reported over a period, and running tasks minus those. */
export class CollectorHeartbeat {
  constructor(private readonly props: CollectorHeartbeatProps) {}

  /** Summed uptime over the period, in seconds. */
  public uptime(period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.namespace,
      metricName: COLLECTOR_HEARTBEAT_METRIC.name,
      dimensionsMap: withSourceToken({ [HEARTBEAT_DIMENSION]: this.props.taskFamily }, this.props.sourceToken),
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  }

  /** Collectors that reported throughout the period (uptime seconds over period seconds). */
  public reportingCollectors(): cloudwatch.MathExpression {
    const period = Duration.minutes(HEARTBEAT_PERIOD_MINUTES);
    return new cloudwatch.MathExpression({
      expression: `FILL(uptime, 0) / ${HEARTBEAT_PERIOD_SECONDS}`,
      usingMetrics: { uptime: this.uptime(period) },
      period,
      label: 'collectors reporting',
    });
  }

  /**
   * Running tasks whose collector did not report: one per dead or hung collector, whatever the
   * number of tasks. Without any heartbeat at all, FILL counts every running task as silent.
   */
  public silentCollectors(): cloudwatch.MathExpression {
    const period = Duration.minutes(HEARTBEAT_PERIOD_MINUTES);
    return new cloudwatch.MathExpression({
      expression: `running - FILL(uptime, 0) / ${HEARTBEAT_PERIOD_SECONDS}`,
      usingMetrics: { running: this.props.runningTasks(period), uptime: this.uptime(period) },
      period,
      label: 'collectors silent',
    });
  }
}

/**
 * The two heartbeat alarms of a set of tasks. Warning: some collector is silent (the telemetry of
 * its task is lost; the application keeps serving). Critical: none reports, so every alarm fed by
 * the collectors is blind. Missing data breaches both: it is the fault they exist for.
 */
export class CollectorHeartbeatAlarms extends Construct {
  public readonly heartbeat: CollectorHeartbeat;
  public readonly alarms: Readonly<Record<'warning' | 'critical', cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: CollectorHeartbeatAlarmsProps) {
    super(scope, id);
    this.heartbeat = new CollectorHeartbeat(props);
    const minutes = HEARTBEAT_PERIOD_MINUTES * HEARTBEAT_EVALUATION_PERIODS;
    const evaluation = {
      evaluationPeriods: HEARTBEAT_EVALUATION_PERIODS,
      datapointsToAlarm: HEARTBEAT_EVALUATION_PERIODS,
      treatMissingData: missingDataOf('collectorHeartbeat'),
    };
    const identity = (id: string, severity: Severity) => ({
      id,
      alarmName: props.alarmName(severity),
      signal: 'collectorHeartbeat',
      severity,
      strategy: props.strategy,
    });
    this.alarms = {
      warning: props.alarmFactory.alarm(this, identity('Warning', 'warning'), {
        alarmDescription:
          `${props.subject}: at least one running task's collector has not reported for ${minutes} min: that ` +
          "task's traces, metrics and logs are lost, and the alarms cannot see it [warning]" +
          runbookSentence('CollectorHeartbeatLost'),
        metric: this.heartbeat.silentCollectors(),
        threshold: SILENT_COLLECTORS_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        ...evaluation,
      }),
      critical: props.alarmFactory.alarm(this, identity('Critical', 'critical'), {
        alarmDescription:
          `${props.subject}: no collector has reported for ${minutes} min: all of its telemetry is lost and ` +
          'the alarms fed by it are blind [critical]' +
          runbookSentence('CollectorHeartbeatLost'),
        metric: this.heartbeat.reportingCollectors(),
        threshold: REPORTING_COLLECTORS_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        ...evaluation,
      }),
    };
  }
}
