import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import type { Threshold } from '../alerting/thresholds';
import { cloudWatchNamespace } from '../collector/cloudwatch';
import { GATEWAY_SIZING, gatewayQueueSizing } from '../collector/gateway-sizing';
import { COLLECTOR_ENV, type GeneratedCollectorConfig, OTLP_GRPC_PORT } from '../collector/generate';
import { renderCollectorConfig } from '../collector/yaml';
import { TAIL_SAMPLING_DROPPED_METRIC } from '../metrics/catalogue';
import { GATEWAY_SERVICE_NAME, gatewayLogGroupName, gatewayNamespaceName, pascalCase, taskFamilyName } from '../naming';
import { CollectorContainer } from './collector-container';
import { CollectorGatewayAlarms, CollectorGatewayMetrics } from './collector-gateway-alarms';
import { DASHBOARD_SOURCE_TOKEN_PLACEHOLDER } from './environment-dashboard';
import type { AlarmTopicsBySeverity, ICollectorGatewayClients } from './platform';
import { sourceTokenValue } from './source-token';
import { TelemetryLogGroup } from './telemetry-log-group';

/** The gateway tier's size and load: the profile's `gateway` section fits it as it is. */
export interface CollectorGatewaySettings {
  /** The traces per second the environment starts at peak: sizes the export queue's disk. */
  readonly expectedTracesPerSecond: number;
  /**
   * The average spans per trace.
   * @default 20
   */
  readonly spansPerTrace?: number;
  /** Fargate cpu units of one gateway task: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Fargate memory (MiB) of one gateway task: the generated config's memory limits were sized from it. */
  readonly memoryMiB: number;
  /** The fewest gateway tasks auto scaling keeps. */
  readonly minTasks: number;
  /** The most gateway tasks auto scaling may run; at least `minTasks`. */
  readonly maxTasks: number;
}

export interface CollectorGatewayProps {
  /** The project the environment belongs to: the first part of the gateway's names. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The tier's size and load (the profile's `gateway`). */
  readonly gateway: CollectorGatewaySettings;
  /**
   * The config the gateway runs: `generateCollectorConfig(environmentName, profile, 'gateway')`,
   * generated from the same `gateway` settings and tenants as these props.
   */
  readonly collector: GeneratedCollectorConfig;
  /**
   * Each tenant's own OTLP/gRPC port on the gateway, by tenant id: only that tenant's tasks reach it.
   * @default - no tenants: only the platform's port
   */
  readonly tenantPorts?: Readonly<Record<string, number>>;
  /** How long the gateway's own logs are kept. */
  readonly retention: logs.RetentionDays;
  /**
   * The environment's resolved thresholds (`resolveThresholds(profile)`): the gateway's
   * lost-telemetry alarms take the `collectorHealth` ones.
   */
  readonly thresholds: readonly Threshold[];
  /** The cluster the gateway tasks run in; its VPC holds the Cloud Map namespace. */
  readonly cluster: ecs.ICluster;
  /** Encrypts the gateway's log group. */
  readonly encryptionKey: kms.IKey;
  /** Where the gateway's alarms go, by severity. */
  readonly alarmTopics: AlarmTopicsBySeverity;
  /** The environment's source token: the gateway's collector stamps it on its CloudWatch metrics. */
  readonly sourceToken: secretsmanager.ISecret;
  /**
   * What happens to the gateway's log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** Scale in slowly: every change of the task set moves some trace ids to another task mid-trace. */
const SCALE_IN_COOLDOWN = Duration.minutes(10);
const SCALE_OUT_COOLDOWN = Duration.minutes(1);

/**
 * The tail-sampling tier of an environment: an ECS Fargate service running the generator's
 * `gateway` role, registered in a private Cloud Map namespace where the sidecars' load_balancing
 * exporters find its tasks, and hash each trace id onto one of them.
 *
 * - Only tasks in `clientSecurityGroup` (platform services' tasks) reach the OTLP/gRPC port, and
 *   only a tenant's tasks (`tenantClientSecurityGroups`) reach that tenant's own port; nothing
 *   else is open.
 * - Auto scaling between `gateway.minTasks` and `maxTasks` on CPU and memory, at the targets
 *   the sizing model assumes (lib/collector/gateway-sizing.ts).
 * - Its own encrypted log group, alarms on telemetry it loses (failed exports, refused spans,
 *   traces evicted before their decision) and on missing tasks, and dashboard widgets.
 */
export class CollectorGateway extends Construct implements ICollectorGatewayClients {
  public readonly clientSecurityGroup: ec2.SecurityGroup;
  public readonly tenantClientSecurityGroups: Readonly<Record<string, ec2.SecurityGroup>>;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly namespace: servicediscovery.PrivateDnsNamespace;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly service: ecs.FargateService;
  public readonly logGroup: logs.ILogGroup;
  /** The gateway's alarms: telemetry lost, no task, fewer than minTasks. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  private readonly metrics: CollectorGatewayMetrics;
  private readonly settings: CollectorGatewaySettings;

  constructor(scope: Construct, id: string, props: CollectorGatewayProps) {
    super(scope, id);
    const { project, environmentName, cluster, collector } = props;
    const tenantPorts = props.tenantPorts ?? {};
    this.checkProps(props);
    this.settings = props.gateway;
    const prefix = `${project}-${environmentName}`;

    this.clientSecurityGroup = new ec2.SecurityGroup(this, 'ClientSecurityGroup', {
      vpc: cluster.vpc,
      description: `Tasks of ${prefix} that may send traces to the collector gateway`,
      allowAllOutbound: false,
    });
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `The collector gateway of ${prefix}: OTLP/gRPC from observed services only`,
      // To Grafana Cloud (HTTPS through NAT) and CloudWatch Logs.
      allowAllOutbound: true,
    });
    this.securityGroup.addIngressRule(
      this.clientSecurityGroup,
      ec2.Port.tcp(OTLP_GRPC_PORT),
      'OTLP/gRPC from the sidecars of platform services',
    );
    // Each tenant reaches the gateway on its own port only: the gateway stamps tenant.id from the
    // port, so no task can send traces as another tenant.
    const tenantClients: Record<string, ec2.SecurityGroup> = {};
    for (const [tenant, port] of Object.entries(tenantPorts)) {
      const clients = new ec2.SecurityGroup(this, `Tenant${pascalCase(tenant)}ClientSecurityGroup`, {
        vpc: cluster.vpc,
        description: `Tasks of tenant ${tenant} in ${prefix} that may send traces to the collector gateway`,
        allowAllOutbound: false,
      });
      this.securityGroup.addIngressRule(
        clients,
        ec2.Port.tcp(port),
        `OTLP/gRPC from the sidecars of tenant ${tenant}, on its own port`,
      );
      tenantClients[tenant] = clients;
    }
    this.tenantClientSecurityGroups = tenantClients;

    this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: gatewayNamespaceName(project, environmentName),
      vpc: cluster.vpc,
      description: `Service discovery of the ${prefix} collector gateway (the sidecars' load_balancing exporter)`,
    });

    const gatewayLogs = new TelemetryLogGroup(this, 'Logs', {
      logGroupName: gatewayLogGroupName(project, environmentName),
      retention: props.retention,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.logGroup = gatewayLogs.logGroup;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: taskFamilyName(project, environmentName, GATEWAY_SERVICE_NAME),
      cpu: this.settings.cpu,
      memoryLimitMiB: this.settings.memoryMiB,
      // The persistent export queue lives on the task's ephemeral storage (lib/collector/gateway-sizing.ts).
      ephemeralStorageGiB: gatewayQueueSizing(this.settings).ephemeralStorageGiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    new CollectorContainer(this, 'Collector', {
      taskDefinition: this.taskDefinition,
      containerName: GATEWAY_SERVICE_NAME,
      collector,
      configYaml: renderCollectorConfig(collector),
      logGroup: gatewayLogs,
      secrets: { [COLLECTOR_ENV.sourceToken]: ecs.Secret.fromSecretsManager(props.sourceToken) },
      essential: true,
      // The only container: the whole task's memory, from which the gateway config was sized.
      memoryLimitMiB: this.settings.memoryMiB,
      portMappings: [
        { containerPort: OTLP_GRPC_PORT, protocol: ecs.Protocol.TCP, name: 'otlp-grpc' },
        ...Object.entries(tenantPorts).map(([tenant, port]) => ({
          containerPort: port,
          protocol: ecs.Protocol.TCP,
          name: `otlp-grpc-${tenant}`,
        })),
      ],
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: GATEWAY_SERVICE_NAME,
      cluster,
      taskDefinition: this.taskDefinition,
      // No desiredCount: CloudFormation would reset the task count to it on every deploy, undoing
      // auto scaling mid-peak (and moving trace ids between tasks). ECS starts one task and the
      // scalable target raises it to minTasks.
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: false,
      cloudMapOptions: {
        cloudMapNamespace: this.namespace,
        name: GATEWAY_SERVICE_NAME,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        // The sidecars list tasks through the API every 15 s; DNS is a fallback for people.
        dnsTtl: Duration.seconds(10),
      },
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: this.settings.minTasks,
      maxCapacity: this.settings.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: GATEWAY_SIZING.targetCpuUtilizationPercent,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });
    scaling.scaleOnMemoryUtilization('Memory', {
      targetUtilizationPercent: GATEWAY_SIZING.targetMemoryUtilizationPercent,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });

    const metrics = new CollectorGatewayMetrics({
      namespace: cloudWatchNamespace(project, environmentName),
      clusterName: cluster.clusterName,
      taskFamily: this.taskDefinition.family,
      sourceToken: sourceTokenValue(props.sourceToken),
    });
    this.metrics = metrics;
    this.alarms = new CollectorGatewayAlarms(this, 'Alarms', {
      project,
      environmentName,
      thresholds: props.thresholds,
      metrics,
      minTasks: this.settings.minTasks,
      alarmTopics: props.alarmTopics,
    }).alarms;
    this.acknowledgeNagFindings();
  }

  /** Inputs that contradict each other fail here, naming the field, rather than at deploy or in a page. */
  private checkProps(props: CollectorGatewayProps): void {
    const fail = (field: string, problem: string) => {
      throw new Error(`${this.node.path}: ${field} ${problem}`);
    };
    const { collector, gateway, environmentName } = props;
    if (collector.role !== 'gateway') {
      fail(
        'collector',
        `is a ${collector.role} config. Pass generateCollectorConfig(environmentName, profile, 'gateway')`,
      );
    }
    if (collector.environmentName !== environmentName) {
      fail(
        'collector',
        `was generated for environment ${collector.environmentName}, not ${environmentName}. Generate it for ${environmentName}`,
      );
    }
    if (gateway.maxTasks < gateway.minTasks) {
      fail('gateway.maxTasks', `${gateway.maxTasks} is below minTasks ${gateway.minTasks}. Raise maxTasks`);
    }
    const tenantPorts = Object.entries(props.tenantPorts ?? {});
    const ports = [OTLP_GRPC_PORT, ...tenantPorts.map(([, port]) => port)];
    const listened = grpcListenPorts(collector);
    for (const [tenant, port] of tenantPorts) {
      if (ports.indexOf(port) !== ports.lastIndexOf(port)) {
        fail(
          `tenantPorts.${tenant}`,
          `${port} is used twice. Give each tenant a port of its own, not ${OTLP_GRPC_PORT}`,
        );
      }
      if (!listened.includes(port)) {
        fail(
          `tenantPorts.${tenant}`,
          `${port} is not a port the collector config listens on. Generate the config with the same tenants`,
        );
      }
    }
    // A port the config listens on but no security group opens would take no tenant's traces.
    for (const port of listened) {
      if (!ports.includes(port)) {
        fail(
          'tenantPorts',
          `lacks port ${port}, on which the collector config takes a tenant's traces. Add that tenant`,
        );
      }
    }
  }

  /** Widgets for the environment's CloudWatch dashboard: tasks, utilisation, telemetry lost. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const minute = Duration.minutes(1);
    const { minTasks, maxTasks } = this.settings;
    // The dashboard's variable puts the token in (one dynamic reference per dashboard).
    const dashboardMetrics = this.metrics.withSourceToken(DASHBOARD_SOURCE_TOKEN_PLACEHOLDER);
    return [
      new cloudwatch.GraphWidget({
        title: 'Collector gateway: running tasks',
        width: 6,
        left: [this.metrics.runningTasks(minute)],
        leftAnnotations: [
          { value: minTasks, label: 'minTasks', color: '#ff7f0e' },
          { value: maxTasks, label: 'maxTasks', color: '#7f7f7f' },
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector gateway: cpu and memory (%)',
        width: 6,
        left: [
          this.service.metricCpuUtilization({ period: minute }),
          this.service.metricMemoryUtilization({ period: minute }),
        ],
        leftAnnotations: [
          { value: GATEWAY_SIZING.targetCpuUtilizationPercent, label: 'cpu target', color: '#1f77b4' },
          { value: GATEWAY_SIZING.targetMemoryUtilizationPercent, label: 'memory target', color: '#ff7f0e' },
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector gateway: telemetry lost (items per minute)',
        width: 6,
        left: [dashboardMetrics.lostItems(minute)],
      }),
      new cloudwatch.GraphWidget({
        title: 'Collector gateway: traces evicted before their decision',
        width: 6,
        left: [dashboardMetrics.gatewayMetric(TAIL_SAMPLING_DROPPED_METRIC, minute)],
      }),
    ];
  }

  private acknowledgeNagFindings(): void {
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-ECS2',
        reason:
          'The plain environment variables are the generated collector config, GOMEMLIMIT and Grafana Cloud ' +
          'instance ids, none of them secret: every token reaches the gateway as an ECS secret from SSM.',
      },
      {
        id: 'CloudFormation-Validate::E1029',
        reason:
          "The collector config's own environment references (dollar, brace, env:NAME) resolve inside the " +
          'container; CloudFormation substitutes nothing outside Fn::Sub.',
      },
    );
    const inlinePolicyReason =
      "CDK's grants for the gateway task definition only (its log group, the Grafana Cloud token parameters, the " +
      "environment's EMF log group); the inline policy lives and dies with its role.";
    for (const role of [this.taskDefinition.taskRole, this.taskDefinition.obtainExecutionRole()]) {
      Validations.of(role).acknowledge({
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: inlinePolicyReason,
      });
    }
  }
}

/** The OTLP/gRPC ports a collector config listens on from other tasks (`0.0.0.0:<port>`). */
function grpcListenPorts(collector: GeneratedCollectorConfig): number[] {
  return Object.values(collector.config.receivers).flatMap((receiver) => {
    const endpoint = (receiver.protocols as { grpc?: { endpoint?: unknown } } | undefined)?.grpc?.endpoint;
    const match = typeof endpoint === 'string' ? /^0\.0\.0\.0:(\d+)$/.exec(endpoint) : null;
    return match === null ? [] : [Number(match[1])];
  });
}
