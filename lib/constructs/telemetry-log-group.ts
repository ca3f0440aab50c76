import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface TelemetryLogGroupProps {
  /** The log group name, e.g. `/ecs/starmates-ai-team-prod/api-gateway`. */
  readonly logGroupName: string;
  /** How long CloudWatch keeps the events. */
  readonly retention: logs.RetentionDays;
  /** The customer-managed key; its policy must let CloudWatch Logs use it for this name. */
  readonly encryptionKey: kms.IKey;
  /**
   * What happens to the log group when its stack is deleted or the construct is removed.
   * A log group must outlive task-definition changes, so history is kept unless told otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * JSON fields to index (a field index policy, at most 20 fields): Logs Insights queries that
   * filter on `field = value` then skip the events without that value.
   * @default - no field index
   */
  readonly indexedFields?: string[];
}

/**
 * The fields of the application log groups that get a field index: `obsctl trace` filters every
 * service log group on `tracking_id = "<id>"`, a value found in few events (one request's), the
 * case field indexes are for (CloudWatch Logs guide, "Create field indexes").
 */
export const APP_LOG_INDEXED_FIELDS: readonly string[] = ['tracking_id'];

/** How much a container's awslogs driver buffers while CloudWatch Logs is slow or unreachable. */
export const LOG_DRIVER_BUFFER = Size.mebibytes(25);

/** An encrypted log group with a retention, and the non-blocking awslogs driver that writes to it. */
export class TelemetryLogGroup extends Construct {
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TelemetryLogGroupProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: props.retention,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      fieldIndexPolicies:
        props.indexedFields === undefined || props.indexedFields.length === 0
          ? undefined
          : [new logs.FieldIndexPolicy({ fields: [...props.indexedFields] })],
    });
  }

  /**
   * The awslogs driver for a container. Non-blocking with a bounded buffer: when CloudWatch Logs is
   * slow, the container drops log lines instead of blocking on stdout, so a logging outage never
   * stalls the application.
   */
  public logDriver(streamPrefix: string): ecs.LogDriver {
    return ecs.LogDrivers.awsLogs({
      logGroup: this.logGroup,
      streamPrefix,
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: LOG_DRIVER_BUFFER,
    });
  }
}
