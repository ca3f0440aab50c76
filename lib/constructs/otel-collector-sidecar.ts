import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { serviceEmfLogGroupName } from '../collector/cloudwatch';
import { COLLECTOR_ENV, type GeneratedCollectorConfig, generateCollectorConfig } from '../collector/generate';
import { DEFAULT_COLLECTOR_CPU, DEFAULT_COLLECTOR_MEMORY_MIB } from '../collector/memory';
import { imageVersion, sdkEnvironment } from '../collector/sdk-environment';
import { renderCollectorConfig } from '../collector/yaml';
import { COLLECTOR_CONTAINER_NAME, GATEWAY_SERVICE_NAME, gatewayNamespaceName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import { acknowledgeWildcardResource } from './acknowledgements';
import { grantAuditWrites } from './audit-log-group';
import { CollectorContainer } from './collector-container';
import type { TelemetryLogGroup } from './telemetry-log-group';

export { DEFAULT_COLLECTOR_CPU } from '../collector/memory';

// Re-exported: the names and defaults live where the profile rules can read them without CDK.
export { COLLECTOR_CONTAINER_NAME } from '../naming';
export { COLLECTOR_CONFIG_VARIABLE } from './collector-container';

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
   * The service the task runs. The collector stamps it as `service.name` on everything it forwards
   * (whatever the application claims), and writes its CloudWatch metrics to that service's EMF log group.
   */
  readonly serviceName: string;
  /**
   * The service's EMF log group, `serviceEmfLogGroupName(project, environment, serviceName)`: the only log
   * group the task role may write. Created by the caller, encrypted and with a retention (awsemf
   * would create it with neither, and the task role may not create log groups).
   */
  readonly emfLogGroup: logs.ILogGroup;
  /**
   * The environment's source token (`platform.sourceToken`): the collector container gets it as an
   * ECS secret, read by the execution role; the application containers get nothing of it.
   */
  readonly sourceToken: secretsmanager.ISecret;
  /**
   * The tenant (a key of the profile's `tenants`) whose service this task runs: its telemetry is
   * stamped with that `tenant.id` and goes to that tenant's Grafana Cloud stack only, with only
   * that tenant's token in the task.
   * @default - a platform service
   */
  readonly tenant?: string;
  /**
   * The source of secrets the generated config reads, by environment variable name (for a
   * platform service: `GRAFANA_CLOUD_API_KEY`).
   * @default - each secret from the SSM SecureString parameter the profile names for it
   */
  readonly secrets?: Readonly<Record<string, ecs.Secret>>;
  /**
   * Whether the task stops when the collector stops. A telemetry outage must not take the
   * service down, so by default the app containers keep running without it.
   * @default false
   */
  readonly essential?: boolean;
}

/**
 * The OpenTelemetry Collector as a sidecar container of a task definition, running the config
 * that `generateCollectorConfig` produces for the environment (and the service's tenant).
 *
 * - Application containers join with `instrument()`: they get the OpenTelemetry SDK environment and
 *   start after the collector has started (START, not HEALTHY: the collector has a health check,
 *   but an application that waited for it to be healthy would not start while telemetry is down).
 * - The collector has a container health check (a probe binary its setup container installs:
 *   lib/collector/health-probe.ts) and restarts in place when it exits; it stays non-essential, so
 *   it never stops the application. The service's heartbeat alarm pages when it stops reporting.
 * - In an environment with a gateway tier, the sidecar sends traces to the gateway tasks it finds
 *   in Cloud Map: the task role may list exactly that one Cloud Map service.
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
    const sidecar = sidecarConfig(environmentName, profile, props.tenant);
    this.collector = sidecar.collector;
    const emfLogGroupName = serviceEmfLogGroupName(profile.project, environmentName, props.serviceName);
    if (!Token.isUnresolved(props.emfLogGroup.logGroupName) && props.emfLogGroup.logGroupName !== emfLogGroupName) {
      throw new Error(
        `${this.node.path}: emfLogGroup is "${props.emfLogGroup.logGroupName}", but the sidecar of ${props.serviceName} ` +
          `writes to "${emfLogGroupName}". Create the log group with that name`,
      );
    }

    this.container = new CollectorContainer(this, 'OtelCollector', {
      taskDefinition,
      containerName: COLLECTOR_CONTAINER_NAME,
      collector: this.collector,
      configYaml: sidecar.yaml,
      logGroup: props.logGroup,
      secrets: {
        ...props.secrets,
        [COLLECTOR_ENV.sourceToken]: ecs.Secret.fromSecretsManager(props.sourceToken),
      },
      essential: props.essential ?? false,
      serviceName: props.serviceName,
      cpu: profile.collector?.cpu ?? DEFAULT_COLLECTOR_CPU,
      memoryLimitMiB: profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB,
    }).container;

    if (profile.gateway !== undefined) this.grantGatewayDiscovery(taskDefinition.taskRole);
    grantAuditWrites(taskDefinition.taskRole, this.collector, props.serviceName);
  }

  /**
   * Points an application container at the collector: the OpenTelemetry SDK environment
   * (endpoint, service name and version, resource attributes, sampler, exponential histograms with
   * delta temporality) and a start-up dependency on the collector.
   * @param serviceName `service.name` of the telemetry this container sends: the sidecar's own
   *   service, since the sidecar stamps that name on all it forwards
   */
  public instrument(container: ecs.ContainerDefinition, serviceName: string = this.props.serviceName): void {
    const { profile, environmentName, tenant } = this.props;
    if (serviceName !== this.props.serviceName) {
      throw new Error(
        `${this.node.path}: the sidecar of ${this.props.serviceName} cannot instrument a container as ${serviceName}: ` +
          'it stamps its own service name on all it forwards. Give the container its own task and sidecar',
      );
    }
    const environment = sdkEnvironment({
      environmentName,
      profile,
      serviceName,
      serviceVersion: imageVersion(container.imageName),
      instrumentation: true,
      tenant,
    });
    for (const [name, value] of Object.entries(environment)) container.addEnvironment(name, value);
    container.addContainerDependencies({
      container: this.container,
      condition: ecs.ContainerDependencyCondition.START,
    });
  }

  /**
   * The load_balancing exporter lists the gateway tasks with `servicediscovery:DiscoverInstances`,
   * which has no resource-level permissions: the conditions pin it to the gateway's namespace and
   * service.
   */
  private grantGatewayDiscovery(role: iam.IRole): void {
    const { profile, environmentName } = this.props;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DiscoverCollectorGatewayTasks',
        actions: ['servicediscovery:DiscoverInstances'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'servicediscovery:NamespaceName': gatewayNamespaceName(profile.project, environmentName),
            'servicediscovery:ServiceName': GATEWAY_SERVICE_NAME,
          },
        },
      }),
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'servicediscovery:DiscoverInstances supports no resource-level permissions (AWS requires Resource "*"); ' +
        "the statement's conditions allow only the collector gateway's Cloud Map namespace and service.",
    );
  }
}

/**
 * Every sidecar of an environment (and tenant) runs the same config: generate, check and render
 * it once per profile, environment and tenant (it was about a tenth of synth time for 50
 * services). The generator is pure, so the cached result is the one a fresh call would return.
 */
const sidecarConfigs = new WeakMap<
  EnvironmentProfile,
  Map<string, { collector: GeneratedCollectorConfig; yaml: string }>
>();

function sidecarConfig(environmentName: string, profile: EnvironmentProfile, tenant: string | undefined) {
  let cache = sidecarConfigs.get(profile);
  if (cache === undefined) {
    cache = new Map();
    sidecarConfigs.set(profile, cache);
  }
  // Environment names hold no "/", so the key is unambiguous.
  const key = `${environmentName}/${tenant ?? ''}`;
  let cached = cache.get(key);
  if (cached === undefined) {
    const collector = generateCollectorConfig(environmentName, profile, 'sidecar', { tenant });
    cached = { collector, yaml: renderCollectorConfig(collector) };
    cache.set(key, cached);
  }
  return cached;
}
