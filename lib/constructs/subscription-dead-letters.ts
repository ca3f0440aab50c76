import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import type { Severity } from '../profile/schema';
import type { AlarmFactory } from './alarm-factory';

export interface SubscriptionDeadLettersProps {
  /** The queue's name. */
  readonly queueName: string;
  /**
   * The key that encrypts the queue. Its policy must let `sns.amazonaws.com` use it for the
   * subscribed topics (`ObservabilityKey` does, given `deadLetterTopicNamePrefix`): SNS cannot
   * write to a queue under the AWS-managed `aws/sqs` key, whose policy cannot be changed.
   */
  readonly encryptionKey: kms.IKey;
  /** The alarm's name. */
  readonly alarmName: string;
  /** What the subscriptions deliver to, in words, for the alarm description: `the on-call webhook`. */
  readonly channel: string;
  /** Makes and routes the alarm. */
  readonly alarmFactory: AlarmFactory;
  /**
   * The severity whose topic the alarm notifies (strategy `reportOnAnotherChannel`). Never one that
   * delivers through the failing channel: a failed page cannot announce itself by paging.
   */
  readonly alarmSeverity: Severity;
  /**
   * How long undelivered notifications are kept, to be read or redriven.
   * @default Duration.days(14), the most SQS keeps
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The dead-letter queue of one or more SNS subscriptions (pass `queue` as their `deadLetterQueue`)
 * and the alarm that fires as soon as it holds a notification SNS gave up delivering (after the
 * subscription's retries): the queue keeps what was lost, the alarm says so on another channel.
 * Encrypted with a customer key, TLS only; the queue policy that admits each topic (`aws:SourceArn`)
 * is added by `sns.Subscription` when the queue is given as its `deadLetterQueue`.
 */
export class SubscriptionDeadLetters extends Construct {
  public readonly queue: sqs.Queue;
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SubscriptionDeadLettersProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
      // Marks the queue as a dead-letter queue for Control Tower (CT.SQS.PR.1). `allowAll` is SQS's
      // default for source queues and grants nothing: the queue policy still admits only SNS from
      // the subscribed topics. `denyAll` would read as "not a DLQ" to the control.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of SNS subscriptions (RedrivePolicy on AWS::SNS::Subscription); the rule ' +
        'recognises only SQS queues and Lambda functions as users of a dead-letter queue.',
    });

    this.alarm = props.alarmFactory.alarm(
      this,
      {
        id: 'Alarm',
        alarmName: props.alarmName,
        signal: 'notificationsUndelivered',
        severity: props.alarmSeverity,
        strategy: 'reportOnAnotherChannel',
      },
      {
        alarmDescription:
          `Notifications to ${props.channel} failed after SNS's retries and wait in ${props.queueName}. Check the ` +
          'endpoint, read the messages (they are the alerts that did not arrive), then purge or redrive the queue.' +
          runbookSentence('NotificationsUndelivered'),
        metric: this.queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // SQS stops reporting a queue that has been empty for six hours: silence is the healthy state.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
  }
}
