import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { LogGroupKey } from './log-group-key';

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
  /**
   * SNS topics (of this account and region) named `<prefix>-*` whose subscriptions' dead-letter
   * queues this key encrypts: SNS may use the key when it writes a failed notification to them.
   * @default - SNS may not use the key
   */
  readonly deadLetterTopicNamePrefix?: string;
}

/**
 * The platform's customer-managed key (a `LogGroupKey`) for an environment's shared telemetry at
 * rest: its log groups and alarm topics. CDK adds no key-policy statement for the publishing
 * services, so this does, one statement per service principal, each as narrow as the service
 * allows:
 *
 * - CloudWatch alarms (`cloudwatch.amazonaws.com`): only for alarms of this account and region
 *   (`aws:SourceAccount`, `aws:SourceArn`).
 * - EventBridge (`events.amazonaws.com`, the heartbeat): no source condition, because SNS
 *   documents that `aws:SourceAccount` and `aws:SourceArn` in a KMS key policy are not supported
 *   for EventBridge-to-encrypted-topic delivery (Amazon SNS Developer Guide, "Key management",
 *   compatibility with AWS services): the delivery would fail. The heartbeat topic's own policy
 *   admits only the heartbeat rule (`aws:SourceArn`), so no other rule can publish through it.
 * - SNS (`sns.amazonaws.com`, writing failed notifications to the subscriptions' encrypted
 *   dead-letter queues), given `deadLetterTopicNamePrefix`: only for this account's topics of that
 *   prefix (`aws:SourceAccount`, `aws:SourceArn`).
 */
export class ObservabilityKey extends LogGroupKey {
  constructor(scope: Construct, id: string, props: ObservabilityKeyProps) {
    super(scope, id, {
      alias: props.alias,
      description: `Encrypts the log groups and alarm topics under ${props.logGroupNamePrefix}`,
      logGroupNames: [`${props.logGroupNamePrefix}/*`],
      removalPolicy: props.removalPolicy,
    });
    const stack = Stack.of(this);
    const publish = ['kms:Decrypt', 'kms:GenerateDataKey*'];

    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: publish,
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublishTheHeartbeat',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: publish,
        resources: ['*'],
      }),
    );

    if (props.deadLetterTopicNamePrefix !== undefined) {
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowThisAccountsAlertTopicsToWriteDeadLetters',
          principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
          actions: publish,
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: {
              'aws:SourceArn': stack.formatArn({ service: 'sns', resource: `${props.deadLetterTopicNamePrefix}-*` }),
            },
          },
        }),
      );
    }
  }
}
