import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { parse } from 'yaml';
import { resolveThresholds } from '../../lib/alerting/thresholds';
import { generateCollectorConfig } from '../../lib/collector/generate';
import { CollectorGateway, type CollectorGatewayProps } from '../../lib/constructs/collector-gateway';
import { buildTestApp, exampleEnvironments } from '../support/default-app';
import { ingressRules } from '../support/security-groups';
import { profilesWithTenants } from '../support/tenant-profiles';

const repoRoot = `${__dirname}/../..`;
const built = buildTestApp({ compliance: false });
const platformOf = (environmentName: string) => {
  const platform = built.platforms.find((candidate) => candidate.environmentName === environmentName);
  if (platform === undefined) throw new Error(`no platform ${environmentName}`);
  return platform;
};
const prod = Template.fromStack(platformOf('prod'));

function gatewayContainer(): Record<string, unknown> {
  const [definition] = Object.values(prod.findResources('AWS::ECS::TaskDefinition'));
  const containers = definition.Properties.ContainerDefinitions as Record<string, unknown>[];
  const gateways = containers.filter((container) => container.Name === 'otel-gateway');
  expect(gateways).toHaveLength(1);
  return gateways[0];
}

function environmentOf(container: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    ((container.Environment ?? []) as { Name: string; Value: string }[]).map((entry) => [entry.Name, entry.Value]),
  );
}

describe('CollectorGateway in the prod platform stack', () => {
  test('registers its tasks in a private Cloud Map namespace under the name the sidecars resolve', () => {
    prod.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', {
      Name: 'otel.starmates-ai-team-prod.internal',
    });
    prod.hasResourceProperties('AWS::ServiceDiscovery::Service', {
      Name: 'otel-gateway',
      DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] },
    });
    prod.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'otel-gateway',
      // Left to auto scaling: a DesiredCount would reset the task count on every deploy.
      DesiredCount: Match.absent(),
      ServiceRegistries: [{ RegistryArn: Match.anyValue() }],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });

  test('scales between the profile bounds on cpu and memory, scaling in slowly', () => {
    prod.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    const policies = Object.values(prod.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map(
      (policy) => policy.Properties.TargetTrackingScalingPolicyConfiguration,
    );
    expect(policies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 60,
          ScaleInCooldown: 600,
        }),
        expect.objectContaining({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' },
          TargetValue: 55,
          ScaleInCooldown: 600,
        }),
      ]),
    );
  });

  test("admits OTLP/gRPC from the observed services' client security group only, and nothing else", () => {
    const ingress = ingressRules(prod);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 4317, ToPort: 4317 });
    expect(JSON.stringify(ingress[0].GroupId)).toMatch(/"CollectorGatewaySecurityGroup/);
    expect(JSON.stringify(ingress[0].SourceSecurityGroupId)).toMatch(/"CollectorGatewayClientSecurityGroup/);
    expect(JSON.stringify(ingress)).not.toMatch(/CidrIp/);
  });

  test('runs the committed prod gateway config, essential, on the OTLP/gRPC port', () => {
    const container = gatewayContainer();
    expect(container).toMatchObject({
      Name: 'otel-gateway',
      Essential: true,
      ReadonlyRootFilesystem: true,
      User: '10001:10001',
      Memory: 2048,
      Command: ['--config=env:OTELCOL_CONFIG_YAML'],
      PortMappings: [{ ContainerPort: 4317, Protocol: 'tcp', Name: 'otlp-grpc' }],
    });
    const committed = readFileSync(`${repoRoot}/collector-config/prod/gateway.yaml`, 'utf8');
    expect(environmentOf(container).OTELCOL_CONFIG_YAML).toBe(committed);
    // prod's gateway.decisionWaitSeconds: the committed file is the gateway's config, with prod's sizing.
    expect(parse(committed).processors.tail_sampling.decision_wait).toBe('10s');
  });

  test('has a health check on its health endpoint, so ECS replaces a task whose collector stops answering', () => {
    expect(gatewayContainer()).toMatchObject({
      Essential: true,
      HealthCheck: {
        Command: ['CMD', '/otel-probe/busybox', 'wget', '-q', '-T', '3', '-O', '/dev/null', 'http://127.0.0.1:13133/'],
      },
      RestartPolicy: { Enabled: true, RestartAttemptPeriod: 60 },
    });
  });

  test('mounts a task volume, opened by its setup container, where its file_storage keeps the export queue', () => {
    const [definition] = Object.values(prod.findResources('AWS::ECS::TaskDefinition'));
    const containers = definition.Properties.ContainerDefinitions as Record<string, unknown>[];
    const setup = containers.find((container) => container.Name === 'otel-gateway-setup');
    expect(setup?.Command).toEqual([
      'sh',
      '-c',
      'cp /bin/busybox /otel-probe/busybox && chmod 1777 /var/lib/otelcol/file_storage',
    ]);
    expect(gatewayContainer().MountPoints).toContainEqual({
      SourceVolume: 'otel-gateway-queue',
      ContainerPath: '/var/lib/otelcol/file_storage',
      ReadOnly: false,
    });
  });

  test("keeps Fargate's default ephemeral storage where a full 30-minute queue fits in it (prod: 1024 cpu units)", () => {
    const [definition] = Object.values(prod.findResources('AWS::ECS::TaskDefinition'));
    expect(definition.Properties.EphemeralStorage).toBeUndefined();
  });

  test('gets the ephemeral storage a full 30-minute queue needs when the default is too small (2048 cpu units: 35 GiB)', () => {
    const environments = exampleEnvironments();
    environments.prod.gateway = { ...(environments.prod.gateway as object), cpu: 2048, memoryMiB: 4096 };
    const { platforms } = buildTestApp({ environments, selection: 'prod', compliance: false });
    Template.fromStack(platforms[0]).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'starmates-ai-team-prod-otel-gateway',
      EphemeralStorage: { SizeInGiB: 35 },
    });
  });

  test('runs the collector image the profile pins, by digest', () => {
    const environments = exampleEnvironments();
    const digest = `sha256:${'0f'.repeat(32)}`;
    environments.prod.collector = {
      ...(environments.prod.collector as object),
      image: `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0@${digest}`,
    };
    const { platforms } = buildTestApp({ environments, selection: 'prod', compliance: false });
    const [definition] = Object.values(Template.fromStack(platforms[0]).findResources('AWS::ECS::TaskDefinition'));
    const containers = definition.Properties.ContainerDefinitions as { Name: string; Image: string }[];
    expect(containers.find((container) => container.Name === 'otel-gateway')?.Image).toBe(
      `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib@${digest}`,
    );
  });

  test('gets the task size from the profile and its memory limits from that size', () => {
    prod.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
    expect(environmentOf(gatewayContainer()).GOMEMLIMIT).toBe('1638MiB');
  });

  test("reads the Grafana Cloud token from SSM and the environment's source token from the platform's secret, as ECS secrets, never as values", () => {
    const container = gatewayContainer();
    expect(container.Secrets).toEqual([
      {
        Name: 'GRAFANA_CLOUD_API_KEY',
        ValueFrom:
          'arn:aws:ssm:eu-west-1:333333333333:parameter/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
      },
      { Name: 'OBSERVABILITY_SOURCE_TOKEN', ValueFrom: { Ref: expect.stringMatching(/^SourceTokenSecret/) } },
    ]);
    expect(environmentOf(container)).not.toHaveProperty('GRAFANA_CLOUD_API_KEY');
  });

  test('logs to its own encrypted log group with the profile retention', () => {
    prod.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/otel-gateway',
      RetentionInDays: 90,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('alarms on the telemetry it loses, traces evicted before their decision included, by its own service name', () => {
    const alarms = Object.values(prod.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      String(alarm.Properties.AlarmName).startsWith('starmates-ai-team-prod-otel-gateway-health-'),
    );
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      const text = JSON.stringify(alarm.Properties.Metrics);
      expect(text).toContain('otelcol_processor_tail_sampling_sampling_trace_dropped_too_early');
      expect(text).toContain('otelcol_exporter_send_failed_spans');
      expect(text).toContain('"Value":"otel-gateway"');
      expect(text).not.toContain('otelcol-contrib');
    }
  });

  test("warns when one gateway task's collector stops reporting, and pages when none reports; missing data breaches", () => {
    const byName = Object.fromEntries(
      Object.values(prod.findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
        alarm.Properties.AlarmName,
        alarm.Properties,
      ]),
    );
    const warning = byName['starmates-ai-team-prod-otel-gateway-heartbeat-warning'];
    expect(warning).toMatchObject({
      Threshold: 0.5,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopicsWarning/) }],
    });
    expect(JSON.stringify(warning.Metrics)).toContain('"Value":"starmates-ai-team-prod-otel-gateway"');
    expect(byName['starmates-ai-team-prod-otel-gateway-heartbeat-critical']).toMatchObject({
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopicsCritical/) }],
    });
  });

  test('pages when no gateway task runs, and warns below minTasks', () => {
    const byName = Object.fromEntries(
      Object.values(prod.findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
        alarm.Properties.AlarmName,
        alarm.Properties,
      ]),
    );
    expect(byName['starmates-ai-team-prod-otel-gateway-down-critical']).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopicsCritical/) }],
    });
    expect(byName['starmates-ai-team-prod-otel-gateway-capacity-warning']).toMatchObject({
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopicsWarning/) }],
    });
    for (const name of ['down-critical', 'capacity-warning']) {
      expect(JSON.stringify(byName[`starmates-ai-team-prod-otel-gateway-${name}`].Metrics)).toContain(
        '"RunningTaskCount"',
      );
    }
  });

  test("adds its widgets to the environment's dashboard", () => {
    const [dashboard] = Object.values(prod.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('Collector gateway: running tasks');
    expect(body).toContain('Collector gateway: traces evicted before their decision');
  });
});

describe('environments without a gateway', () => {
  test('dev, whose profile declares none, has no gateway service, namespace or scaling', () => {
    const dev = Template.fromStack(platformOf('dev'));
    dev.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 0);
    dev.resourceCountIs('AWS::ECS::Service', 0);
    dev.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

describe('a CollectorGateway built from its own props, with no profile', () => {
  const prodProfile = platformOf('prod').profile;
  const settings = { expectedTracesPerSecond: 50, cpu: 1024, memoryMiB: 2048, minTasks: 3, maxTasks: 5 };
  /** A gateway in a stack of its own, from plain values; `props` replaces any of them. */
  function gatewayStack(props: Partial<CollectorGatewayProps> = {}): Stack {
    const stack = new Stack(new App(), 'Gateway', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 1 });
    new CollectorGateway(stack, 'Gateway', {
      project: 'starmates-ai-team',
      environmentName: 'prod',
      gateway: settings,
      collector: generateCollectorConfig('prod', prodProfile, 'gateway'),
      retention: logs.RetentionDays.ONE_WEEK,
      thresholds: resolveThresholds(prodProfile),
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
      encryptionKey: new kms.Key(stack, 'Key'),
      alarmTopics: {
        critical: new sns.Topic(stack, 'Critical'),
        warning: new sns.Topic(stack, 'Warning'),
        info: new sns.Topic(stack, 'Info'),
      },
      sourceToken: new secretsmanager.Secret(stack, 'SourceToken'),
      ...props,
    });
    return stack;
  }

  test('keeps its logs for the retention it is given', () => {
    Template.fromStack(gatewayStack()).hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/starmates-ai-team-prod/otel-gateway',
      RetentionInDays: 7,
    });
  });

  test('scales between the bounds of its gateway settings', () => {
    Template.fromStack(gatewayStack()).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 3,
      MaxCapacity: 5,
    });
  });

  test("warns below its settings' minTasks", () => {
    Template.fromStack(gatewayStack()).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'starmates-ai-team-prod-otel-gateway-capacity-warning',
      Threshold: 3,
    });
  });

  test('alarms on lost telemetry at the collectorHealth thresholds it is given', () => {
    const thresholds = resolveThresholds(prodProfile).map((threshold) =>
      threshold.signal === 'collectorHealth' ? { ...threshold, threshold: 777 } : threshold,
    );
    Template.fromStack(gatewayStack({ thresholds })).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('^starmates-ai-team-prod-otel-gateway-health-'),
      Threshold: 777,
    });
  });

  test('thresholds without collectorHealth are an error naming the field', () => {
    const thresholds = resolveThresholds(prodProfile).filter((threshold) => threshold.signal !== 'collectorHealth');
    expect(() => gatewayStack({ thresholds })).toThrow(/Gateway\/Alarms: thresholds has no collectorHealth threshold/);
  });

  test('a sidecar config is an error naming the collector field', () => {
    expect(() => gatewayStack({ collector: generateCollectorConfig('prod', prodProfile, 'sidecar') })).toThrow(
      /Gateway: collector is a sidecar config\. Pass generateCollectorConfig\(environmentName, profile, 'gateway'\)/,
    );
  });

  test('a config generated for another environment is an error naming the collector field', () => {
    expect(() => gatewayStack({ environmentName: 'staging' })).toThrow(
      /Gateway: collector was generated for environment prod, not staging/,
    );
  });

  test('maxTasks below minTasks is an error naming gateway.maxTasks', () => {
    expect(() => gatewayStack({ gateway: { ...settings, minTasks: 4, maxTasks: 2 } })).toThrow(
      /Gateway: gateway\.maxTasks 2 is below minTasks 4\. Raise maxTasks/,
    );
  });

  describe('tenants', () => {
    const tenantProfile = profilesWithTenants().prod;
    const tenantConfig = generateCollectorConfig('prod', tenantProfile, 'gateway');

    test("opens each tenant's port to that tenant's client group", () => {
      const template = Template.fromStack(
        gatewayStack({ collector: tenantConfig, tenantPorts: { 'acme-corp': 4320, globex: 4321 } }),
      );
      const acme = ingressRules(template).find((rule) => rule.FromPort === 4320);
      expect(JSON.stringify(acme?.SourceSecurityGroupId)).toMatch(/GatewayTenantAcmeCorpClientSecurityGroup/);
    });

    test('a tenant port the config does not listen on is an error naming that tenant', () => {
      expect(() => gatewayStack({ collector: tenantConfig, tenantPorts: { 'acme-corp': 4320, globex: 4999 } })).toThrow(
        /Gateway: tenantPorts\.globex 4999 is not a port the collector config listens on/,
      );
    });

    test("a tenant on the platform's port is an error naming that tenant", () => {
      expect(() => gatewayStack({ tenantPorts: { 'acme-corp': 4317 } })).toThrow(
        /Gateway: tenantPorts\.acme-corp 4317 is used twice/,
      );
    });

    test('a port the config takes tenant traces on but tenantPorts lacks is an error', () => {
      expect(() => gatewayStack({ collector: tenantConfig, tenantPorts: { 'acme-corp': 4320 } })).toThrow(
        /Gateway: tenantPorts lacks port 4321, on which the collector config takes a tenant's traces/,
      );
    });
  });
});
