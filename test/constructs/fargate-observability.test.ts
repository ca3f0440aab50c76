import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { addComplianceChecks } from '../../lib/compliance';
import { FargateObservability, type FargateObservabilityProps } from '../../lib/constructs/fargate-observability';
import { FargateObservabilityAspect } from '../../lib/constructs/fargate-observability-aspect';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/default-app';

const profile = loadEnvironmentProfiles(exampleEnvironments()).prod;
const env = { account: '444444444444', region: profile.region };

/** A team's ALB service, as aws-ecs-patterns builds it, observed in one call. */
function albStack(platformProfile: typeof profile = profile, observe: Partial<FargateObservabilityProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Checkout', { env });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(platformProfile, 'prod'),
  });
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
  new FargateObservability(stack, 'Observability', {
    platform,
    serviceName: 'checkout',
    loadBalancedService: alb,
    ...observe,
  });
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

  test("the pattern's log group gets the field index on tracking_id, as a created one would", () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/checkout',
      FieldIndexPolicies: [{ Fields: ['tracking_id'] }],
    });
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
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
  });
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
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
  });
  expect(() => new FargateObservability(stack, 'Observability', { platform, serviceName: 'checkout' })).toThrow(
    'Team/Observability: give exactly one of loadBalancedService, service and taskDefinition (got 0)',
  );
});

test('a service whose cluster runs without Container Insights gets no service-down alarm, and synth warns', () => {
  const app = new App();
  const stack = new Stack(app, 'Team', { env });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
  });
  const cluster = new ecs.Cluster(stack, 'OwnCluster', { vpc: platform.cluster.vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', { memoryLimitMiB: 1024, cpu: 512 });
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
  const service = new ecs.FargateService(stack, 'Orders', { cluster, taskDefinition });
  new FargateObservability(stack, 'Observability', { platform, serviceName: 'orders', service });
  const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties.AlarmName as string,
  );
  expect(names.filter((name) => /serviceDown|collectorHeartbeat/.test(name))).toEqual([]);
  expect(names).toContain('starmates-ai-team-prod-orders-errorRate-critical');
  Annotations.fromStack(stack).hasWarning(
    '/Team/Observability/Alarms',
    Match.stringLikeRegexp(
      'without Container Insights, so the serviceDown and collectorHeartbeat alarms are not created',
    ),
  );
});

test("a service in another VPC than the platform's is refused at synth, naming both", () => {
  const stack = new Stack(new App(), 'Team', { env });
  const platform = ObservabilityPlatform.fromAttributes(stack, 'Platform', {
    settings: platformSettings(profile, 'prod'),
    clusterName: 'shared-prod',
    vpcId: 'vpc-0aaaaaaaaaaaaaaaa',
    privateSubnetIds: ['subnet-1', 'subnet-2'],
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    encryptionKeyArn: 'arn:aws:kms:eu-west-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    sourceTokenSecretArn:
      'arn:aws:secretsmanager:eu-west-1:444444444444:secret:/starmates-ai-team/prod/observability/source-token-AbCdEf',
    alarmTopicArns: {
      critical: 'arn:aws:sns:eu-west-1:444444444444:c',
      warning: 'arn:aws:sns:eu-west-1:444444444444:w',
      info: 'arn:aws:sns:eu-west-1:444444444444:i',
    },
    gatewayClientSecurityGroupId: 'sg-0123456789abcdef0',
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'OtherVpc', {
    vpcId: 'vpc-0bbbbbbbbbbbbbbbb',
    availabilityZones: ['eu-west-1a'],
    privateSubnetIds: ['subnet-9'],
  });
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'OtherCluster', {
    clusterName: 'other',
    vpc,
    securityGroups: [],
  });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', { memoryLimitMiB: 1024, cpu: 512 });
  taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
  const service = new ecs.FargateService(stack, 'Orders', { cluster, taskDefinition });
  expect(() => new FargateObservability(stack, 'Observability', { platform, serviceName: 'orders', service })).toThrow(
    "Team/Observability: the service's cluster Team/OtherCluster is in VPC vpc-0bbbbbbbbbbbbbbbb, the platform's cluster in " +
      "vpc-0aaaaaaaaaaaaaaaa: run the service in the platform's cluster (platform.cluster) or its VPC",
  );
});

test('a service the profile does not list saves its own queries in the environment folder', () => {
  const { stack } = albStack({ ...profile, externalServices: undefined });
  const names = Object.values(Template.fromStack(stack).findResources('AWS::Logs::QueryDefinition')).map(
    (query) => query.Properties.Name as string,
  );
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((name) => !name.startsWith('starmates-ai-team/prod/services/checkout/'))).toEqual([]);
});

test("a service the profile lists in externalServices saves no queries of its own: the platform's name its log group", () => {
  expect(profile.externalServices).toContain('checkout');
  const { stack } = albStack();
  expect(Template.fromStack(stack).findResources('AWS::Logs::QueryDefinition')).toEqual({});
});

describe("a service's own settings, given as props over the platform's", () => {
  const alarmsOf = (observe: Partial<FargateObservabilityProps>) =>
    Object.fromEntries(
      Object.values(Template.fromStack(albStack(profile, observe).stack).findResources('AWS::CloudWatch::Alarm')).map(
        (alarm) => [alarm.Properties.AlarmName as string, alarm.Properties],
      ),
    );

  test("an alertThresholds override reaches the service's alarm, with the environment's window where it gives none", () => {
    const alarm = alarmsOf({ alertThresholds: { taskRestarts: { critical: { threshold: 6 } } } })[
      'starmates-ai-team-prod-checkout-taskRestarts-critical'
    ];
    expect([alarm.Threshold, alarm.Period]).toEqual([6, 600]);
  });

  test('trafficAnomaly enabled: false removes the traffic alarms and nothing else', () => {
    const all = Object.keys(alarmsOf({}));
    const without = Object.keys(alarmsOf({ trafficAnomaly: { enabled: false } }));
    expect(all.filter((name) => !without.includes(name))).toEqual([
      'starmates-ai-team-prod-checkout-trafficDrop-critical',
      'starmates-ai-team-prod-checkout-trafficSpike-warning',
    ]);
  });

  test('a tenant the settings do not know is a synth error naming the fix', () => {
    expect(() => albStack(profile, { tenant: 'initech' })).toThrow(
      'Checkout/Observability: tenant "initech" is not a tenant of prod (it has none): add it to the platform ' +
        "profile's tenants and copy the regenerated platform settings, or observe the service without a tenant",
    );
  });
});
