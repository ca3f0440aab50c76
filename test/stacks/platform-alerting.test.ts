import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, defaultEnvironments } from '../support/default-app';

const template = Template.fromStack(buildTestApp({ selection: 'prod', compliance: false }).platforms[0]);

function subscriptionsOf(topicLogicalIdPrefix: string): { Protocol: string; Endpoint: string }[] {
  return Object.values(template.findResources('AWS::SNS::Subscription'))
    .map((subscription) => subscription.Properties)
    .filter((properties) => JSON.stringify(properties.TopicArn).includes(topicLogicalIdPrefix))
    .map((properties) => ({ Protocol: properties.Protocol, Endpoint: properties.Endpoint }));
}

describe('alert routing', () => {
  test('critical pages the on-call webhook and mails', () => {
    expect(subscriptionsOf('AlarmTopicsCritical')).toEqual(
      expect.arrayContaining([
        { Protocol: 'https', Endpoint: 'https://oncall.starmates.example/integrations/v1/amazon_sns/prod/' },
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
    const environments = defaultEnvironments();
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
      { Protocol: 'https', Endpoint: 'https://oncall.starmates.example/integrations/v1/heartbeat/prod/' },
    ]);
  });

  test('EventBridge may use the key for the encrypted heartbeat topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
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
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('events.amazonaws.com');
    template.resourceCountIs('AWS::Lambda::Function', 0);
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

  test('the dashboard shows every service and its paging alarm', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const service of ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler']) {
      expect(body).toContain(`${service}: p95 latency (s)`);
      expect(body).toContain(`alarm:starmates-ai-team-prod-${service}-page`);
    }
  });
});

describe('saved queries', () => {
  test("the environment's saved queries are foldered by project and environment, over its service log groups", () => {
    const definitions = Object.values(template.findResources('AWS::Logs::QueryDefinition')).map(
      (definition) => definition.Properties,
    );
    expect(definitions.length).toBeGreaterThanOrEqual(10);
    for (const definition of definitions) {
      expect(definition.Name).toMatch(/^starmates-ai-team\/prod\//);
      expect(definition.LogGroupNames).toEqual([
        '/ecs/starmates-ai-team-prod/api-gateway',
        '/ecs/starmates-ai-team-prod/workflow-agent',
        '/ecs/starmates-ai-team-prod/workflow-engine',
        '/ecs/starmates-ai-team-prod/workflow-scheduler',
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
