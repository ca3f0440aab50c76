import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../support/default-app';

// One app for both environments: synthesizing the default app is the slow part.
const { platforms, services } = buildTestApp({ compliance: false });
const platform = (environment: string) =>
  Template.fromStack(
    platforms.find((stack) => stack.stackName.toLowerCase().includes(`-${environment}-`)) ?? platforms[0],
  );
const prod = platform('prod');

describe('the audit log group', () => {
  test('is protected against deletion, kept when its stack goes, and encrypted with the environment key', () => {
    prod.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/ecs/starmates-ai-team-prod/audit',
        DeletionProtectionEnabled: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ObservabilityKey'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('keeps audit events 365 days in production, its own retention, not the application logs 90', () => {
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/audit',
      RetentionInDays: 365,
    });
  });

  test("keeps them for the environment's log retention elsewhere", () => {
    platform('dev').hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-dev/audit',
      RetentionInDays: 7,
    });
  });

  test('has a saved query over it', () => {
    prod.hasResourceProperties('AWS::Logs::QueryDefinition', {
      Name: 'starmates-ai-team/prod/Audit events',
      LogGroupNames: ['/ecs/starmates-ai-team-prod/audit'],
      QueryString: Match.stringLikeRegexp('filter ispresent\\(attributes\\.audit\\.event\\)'),
    });
  });

  test("a service's task role may write its own stream of the audit group, and no other", () => {
    const stack = services.find((candidate) => candidate.stackName.endsWith('-Prod-ApiGateway'));
    if (stack === undefined) throw new Error(`no api-gateway stack in ${services.map((s) => s.stackName)}`);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'WriteOwnAuditStream',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [
              'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/audit',
              'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/audit:log-stream:api-gateway',
            ],
          },
        ]),
      },
    });
  });
});
