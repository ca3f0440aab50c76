import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { addComplianceChecks } from '../../lib/compliance';
import { FargateObservability } from '../../lib/constructs/fargate-observability';
import { FargateObservabilityAspect } from '../../lib/constructs/fargate-observability-aspect';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { loadEnvironmentProfiles } from '../../lib/profile/load';
import { exampleEnvironments } from '../support/default-app';

const profile = loadEnvironmentProfiles(exampleEnvironments()).prod;
const env = { account: '444444444444', region: profile.region };

/** A team's ALB service, as aws-ecs-patterns builds it, observed in one call. */
function albStack() {
  const app = new App();
  const stack = new Stack(app, 'Checkout', { env });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { environmentName: 'prod', profile });
  const alb = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Checkout', {
    cluster: platform.cluster,
    // The platform publishes its private subnets only: an internet-facing load balancer needs the team's own.
    publicLoadBalancer: false,
    memoryLimitMiB: 1024,
    taskImageOptions: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      containerPort: 8080,
    },
  });
  new FargateObservability(stack, 'Observability', { platform, serviceName: 'checkout', loadBalancedService: alb });
  return { app, stack };
}

describe('an existing ApplicationLoadBalancedFargateService, observed', () => {
  const { stack } = albStack();
  const template = Template.fromStack(stack);
  const [definition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  const containers = definition.Properties.ContainerDefinitions as { Name: string; Environment?: { Name: string }[] }[];

  test('its task gets the collector sidecar next to the application container', () => {
    expect(containers.map((container) => container.Name)).toEqual(['web', 'otel-collector', 'otel-collector-setup']);
  });

  test('its application container gets the OpenTelemetry SDK environment', () => {
    const names = containers[0].Environment?.map((variable) => variable.Name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']));
  });

  test("the pattern's log group is named after the service, encrypted, expiring and retained", () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/ecs/starmates-ai-team-prod/checkout',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: profile.logRetentionDays,
      },
      DeletionPolicy: 'Retain',
    });
    const unencrypted = Object.values(template.findResources('AWS::Logs::LogGroup')).filter(
      (group) => group.Properties.KmsKeyId === undefined,
    );
    expect(unencrypted).toEqual([]);
  });

  test("the tasks join the gateway's client group, and no rule is added to it", () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          SecurityGroups: [
            Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
            { Ref: Match.stringLikeRegexp('gatewayclientsecuritygroupid') },
          ],
        },
      },
    });
    const rulesOnShared = JSON.stringify(template.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(rulesOnShared).not.toMatch(/gatewayclientsecuritygroupid/);
  });

  test('its alarms watch the target group: 5xx rate, p95 response time, unhealthy hosts', () => {
    const text = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    expect(text).toContain('HTTPCode_Target_5XX_Count');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'starmates-ai-team-prod-checkout-unhealthyHosts-warning',
      MetricName: 'UnHealthyHostCount',
      Namespace: 'AWS/ApplicationELB',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'starmates-ai-team-prod-checkout-latencyP95-critical',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p95',
    });
  });
});

test('observing adds no cdk-nag or Control Tower finding: those left are the load balancer and container the team wrote', () => {
  const { app } = albStack();
  addComplianceChecks(app);
  let findings = '';
  try {
    app.synth();
  } catch (error) {
    findings = String(error);
  }
  const ours = [
    'AwsSolutions-ECS2',
    'IAMNoInlinePolicy',
    'AwsSolutions-IAM5',
    'LogGroupEncrypted',
    'CT.CLOUDWATCH.PR.2',
  ];
  expect(ours.filter((finding) => findings.includes(finding))).toEqual([]);
  expect(findings).toContain('AwsSolutions-ELB2'); // the team's load balancer, not ours to acknowledge
});

test('the aspect observes every Fargate service of a scope except those skipped', () => {
  const app = new App();
  const stack = new Stack(app, 'Team', { env });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { environmentName: 'prod', profile });
  const service = (id: string) => {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { memoryLimitMiB: 1024, cpu: 512 });
    taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
    return new ecs.FargateService(stack, id, { cluster: platform.cluster, taskDefinition });
  };
  service('Orders');
  service('Billing');
  FargateObservabilityAspect.skip(service('Batch'), 'a batch job that sends no telemetry');
  Aspects.of(stack).add(new FargateObservabilityAspect({ platform }));
  const withSidecar = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition')).map(
    (definition) => JSON.stringify(definition).includes('otel-collector'),
  );
  expect(withSidecar).toEqual([true, true, false]);
});

test('observing needs exactly one of loadBalancedService, service and taskDefinition', () => {
  const stack = new Stack(new App(), 'Team', { env });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', { environmentName: 'prod', profile });
  expect(() => new FargateObservability(stack, 'Observability', { platform, serviceName: 'checkout' })).toThrow(
    'Team/Observability: give exactly one of loadBalancedService, service and taskDefinition (got 0)',
  );
});
