import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, exampleEnvironments } from '../support/default-app';

const { platforms } = buildTestApp({ selection: 'prod', compliance: false });
const template = Template.fromStack(platforms[0]);

describe('PlatformStack', () => {
  test('the ECS cluster has Container Insights (enhanced)', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'starmates-ai-team-prod',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  test('the customer-managed key rotates and outlives the stack', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, RotationPeriodInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('CloudWatch Logs may use the key only for the environment log groups', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn':
                  'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/*',
              },
            },
          }),
        ]),
      },
    });
  });

  test('the key ARN stays exported for service stacks deployed before their own log keys', () => {
    const exports = Object.values(template.toJSON().Outputs as Record<string, { Value: unknown; Export?: unknown }>);
    expect(exports).toContainEqual(
      expect.objectContaining({
        Value: { 'Fn::GetAtt': [expect.stringMatching(/^ObservabilityKey/), 'Arn'] },
        Export: { Name: 'StarmatesAiTeam-Prod-Platform:ExportsOutputFnGetAttObservabilityKey72D05C20Arn26B5BA13' },
      }),
    );
  });

  test('there is one encrypted alarm topic per severity', () => {
    for (const severity of ['critical', 'warning', 'info']) {
      template.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `starmates-ai-team-prod-alerts-${severity}`,
        KmsMasterKeyId: Match.anyValue(),
      });
    }
    // The fourth topic carries the heartbeat; every topic is encrypted.
    template.resourceCountIs('AWS::SNS::Topic', 4);
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() }, 4);
  });

  test('the topics refuse requests without TLS and admit CloudWatch alarms', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });

  test('the VPC spans the profile zones with one NAT gateway each in prod', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1c' });
  });

  test('VPC flow logs go to an encrypted log group with the profile retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/vpc-flow-logs',
      RetentionInDays: 90,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('the EMF log group of the alarm metrics is created encrypted, with the profile retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/otel-emf',
      RetentionInDays: 90,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('the non-secret Grafana Cloud config is a String parameter without the token', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/starmates-ai-team/prod/monitoring/grafana-cloud-config',
      Type: 'String',
      Value: JSON.stringify({
        instanceId: '123456',
        otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
        apiKeyParameterName: '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
      }),
    });
    template.resourcePropertiesCountIs('AWS::SSM::Parameter', { Type: 'SecureString' }, 0);
  });

  test('no Lambda function is created', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

test('outside prod one NAT gateway serves the VPC', () => {
  const dev = buildTestApp({ selection: 'dev', compliance: false }).platforms[0];
  Template.fromStack(dev).resourceCountIs('AWS::EC2::NatGateway', 1);
});

test('production comes from the profile, not the environment name: a split prod-b is production too', () => {
  const environments = exampleEnvironments();
  // Its own account: two environments in one account and region may not share SSM parameters.
  environments['prod-b'] = { ...environments.prod, account: '444444444444' };
  const prodB = buildTestApp({ environments, selection: 'prod-b', compliance: false }).platforms[0];
  const template = Template.fromStack(prodB);
  template.resourceCountIs('AWS::EC2::NatGateway', 3);
  template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
});
