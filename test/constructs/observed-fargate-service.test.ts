import { readFileSync } from 'node:fs';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { parse } from 'yaml';
import { generateCollectorConfig } from '../../lib/collector/generate';
import { renderCollectorConfig } from '../../lib/collector/yaml';
import { CollectorContainer } from '../../lib/constructs/collector-container';
import { containerImageFromReference } from '../../lib/constructs/container-image';
import {
  HEALTH_PROBE_SCRIPT,
  ObservedFargateService,
  type ObservedFargateServiceProps,
} from '../../lib/constructs/observed-fargate-service';
import { OtelCollectorSidecar } from '../../lib/constructs/otel-collector-sidecar';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { TelemetryLogGroup } from '../../lib/constructs/telemetry-log-group';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { buildTestApp, exampleEnvironments } from '../support/default-app';
import { sidecarSettingsProps } from '../support/sidecar-settings';

const repoRoot = `${__dirname}/../..`;

/** One observed service in its own stack, on the prod platform of the default app. */
function observedService(overrides: Partial<ObservedFargateServiceProps> = {}) {
  const { app, platforms } = buildTestApp({ selection: 'prod', compliance: false });
  const platform = platforms[0];
  const stack = new Stack(app, 'Checkout', { env: { account: platform.account, region: platform.region } });
  const observed = new ObservedFargateService(stack, 'Checkout', {
    platform,
    serviceName: 'checkout',
    image: containerImageFromReference(stack, 'Image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:2.3.4'),
    port: 9000,
    healthCheckPath: '/healthz',
    cpu: 1024,
    memoryLimitMiB: 2048,
    ...overrides,
  });
  return { observed, template: Template.fromStack(stack) };
}

function containers(template: Template): Record<string, Record<string, unknown>> {
  const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  expect(taskDefinitions).toHaveLength(1);
  const definitions = taskDefinitions[0].Properties.ContainerDefinitions as Record<string, unknown>[];
  return Object.fromEntries(definitions.map((definition) => [definition.Name as string, definition]));
}

function environmentOf(container: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    ((container.Environment ?? []) as { Name: string; Value: string }[]).map((entry) => [entry.Name, entry.Value]),
  );
}

describe('ObservedFargateService', () => {
  const { template } = observedService();
  const byName = containers(template);

  test("the task has an app container, a collector container and the collector's setup container", () => {
    expect(Object.keys(byName).sort()).toEqual(['checkout', 'otel-collector', 'otel-collector-setup']);
  });

  test('the collector runs the pinned contrib image, not essential, with its own cpu and memory', () => {
    expect(byName['otel-collector']).toMatchObject({
      Image: 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0',
      Essential: false,
      Cpu: 256,
      Memory: 512,
      ReadonlyRootFilesystem: true,
      User: '10001:10001',
    });
  });

  test("the collector's health check runs the probe binary against its health endpoint, with argument lists only", () => {
    expect(byName['otel-collector'].HealthCheck).toEqual({
      Command: ['CMD', '/otel-probe/busybox', 'wget', '-q', '-T', '3', '-O', '/dev/null', 'http://127.0.0.1:13133/'],
      Interval: 30,
      Timeout: 5,
      Retries: 3,
      StartPeriod: 30,
    });
  });

  test('the collector restarts in place when it exits after running a minute, and stays non-essential', () => {
    expect(byName['otel-collector']).toMatchObject({
      Essential: false,
      RestartPolicy: { Enabled: true, RestartAttemptPeriod: 60 },
    });
  });

  test('the setup container copies the probe from BusyBox pinned by digest, then the collector starts', () => {
    expect(byName['otel-collector-setup']).toMatchObject({
      Image:
        'docker.io/library/busybox:1.37.0-musl@sha256:fc6dddc4c44b1bfe37f41cae8e67d1693828e8f42a91862816d7953e2c9d3f23',
      Command: ['cp', '/bin/busybox', '/otel-probe/busybox'],
      Essential: false,
      ReadonlyRootFilesystem: true,
      LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
      MountPoints: [{ SourceVolume: 'otel-collector-probe', ContainerPath: '/otel-probe', ReadOnly: false }],
    });
    expect(byName['otel-collector'].DependsOn).toEqual([
      { ContainerName: 'otel-collector-setup', Condition: 'COMPLETE' },
    ]);
    expect(byName['otel-collector'].MountPoints).toEqual([
      { SourceVolume: 'otel-collector-probe', ContainerPath: '/otel-probe', ReadOnly: true },
    ]);
  });

  test("the task's memory reservations still add up to the task's memory with the setup container", () => {
    const reserved = Object.values(byName).map(
      (container) => (container.MemoryReservation ?? container.Memory) as number,
    );
    expect(reserved.reduce((sum, mib) => sum + mib, 0)).toBe(2048);
  });

  test('the collector reads its generated config from an environment variable', () => {
    const collector = byName['otel-collector'];
    expect(collector.Command).toEqual(['--config=env:OTELCOL_CONFIG_YAML']);
    const config = parse(environmentOf(collector).OTELCOL_CONFIG_YAML);
    expect(config.processors.resource.attributes).toContainEqual({
      key: 'deployment.environment.name',
      value: 'prod',
      action: 'upsert',
    });
  });

  test('the collector config in the task is the committed prod sidecar config', () => {
    const committed = readFileSync(`${repoRoot}/collector-config/prod/sidecar.yaml`, 'utf8');
    expect(environmentOf(byName['otel-collector']).OTELCOL_CONFIG_YAML).toBe(committed);
  });

  test("the Grafana Cloud token reaches the collector as a secret from SSM, by ARN, and the environment's source token from the platform's secret", () => {
    expect(byName['otel-collector'].Secrets).toEqual([
      {
        Name: 'GRAFANA_CLOUD_API_KEY',
        ValueFrom:
          'arn:aws:ssm:eu-west-1:333333333333:parameter/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
      },
      { Name: 'OBSERVABILITY_SOURCE_TOKEN', ValueFrom: expect.any(Object) },
    ]);
    expect(environmentOf(byName['otel-collector'])).not.toHaveProperty('GRAFANA_CLOUD_API_KEY');
  });

  test('the plain variables of the contract are set on the collector', () => {
    expect(environmentOf(byName['otel-collector'])).toMatchObject({
      GOMEMLIMIT: '409MiB',
      GRAFANA_CLOUD_INSTANCE_ID: '123456',
    });
  });

  test('the app container gets the OpenTelemetry SDK environment', () => {
    expect(environmentOf(byName.checkout)).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.version=2.3.4,deployment.environment.name=prod,service.namespace=starmates-ai-team',
      OTEL_SDK_DISABLED: 'false',
      OTEL_SERVICE_NAME: 'checkout',
      // prod has a gateway tier: the SDK keeps every trace and the gateway samples by tail.
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    });
  });

  test('the app container starts after the collector has started', () => {
    expect(byName.checkout.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'START' }]);
  });

  test('the app container probes its port and health-check path, passed as arguments to a fixed program', () => {
    expect((byName.checkout.HealthCheck as { Command: string[] }).Command).toEqual([
      'CMD',
      'python3',
      '-c',
      HEALTH_PROBE_SCRIPT,
      '9000',
      '/healthz',
    ]);
  });

  test('both containers log through the non-blocking awslogs driver with a bounded buffer', () => {
    for (const container of Object.values(byName)) {
      expect(container.LogConfiguration).toMatchObject({
        LogDriver: 'awslogs',
        Options: { mode: 'non-blocking', 'max-buffer-size': '26214400b' },
      });
    }
  });

  test('the app and collector log groups are encrypted, retained and keep the profile retention', () => {
    for (const name of [
      '/ecs/starmates-ai-team-prod/checkout',
      '/ecs/starmates-ai-team-prod/checkout/otel-collector',
    ]) {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: name, RetentionInDays: 90, KmsKeyId: Match.anyValue() },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  test('only the app log group has a field index, on tracking_id, which obsctl trace filters on', () => {
    const indexed = Object.values(template.findResources('AWS::Logs::LogGroup'))
      .filter((group) => group.Properties.FieldIndexPolicies !== undefined)
      .map((group) => [group.Properties.LogGroupName, group.Properties.FieldIndexPolicies]);
    expect(indexed).toEqual([['/ecs/starmates-ai-team-prod/checkout', [{ Fields: ['tracking_id'] }]]]);
  });

  test("the log groups are encrypted with a key of the service's own stack, for its log groups only", () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    const logsStatement = (
      template.findResources('AWS::KMS::Key')[keyId].Properties.KeyPolicy.Statement as Record<string, unknown>[]
    ).find((statement) => statement.Sid === 'AllowCloudWatchLogsForTheseLogGroups');
    expect(logsStatement?.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': [
          'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/checkout',
          'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/checkout/*',
        ],
      },
    });
  });

  test("the app container's hard memory limit is the task's memory less the collector's", () => {
    expect(byName.checkout.Memory).toBe(2048 - 512);
  });

  test('without a user the app container runs as the image says, which the task definition does not show', () => {
    expect(byName.checkout.User).toBeUndefined();
  });

  test('the execution role may read exactly the token parameter', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('ExecutionRole') }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const ssmStatements = statements.filter((statement) => JSON.stringify(statement.Action).includes('ssm:'));
    expect(ssmStatements).toEqual([
      expect.objectContaining({
        Action: ['ssm:DescribeParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:GetParameters'],
        Resource:
          'arn:aws:ssm:eu-west-1:333333333333:parameter/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
      }),
    ]);
  });

  test('the execution role may pull the private ECR image from its one repository', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('ExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/checkout',
          }),
        ]),
      },
    });
  });

  test("the task role may write only to its service's own EMF log group", () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('TaskRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: [
              'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/checkout/otel-emf',
              'arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/checkout/otel-emf:log-stream:*',
            ],
            Sid: 'WriteOwnEmfMetrics',
          },
        ]),
      },
    });
  });

  test("in an environment with a gateway, the task role may list exactly the gateway's Cloud Map service", () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('TaskRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'servicediscovery:DiscoverInstances',
            Condition: {
              StringEquals: {
                'servicediscovery:NamespaceName': 'otel.starmates-ai-team-prod.internal',
                'servicediscovery:ServiceName': 'otel-gateway',
              },
            },
            Effect: 'Allow',
            Resource: '*',
            Sid: 'DiscoverCollectorGatewayTasks',
          },
        ]),
      },
    });
    const discovery = JSON.stringify(template.findResources('AWS::IAM::Policy')).match(/servicediscovery:/g);
    expect(discovery).toHaveLength(3); // the action and the two condition keys, once
  });

  test("the gateway's client group is not in the service's connections, so a rule added there opens only this service", () => {
    const { observed } = observedService();
    expect(observed.service.connections.securityGroups).toHaveLength(1);
    expect(observed.service.connections.securityGroups[0].node.path).toMatch(/Checkout\/Service\/SecurityGroup$/);
  });

  test('a tenant that differs from the profile is a synth error naming the profile field', () => {
    expect(() => observedService({ serviceName: 'api-gateway', tenant: 'acme-corp' })).toThrow(
      /tenant "acme-corp" differs from environments\.prod\.services\.api-gateway\.tenant \(none: a platform service\)/,
    );
  });

  test("in an environment with a gateway, the tasks join the gateway's client security group", () => {
    const service = Object.values(template.findResources('AWS::ECS::Service'))[0];
    const groups = service.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups as unknown[];
    expect(groups).toHaveLength(2);
    expect(JSON.stringify(groups[1])).toMatch(/CollectorGatewayClientSecurityGroup/);
  });

  test('no AWS managed policy is attached to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('the service runs in private subnets without a public IP and rolls back failed deployments', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
      },
    });
  });
});

describe('ObservedFargateService options', () => {
  test('an essential collector can be asked for', () => {
    const byName = containers(observedService({ essentialCollector: true }).template);
    expect(byName['otel-collector'].Essential).toBe(true);
  });

  test('with instrumentation off the SDK is disabled and there is no collector', () => {
    const { observed, template } = observedService({ instrumentation: false });
    const byName = containers(template);
    expect(Object.keys(byName)).toEqual(['checkout']);
    expect(environmentOf(byName.checkout)).toEqual({ OTEL_SDK_DISABLED: 'true', OTEL_SERVICE_NAME: 'checkout' });
    expect(observed.collector).toBeUndefined();
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('the app container runs as the given user', () => {
    expect(containers(observedService({ user: '1000:1000' }).template).checkout.User).toBe('1000:1000');
  });

  test('with instrumentation off the app container gets the whole task memory', () => {
    expect(containers(observedService({ instrumentation: false }).template).checkout.Memory).toBe(2048);
  });

  test('a task too small for the collector is a synth error naming the sizes', () => {
    expect(() => observedService({ cpu: 256, memoryLimitMiB: 512 })).toThrow(
      /memoryLimitMiB 512 leaves the application 0 MiB next to the collector's 512 MiB .*give the task at least 640 MiB/,
    );
  });

  test('each writable path gets an empty volume, so the root file system stays read-only', () => {
    const { template } = observedService({ writablePaths: ['/tmp', '/var/cache/app'] });
    const app = containers(template).checkout;
    expect(app.ReadonlyRootFilesystem).toBe(true);
    expect(app.MountPoints).toEqual([
      { SourceVolume: 'writable-0', ContainerPath: '/tmp', ReadOnly: false },
      { SourceVolume: 'writable-1', ContainerPath: '/var/cache/app', ReadOnly: false },
    ]);
    const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(taskDefinition.Properties.Volumes).toEqual([
      { Name: 'writable-0' },
      { Name: 'writable-1' },
      { Name: 'otel-collector-probe' },
    ]);
  });

  test('a relative writable path is a synth error', () => {
    expect(() => observedService({ writablePaths: ['tmp'] })).toThrow(/writablePaths: "tmp" is not an absolute path/);
  });

  test('a given log key replaces the service key', () => {
    const { template } = (() => {
      const { app, platforms } = buildTestApp({ selection: 'prod', compliance: false });
      const stack = new Stack(app, 'WithKey', { env: { account: platforms[0].account, region: platforms[0].region } });
      new ObservedFargateService(stack, 'Checkout', {
        platform: platforms[0],
        serviceName: 'checkout',
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/checkout:1.0.0'),
        port: 9000,
        healthCheckPath: '/healthz',
        cpu: 1024,
        memoryLimitMiB: 2048,
        logEncryptionKey: new kms.Key(stack, 'TeamKey'),
      });
      return { template: Template.fromStack(stack) };
    })();
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual([expect.stringMatching(/^TeamKey/)]);
  });

  test('log groups can be destroyed with the stack outside production', () => {
    const { template } = observedService({ logRemovalPolicy: RemovalPolicy.DESTROY });
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.DeletionPolicy).toBe('Delete');
    }
  });
});

describe('the collector environment contract', () => {
  test('each secret comes from the SSM parameter the contract names, unless a source is given', () => {
    const { platforms } = buildTestApp({ selection: 'dev', compliance: false });
    const stack = new Stack(new App(), 'Lonely', { env: { account: '111111111111', region: 'eu-west-1' } });
    const logGroup = new TelemetryLogGroup(stack, 'Logs', {
      logGroupName: '/ecs/lonely',
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: new kms.Key(stack, 'Key'),
    });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    const override = ecs.Secret.fromSsmParameter(
      ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Other', { parameterName: '/other/token' }),
    );
    new OtelCollectorSidecar(stack, 'Collector', {
      taskDefinition,
      ...sidecarSettingsProps(platforms[0].settings),
      logGroup,
      serviceName: 'lonely',
      emfLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Emf', '/ecs/starmates-ai-team-dev/lonely/otel-emf'),
      sourceToken: new secretsmanager.Secret(stack, 'SourceToken'),
      secrets: { GRAFANA_CLOUD_API_KEY: override },
    });
    const [definition] = Object.values(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'));
    expect(JSON.stringify(definition.Properties.ContainerDefinitions[0].Secrets)).toContain('parameter/other/token');
  });

  test('a secret with neither a source nor an SSM parameter is a synth error naming it and the fix', () => {
    const { platforms } = buildTestApp({ selection: 'dev', compliance: false });
    const stack = new Stack(new App(), 'Lonely');
    const logGroup = new TelemetryLogGroup(stack, 'Logs', {
      logGroupName: '/ecs/lonely',
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: new kms.Key(stack, 'Key'),
    });
    const collector = generateCollectorConfig('dev', platforms[0].profile, 'sidecar');
    const withoutParameter = {
      ...collector,
      environment: collector.environment.map(({ ssmParameterName: _dropped, ...variable }) => variable),
    };
    expect(
      () =>
        new CollectorContainer(stack, 'Collector', {
          taskDefinition: new ecs.FargateTaskDefinition(stack, 'Task'),
          containerName: 'otel-collector',
          collector: withoutParameter,
          configYaml: renderCollectorConfig(collector),
          logGroup,
          essential: false,
          memoryLimitMiB: 512,
          serviceName: 'lonely',
        }),
    ).toThrow(
      /reads GRAFANA_CLOUD_API_KEY, OBSERVABILITY_SOURCE_TOKEN as secret\(s\), but no source was given\. Pass them in secrets/,
    );
  });

  test('a secret later overridden with a plain value fails synth', () => {
    const { app, observed } = (() => {
      const built = buildTestApp({ selection: 'dev', compliance: false });
      return { app: built.app, observed: built.services[0].observed };
    })();
    observed.collector?.container.addEnvironment('GRAFANA_CLOUD_API_KEY', 'not-a-secret');
    expect(() => app.synth()).toThrow(
      'collector environment contract: GRAFANA_CLOUD_API_KEY is a secret but is set as a plain value',
    );
  });

  test('a contract value changed after the fact fails synth', () => {
    const built = buildTestApp({ selection: 'dev', compliance: false });
    built.services[0].observed.collector?.container.addEnvironment('GOMEMLIMIT', '2GiB');
    expect(() => built.app.synth()).toThrow(
      'collector environment contract: GOMEMLIMIT must be set to "409MiB" (found "2GiB")',
    );
  });
});

test('a health-check command makes the health-check path optional', () => {
  const profile = loadEnvironmentProfiles(exampleEnvironments()).dev;
  const stack = new Stack(new App(), 'Probe', { env: { account: profile.account, region: profile.region } });
  const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
    settings: platformSettings(profile, 'dev'),
  });
  new ObservedFargateService(stack, 'Worker', {
    platform,
    serviceName: 'worker',
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    port: 8080,
    healthCheckCommand: ['CMD', '/bin/healthy'],
    cpu: 512,
    memoryLimitMiB: 1024,
  });
  Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([
      Match.objectLike({ Name: 'worker', HealthCheck: Match.objectLike({ Command: ['CMD', '/bin/healthy'] }) }),
    ]),
  });
});
