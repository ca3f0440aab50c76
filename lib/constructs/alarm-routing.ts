import { Duration, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentProfile, Severity } from '../profile/schema';

export interface AlarmRoutingProps {
  /** The severity topics the alarms publish to. */
  readonly topics: Readonly<Record<Severity, sns.ITopic>>;
  /** Where notifications go: e-mails, the on-call webhook, the Slack channel, the heartbeat URL. */
  readonly notifications: EnvironmentProfile['notifications'];
  /** Names the heartbeat topic and the chat configuration. */
  readonly namePrefix: string;
  /** The key that encrypts the heartbeat topic (the same key as the severity topics). */
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
 */
export class AlarmRouting extends Construct {
  public readonly heartbeatTopic: sns.Topic;
  /** The AWS Chatbot channel of the warnings; undefined without a Slack channel in the profile. */
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: AlarmRoutingProps) {
    super(scope, id);
    const { topics, notifications } = props;
    const mail = (topic: sns.ITopic) => {
      for (const email of notifications.emails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    };

    topics.critical.addSubscription(
      new subscriptions.UrlSubscription(notifications.onCallWebhookUrl, { protocol: sns.SubscriptionProtocol.HTTPS }),
    );
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
    this.heartbeatTopic.addSubscription(
      new subscriptions.UrlSubscription(notifications.heartbeatUrl, { protocol: sns.SubscriptionProtocol.HTTPS }),
    );
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
  }
}
