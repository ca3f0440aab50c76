/**
 * A task speaks only for itself (README, "A task speaks only for itself"): over the synthesized IAM
 * policies of the tenant fixture (prod with two tenants: platform and tenant services), no task
 * role may write the log events or metrics that another service's alarms read; over the generated
 * config, the sidecar stamps the task's service name, not the application's.
 */

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { serviceEmfLogGroupName } from '../../lib/collector/cloudwatch';
import { COLLECTOR_ENV, generateCollectorConfig } from '../../lib/collector/generate';
import { COLLECTOR_CONTAINER_NAME, OtelCollectorSidecar } from '../../lib/constructs/otel-collector-sidecar';
import { TelemetryLogGroup } from '../../lib/constructs/telemetry-log-group';
import { auditLogGroupName } from '../../lib/logs/audit';
import { buildTestApp } from '../support/default-app';
import { environmentsWithTenants, profilesWithTenants } from '../support/tenant-profiles';

const { platforms, services } = buildTestApp({
  environments: environmentsWithTenants(),
  selection: 'prod',
  compliance: false,
});
const project = platforms[0].profile.project;
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
        { context: 'resource', statements: ['set(resource.attributes["service.name"], "otelcol-contrib")'] },
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

  test("it refuses an EMF log group other than its service's: the task role would be granted the wrong one", () => {
    const stack = new Stack(new App(), 'Lonely');
    expect(
      () =>
        new OtelCollectorSidecar(stack, 'Collector', {
          taskDefinition: new ecs.FargateTaskDefinition(stack, 'Task'),
          environmentName: 'dev',
          profile: platforms[0].profile,
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
        '"/ecs/starmates-ai-team-dev/lonely/otel-emf". Create the log group with that name',
    );
  });
});
