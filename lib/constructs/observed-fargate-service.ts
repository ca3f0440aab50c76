import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MIN_APP_MEMORY_MIB } from '../collector/memory';
import { taskFamilyName } from '../naming';
import type { ServiceAlertThresholds } from '../platform-settings/service';
import type { TrafficAnomalySetting } from '../platform-settings/settings';
import type { SignalDeclaration } from '../signals';
import { FargateObservability } from './fargate-observability';
import type { OtelCollectorSidecar } from './otel-collector-sidecar';
import type { IObservabilityPlatform } from './platform';
import type { ServiceAlarms } from './service-alarms';

export interface ObservedFargateServiceProps {
  /** The environment's shared parts: cluster, key, topics, settings. */
  readonly platform: IObservabilityPlatform;
  /** The service's name: `service.name` of its telemetry, the ECS service name and its log group's last part. */
  readonly serviceName: string;
  /** The application image, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2`. */
  readonly image: ecs.ContainerImage;
  /** The TCP port the application listens on. */
  readonly port: number;
  /**
   * The HTTP path of the application's health check, e.g. `/health`.
   * @default - none; then `healthCheckCommand` is required
   */
  readonly healthCheckPath?: string;
  /** Task cpu units (the collector's share included). */
  readonly cpu: number;
  /**
   * Task memory in MiB (the collector's share included). The application container's hard limit
   * is what the collector leaves of it: the collector cannot starve the application, nor the
   * application the collector.
   */
  readonly memoryLimitMiB: number;
  /**
   * How many tasks run.
   * @default 1
   */
  readonly desiredCount?: number;
  /**
   * The enable-observability-instrumentation switch. Off: the SDK is disabled
   * (`OTEL_SDK_DISABLED=true`) and the task has no collector.
   * @default true
   */
  readonly instrumentation?: boolean;
  /**
   * Whether the task stops when the collector stops.
   * @default false - a telemetry outage never takes the service down
   */
  readonly essentialCollector?: boolean;
  /**
   * The application's health-check command, run inside the application container.
   * @default - a Python probe of `http://localhost:<port><healthCheckPath>` (the design's services are Python);
   *   one of the two is required
   */
  readonly healthCheckCommand?: string[];
  /**
   * The user (and group) the application container runs as, e.g. `1000:1000`: `uid`, `uid:gid`,
   * `user` or `user:group`. Give the group with a numeric uid when the image has no /etc/passwd
   * entry for it, or the process runs with group 0. Control Tower (CT.ECS.PR.3) requires a non-root
   * user in the task definition.
   * @default - the image's own USER, which the task definition does not show (CT.ECS.PR.3 fails)
   */
  readonly user?: string;
  /**
   * Whether the application container's root file system is read-only. Name the paths the
   * application writes to in `writablePaths`, or turn this off.
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Paths the application writes to (for example `/tmp`), each mounted as an empty volume on the
   * task's ephemeral storage, so the root file system can stay read-only. With a non-root `user`,
   * declare the path as a `VOLUME` owned by that user in the image: ECS then copies the image's
   * directory, with its permissions, into the volume.
   * @default - none
   */
  readonly writablePaths?: string[];
  /**
   * The key that encrypts the service's log groups.
   * @default - a key of the service's own (`LogGroupKey`, yearly rotation) that CloudWatch Logs
   *   may use for this service's log groups only
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * What happens to the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Whether to create the service's CloudWatch alarms (`ServiceAlarms`), routed to the platform's
   * severity topics.
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * The signals the service's alarms are built from (lib/signals): the library's, or those plus
   * signals declared by the caller (`withSignals`).
   * @default SIGNAL_DECLARATIONS
   */
  readonly signals?: readonly SignalDeclaration[];
  /**
   * The subnets of the tasks.
   * @default - the cluster VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The tenant (one of the platform settings' tenants) the service belongs to: its telemetry carries
   * `tenant.id` and goes only to that tenant's Grafana Cloud stack, and its task reads only that
   * tenant's token. When the platform deploys the service, this must be its `tenant` in the
   * platform's profile: the tenant's reader role and saved queries follow the profile.
   * @default - the tenant the platform's profile gives the service; a platform service when it has none
   */
  readonly tenant?: string;
  /**
   * The service's overrides of the environment's alert thresholds, by signal and severity.
   * @default - the environment's thresholds
   */
  readonly alertThresholds?: ServiceAlertThresholds;
  /**
   * The service's traffic anomaly setting, over the environment's.
   * @default - the environment's setting
   */
  readonly trafficAnomaly?: TrafficAnomalySetting;
}

/**
 * A Fargate service with traces, metrics and logs wired end to end: an application container
 * with the OpenTelemetry SDK environment, an OpenTelemetry Collector sidecar running the
 * environment's generated config with the Grafana Cloud token from SSM, and encrypted log groups
 * with the environment's retention for both. The shortest path for a new service: it creates the
 * task definition and the service, then hands them to `FargateObservability`, the entry point a
 * team with a service of its own calls.
 */
export class ObservedFargateService extends Construct {
  /** The environment the service runs in. */
  public readonly platform: IObservabilityPlatform;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly appContainer: ecs.ContainerDefinition;
  /** What observes the service: sidecar, log groups, alarms. */
  public readonly observability: FargateObservability;
  /** The collector sidecar; undefined when instrumentation is off. */
  public readonly collector?: OtelCollectorSidecar;
  public readonly appLogGroup: logs.ILogGroup;
  /** The collector's log group; undefined when instrumentation is off. */
  public readonly collectorLogGroup?: logs.ILogGroup;
  /** The log group of the service's EMF metrics, the only one its task role may write; undefined when instrumentation is off. */
  public readonly emfLogGroup?: logs.ILogGroup;
  public readonly service: ecs.FargateService;
  /** The key that encrypts the service's log groups. */
  public readonly logEncryptionKey: kms.IKey;
  /** The service's CloudWatch alarms; undefined when `alarms` is false. */
  public readonly alarms?: ServiceAlarms;

  constructor(scope: Construct, id: string, props: ObservedFargateServiceProps) {
    super(scope, id);
    this.platform = props.platform;
    const { platform, serviceName } = props;
    const { settings, environmentName } = platform;
    const instrumentation = props.instrumentation ?? true;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: taskFamilyName(settings.project, environmentName, serviceName),
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });

    this.appContainer = this.taskDefinition.addContainer('App', {
      containerName: serviceName,
      image: props.image,
      essential: true,
      memoryLimitMiB: this.appMemoryLimitMiB(props, instrumentation),
      user: props.user,
      portMappings: [{ containerPort: props.port, name: 'http' }],
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? true,
      healthCheck: {
        command: this.healthCheckCommand(props),
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
    });
    this.mountWritablePaths(props.writablePaths ?? []);

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName,
      cluster: platform.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount ?? 1,
      assignPublicIp: false,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { enable: true, rollback: true },
      // Start new tasks before stopping old ones: capacity never drops below the desired count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: false,
    });

    // Id 'Default': CDK leaves it out of logical ids, so the log groups, key and alarms keep the
    // ids they had when this construct created them itself (a new id would replace a log group).
    this.observability = new FargateObservability(this, 'Default', {
      platform,
      serviceName,
      service: this.service,
      instrumentation,
      essentialCollector: props.essentialCollector,
      tenant: props.tenant,
      logEncryptionKey: props.logEncryptionKey,
      logRemovalPolicy: props.logRemovalPolicy,
      alarms: props.alarms,
      signals: props.signals,
      alertThresholds: props.alertThresholds,
      trafficAnomaly: props.trafficAnomaly,
    });
    this.collector = this.observability.collector;
    this.appLogGroup = this.observability.appLogGroup;
    this.collectorLogGroup = this.observability.collectorLogGroup;
    this.emfLogGroup = this.observability.emfLogGroup;
    this.logEncryptionKey = this.observability.logEncryptionKey;
    this.alarms = this.observability.alarms;
  }

  /** The given command, or the Python probe of the given path: one of the two is needed. */
  private healthCheckCommand(props: ObservedFargateServiceProps): string[] {
    if (props.healthCheckCommand !== undefined) return props.healthCheckCommand;
    if (props.healthCheckPath === undefined) {
      throw new Error(
        `${this.node.path}: give healthCheckPath (e.g. /health, probed over HTTP) or healthCheckCommand (run in the container)`,
      );
    }
    return pythonHealthProbe(props.port, props.healthCheckPath);
  }

  /** The application container's hard memory limit: the task's memory less the collector's. */
  private appMemoryLimitMiB(props: ObservedFargateServiceProps, instrumentation: boolean): number {
    if (!instrumentation) return props.memoryLimitMiB;
    const collectorMiB = props.platform.settings.collectorSidecar.memoryMiB;
    const appMiB = props.memoryLimitMiB - collectorMiB;
    if (appMiB < MIN_APP_MEMORY_MIB) {
      throw new Error(
        `${this.node.path}: memoryLimitMiB ${props.memoryLimitMiB} leaves the application ${appMiB} MiB next to the ` +
          `collector's ${collectorMiB} MiB (the settings of ${props.platform.environmentName}: collectorSidecar.memoryMiB); ` +
          `give the task at least ${collectorMiB + MIN_APP_MEMORY_MIB} MiB`,
      );
    }
    return appMiB;
  }

  /** An empty task-storage volume per path, so the root file system can stay read-only. */
  private mountWritablePaths(paths: readonly string[]): void {
    for (const [index, containerPath] of paths.entries()) {
      if (!containerPath.startsWith('/')) {
        throw new Error(`${this.node.path}: writablePaths: "${containerPath}" is not an absolute path (e.g. /tmp)`);
      }
      const name = `writable-${index}`;
      this.taskDefinition.addVolume({ name });
      this.appContainer.addMountPoints({ sourceVolume: name, containerPath, readOnly: false });
    }
  }
}

/**
 * The application health probe: a fixed Python program that reads the port and the path from its
 * arguments (`sys.argv`). Data never becomes code: whatever the path holds, the program is this
 * constant, and ECS runs the `CMD` form without a shell. Exits 0 only on a 2xx answer
 * within 4 s (urlopen follows redirects and raises on 4xx and 5xx, which exits 1).
 */
export const HEALTH_PROBE_SCRIPT =
  'import sys, urllib.request; ' +
  "sys.exit(0 if urllib.request.urlopen('http://localhost:' + sys.argv[1] + sys.argv[2], timeout=4).status < 300 else 1)";

/** The container health-check command of the Python probe: `python3 -c <fixed program> <port> <path>`. */
export function pythonHealthProbe(port: number, path: string): string[] {
  return ['CMD', 'python3', '-c', HEALTH_PROBE_SCRIPT, String(port), path];
}
