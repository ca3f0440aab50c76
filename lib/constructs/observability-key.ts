import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ObservabilityKeyProps {
  /** Log group names this key may encrypt, as a prefix: `/ecs/starmates-ai-team-prod` allows `/ecs/starmates-ai-team-prod/*`. */
  readonly logGroupNamePrefix: string;
  /** The key alias, without `alias/`. */
  readonly alias: string;
  /**
   * What happens to the key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed KMS key with yearly rotation for an environment's telemetry at rest: its log
 * groups and alarm topics. CDK adds no key-policy statement for either service, so this does:
 * CloudWatch Logs may use it only for the environment's own log groups, and CloudWatch alarms may
 * use it to publish to encrypted topics.
 */
export class ObservabilityKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ObservabilityKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: `Encrypts the log groups and alarm topics under ${props.logGroupNamePrefix}`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    // The condition names the log groups; referencing their ARNs would create a dependency cycle.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForTheEnvironmentsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${props.logGroupNamePrefix}/*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    // CloudWatch alarms and the EventBridge heartbeat publish to topics encrypted with this key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAlarmsAndHeartbeatToPublishToEncryptedTopics',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
  }
}
