import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, exampleEnvironments } from '../support/default-app';

const template = Template.fromStack(buildTestApp({ selection: 'prod', compliance: false }).platforms[0]);

const secretReference = (name: string) => `{{resolve:secretsmanager:${name}:SecretString:::}}`;

function subscriptionsOf(topicLogicalIdPrefix: string): { Protocol: string; Endpoint: string }[] {
  return Object.values(template.findResources('AWS::SNS::Subscription'))
    .map((subscription) => subscription.Properties)
    .filter((properties) => JSON.stringify(properties.TopicArn).includes(topicLogicalIdPrefix))
    .map((properties) => ({ Protocol: properties.Protocol, Endpoint: properties.Endpoint }));
}

describe('alert routing', () => {
  test('critical pages the on-call webhook, whose URL CloudFormation reads from Secrets Manager, and mails', () => {
    expect(subscriptionsOf('AlarmTopicsCritical')).toEqual(
      expect.arrayContaining([
        { Protocol: 'https', Endpoint: secretReference('/starmates-ai-team/prod/monitoring/oncall-webhook-url') },
        { Protocol: 'email', Endpoint: 'sre-prod@starmates.example' },
      ]),
    );
  });

  test('warning mails and goes to the Slack channel through AWS Chatbot with a read-only guardrail', () => {
    expect(subscriptionsOf('AlarmTopicsWarning')).toEqual([
      { Protocol: 'email', Endpoint: 'sre-prod@starmates.example' },
    ]);
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0STARMATES',
      SlackChannelId: 'C0ALERTSPROD',
      SnsTopicArns: [{ Ref: Match.stringLikeRegexp('AlarmTopicsWarning') }],
      GuardrailPolicies: [
        Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/CloudWatchReadOnlyAccess'])] }),
      ],
    });
  });

  test('without a Slack channel there is no Chatbot configuration', () => {
    const dev = Template.fromStack(buildTestApp({ selection: 'dev', compliance: false }).platforms[0]);
    dev.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  test('info only mails', () => {
    expect(subscriptionsOf('AlarmTopicsInfo')).toEqual([{ Protocol: 'email', Endpoint: 'sre-prod@starmates.example' }]);
  });

  test('every address of the profile gets every mail', () => {
    const environments = exampleEnvironments();
    (environments.dev.notifications as { emails: string[] }).emails = ['a@starmates.example', 'b@starmates.example'];
    const dev = Template.fromStack(buildTestApp({ environments, selection: 'dev', compliance: false }).platforms[0]);
    dev.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 6);
  });

  test('a heartbeat reaches the on-call tool through an encrypted topic every 5 minutes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlarmRoutingHeartbeat') } })],
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'starmates-ai-team-prod-alerts-heartbeat',
      KmsMasterKeyId: Match.anyValue(),
    });
    expect(subscriptionsOf('AlarmRoutingHeartbeat')).toEqual([
      { Protocol: 'https', Endpoint: secretReference('/starmates-ai-team/prod/monitoring/oncall-heartbeat-url') },
    ]);
  });
});

describe('failed deliveries', () => {
  const queues = template.findResources('AWS::SQS::Queue');
  // biome-ignore lint/suspicious/noExplicitAny: template resources are untyped JSON.
  const queueIdOf = (subscription: Record<string, any>): string | undefined =>
    subscription.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0];
  const alarmOf = (alarmName: string) =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }))[0]
      ?.Properties;

  test('every subscription the stack makes keeps what it cannot deliver in a queue of the stack', () => {
    const targets = Object.values(template.findResources('AWS::SNS::Subscription')).map(queueIdOf);
    // The three e-mails, the on-call webhook and the heartbeat endpoint.
    expect(targets).toHaveLength(5);
    expect(targets.filter((target) => target === undefined || !(target in queues))).toEqual([]);
  });

  test('the dead-letter queues are encrypted with the platform key and refuse requests without TLS', () => {
    const names = Object.values(queues).map((queue) => queue.Properties.QueueName);
    expect(names.sort()).toEqual([
      'starmates-ai-team-prod-alerts-email-dead-letters',
      'starmates-ai-team-prod-alerts-heartbeat-dead-letters',
      'starmates-ai-team-prod-alerts-oncall-webhook-dead-letters',
    ]);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^ObservabilityKey/), 'Arn'],
      });
    }
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      3,
    );
  });

  test("a dead-letter queue admits only SNS, for its subscriptions' topics", () => {
    const [policy] = Object.values(
      template.findResources('AWS::SQS::QueuePolicy', {
        Properties: { Queues: [{ Ref: Match.stringLikeRegexp('^AlarmRoutingOnCallWebhookDeadLetters') }] },
      }),
    );
    const allows = (policy.Properties.PolicyDocument.Statement as { Effect: string }[]).filter(
      (statement) => statement.Effect === 'Allow',
    );
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: expect.stringMatching(/^AlarmTopicsCritical/) } } },
      }),
    ]);
  });

  test('the first undelivered notification fires the alarm, and an idle queue is healthy', () => {
    expect(alarmOf('starmates-ai-team-prod-alerts-oncall-webhook-delivery-failed')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  test.each([
    ['oncall-webhook', 'AlarmTopicsWarning'],
    ['heartbeat', 'AlarmTopicsWarning'],
    ['email', 'AlarmTopicsCritical'],
  ])('failed deliveries to the %s are told on %s, a channel that did not fail', (channel, topic) => {
    expect(alarmOf(`starmates-ai-team-prod-alerts-${channel}-delivery-failed`)?.AlarmActions).toEqual([
      { Ref: expect.stringMatching(new RegExp(`^${topic}`)) },
    ]);
  });

  test("a notification SNS could not even park in a dead-letter queue warns, over every alarm topic's redrive failures", () => {
    type Query = { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown }; Stat: string } };
    const alarm = alarmOf('starmates-ai-team-prod-alerts-dead-letter-redrive-failed') ?? {};
    const watched = (alarm.Metrics as Query[]).flatMap(({ MetricStat }) =>
      MetricStat === undefined
        ? []
        : [`${MetricStat.Metric.MetricName} ${MetricStat.Stat} ${JSON.stringify(MetricStat.Metric.Dimensions)}`],
    );
    expect(watched).toEqual(
      ['AlarmTopicsCritical', 'AlarmTopicsWarning', 'AlarmTopicsInfo', 'AlarmRoutingHeartbeat'].map((topic) =>
        expect.stringMatching(new RegExp(`^NumberOfNotificationsFailedToRedriveToDlq Sum .*"${topic}[0-9A-F]{8}"`)),
      ),
    );
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^AlarmTopicsWarning/) }]);
  });
});

describe("the platform key's policy and the policies of what it encrypts", () => {
  type Statement = { Sid?: string; Effect: string; Principal: unknown; Action: unknown; Condition?: unknown };
  const keyStatements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy
    .Statement as Statement[];
  const servicePrincipalOf = (statement: Statement) => (statement.Principal as { Service?: string | string[] }).Service;
  const topicStatement = (topicLogicalIdPrefix: string, sid: string) =>
    Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .filter((policy) => JSON.stringify(policy.Properties.Topics).includes(topicLogicalIdPrefix))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .find((statement) => statement.Sid === sid);
  const alarmArns = 'arn:aws:cloudwatch:eu-west-1:333333333333:alarm:*';

  test('each service principal has a statement of its own', () => {
    const principals = keyStatements.map(servicePrincipalOf).filter((principal) => principal !== undefined);
    expect(principals).toEqual([
      'logs.eu-west-1.amazonaws.com',
      'cloudwatch.amazonaws.com',
      'events.amazonaws.com',
      'sns.amazonaws.com',
    ]);
  });

  test("SNS may use the key only for this account's alert topics, to write their dead letters", () => {
    const statement = keyStatements.find((candidate) => servicePrincipalOf(candidate) === 'sns.amazonaws.com');
    expect(statement).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(statement?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '333333333333' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:333333333333:starmates-ai-team-prod-alerts-*' },
    });
  });

  test("CloudWatch may use the key only for this account's alarms in this region", () => {
    const statement = keyStatements.find((candidate) => servicePrincipalOf(candidate) === 'cloudwatch.amazonaws.com');
    expect(statement?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '333333333333' },
      ArnLike: { 'aws:SourceArn': alarmArns },
    });
  });

  test('EventBridge may use the key without a source condition, which SNS does not support for its deliveries', () => {
    const statement = keyStatements.find((candidate) => servicePrincipalOf(candidate) === 'events.amazonaws.com');
    expect(statement).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(statement?.Condition).toBeUndefined();
  });

  test('grants that are not for an AWS resource nor by an AWS service are denied', () => {
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  });

  test.each(['AlarmTopicsCritical', 'AlarmTopicsWarning', 'AlarmTopicsInfo'])(
    "%s admits only this account's alarms in this region",
    (topic) => {
      expect(topicStatement(topic, 'AllowThisAccountsAlarmsToPublish')?.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': '333333333333' },
        ArnLike: { 'aws:SourceArn': alarmArns },
      });
    },
  );

  test('the heartbeat topic admits only the heartbeat rule', () => {
    const [ruleId] = Object.keys(
      template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(5 minutes)' } }),
    );
    expect(topicStatement('AlarmRoutingHeartbeat', 'AllowTheHeartbeatRuleToPublish')?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '333333333333' },
      ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } },
    });
  });

  test('no topic policy admits a service principal without a condition', () => {
    const unconditioned = Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((statement) => servicePrincipalOf(statement) !== undefined && statement.Condition === undefined);
    expect(unconditioned).toEqual([]);
  });
});

describe('task failures', () => {
  test('stopped tasks of the cluster go to an encrypted log group, without a Lambda', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], clusterArn: [Match.anyValue()] },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/ecs-task-events',
      KmsKeyId: Match.anyValue(),
    });
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('only the stopped-tasks rule may write events to the task-events log group', () => {
    // The document is an Fn::Join of JSON text and GetAtt references: render each reference as `<Id.Attr>`.
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    const [, parts] = policy.Properties.PolicyDocument['Fn::Join'] as [string, (string | Record<string, string[]>)[]];
    const text = parts.map((part) => (typeof part === 'string' ? part : `<${part['Fn::GetAtt'].join('.')}>`)).join('');
    const statements = JSON.parse(text).Statement as { Action: string[]; Condition?: unknown }[];
    const [ruleId] = Object.keys(
      template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['aws.ecs'] } } }),
    );
    expect(statements.find((statement) => statement.Action.includes('logs:PutLogEvents'))?.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': `<${ruleId}.Arn>` },
    });
  });

  test('a metric filter counts failed tasks by service group, not deployments', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('EssentialContainerExited'),
      MetricTransformations: [
        Match.objectLike({
          MetricName: 'ecs_task_failures',
          MetricNamespace: 'StarmatesAiTeam/prod',
          Dimensions: [{ Key: 'group', Value: '$.detail.group' }],
        }),
      ],
    });
  });
});

describe('environment alarms and dashboard', () => {
  test("one alarm watches every collector's lost telemetry and warns", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'starmates-ai-team-prod-collector-health-warning',
      Threshold: 0,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopicsWarning') }],
      Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('^SUM\\(\\[m0, m1') })]),
    });
  });

  test('the dashboard shows every service, those observed from other repositories too, and its paging alarm', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    const services = ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler'];
    const external = ['checkout', 'orders', 'invoices', 'payments'];
    const missing = [...services, ...external].filter(
      (service) =>
        !body.includes(`${service}: p95 latency (s)`) || !body.includes(`alarm:starmates-ai-team-prod-${service}-page`),
    );
    expect(missing).toEqual([]);
  });
});
describe('saved queries', () => {
  test("the environment's saved queries are foldered by project and environment, over its service log groups", () => {
    // The audit group's own query (test/constructs/audit-log-group.test.ts) reads another kind of event.
    const definitions = Object.values(template.findResources('AWS::Logs::QueryDefinition'))
      .map((definition) => definition.Properties)
      .filter((definition) => definition.Name !== 'starmates-ai-team/prod/Audit events');
    expect(definitions.length).toBeGreaterThanOrEqual(10);
    for (const definition of definitions) {
      expect(definition.Name).toMatch(/^starmates-ai-team\/prod\//);
      expect(definition.LogGroupNames).toEqual([
        '/ecs/starmates-ai-team-prod/api-gateway',
        '/ecs/starmates-ai-team-prod/workflow-agent',
        '/ecs/starmates-ai-team-prod/workflow-engine',
        '/ecs/starmates-ai-team-prod/workflow-scheduler',
        // Observed from other repositories (the profile's externalServices).
        '/ecs/starmates-ai-team-prod/checkout',
        '/ecs/starmates-ai-team-prod/orders',
        '/ecs/starmates-ai-team-prod/invoices',
        '/ecs/starmates-ai-team-prod/payments',
      ]);
    }
    expect(definitions.map((definition) => definition.Name)).toEqual(
      expect.arrayContaining([
        'starmates-ai-team/prod/Tracking ID correlation',
        'starmates-ai-team/prod/Errors with trace context',
        'starmates-ai-team/prod/Requests slower than 1 s',
        'starmates-ai-team/prod/User activity',
      ]),
    );
  });
});
