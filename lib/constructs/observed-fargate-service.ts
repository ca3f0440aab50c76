import { Duration, Lazy, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceEmfLogGroupName } from '../collector/cloudwatch';
import { DEFAULT_COLLECTOR_MEMORY_MIB } from '../collector/memory';
import { sdkEnvironment } from '../collector/sdk-environment';
import { serviceLogGroupName } from '../naming';
import { acknowledgeWildcardResource } from './acknowledgements';
import { LogGroupKey } from './log-group-key';
import { OtelCollectorSidecar } from './otel-collector-sidecar';
import type { IObservabilityPlatform } from './platform';
import { ServiceAlarms } from './service-alarms';
import { TelemetryLogGroup } from './telemetry-log-group';

export interface ObservedFargateServiceProps {
  /** The environment's shared parts: cluster, key, profile. */
  readonly platform: IObservabilityPlatform;
  /** The service's name: `service.name` of its telemetry, the ECS service name and its log group's last part. */
  readonly serviceName: string;
  /** The application image, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api-gateway:1.4.2`. */
  readonly image: ecs.ContainerImage;
  /** The TCP port the application listens on. */
  readonly port: number;
  /** The HTTP path of the application's health check, e.g. `/health`. */
  readonly healthCheckPath: string;
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
   * @default - a Python probe of `http://localhost:<port><healthCheckPath>` (the design's services are Python)
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
  readonly writablePaths?: readonly string[];
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
   * The subnets of the tasks.
   * @default - the cluster VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * The tenant (a key of the profile's `tenants`) the service belongs to: its telemetry carries
   * `tenant.id` and goes only to that tenant's Grafana Cloud stack, and its task reads only that
   * tenant's token. When the profile lists the service, this must be its `tenant` there: the
   * tenant's reader role and saved queries follow the profile.
   * @default - the service's tenant in the profile; a platform service when it has none
   */
  readonly tenant?: string;
}

/**
 * A Fargate service with traces, metrics and logs wired end to end: an application container
 * with the OpenTelemetry SDK environment, an OpenTelemetry Collector sidecar running the
 * environment's generated config with the Grafana Cloud token from SSM, and encrypted log groups
 * with the environment's retention for both.
 */
export class ObservedFargateService extends Construct {
  /** The environment the service runs in. */
  public readonly platform: IObservabilityPlatform;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly appContainer: ecs.ContainerDefinition;
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
    const { profile, environmentName } = platform;
    const instrumentation = props.instrumentation ?? true;
    const tenant = this.tenantOf(props);
    const logGroupName = serviceLogGroupName(profile.project, environmentName, serviceName);
    const collectorLogGroupName = `${logGroupName}/otel-collector`;
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    // A key in the service's own stack, not the platform's: a key imported from another stack is an
    // Fn::ImportValue, which Control Tower's CT.CLOUDWATCH.PR.3 cannot prove to be a KMS key. Its
    // policy is also narrower than the platform key's (this service's log groups only).
    this.logEncryptionKey =
      props.logEncryptionKey ??
      new LogGroupKey(this, 'LogKey', {
        alias: `${profile.project}-${environmentName}-${serviceName}-logs`,
        description: `Encrypts the log groups of ${logGroupName}`,
        logGroupNames: [logGroupName, `${logGroupName}/*`],
        // Kept as long as the log groups it encrypts.
        removalPolicy: logRemovalPolicy,
      }).key;
    const logGroup = (logId: string, name: string) =>
      new TelemetryLogGroup(this, logId, {
        logGroupName: name,
        retention: profile.logRetentionDays as logs.RetentionDays,
        encryptionKey: this.logEncryptionKey,
        removalPolicy: logRemovalPolicy,
      });
    const appLogs = logGroup('AppLogs', logGroupName);
    this.appLogGroup = appLogs.logGroup;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: `${profile.project}-${environmentName}-${serviceName}`,
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
        command: props.healthCheckCommand ?? pythonHealthProbe(props.port, props.healthCheckPath),
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logging: appLogs.logDriver(serviceName),
    });
    this.mountWritablePaths(props.writablePaths ?? []);

    if (instrumentation) {
      const collectorLogs = logGroup('CollectorLogs', collectorLogGroupName);
      this.collectorLogGroup = collectorLogs.logGroup;
      // The service's own EMF group, not the environment's: the task role may write this one only.
      this.emfLogGroup = logGroup(
        'EmfLogs',
        serviceEmfLogGroupName(profile.project, environmentName, serviceName),
      ).logGroup;
      this.collector = new OtelCollectorSidecar(this, 'Collector', {
        taskDefinition: this.taskDefinition,
        environmentName,
        profile,
        logGroup: collectorLogs,
        serviceName,
        emfLogGroup: this.emfLogGroup,
        tenant,
        essential: props.essentialCollector,
      });
      this.collector.instrument(this.appContainer);
    } else {
      const disabled = sdkEnvironment({
        environmentName,
        profile,
        serviceName,
        serviceVersion: '',
        instrumentation: false,
      });
      for (const [name, value] of Object.entries(disabled)) this.appContainer.addEnvironment(name, value);
    }

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

    this.joinGatewayClients(platform, instrumentation, tenant);

    if (props.alarms ?? true) {
      this.alarms = new ServiceAlarms(this, 'Alarms', {
        platform,
        serviceName,
        service: this.service,
        appLogGroup: this.appLogGroup,
      });
    }

    this.acknowledgeNagFindings(props.image);
  }

  /** The application container's hard memory limit: the task's memory less the collector's. */
  private appMemoryLimitMiB(props: ObservedFargateServiceProps, instrumentation: boolean): number {
    if (!instrumentation) return props.memoryLimitMiB;
    const collectorMiB = props.platform.profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB;
    const appMiB = props.memoryLimitMiB - collectorMiB;
    if (appMiB < MIN_APP_MEMORY_MIB) {
      throw new Error(
        `${this.node.path}: memoryLimitMiB ${props.memoryLimitMiB} leaves the application ${appMiB} MiB next to the ` +
          `collector's ${collectorMiB} MiB (environments.${props.platform.environmentName}.collector.memoryMiB); ` +
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

  /** The service's tenant: the prop, which must agree with the profile when the profile lists the service. */
  private tenantOf(props: ObservedFargateServiceProps): string | undefined {
    const { profile, environmentName } = props.platform;
    const listed = profile.services[props.serviceName];
    const tenant = props.tenant ?? listed?.tenant;
    if (listed !== undefined && listed.tenant !== tenant) {
      throw new Error(
        `${this.node.path}: tenant "${tenant}" differs from environments.${environmentName}.services.` +
          `${props.serviceName}.tenant (${listed.tenant === undefined ? 'none: a platform service' : `"${listed.tenant}"`}). ` +
          "The tenant's reader role and saved queries follow the profile: set the same tenant in both",
      );
    }
    return tenant;
  }

  /**
   * In an environment with a gateway tier, the tasks also join the gateway's client security group
   * of their tenant (or the platform's), the only source the gateway admits on that tenant's port.
   * The group is added to the ECS service's network configuration only, not to `connections`: a
   * rule added later through `service.connections` (a load balancer's, say) must open this
   * service's own group, not the group every task of the tenant shares.
   */
  private joinGatewayClients(
    platform: IObservabilityPlatform,
    instrumentation: boolean,
    tenant: string | undefined,
  ): void {
    if (platform.profile.gateway === undefined || !instrumentation) return;
    const fix =
      'Pass a platform with its gateway (PlatformStack creates it; an imported platform sets ' +
      'gateway.clientSecurityGroup and, per tenant, gateway.tenantClientSecurityGroups), or remove gateway from the profile';
    if (platform.gateway === undefined) {
      throw new Error(
        `${this.node.path}: environments.${platform.environmentName} declares a gateway, but the platform passed to ` +
          `ObservedFargateService has none. ${fix}`,
      );
    }
    const clients =
      tenant === undefined
        ? platform.gateway.clientSecurityGroup
        : platform.gateway.tenantClientSecurityGroups?.[tenant];
    if (clients === undefined) {
      throw new Error(
        `${this.node.path}: the platform's gateway has no client security group for tenant "${tenant}". ${fix}`,
      );
    }
    // Lazy: a group added to the service's connections later still reaches the tasks.
    const groups = Lazy.list({
      produce: () => [
        ...this.service.connections.securityGroups.map((group) => group.securityGroupId),
        clients.securityGroupId,
      ],
    });
    (this.service.node.defaultChild as ecs.CfnService).addPropertyOverride(
      'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
      groups,
    );
  }

  private acknowledgeNagFindings(image: ecs.ContainerImage): void {
    Validations.of(this.taskDefinition).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      reason:
        "The collector config's own environment references (dollar, brace, env:NAME) resolve inside the container; " +
        'CloudFormation substitutes nothing outside Fn::Sub.',
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason:
        'The plain environment variables are the OpenTelemetry SDK settings and the generated collector config, ' +
        'none of them secret: the Grafana Cloud token reaches the collector as an ECS secret from SSM.',
    });
    const inlinePolicyReason =
      "CDK's grants for this task definition only (its log groups, the Grafana Cloud token parameter, the " +
      "service's own EMF log group); the inline policy lives and dies with its role.";
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
      reason: inlinePolicyReason,
    });
    if (image instanceof ecs.EcrImage) {
      acknowledgeWildcardResource(
        this.taskDefinition.obtainExecutionRole(),
        '*',
        'ecr:GetAuthorizationToken, which pulling the ECR image needs, has no resource-level permissions: AWS ' +
          'requires Resource "*" for it. The pull actions themselves are granted on the one repository.',
      );
    }
    if (this.collector !== undefined) {
      Validations.of(this.taskDefinition.taskRole).acknowledge({
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: inlinePolicyReason,
      });
    }
  }
}

/** The least memory the application container gets: less is a sizing mistake, not a choice. */
const MIN_APP_MEMORY_MIB = 128;

/** `python3 -c` probe: exits 0 only on a 2xx answer within 4 s. */
function pythonHealthProbe(port: number, path: string): string[] {
  const url = `http://localhost:${port}${path}`;
  return [
    'CMD',
    'python3',
    '-c',
    `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('${url}', timeout=4).status < 300 else 1)`,
  ];
}
