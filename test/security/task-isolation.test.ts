/**
 * A task speaks only for itself (README, "A task speaks only for itself"): over the synthesized IAM
 * policies of the tenant fixture (prod with two tenants: platform and tenant services), no task
 * role may write the log events or metrics that another service's alarms read; over the generated
 * config, the sidecar stamps the task's service name, not the application's; and since EMF lets any
 * log event name any namespace and dimensions, every alarm metric carries the environment's source
 * token, which only the collector containers (and CloudFormation) can read.
 */

import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CLOUDWATCH_SERVICE_DIMENSION,
  cloudWatchNamespace,
  SOURCE_TOKEN_DIMENSION,
  serviceEmfLogGroupName,
} from '../../lib/collector/cloudwatch';
import { COLLECTOR_ENV, generateCollectorConfig } from '../../lib/collector/generate';
import { FargateObservabilityAspect } from '../../lib/constructs/fargate-observability-aspect';
import { COLLECTOR_CONTAINER_NAME, OtelCollectorSidecar } from '../../lib/constructs/otel-collector-sidecar';
import { ObservabilityPlatform } from '../../lib/constructs/platform';
import { sourceTokenParameterName } from '../../lib/constructs/source-token';
import { TelemetryLogGroup } from '../../lib/constructs/telemetry-log-group';
import { auditLogGroupName } from '../../lib/logs/audit';
import { TASK_FAILURES_METRIC } from '../../lib/naming';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { buildTestApp } from '../support/default-app';
import { sidecarSettingsProps } from '../support/sidecar-settings';
import { environmentsWithTenants, profilesWithTenants } from '../support/tenant-profiles';

const { platforms, services } = buildTestApp({
  environments: environmentsWithTenants(),
  selection: 'prod',
  compliance: false,
});
const profile = platforms[0].profile;
const project = profile.project;
/** The service a stack runs: its application container is named after it. */
const nameOf = (service: (typeof services)[number]) => service.observed.appContainer.containerName;

interface Statement {
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

/** The statements of every policy attached to a service's task role, resolved. */
function taskRoleStatements(service: (typeof services)[number]): Statement[] {
  const role = service.observed.taskDefinition.taskRole as iam.Role;
  const roleId = Stack.of(role).getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = Template.fromStack(service).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (statement: Statement) => [statement.Action ?? []].flat();

/** Whether a statement's actions include writing log events (by name or by wildcard). */
const writesLogEvents = (statement: Statement) =>
  actionsOf(statement).some((action) => ['logs:PutLogEvents', 'logs:*', '*'].includes(action));

/** The log groups named by a statement's resources: `*` for a wildcard resource. */
function logGroupsOf(statement: Statement): string[] {
  const text = JSON.stringify(statement.Resource);
  const names = [...text.matchAll(/log-group:([^:"]+)/g)].map((match) => match[1]);
  return [...new Set(text.includes('"*"') ? [...names, '*'] : names)];
}

/** Every log group a service's task role may write events to. */
function writableLogGroups(service: (typeof services)[number]): string[] {
  return [...new Set(taskRoleStatements(service).filter(writesLogEvents).flatMap(logGroupsOf))].sort();
}

describe('IAM: a task role writes only its own service', () => {
  test('the fixture has platform and tenant services, so the checks below compare real neighbours', () => {
    expect(services.map(nameOf)).toEqual(expect.arrayContaining(['acme-reports', 'globex-reports', 'api-gateway']));
  });

  test("every service's task role may write log events to its own EMF log group and the audit group (its own stream: test/constructs/audit-log-group.test.ts), and to no other log group", () => {
    const writable = Object.fromEntries(
      services.map((service) => [service.observed.node.id, writableLogGroups(service)]),
    );
    const own = Object.fromEntries(
      services.map((service) => [
        service.observed.node.id,
        [auditLogGroupName(project, 'prod'), serviceEmfLogGroupName(project, 'prod', nameOf(service))].sort(),
      ]),
    );
    expect(writable).toEqual(own);
  });

  test('no task role may write to a log group whose metric filter makes the metrics alarms read', () => {
    const filtered = [...platforms, ...services].flatMap((stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter')).map((filter) =>
        JSON.stringify(stack.resolve(filter.Properties.LogGroupName)),
      ),
    );
    expect(filtered.length).toBeGreaterThan(0);
    const writable = services.flatMap(writableLogGroups);
    expect(filtered.filter((group) => writable.some((name) => group.includes(name) || name === '*'))).toEqual([]);
  });

  test('no task role may publish CloudWatch metrics directly (PutMetricData)', () => {
    const actions = services.flatMap((service) => taskRoleStatements(service).flatMap(actionsOf));
    expect(actions.filter((action) => /^(cloudwatch:(PutMetricData|\*)|\*)$/.test(action))).toEqual([]);
  });

  test("the task role's EMF group is the one its collector config writes to, with the task's service name in it", () => {
    const configured = Object.fromEntries(
      services.map((service) => {
        const collector = service.observed.collector;
        const awsEmf = collector?.collector.config.exporters.awsemf as { log_group_name: string };
        return [
          nameOf(service),
          awsEmf.log_group_name.replace(`\${env:${COLLECTOR_ENV.serviceName}}`, nameOf(service)),
        ];
      }),
    );
    expect(configured).toEqual(
      Object.fromEntries(
        services.map((service) => [nameOf(service), serviceEmfLogGroupName(project, 'prod', nameOf(service))]),
      ),
    );
  });
});

describe("the sidecar stamps the task's service name", () => {
  const sidecar = generateCollectorConfig('prod', profilesWithTenants().prod, 'sidecar').config;
  const identity = `set(resource.attributes["service.name"], "\${env:${COLLECTOR_ENV.serviceName}}")`;

  test('for traces, metrics and logs it sets service.name at the resource from the variable the task sets', () => {
    expect(sidecar.processors?.['transform/service_identity']).toEqual({
      error_mode: 'propagate',
      metric_statements: [{ context: 'resource', statements: [identity] }],
      trace_statements: [{ context: 'resource', statements: [identity] }],
      log_statements: [{ context: 'resource', statements: [identity] }],
    });
  });

  test('every pipeline that receives from the application runs it', () => {
    const pipelines = Object.entries(sidecar.service.pipelines)
      .filter(([, pipeline]) => pipeline.receivers.includes('otlp'))
      .filter(([, pipeline]) => !(pipeline.processors ?? []).includes('transform/service_identity'))
      .map(([id]) => id);
    expect(pipelines).toEqual([]);
  });

  test("the collector's own receiver names everything it carries as the collector, in both of its pipelines", () => {
    expect(sidecar.processors?.['transform/self_identity']).toEqual({
      error_mode: 'propagate',
      metric_statements: [
        {
          context: 'resource',
          statements: [
            'set(resource.attributes["service.name"], "otelcol-contrib")',
            'delete_key(resource.attributes, "aws.ecs.task.family")',
          ],
        },
      ],
    });
    const selfPipelines = Object.entries(sidecar.service.pipelines).filter(([, pipeline]) =>
      pipeline.receivers.includes('otlp/self'),
    );
    expect(selfPipelines.map(([id]) => id)).toEqual(['metrics/self', 'metrics/self-cloudwatch']);
    expect(
      selfPipelines.filter(([, pipeline]) => !(pipeline.processors ?? []).includes('transform/self_identity')),
    ).toEqual([]);
  });

  test("on the collector's own receiver, a task family the sender claims is removed before resource detection sets the task's own (the heartbeat's dimension)", () => {
    const order = ['metrics/self', 'metrics/self-cloudwatch'].map((id) => {
      const processors = sidecar.service.pipelines[id].processors ?? [];
      return processors.indexOf('transform/self_identity') < processors.indexOf('resource_detection');
    });
    expect(order).toEqual([true, true]);
    expect(sidecar.processors?.resource_detection).toMatchObject({ override: false });
  });

  test('the CloudWatch dimension is copied from service.name only after the task has set it', () => {
    const processors = sidecar.service.pipelines['metrics/cloudwatch'].processors ?? [];
    expect(processors.indexOf('transform/service_identity')).toBeGreaterThan(-1);
    expect(processors.indexOf('transform/service_identity')).toBeLessThan(processors.indexOf('transform/cloudwatch'));
  });

  test("each task sets the variable on the collector container to its own service's name", () => {
    const set = Object.fromEntries(
      services.map((service) => {
        const definition = Template.fromStack(service).findResources('AWS::ECS::TaskDefinition');
        const containers = Object.values(definition)[0].Properties.ContainerDefinitions as {
          Name: string;
          Environment?: { Name: string; Value: string }[];
        }[];
        const collector = containers.find((container) => container.Name === COLLECTOR_CONTAINER_NAME);
        const variable = collector?.Environment?.find((entry) => entry.Name === COLLECTOR_ENV.serviceName);
        return [nameOf(service), variable?.Value];
      }),
    );
    expect(set).toEqual(Object.fromEntries(services.map((service) => [nameOf(service), nameOf(service)])));
  });

  test('the application container does not get the variable: only the task definition sets it, on the collector', () => {
    const appVariables = services.flatMap((service) => {
      const definition = Object.values(Template.fromStack(service).findResources('AWS::ECS::TaskDefinition'))[0];
      const containers = definition.Properties.ContainerDefinitions as {
        Name: string;
        Environment?: { Name: string }[];
      }[];
      return containers
        .filter((container) => container.Name !== COLLECTOR_CONTAINER_NAME)
        .flatMap((container) => (container.Environment ?? []).map((entry) => entry.Name));
    });
    expect(appVariables.length).toBeGreaterThan(0);
    expect(appVariables).not.toContain(COLLECTOR_ENV.serviceName);
  });
});

describe('a sidecar serves one service', () => {
  const sidecarOf = () => {
    const { services: built } = buildTestApp({ selection: 'dev', compliance: false });
    return built[0].observed;
  };

  test('it refuses to instrument a container as another service', () => {
    const observed = sidecarOf();
    expect(() => observed.collector?.instrument(observed.appContainer, 'someone-else')).toThrow(
      /the sidecar of api-gateway cannot instrument a container as someone-else: it stamps its own service name/,
    );
  });

  test("it refuses another tenant's config: the task would hold that tenant's token and send it that tenant's telemetry", () => {
    const stack = new Stack(new App(), 'Lonely');
    const settings = platforms[0].settings;
    expect(
      () =>
        new OtelCollectorSidecar(stack, 'Collector', {
          ...sidecarSettingsProps(settings, 'acme-corp'),
          tenant: 'globex',
          taskDefinition: new ecs.FargateTaskDefinition(stack, 'Task'),
          logGroup: new TelemetryLogGroup(stack, 'Logs', {
            logGroupName: '/ecs/lonely',
            retention: logs.RetentionDays.ONE_WEEK,
            encryptionKey: new kms.Key(stack, 'Key'),
          }),
          serviceName: 'lonely',
          emfLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Emf', '/ecs/starmates-ai-team-prod/lonely/otel-emf'),
          sourceToken: new secretsmanager.Secret(stack, 'SourceToken'),
        }),
    ).toThrow(
      'Lonely/Collector: collector is the sidecar config of prod for tenant acme-corp, but the sidecar runs in prod ' +
        "for tenant globex: pass the platform settings' collectorSidecar.platformConfig, or tenantConfigs[tenant] for a " +
        "tenant's service",
    );
  });

  test("it refuses an EMF log group other than its service's: the task role would be granted the wrong one", () => {
    const stack = new Stack(new App(), 'Lonely');
    expect(
      () =>
        new OtelCollectorSidecar(stack, 'Collector', {
          taskDefinition: new ecs.FargateTaskDefinition(stack, 'Task'),
          ...sidecarSettingsProps(platforms[0].settings),
          logGroup: new TelemetryLogGroup(stack, 'Logs', {
            logGroupName: '/ecs/lonely',
            retention: logs.RetentionDays.ONE_WEEK,
            encryptionKey: new kms.Key(stack, 'Key'),
          }),
          serviceName: 'lonely',
          emfLogGroup: logs.LogGroup.fromLogGroupName(stack, 'Emf', '/ecs/starmates-ai-team-prod/otel-emf'),
          sourceToken: new secretsmanager.Secret(stack, 'SourceToken'),
        }),
    ).toThrow(
      'Lonely/Collector: emfLogGroup is "/ecs/starmates-ai-team-prod/otel-emf", but the sidecar of lonely writes to ' +
        '"/ecs/starmates-ai-team-prod/lonely/otel-emf". Create the log group with that name',
    );
  });
});

/** Every template of the fixture, resolved. */
const templates = () =>
  [...platforms, ...services].map((stack) => ({
    stack: stack.stackName,
    template: Template.fromStack(stack).toJSON(),
  }));

interface AlarmMetric {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
}

/** The metrics an alarm evaluates: its own, or those of its metric math. */
function alarmMetrics(properties: Record<string, unknown>): AlarmMetric[] {
  if (properties.Namespace !== undefined) return [properties as unknown as AlarmMetric];
  const math = (properties.Metrics ?? []) as { MetricStat?: { Metric: AlarmMetric } }[];
  return math.flatMap((entry) => (entry.MetricStat === undefined ? [] : [entry.MetricStat.Metric]));
}

/** Every alarm metric of the fixture in the environment's namespace. */
const environmentAlarmMetrics = () => templates().flatMap(({ template }) => environmentAlarmMetricsOf(template));

/** Every alarm metric of a template in the environment's namespace (where EMF writes). */
function environmentAlarmMetricsOf(template: { Resources?: unknown }): AlarmMetric[] {
  const namespace = cloudWatchNamespace(project, 'prod');
  return Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
    .flatMap((resource) => alarmMetrics(resource.Properties))
    .filter((metric) => metric.Namespace === namespace);
}

/** A dimension's value as CloudFormation sees it: a string, or the text of an intrinsic (Fn::Join). */
const valueText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

const DYNAMIC_REFERENCE =
  /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"SourceTokenSecret[0-9A-F]{8}"\},":SecretString:::\}\}"\]\]\}$/;
const TOKEN_PARAMETER = /^\{"Ref":"SsmParameterValue\w*sourcetokenvalue\w*Parameter"\}$/;

/** How a template names the token: by a dynamic reference to the secret, by the published value's parameter, or else its text. */
function tokenForm(value: unknown): string {
  const text = valueText(value ?? 'missing');
  if (DYNAMIC_REFERENCE.test(text)) return 'secret by dynamic reference';
  if (TOKEN_PARAMETER.test(text)) return 'published value by parameter';
  return text;
}

/** Per resource type, the dynamic references of a template's resources (types without any left out). */
function dynamicReferencesByType(template: { Resources?: Record<string, { Type: string }> }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources ?? {})) {
    const count = JSON.stringify(resource).split('{{resolve:').length - 1;
    if (count > 0) counts[resource.Type] = (counts[resource.Type] ?? 0) + count;
  }
  return counts;
}

describe('the source token: what an alarm reads, only the collectors can write', () => {
  const platformTemplate = Template.fromStack(platforms[0]);

  test('the platform generates one token per environment: a Secrets Manager secret of 32 letters and digits, under the AWS-managed key', () => {
    const secrets = Object.values(platformTemplate.findResources('AWS::SecretsManager::Secret')).filter((secret) =>
      String(secret.Properties.Name).endsWith('/source-token'),
    );
    expect(secrets.map((secret) => secret.Properties)).toEqual([
      {
        Name: `/${project}/prod/observability/source-token`,
        Description: expect.stringContaining('source token'),
        GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true, IncludeSpace: false },
        Tags: expect.any(Array),
      },
    ]);
  });

  test("every alarm metric of the environment's namespace but the task-failure metric filter's carries the token dimension, never a value: by a dynamic reference to the secret in the platform stack, by the deploy-time parameter of the published value in a service stack", () => {
    const forms = Object.fromEntries(
      templates().map(({ stack, template }) => [
        stack,
        [
          ...new Set(
            environmentAlarmMetricsOf(template)
              .filter((metric) => metric.MetricName !== TASK_FAILURES_METRIC)
              .map((metric) => tokenForm(metric.Dimensions?.find((d) => d.Name === SOURCE_TOKEN_DIMENSION)?.Value)),
          ),
        ],
      ]),
    );
    expect(forms).toEqual({
      [platforms[0].stackName]: ['secret by dynamic reference'],
      ...Object.fromEntries(services.map((service) => [service.stackName, ['published value by parameter']])),
    });
  });

  test('a service stack has no dynamic reference; the platform stack a fixed number, whatever its services and tenants: 2 notification endpoints, 21 alarm metrics, the dashboard variable and the published copy', () => {
    const counts = Object.fromEntries(
      templates().map(({ stack, template }) => [stack, dynamicReferencesByType(template)]),
    );
    expect(counts).toEqual({
      [platforms[0].stackName]: {
        'AWS::SNS::Subscription': 2,
        'AWS::CloudWatch::Alarm': 21,
        'AWS::CloudWatch::Dashboard': 1,
        'AWS::SSM::Parameter': 1,
      },
      ...Object.fromEntries(services.map((service) => [service.stackName, {}])),
    });
  });

  test('a stack observing five services by FargateObservabilityAspect has no dynamic reference and reads the token by one deploy-time parameter', () => {
    const stack = new Stack(new App(), 'Team', { env: { account: '444444444444', region: profile.region } });
    const platform = ObservabilityPlatform.fromEnvironmentName(stack, 'Platform', {
      settings: platformSettings(profile, 'prod'),
    });
    for (const id of ['Orders', 'Billing', 'Search', 'Checkout', 'Inventory']) {
      const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { memoryLimitMiB: 1024, cpu: 512 });
      taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
      new ecs.FargateService(stack, id, { cluster: platform.cluster, taskDefinition });
    }
    Aspects.of(stack).add(new FargateObservabilityAspect({ platform }));
    const template = Template.fromStack(stack).toJSON();
    const metrics = environmentAlarmMetricsOf(template).filter((metric) => metric.MetricName !== TASK_FAILURES_METRIC);
    const dimension = (metric: AlarmMetric, name: string) => metric.Dimensions?.find((d) => d.Name === name)?.Value;
    expect({
      dynamicReferences: JSON.stringify(template).split('{{resolve:').length - 1,
      tokenParameters: Object.values(template.Parameters as Record<string, { Default?: string }>).filter(
        (parameter) => parameter.Default === sourceTokenParameterName(project, 'prod'),
      ).length,
      servicesAlarmed: new Set(
        metrics.map((metric) => dimension(metric, CLOUDWATCH_SERVICE_DIMENSION)).filter((name) => name !== undefined),
      ).size,
      tokenForms: [...new Set(metrics.map((metric) => tokenForm(dimension(metric, SOURCE_TOKEN_DIMENSION))))],
    }).toEqual({
      dynamicReferences: 0,
      tokenParameters: 1,
      servicesAlarmed: 5,
      tokenForms: ['published value by parameter'],
    });
  });

  test('no task role may read the token or the places that show it (the secret, its published copy and the stack parameters that resolve it, alarms, dashboards, metrics)', () => {
    const reads =
      /^(\*|secretsmanager:.*|ssm:(\*|GetParameter.*)|cloudwatch:(\*|Describe.*|Get.*|List.*)|cloudformation:.*|logs:(GetLogEvents|FilterLogEvents|StartQuery|\*))$/;
    const actions = services.flatMap((service) => taskRoleStatements(service).flatMap(actionsOf));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => reads.test(action))).toEqual([]);
  });

  test("each service's execution role may read the token secret and no other secret", () => {
    const read = Object.fromEntries(
      services.map((service) => {
        const role = service.observed.taskDefinition.obtainExecutionRole() as iam.Role;
        const roleId = Stack.of(role).getLogicalId(role.node.defaultChild as iam.CfnRole);
        const statements = Object.values(Template.fromStack(service).findResources('AWS::IAM::Policy'))
          .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
          .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
          .filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
        return [nameOf(service), statements.map((statement) => JSON.stringify(statement.Resource))];
      }),
    );
    expect(read).toEqual(
      Object.fromEntries(
        services.map((service) => [
          nameOf(service),
          [expect.stringMatching(/^\{"Ref":"SsmParameterValue\w*sourcetokensecretarn\w*Parameter"\}$/)],
        ]),
      ),
    );
  });

  test('the collector container gets the token as an ECS secret from that secret; no application container gets it, as a secret or a variable', () => {
    const holders = services.flatMap((service) => {
      const definition = Object.values(Template.fromStack(service).findResources('AWS::ECS::TaskDefinition'))[0];
      const containers = definition.Properties.ContainerDefinitions as {
        Name: string;
        Environment?: { Name: string }[];
        Secrets?: { Name: string; ValueFrom: unknown }[];
      }[];
      return containers.flatMap((container) =>
        [...(container.Environment ?? []), ...(container.Secrets ?? [])]
          .filter((entry) => entry.Name === COLLECTOR_ENV.sourceToken)
          .map((entry) => ({
            service: nameOf(service),
            container: container.Name,
            secret:
              'ValueFrom' in entry &&
              /^\{"Ref":"SsmParameterValue\w*sourcetokensecretarn\w*Parameter"\}$/.test(
                JSON.stringify(entry.ValueFrom),
              ),
          })),
      );
    });
    expect(holders).toEqual(
      services.map((service) => ({ service: nameOf(service), container: COLLECTOR_CONTAINER_NAME, secret: true })),
    );
  });

  test('the platform publishes the secret ARN for the collectors of service stacks in other repositories', () => {
    expect(
      Object.values(platformTemplate.findResources('AWS::SSM::Parameter'))
        .filter((parameter) => String(parameter.Properties.Name).endsWith('/source-token/secret-arn'))
        .map((parameter) => parameter.Properties.Value),
    ).toEqual([{ Ref: expect.stringMatching(/^SourceTokenSecret/) }]);
  });

  test("the platform publishes the token's value for their alarms as a String parameter, copied at deploy by a dynamic reference to its secret (the template never holds it)", () => {
    const published = Object.values(platformTemplate.findResources('AWS::SSM::Parameter'))
      .filter((parameter) => parameter.Properties.Name === sourceTokenParameterName(project, 'prod'))
      .map((parameter) => ({ type: parameter.Properties.Type, value: tokenForm(parameter.Properties.Value) }));
    expect(published).toEqual([{ type: 'String', value: 'secret by dynamic reference' }]);
  });
});

describe('the source token in the generated configs: to awsemf and nowhere else', () => {
  const configs = [
    ...['dev', 'prod'].map((env) => generateCollectorConfig(env, profilesWithTenants()[env], 'sidecar')),
    generateCollectorConfig('prod', profilesWithTenants().prod, 'sidecar', { tenant: 'acme-corp' }),
    generateCollectorConfig('prod', profilesWithTenants().prod, 'gateway'),
  ];
  const reference = `\${env:${COLLECTOR_ENV.sourceToken}}`;

  test('each config reads the token in one place: the transform that stamps it on data points', () => {
    const readers = configs.map((generated) =>
      Object.entries({ ...generated.config.processors, ...generated.config.exporters, ...generated.config.extensions })
        .filter(([, component]) => JSON.stringify(component).includes(reference))
        .map(([id]) => id),
    );
    expect(readers).toEqual(configs.map(() => ['transform/source_token']));
  });

  test('the pipelines that stamp it are exactly the pipelines that export to awsemf, and they export nowhere else', () => {
    const stamping = configs.map((generated) =>
      Object.entries(generated.config.service.pipelines)
        .filter(([, pipeline]) => (pipeline.processors ?? []).includes('transform/source_token'))
        .map(([id, pipeline]) => [id, pipeline.exporters]),
    );
    const toAwsEmf = configs.map((generated) =>
      Object.entries(generated.config.service.pipelines)
        .filter(([, pipeline]) => pipeline.exporters.includes('awsemf'))
        .map(([id]) => [id, ['awsemf']]),
    );
    expect(stamping).toEqual(toAwsEmf);
    expect(stamping.map((pipelines) => pipelines.length)).toEqual([2, 2, 2, 1]);
  });

  test('it is stamped after the scrubbers, whose key pattern would drop a key ending in "token"', () => {
    const order = configs.flatMap((generated) =>
      Object.values(generated.config.service.pipelines)
        .map((pipeline) => pipeline.processors ?? [])
        .filter((processors) => processors.includes('transform/source_token'))
        .map((processors) => processors.indexOf('transform/source_token') > processors.indexOf('redaction/pii')),
    );
    expect(order.length).toBeGreaterThan(0);
    expect(order.filter((after) => !after)).toEqual([]);
  });

  test('awsemf declares every dimension set with the token, so no series is written without it', () => {
    const sets = configs.flatMap((generated) =>
      (
        generated.config.exporters.awsemf as { metric_declarations: { dimensions: string[][] }[] }
      ).metric_declarations.flatMap((declaration) => declaration.dimensions),
    );
    expect(sets.filter((set) => !set.includes(SOURCE_TOKEN_DIMENSION))).toEqual([]);
  });

  test('the contract marks the token as the platform secret, so the construct passes it as an ECS secret', () => {
    expect(
      configs.map((generated) => generated.environment.find((variable) => variable.name === COLLECTOR_ENV.sourceToken)),
    ).toEqual(
      configs.map(() => expect.objectContaining({ secret: true, platformSecret: 'sourceToken', readBy: 'config' })),
    );
  });
});

/**
 * The metrics an EMF event writes, as CloudWatch reads the embedded metric format: one metric per
 * name in `_aws.CloudWatchMetrics[].Metrics` and per dimension set in its `Dimensions`, each
 * identified by namespace, name and the full set of dimension names and values (AWS,
 * "Specification: Embedded metric format"). A set that names a field the event lacks is invalid.
 */
function emfIdentities(event: Record<string, unknown>): string[] {
  const directives = (
    event._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }
  ).CloudWatchMetrics;
  return directives.flatMap((directive) =>
    directive.Dimensions.filter((set) => set.every((name) => typeof event[name] === 'string')).flatMap((set) =>
      directive.Metrics.map((metric) =>
        JSON.stringify([directive.Namespace, metric.Name, [...set].sort().map((name) => [name, event[name]])]),
      ),
    ),
  );
}

/** An alarm metric's identity, with CloudFormation's resolution of the token (reference or parameter) stood in by `resolved`. */
function alarmIdentity(metric: AlarmMetric, resolved: string): string {
  const dimensions = (metric.Dimensions ?? [])
    .map((dimension): [string, string] => [
      dimension.Name,
      tokenForm(dimension.Value) === valueText(dimension.Value) ? valueText(dimension.Value) : resolved,
    ])
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([metric.Namespace, metric.MetricName, dimensions]);
}

describe("a forged EMF event cannot reach another service's alarm series", () => {
  const namespace = cloudWatchNamespace(project, 'prod');
  const token = 'Q7tX2mK9pL4vR8nB3cW6yH1sD5fG0jZa'; // what CloudFormation resolves at deploy, unknown to the forger
  const errors = environmentAlarmMetrics().filter(
    (metric) =>
      metric.MetricName === 'request_errors_total' && JSON.stringify(metric.Dimensions).includes('"api-gateway"'),
  );
  const event = (fields: Record<string, string>, dimensions: string[]) => ({
    _aws: {
      Timestamp: 1_800_000_000_000,
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: [dimensions], Metrics: [{ Name: 'request_errors_total' }] },
      ],
    },
    request_errors_total: 1000,
    ...fields,
  });

  test("the collector's own event (with the token the task was given) writes the series the victim's error alarm reads", () => {
    const genuine = event({ 'service.name': 'api-gateway', source_token: token }, ['service.name', 'source_token']);
    expect(errors.length).toBeGreaterThan(0);
    expect(emfIdentities(genuine)).toEqual([alarmIdentity(errors[0], token)]);
  });

  test('an event that names the victim but not the token (what an application can print or put) writes another series', () => {
    const forged = event({ 'service.name': 'api-gateway' }, ['service.name']);
    expect(emfIdentities(forged)).not.toContain(alarmIdentity(errors[0], token));
  });

  test('an event with a guessed token writes another series too: the token is part of the identity', () => {
    const guessed = event({ 'service.name': 'api-gateway', source_token: 'guess' }, ['service.name', 'source_token']);
    expect(emfIdentities(guessed)).not.toContain(alarmIdentity(errors[0], token));
  });
});
