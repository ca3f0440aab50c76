import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TASK_FAILURES_METRIC } from '../naming';
import { TelemetryLogGroup } from './telemetry-log-group';

export interface TaskFailureEventsProps {
  /** The cluster whose task state changes are recorded. */
  readonly cluster: ecs.ICluster;
  /** The log group the events go to. */
  readonly logGroupName: string;
  readonly retention: logs.RetentionDays;
  readonly encryptionKey: kms.IKey;
  /** The CloudWatch namespace of the failure metric. */
  readonly metricNamespace: string;
  /**
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Counts failed ECS tasks of a cluster, per service: EventBridge sends every task that stopped to a
 * log group, and a metric filter counts those that failed (essential container exited, failed to
 * start, failed health checks) into one metric with a `group` dimension (`service:<name>`).
 * Deployments and scale-in stop tasks too; the filter leaves those out.
 *
 * Lambda-free: the log group's resource policy admits EventBridge directly, where
 * `events-targets.CloudWatchLogGroup` would deploy a custom-resource function to write it.
 */
export class TaskFailureEvents extends Construct {
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TaskFailureEventsProps) {
    super(scope, id);
    this.logGroup = new TelemetryLogGroup(this, 'Events', {
      logGroupName: props.logGroupName,
      retention: props.retention,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    }).logGroup;
    const logGroupArn = this.logGroup.logGroupArn;
    const rule = new events.Rule(this, 'StoppedTasks', {
      description: `Stopped tasks of cluster ${props.cluster.clusterName}, for the task-failure alarms`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [props.cluster.clusterArn], lastStatus: ['STOPPED'] },
      },
      targets: [{ bind: () => ({ arn: logGroupArn }) }],
    });
    // Only this rule writes events (aws:SourceArn). EventBridge creates the log stream without a
    // source ARN in the request, so that statement cannot carry the condition (AWS's own
    // aws-samples/serverless-patterns eventbridge-cloudwatch template splits the policy the same
    // way); a stream without events holds nothing.
    this.logGroup.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeCreatesStreams',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['logs:CreateLogStream'],
        resources: [logGroupArn],
      }),
    );
    this.logGroup.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheStoppedTasksRuleWritesEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['logs:PutLogEvents'],
        resources: [logGroupArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
    new logs.MetricFilter(this, 'Failures', {
      logGroup: this.logGroup,
      metricNamespace: props.metricNamespace,
      metricName: TASK_FAILURES_METRIC,
      metricValue: '1',
      filterPattern: logs.FilterPattern.any(
        logs.FilterPattern.stringValue('$.detail.stopCode', '=', 'EssentialContainerExited'),
        logs.FilterPattern.stringValue('$.detail.stopCode', '=', 'TaskFailedToStart'),
        logs.FilterPattern.stringValue('$.detail.stoppedReason', '=', '*health check*'),
      ),
      dimensions: { group: '$.detail.group' },
    });
  }
}
