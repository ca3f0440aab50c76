import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { serviceEmfLogGroupName } from '../collector/cloudwatch';
import { COLLECTOR_ENV, type GeneratedCollectorConfig } from '../collector/generate';
import { DEFAULT_COLLECTOR_CPU, DEFAULT_COLLECTOR_MEMORY_MIB } from '../collector/memory';
import { imageVersion, sdkEnvironment } from '../collector/sdk-environment';
import { renderCollectorConfig } from '../collector/yaml';
import { COLLECTOR_CONTAINER_NAME, GATEWAY_SERVICE_NAME } from '../naming';
import { generatedSidecarConfig, type SidecarCollectorConfig } from '../platform-settings/settings';
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
  /** The project: `service.namespace` of the telemetry and the first part of the EMF log group's name. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /**
   * The generated, checked sidecar config of the environment (and the service's tenant): the
   * platform settings' `collectorSidecar.platformConfig`, or `tenantConfigs[tenant]`.
   */
  readonly collector: SidecarCollectorConfig;
  /**
   * The collector's cpu units.
   * @default DEFAULT_COLLECTOR_CPU
   */
  readonly cpu?: number;
  /**
   * The collector's memory in MiB, reserved from the task's.
   * @default DEFAULT_COLLECTOR_MEMORY_MIB
   */
  readonly memoryMiB?: number;
  /**
   * The head-sampling variables of the application containers (the platform settings'
   * `sdk.headSamplingVariables`): a ratio without a gateway, every trace with one.
   */
  readonly headSamplingVariables: { readonly [name: string]: string };
  /**
   * The Cloud Map namespace of the environment's collector gateway, whose tasks the sidecar sends
   * traces to (the platform settings' `gateway.cloudMapNamespaceName`).
   * @default - no gateway: the sidecar exports traces itself
   */
  readonly gatewayNamespaceName?: string;
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
   * The tenant whose service this task runs: its telemetry is stamped with that `tenant.id` and
   * goes to that tenant's Grafana Cloud stack only, with only that tenant's token in the task. It
   * must be the tenant of `collector`.
   * @default - a platform service
   */
  readonly tenant?: string;
  /**
   * The source of secrets the generated config reads, by environment variable name (for a
   * platform service: `GRAFANA_CLOUD_API_KEY`).
   * @default - each secret from the SSM SecureString parameter the config's contract names for it
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
    const { taskDefinition, environmentName, collector } = props;
    if (
      collector.role !== 'sidecar' ||
      collector.environmentName !== environmentName ||
      collector.tenant !== props.tenant
    ) {
      throw new Error(
        `${this.node.path}: collector is the ${collector.role} config of ${collector.environmentName}` +
          `${collector.tenant === undefined ? '' : ` for tenant ${collector.tenant}`}, but the sidecar runs in ` +
          `${environmentName}${props.tenant === undefined ? '' : ` for tenant ${props.tenant}`}: pass the platform ` +
          "settings' collectorSidecar.platformConfig, or tenantConfigs[tenant] for a tenant's service",
      );
    }
    const sidecar = sidecarConfig(collector);
    this.collector = sidecar.collector;
    const emfLogGroupName = serviceEmfLogGroupName(props.project, environmentName, props.serviceName);
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
      cpu: props.cpu ?? DEFAULT_COLLECTOR_CPU,
      memoryLimitMiB: props.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB,
    }).container;

    if (props.gatewayNamespaceName !== undefined) {
      this.grantGatewayDiscovery(taskDefinition.taskRole, props.gatewayNamespaceName);
    }
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
    const { project, environmentName, headSamplingVariables, tenant } = this.props;
    if (serviceName !== this.props.serviceName) {
      throw new Error(
        `${this.node.path}: the sidecar of ${this.props.serviceName} cannot instrument a container as ${serviceName}: ` +
          'it stamps its own service name on all it forwards. Give the container its own task and sidecar',
      );
    }
    const environment = sdkEnvironment({
      environmentName,
      project,
      headSamplingVariables,
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
  private grantGatewayDiscovery(role: iam.IRole, namespaceName: string): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DiscoverCollectorGatewayTasks',
        actions: ['servicediscovery:DiscoverInstances'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'servicediscovery:NamespaceName': namespaceName,
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
 * Every sidecar of an environment (and tenant) runs the same config object: look its distribution
 * up, check and render it once (it was about a tenth of synth time for 50 services). Both are
 * pure, so the cached result is the one a fresh call would return.
 */
const sidecarConfigs = new WeakMap<SidecarCollectorConfig, { collector: GeneratedCollectorConfig; yaml: string }>();

function sidecarConfig(config: SidecarCollectorConfig) {
  let cached = sidecarConfigs.get(config);
  if (cached === undefined) {
    const collector = generatedSidecarConfig(config);
    cached = { collector, yaml: renderCollectorConfig(collector) };
    sidecarConfigs.set(config, cached);
  }
  return cached;
}
