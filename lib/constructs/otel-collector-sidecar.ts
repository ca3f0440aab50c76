import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { emfLogGroupName } from '../collector/cloudwatch';
import { type GeneratedCollectorConfig, generateCollectorConfig } from '../collector/generate';
import { DEFAULT_COLLECTOR_MEMORY_MIB } from '../collector/memory';
import { imageVersion, sdkEnvironment } from '../collector/sdk-environment';
import { renderCollectorConfig } from '../collector/yaml';
import type { EnvironmentProfile } from '../profile/schema';
import { acknowledgeWildcardResource } from './acknowledgements';
import type { TelemetryLogGroup } from './telemetry-log-group';

/** The collector container's name: app containers reach it on localhost. */
export const COLLECTOR_CONTAINER_NAME = 'otel-collector';

/** The environment variable that carries the generated config into the container. */
export const COLLECTOR_CONFIG_VARIABLE = 'OTELCOL_CONFIG_YAML';

/** Collector cpu units when the profile does not set `collector.cpu`. */
export const DEFAULT_COLLECTOR_CPU = 256;

export interface OtelCollectorSidecarProps {
  /** The task definition the collector joins (awsvpc: its containers share localhost). */
  readonly taskDefinition: ecs.TaskDefinition;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The validated environment profile: the config, cpu and memory come from it. */
  readonly profile: EnvironmentProfile;
  /** Where the collector's own logs go. */
  readonly logGroup: TelemetryLogGroup;
  /**
   * The source of every secret the generated config reads, by environment variable name
   * (for the default config: `GRAFANA_CLOUD_API_KEY`). A secret the config reads without a
   * source here is a synth error.
   */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
  /**
   * Whether the task stops when the collector stops. A telemetry outage must not take the
   * service down, so by default the app containers keep running without it.
   * @default false
   */
  readonly essential?: boolean;
}

/**
 * The OpenTelemetry Collector as a sidecar container of a task definition, running the config
 * that `generateCollectorConfig` produces for the environment.
 *
 * - The config travels in an environment variable (`--config=env:…`), so any change to it makes a
 *   new task-definition revision and rolls the tasks; a config in SSM would change under a
 *   task definition that does not.
 * - Every variable of the config's environment contract reaches the container: plain values as
 *   environment variables, secrets as ECS secrets (never as values). A validation re-reads the
 *   rendered container definition at synth and fails on any gap.
 * - Application containers join with `instrument()`: they get the OpenTelemetry SDK environment and
 *   start after the collector has started (START, not HEALTHY: the contrib image is built FROM
 *   scratch and has no shell for a container health check).
 *
 * A construct that composes the task definition, rather than a task-definition subclass that wires
 * every container added to it: the task definition stays an ordinary `ecs.TaskDefinition`, the
 * collector's own container is never wired to itself, and which containers send telemetry is an
 * explicit, visible call.
 */
export class OtelCollectorSidecar extends Construct {
  /** The generated config and its environment contract. */
  public readonly collector: GeneratedCollectorConfig;
  /** The collector container. */
  public readonly container: ecs.ContainerDefinition;
  private readonly props: OtelCollectorSidecarProps;

  constructor(scope: Construct, id: string, props: OtelCollectorSidecarProps) {
    super(scope, id);
    this.props = props;
    const { taskDefinition, environmentName, profile } = props;
    const sidecar = sidecarConfig(environmentName, profile);
    this.collector = sidecar.collector;

    const plain: Record<string, string> = {
      [COLLECTOR_CONFIG_VARIABLE]: sidecar.yaml,
    };
    const secrets: Record<string, ecs.Secret> = {};
    const missing: string[] = [];
    for (const variable of this.collector.environment) {
      if (!variable.secret) {
        plain[variable.name] = variable.value ?? '';
      } else if (props.secrets[variable.name] !== undefined) {
        secrets[variable.name] = props.secrets[variable.name];
      } else {
        missing.push(variable.name);
      }
    }
    if (missing.length > 0) {
      throw new Error(
        `${this.node.path}: the collector config reads ${missing.join(', ')} as secret(s), but no source was given. ` +
          `Pass them in OtelCollectorSidecarProps.secrets, e.g. { ${missing[0]}: credentials.apiKeySecret() }`,
      );
    }

    this.container = taskDefinition.addContainer('OtelCollector', {
      containerName: COLLECTOR_CONTAINER_NAME,
      image: ecs.ContainerImage.fromRegistry(this.collector.distribution.image),
      command: [`--config=env:${COLLECTOR_CONFIG_VARIABLE}`],
      essential: props.essential ?? false,
      cpu: profile.collector?.cpu ?? DEFAULT_COLLECTOR_CPU,
      memoryLimitMiB: profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB,
      environment: plain,
      secrets,
      readonlyRootFilesystem: true,
      // The contrib image runs as this non-root user already; saying so makes it part of the task definition.
      user: '10001',
      logging: props.logGroup.logDriver(COLLECTOR_CONTAINER_NAME),
    });

    this.grantEmfWrites(taskDefinition.taskRole, environmentName, profile);
    this.node.addValidation({ validate: () => this.contractProblems() });
  }

  /**
   * Points an application container at the collector: the OpenTelemetry SDK environment
   * (endpoint, service name and version, resource attributes, sampler, exponential histograms with
   * delta temporality) and a start-up dependency on the collector.
   * @param serviceName `service.name` of the telemetry this container sends
   */
  public instrument(container: ecs.ContainerDefinition, serviceName: string): void {
    const { profile, environmentName } = this.props;
    const environment = sdkEnvironment({
      environmentName,
      profile,
      serviceName,
      serviceVersion: imageVersion(container.imageName),
      instrumentation: true,
    });
    for (const [name, value] of Object.entries(environment)) container.addEnvironment(name, value);
    container.addContainerDependencies({
      container: this.container,
      condition: ecs.ContainerDependencyCondition.START,
    });
  }

  /** awsemf writes the CloudWatch alarm metrics as EMF events into the environment's EMF log group. */
  private grantEmfWrites(role: iam.IRole, environmentName: string, profile: EnvironmentProfile): void {
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: emfLogGroupName(profile.project, environmentName),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logStreams = `${logGroupArn}:log-stream:*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteEmfMetricsOfThisEnvironment',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroupArn, logStreams],
      }),
    );
    acknowledgeWildcardResource(
      role,
      logStreams,
      'awsemf names its log stream after the task id ({TaskId}), unknown before the task starts: the wildcard ' +
        "covers the streams of the environment's EMF log group only.",
    );
  }

  /** Compares the rendered container definition with the contract: names, secret-ness, values. */
  private contractProblems(): string[] {
    const rendered = Stack.of(this).resolve(this.container.renderContainerDefinition()) as {
      environment?: { name: string; value: string }[];
      secrets?: { name: string; valueFrom: unknown }[];
    };
    const plainNames = new Map((rendered.environment ?? []).map((entry) => [entry.name, entry.value]));
    const secretNames = new Set((rendered.secrets ?? []).map((entry) => entry.name));
    const problems: string[] = [];
    for (const variable of this.collector.environment) {
      if (variable.secret) {
        if (!secretNames.has(variable.name))
          problems.push(`${variable.name} must reach the collector as an ECS secret`);
        if (plainNames.has(variable.name)) problems.push(`${variable.name} is a secret but is set as a plain value`);
      } else if (plainNames.get(variable.name) !== variable.value) {
        problems.push(`${variable.name} must be set to "${variable.value}" (found "${plainNames.get(variable.name)}")`);
      }
    }
    return problems.map((problem) => `collector environment contract: ${problem}`);
  }
}

/**
 * Every sidecar of an environment runs the same config: generate, check and render it once per
 * profile and environment (it was about a tenth of synth time for 50 services). The generator is
 * pure, so the cached result is the one a fresh call would return.
 */
const sidecarConfigs = new WeakMap<
  EnvironmentProfile,
  Map<string, { collector: GeneratedCollectorConfig; yaml: string }>
>();

function sidecarConfig(environmentName: string, profile: EnvironmentProfile) {
  let byEnvironment = sidecarConfigs.get(profile);
  if (byEnvironment === undefined) {
    byEnvironment = new Map();
    sidecarConfigs.set(profile, byEnvironment);
  }
  let cached = byEnvironment.get(environmentName);
  if (cached === undefined) {
    const collector = generateCollectorConfig(environmentName, profile, 'sidecar');
    cached = { collector, yaml: renderCollectorConfig(collector) };
    byEnvironment.set(environmentName, cached);
  }
  return cached;
}
