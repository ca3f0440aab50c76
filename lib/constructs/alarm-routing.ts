import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import type { Severity } from '../profile/schema';
import { AlarmFactory } from './alarm-factory';
import { SubscriptionDeadLetters } from './subscription-dead-letters';

/** A Secrets Manager secret whose whole SecretString is a URL (it carries the tool's token). */
export interface SecretUrlReference {
  /** The secret's name; CloudFormation reads it at deploy, never the app. */
  readonly secretsManagerSecretName: string;
}

/** Where an environment's notifications go: the profile's `notifications` fits it as it is. */
export interface AlarmNotifications {
  /** The addresses that get every alert mail (critical, warning and info). */
  readonly emails: readonly string[];
  /** The on-call tool's webhook, which critical alarms call. */
  readonly onCallWebhook: SecretUrlReference;
  /** The on-call tool's heartbeat endpoint: its silence raises the tool's own alert. */
  readonly heartbeat: SecretUrlReference;
  /**
   * The Slack channel warnings go to through AWS Chatbot.
   * @default - none: warnings are mailed only
   */
  readonly slack?: {
    /** The Slack workspace id, as Chatbot knows it (e.g. `T0123ABCD`). */
    readonly workspaceId: string;
    /** The channel id (e.g. `C0123ABCD`). */
    readonly channelId: string;
  };
}

export interface AlarmRoutingProps {
  /** The severity topics the alarms publish to. */
  readonly topics: Readonly<Record<Severity, sns.ITopic>>;
  /**
   * Where notifications go: e-mails, the Slack channel, and the Secrets Manager secrets that hold
   * the on-call webhook and heartbeat URLs (the URLs carry the tool's token).
   */
  readonly notifications: AlarmNotifications;
  /** Names the heartbeat topic and the chat configuration. */
  readonly namePrefix: string;
  /**
   * The key that encrypts the heartbeat topic (the same key as the severity topics) and the
   * subscriptions' dead-letter queues; its policy must let SNS use it for those queues
   * (`ObservabilityKey` with `deadLetterTopicNamePrefix`).
   */
  readonly encryptionKey: kms.IKey;
  /**
   * How often the heartbeat goes through the alert path.
   * @default Duration.minutes(5)
   */
  readonly heartbeatInterval?: Duration;
}

/**
 * Routes the severity topics to people: critical pages (the on-call webhook) and mails;
 * warning goes to the Slack channel through AWS Chatbot, when one is configured, and mails; info
 * mails. A heartbeat proves the path works: every few minutes EventBridge publishes to an encrypted
 * topic the on-call tool's heartbeat endpoint subscribes to, and the tool alerts when it stops.
 *
 * Secrets: the webhook and heartbeat URLs are CloudFormation `secretsmanager` dynamic references,
 * resolved at deploy, so no template, snapshot or logical id holds them. `ssm-secure` references
 * are not an option here: CloudFormation resolves them only in a short published list of
 * properties (passwords of RDS, Redshift, Directory Service, ElastiCache auth tokens, IAM login
 * profiles...), and `AWS::SNS::Subscription.Endpoint` is not one. The resolved URL is then the
 * subscription's endpoint, which SNS shows to anyone allowed `sns:ListSubscriptions*` or
 * `sns:GetSubscriptionAttributes` in the account: the residual exposure (README, Alerting).
 * Subscriptions get fixed construct ids (`OnCallWebhook`, `HeartbeatEndpoint`), never the URL, so
 * a new URL updates the endpoint of the same logical resource.
 *
 * Failed deliveries: every subscription made here has an encrypted dead-letter queue and an alarm
 * on it, routed away from the channel that failed (`SubscriptionDeadLetters`).
 */
export class AlarmRouting extends Construct {
  public readonly heartbeatTopic: sns.Topic;
  /** The AWS Chatbot channel of the warnings; undefined without a Slack channel in the profile. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  /** The dead-letter queues and alarms: of the on-call webhook, the heartbeat endpoint and the e-mails. */
  public readonly deadLetters: Readonly<Record<'onCallWebhook' | 'heartbeat' | 'email', SubscriptionDeadLetters>>;
  /** Fires when SNS could not park an undelivered notification in a dead-letter queue. */
  public readonly redriveFailedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AlarmRoutingProps) {
    super(scope, id);
    const { topics, notifications } = props;
    if (notifications.emails.length === 0) {
      // Info alarms are only mailed: without an address they would reach nobody.
      throw new Error(
        `${this.node.path}: notifications.emails is empty, so info alarms (mailed only) would reach nobody. ` +
          'Give at least one address',
      );
    }
    const alarmFactory = new AlarmFactory(topics);
    const deadLetters = (id: string, channel: string, suffix: string, alarmSeverity: Severity) =>
      new SubscriptionDeadLetters(this, id, {
        queueName: `${props.namePrefix}-${suffix}-dead-letters`,
        alarmName: `${props.namePrefix}-${suffix}-delivery-failed`,
        channel,
        encryptionKey: props.encryptionKey,
        alarmFactory,
        alarmSeverity,
      });
    // Each alarm goes where the failed channel is not: a failed page is told by warning (Slack
    // when configured, and the e-mails); a failed e-mail by critical, which pages. Critical also
    // mails, and that mail fails into the same queue: the alarm is already firing, and it sends no
    // OK notification, so this cannot loop.
    this.deadLetters = {
      onCallWebhook: deadLetters('OnCallWebhookDeadLetters', 'the on-call webhook', 'oncall-webhook', 'warning'),
      heartbeat: deadLetters('HeartbeatDeadLetters', "the on-call tool's heartbeat endpoint", 'heartbeat', 'warning'),
      email: deadLetters('EmailDeadLetters', 'the alert e-mail addresses', 'email', 'critical'),
    };

    const mail = (topic: sns.ITopic) => {
      for (const email of notifications.emails) {
        topic.addSubscription(
          new subscriptions.EmailSubscription(email, { deadLetterQueue: this.deadLetters.email.queue }),
        );
      }
    };

    new sns.Subscription(this, 'OnCallWebhook', {
      topic: topics.critical,
      protocol: sns.SubscriptionProtocol.HTTPS,
      endpoint: secretUrl(notifications.onCallWebhook.secretsManagerSecretName),
      deadLetterQueue: this.deadLetters.onCallWebhook.queue,
    });
    mail(topics.critical);
    mail(topics.warning);
    mail(topics.info);

    if (notifications.slack !== undefined) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${props.namePrefix}-warnings`,
        slackWorkspaceId: notifications.slack.workspaceId,
        slackChannelId: notifications.slack.channelId,
        notificationTopics: [topics.warning],
        // Chatbot's default guardrail is AdministratorAccess; the channel only reads alarms and metrics.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')],
        loggingLevel: chatbot.LoggingLevel.ERROR,
      });
    }

    this.heartbeatTopic = new sns.Topic(this, 'Heartbeat', {
      topicName: `${props.namePrefix}-heartbeat`,
      displayName: `heartbeat of ${props.namePrefix} alerting`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    new sns.Subscription(this, 'HeartbeatEndpoint', {
      topic: this.heartbeatTopic,
      protocol: sns.SubscriptionProtocol.HTTPS,
      endpoint: secretUrl(notifications.heartbeat.secretsManagerSecretName),
      deadLetterQueue: this.deadLetters.heartbeat.queue,
    });
    const heartbeat = new events.Rule(this, 'HeartbeatSchedule', {
      description: `Publishes the ${props.namePrefix} alerting heartbeat; its silence means the alert path is broken`,
      schedule: events.Schedule.rate(props.heartbeatInterval ?? Duration.minutes(5)),
    });
    // Not events-targets.SnsTopic: its grantPublish adds unconditioned statements for EventBridge to
    // the topic policy and the key policy. Here only this rule may publish (aws:SourceArn), and the
    // key's EventBridge statement is ObservabilityKey's.
    const message = events.RuleTargetInput.fromText(`${props.namePrefix}: the alert path works`);
    const heartbeatTopic = this.heartbeatTopic;
    heartbeat.addTarget({
      bind: () => ({ arn: heartbeatTopic.topicArn, input: message, targetResource: heartbeatTopic }),
    });
    this.heartbeatTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTheHeartbeatRuleToPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.heartbeatTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': heartbeat.ruleArn },
        },
      }),
    );

    this.redriveFailedAlarm = this.redriveFailed(
      [topics.critical, topics.warning, topics.info, this.heartbeatTopic],
      `${props.namePrefix}-dead-letter-redrive-failed`,
      alarmFactory,
    );
  }

  /**
   * A notification SNS could neither deliver nor park in its dead-letter queue (the queue gone, its
   * policy or key refusing SNS) is lost without a trace: the dead-letter alarms cannot see it. One
   * alarm over the topics' `NumberOfNotificationsFailedToRedriveToDlq`. It warns rather than pages:
   * the cause is a broken queue or key policy, not an outage, and the failing subscription may be the
   * page's own.
   */
  private redriveFailed(
    topicsWatched: readonly sns.ITopic[],
    name: string,
    alarmFactory: AlarmFactory,
  ): cloudwatch.Alarm {
    const usingMetrics = Object.fromEntries(
      topicsWatched.map((topic, index) => [
        `topic${index}`,
        topic.metric('NumberOfNotificationsFailedToRedriveToDlq', {
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(5),
        }),
      ]),
    );
    return alarmFactory.alarm(
      this,
      {
        id: 'RedriveFailed',
        alarmName: name,
        signal: 'deadLetterRedriveFailed',
        severity: 'warning',
        strategy: 'bySeverity',
      },
      {
        alarmDescription:
          'SNS could not move undelivered notifications of the alarm topics into their dead-letter queues: those ' +
          'alerts are lost. Check the queues exist and their key and queue policies admit sns.amazonaws.com.' +
          runbookSentence('DeadLetterRedriveFailed'),
        metric: new cloudwatch.MathExpression({
          expression: Object.keys(usingMetrics).join(' + '),
          usingMetrics,
          period: Duration.minutes(5),
          label: 'notifications lost (not redriven)',
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // SNS writes the metric only when a redrive fails: silence is the healthy state.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
  }
}

/**
 * The `{{resolve:secretsmanager:<name>:SecretString:::}}` reference to a secret whose whole
 * SecretString is the URL. unsafeUnwrap() only turns the reference into a string property: the
 * value is read by CloudFormation at deploy, never by the app.
 */
function secretUrl(secretName: string): string {
  return SecretValue.secretsManager(secretName).unsafeUnwrap();
}
