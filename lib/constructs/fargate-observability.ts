import { Annotations, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { serviceEmfLogGroupName } from '../collector/cloudwatch';
import { MIN_APP_MEMORY_MIB } from '../collector/memory';
import { sdkEnvironment } from '../collector/sdk-environment';
import { COLLECTOR_CONTAINER_NAME, collectorLogGroupName, serviceLogGroupName } from '../naming';
import { type ServiceAlertThresholds, serviceThresholds } from '../platform-settings/service';
import type { SidecarCollectorConfig, TrafficAnomalySetting } from '../platform-settings/settings';
import { SERVICE_NAME_PATTERN } from '../profile/schema';
import type { SignalDeclaration } from '../signals';
import { acknowledgeWildcardResource } from './acknowledgements';
import { limitDynamicReferences } from './dynamic-reference-limit';
import { LogGroupKey } from './log-group-key';
import { OtelCollectorSidecar } from './otel-collector-sidecar';
import type { IObservabilityPlatform } from './platform';
import { SavedQueries } from './saved-queries';
import { ServiceAlarms } from './service-alarms';
import { APP_LOG_INDEXED_FIELDS, TelemetryLogGroup } from './telemetry-log-group';

export interface FargateObservabilityProps {
  /** The environment's shared parts (`ObservabilityPlatform.fromEnvironmentName`). */
  readonly platform: IObservabilityPlatform;
  /** `service.name` of the telemetry and the last part of the log group names, e.g. `checkout`. */
  readonly serviceName: string;
  /**
   * An `ApplicationLoadBalancedFargateService` to observe: its task, its service, and alarms on
   * its target group's metrics (5xx rate, p95 response time, unhealthy hosts).
   * @default - give `service` or `taskDefinition` instead
   */
  readonly loadBalancedService?: ecsPatterns.ApplicationLoadBalancedFargateService;
  /**
   * A Fargate service to observe: its task definition, membership of the gateway's client group and
   * the service alarms.
   * @default - give `loadBalancedService` or `taskDefinition` instead
   */
  readonly service?: ecs.FargateService;
  /**
   * A task definition to observe, before its service exists: sidecar, SDK environment, log groups
   * and grants only. The service must then join `gatewaySecurityGroups` itself, and has no alarms.
   * @default - give `loadBalancedService` or `service` instead
   */
  readonly taskDefinition?: ecs.FargateTaskDefinition;
  /**
   * The application containers to instrument.
   * @default - every container of the task definition at the time of the call
   */
  readonly containers?: ecs.ContainerDefinition[];
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
   * The tenant the service belongs to (one of the platform settings' tenants): its telemetry carries
   * `tenant.id` and goes only to that tenant's Grafana Cloud stack.
   * @default - the tenant the platform's profile gives the service; a platform service when it has none
   */
  readonly tenant?: string;
  /**
   * The service's overrides of the environment's alert thresholds (the platform settings'
   * `alarms.thresholds`), by signal and severity.
   * @default - the environment's thresholds
   */
  readonly alertThresholds?: ServiceAlertThresholds;
  /**
   * The service's traffic anomaly setting, over the environment's (`enabled: false` turns its
   * traffic alarms off).
   * @default - the environment's setting
   */
  readonly trafficAnomaly?: TrafficAnomalySetting;
  /**
   * The key that encrypts the service's log groups.
   * @default - a key of the service's own (`LogGroupKey`) that CloudWatch Logs may use for this service's log groups only
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * What happens to the log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Whether to create the service's CloudWatch alarms (needs a service).
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * The signals the service's alarms are built from (lib/signals): the library's, or those plus
   * signals declared by the caller (`withSignals`).
   * @default SIGNAL_DECLARATIONS
   */
  readonly signals?: readonly SignalDeclaration[];
}

/**
 * Observes a Fargate workload a team already has: the one entry point behind
 * `ObservedFargateService` and `FargateObservabilityAspect`.
 *
 * A construct that is given the team's task definition or service and adds to it, in the style of
 * the CDK's `ApplicationSignalsIntegration`, rather than a subclass that owns the service's
 * creation (teams have their services, mostly from aws-ecs-patterns) or a bare function (the log
 * groups, key, sidecar and alarms it creates need a scope of their own, whose construct ids stay
 * stable: renaming one would replace a log group). It adds: the collector sidecar; the
 * OpenTelemetry SDK environment on each application container; retained, encrypted log groups
 * (a container without logging writes to the service's log group; the unencrypted group the
 * awslogs driver creates by default is encrypted, given a retention and the service's name); the
 * secret grants; membership of the gateway's client group on the ECS service only; the nag
 * acknowledgements, each with its reason, on the resources it touched; and the service's alarms,
 * on the load balancer's target metrics when there is one.
 */
export class FargateObservability extends Construct {
  /**
   * The platform of the `FargateObservability` that created or adopted a construct (its log groups,
   * and the log group of a container it observes), for the compliance acknowledgements.
   */
  public static platformOf(construct: IConstruct): IObservabilityPlatform | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      if (scope instanceof FargateObservability) return scope.platform;
      const adopted = observedTaskDefinitions.get(scope);
      if (adopted !== undefined) return adopted;
    }
    return undefined;
  }

  /** Whether a `FargateObservability` already observes the service. */
  public static isObserved(service: ecs.FargateService): boolean {
    return observedServices.has(service);
  }

  /** The environment the service runs in. */
  public readonly platform: IObservabilityPlatform;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The observed service; undefined when only a task definition was given. */
  public readonly service?: ecs.FargateService;
  /** The containers that send telemetry. */
  public readonly appContainers: ecs.ContainerDefinition[];
  /** The log group of the application containers. */
  public readonly appLogGroup: logs.ILogGroup;
  /** The collector sidecar; undefined when instrumentation is off. */
  public readonly collector?: OtelCollectorSidecar;
  public readonly collectorLogGroup?: logs.ILogGroup;
  /** The log group of the service's EMF metrics, the only one its task role may write. */
  public readonly emfLogGroup?: logs.ILogGroup;
  /** The key that encrypts the service's log groups. */
  public readonly logEncryptionKey: kms.IKey;
  /** The service's CloudWatch alarms; undefined without a service or with `alarms: false`. */
  public readonly alarms?: ServiceAlarms;
  /**
   * The gateway client group the service's tasks must join (already joined when a service was
   * given). Join it as it is: an imported, immutable group, so no rule is added to it.
   */
  public readonly gatewaySecurityGroups: ec2.ISecurityGroup[];
  private readonly props: FargateObservabilityProps;

  constructor(scope: Construct, id: string, props: FargateObservabilityProps) {
    super(scope, id);
    limitDynamicReferences(this);
    this.props = props;
    const given = [props.loadBalancedService, props.service, props.taskDefinition].filter((x) => x !== undefined);
    if (given.length !== 1) {
      throw new Error(
        `${this.node.path}: give exactly one of loadBalancedService, service and taskDefinition (got ${given.length})`,
      );
    }
    const { platform, serviceName } = props;
    const { settings } = platform;
    const { project, environmentName } = settings;
    if (!Token.isUnresolved(serviceName) && !new RegExp(SERVICE_NAME_PATTERN).test(serviceName)) {
      throw new Error(
        `${this.node.path}: serviceName "${serviceName}" must be lower-case kebab-case (${SERVICE_NAME_PATTERN}), e.g. checkout`,
      );
    }
    this.service = props.loadBalancedService?.service ?? props.service;
    const taskDefinition =
      props.loadBalancedService?.taskDefinition ?? props.service?.taskDefinition ?? props.taskDefinition;
    if (!(taskDefinition instanceof ecs.FargateTaskDefinition)) {
      throw new Error(`${this.node.path}: the service's task definition is not a FargateTaskDefinition`);
    }
    this.taskDefinition = taskDefinition;
    this.platform = platform;
    observedTaskDefinitions.set(taskDefinition, platform);
    this.appContainers = props.containers ?? containersOf(taskDefinition);
    if (this.appContainers.length === 0) {
      throw new Error(`${this.node.path}: the task definition has no container yet: add the application's first`);
    }
    const instrumentation = props.instrumentation ?? true;
    const tenant = this.tenantOf();
    const logGroupName = serviceLogGroupName(project, environmentName, serviceName);
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;
    const retention = settings.logRetentionDays as logs.RetentionDays;
    // A key in the service's own stack, not the platform's: a key imported from another stack is a
    // reference Control Tower's CT.CLOUDWATCH.PR.3 cannot prove to be a KMS key. Its policy is also
    // narrower than the platform key's (this service's log groups only).
    this.logEncryptionKey =
      props.logEncryptionKey ??
      new LogGroupKey(this, 'LogKey', {
        alias: `${project}-${environmentName}-${serviceName}-logs`,
        description: `Encrypts the log groups of ${logGroupName}`,
        logGroupNames: [logGroupName, `${logGroupName}/*`],
        removalPolicy: logRemovalPolicy,
      }).key;
    const logGroup = (logId: string, name: string, indexedFields?: string[]) =>
      new TelemetryLogGroup(this, logId, {
        logGroupName: name,
        retention,
        encryptionKey: this.logEncryptionKey,
        removalPolicy: logRemovalPolicy,
        indexedFields,
      });
    this.appLogGroup = this.attachAppLogs(logGroupName, retention, logRemovalPolicy, () =>
      logGroup('AppLogs', logGroupName, [...APP_LOG_INDEXED_FIELDS]),
    );

    if (instrumentation) {
      this.checkMemory();
      const collectorLogs = logGroup('CollectorLogs', collectorLogGroupName(project, environmentName, serviceName));
      this.collectorLogGroup = collectorLogs.logGroup;
      // The service's own EMF group, not the environment's: the task role may write this one only.
      this.emfLogGroup = logGroup('EmfLogs', serviceEmfLogGroupName(project, environmentName, serviceName)).logGroup;
      this.collector = new OtelCollectorSidecar(this, 'Collector', {
        taskDefinition,
        project,
        environmentName,
        collector: this.sidecarConfig(tenant),
        cpu: settings.collectorSidecar.cpu,
        memoryMiB: settings.collectorSidecar.memoryMiB,
        headSamplingVariables: settings.sdk.headSamplingVariables,
        gatewayNamespaceName: settings.gateway?.cloudMapNamespaceName,
        logGroup: collectorLogs,
        serviceName,
        emfLogGroup: this.emfLogGroup,
        sourceToken: platform.sourceToken,
        tenant,
        essential: props.essentialCollector,
      });
      for (const container of this.appContainers) this.collector.instrument(container);
    } else {
      const disabled = sdkEnvironment({
        environmentName,
        project,
        headSamplingVariables: settings.sdk.headSamplingVariables,
        serviceName,
        serviceVersion: '',
        instrumentation: false,
      });
      for (const container of this.appContainers) {
        for (const [name, value] of Object.entries(disabled)) container.addEnvironment(name, value);
      }
    }

    this.gatewaySecurityGroups = this.gatewayClients(instrumentation, tenant);
    if (this.service !== undefined) {
      this.checkClusterVpc(this.service);
      observedServices.add(this.service);
      this.joinGatewayClients(this.service);
    }

    if (this.service !== undefined && (props.alarms ?? true)) {
      this.alarms = new ServiceAlarms(this, 'Alarms', {
        platform,
        serviceName,
        service: this.service,
        appLogGroup: this.appLogGroup,
        targetGroup: props.loadBalancedService?.targetGroup,
        ...(instrumentation ? { collectorTaskFamily: taskDefinition.family } : {}),
        signals: props.signals,
        thresholds: serviceThresholds(settings.alarms.thresholds, props.alertThresholds, props.signals),
        // A service without instrumentation sends no request metrics: it has no traffic band.
        trafficAnomaly: instrumentation ? props.trafficAnomaly : { enabled: false },
      });
    }
    // A service the platform's views do not know is missing from its saved queries (they name the
    // known services' log groups): its own stack saves them, in the environment's folder. The Grafana
    // dashboards list services from the metrics (label_values), and the CloudWatch dashboard's
    // search row finds every service writing EMF metrics, so neither needs the platform redeployed.
    // One the profile lists in externalServices is in the platform's own views already.
    const { deployed, external } = settings.knownServices;
    if (deployed[serviceName] === undefined && !external.includes(serviceName)) {
      new SavedQueries(this, 'SavedQueries', {
        project,
        environmentName,
        logGroupNames: [logGroupName],
        tenant,
        serviceName,
      });
    }
    this.acknowledgeNagFindings();
  }

  /**
   * The application containers' log group. A container without logging writes to the service's
   * log group (created here); one with the awslogs driver's default group (unencrypted, kept
   * forever, named by CloudFormation) gets that group encrypted, expiring and named after the
   * service. A container logging elsewhere keeps its destination (noted at synth).
   */
  private attachAppLogs(
    logGroupName: string,
    retention: logs.RetentionDays,
    removalPolicy: RemovalPolicy,
    create: () => TelemetryLogGroup,
  ): logs.ILogGroup {
    let created: TelemetryLogGroup | undefined;
    let appLogGroup: logs.ILogGroup | undefined;
    const withoutLogging = this.appContainers.filter((container) => container.logDriverConfig === undefined);
    if (withoutLogging.length > 0) {
      created = create();
      appLogGroup = created.logGroup;
      for (const container of withoutLogging) {
        // ContainerDefinition has no setter for its log driver; the field is what it renders.
        Object.assign(container, { logDriverConfig: created.logDriver(container.containerName).bind(this, container) });
      }
    }
    for (const container of this.appContainers) {
      if (withoutLogging.includes(container)) continue;
      const defaultGroup = container.node.tryFindChild('LogGroup');
      if (defaultGroup instanceof logs.LogGroup) {
        const cfn = defaultGroup.node.defaultChild as logs.CfnLogGroup;
        cfn.logGroupName = appLogGroup === undefined ? logGroupName : `${logGroupName}/${container.containerName}`;
        cfn.kmsKeyId = this.logEncryptionKey.keyArn;
        cfn.retentionInDays = retention;
        cfn.fieldIndexPolicies = [{ Fields: [...APP_LOG_INDEXED_FIELDS] }];
        defaultGroup.applyRemovalPolicy(removalPolicy);
        appLogGroup ??= defaultGroup;
      } else {
        Annotations.of(this).addInfo(
          `${container.containerName} logs to a destination of its own, left as it is: make it retained and encrypted`,
        );
      }
    }
    if (appLogGroup === undefined) {
      throw new Error(
        `${this.node.path}: no application container logs through the awslogs driver; remove their logging to let ` +
          'FargateObservability give them the service log group',
      );
    }
    return appLogGroup;
  }

  /** A service in another VPC than the platform's cannot reach the gateway: fail at synth, not at deploy. */
  private checkClusterVpc(service: ecs.FargateService): void {
    const platformCluster = this.props.platform.cluster;
    if (service.cluster === platformCluster) return;
    const ours = service.cluster.vpc?.vpcId;
    const theirs = platformCluster.vpc?.vpcId;
    if (ours === undefined || theirs === undefined || Token.isUnresolved(ours) || Token.isUnresolved(theirs)) return;
    if (ours !== theirs) {
      throw new Error(
        `${this.node.path}: the service's cluster ${service.cluster.node.path} is in VPC ${ours}, the platform's cluster ` +
          `in ${theirs}: run the service in the platform's cluster (platform.cluster) or its VPC`,
      );
    }
  }

  /** Fargate reserves every container's memory from the task's: the collector's share must leave the application room. */
  private checkMemory(): void {
    const { environmentName } = this.props.platform;
    const collectorMiB = this.props.platform.settings.collectorSidecar.memoryMiB;
    const taskMiB = this.taskDefinition.memoryMiB;
    if (Token.isUnresolved(taskMiB)) return;
    if (taskMiB - collectorMiB < MIN_APP_MEMORY_MIB) {
      throw new Error(
        `${this.node.path}: the task's ${taskMiB} MiB leave the application ${taskMiB - collectorMiB} MiB next to the ` +
          `collector's ${collectorMiB} MiB (the settings of ${environmentName}: collectorSidecar.memoryMiB); ` +
          `give the task at least ${collectorMiB + MIN_APP_MEMORY_MIB} MiB`,
      );
    }
  }

  /**
   * The service's tenant: the prop, which must agree with the platform's profile when the platform
   * deploys the service (the settings' `knownServices.deployed`).
   */
  private tenantOf(): string | undefined {
    const { environmentName, settings } = this.props.platform;
    const listed = settings.knownServices.deployed[this.props.serviceName];
    const tenant = this.props.tenant ?? listed?.tenant;
    if (listed !== undefined && listed.tenant !== tenant) {
      throw new Error(
        `${this.node.path}: tenant "${tenant}" differs from environments.${environmentName}.services.` +
          `${this.props.serviceName}.tenant (${listed.tenant === undefined ? 'none: a platform service' : `"${listed.tenant}"`}). ` +
          "The tenant's reader role and saved queries follow the profile: set the same tenant in both",
      );
    }
    return tenant;
  }

  /** The environment's checked sidecar config for the service's tenant (or a platform service's). */
  private sidecarConfig(tenant: string | undefined): SidecarCollectorConfig {
    const { environmentName, settings } = this.props.platform;
    const { platformConfig, tenantConfigs } = settings.collectorSidecar;
    if (tenant === undefined) return platformConfig;
    const config = tenantConfigs[tenant];
    if (config === undefined) {
      const known = Object.keys(tenantConfigs);
      throw new Error(
        `${this.node.path}: tenant "${tenant}" is not a tenant of ${environmentName} ` +
          `(${known.length === 0 ? 'it has none' : `known: ${known.join(', ')}`}): add it to the platform profile's ` +
          'tenants and copy the regenerated platform settings, or observe the service without a tenant',
      );
    }
    return config;
  }

  /** The gateway client group of the service's tenant (or the platform's), where the environment has a gateway. */
  private gatewayClients(instrumentation: boolean, tenant: string | undefined) {
    const { platform } = this.props;
    if (platform.settings.gateway === undefined || !instrumentation) return [];
    const fix =
      'Pass a platform with its gateway (PlatformStack creates it; ObservabilityPlatform.fromEnvironmentName reads it), ' +
      'or remove gateway from the profile';
    if (platform.gateway === undefined) {
      throw new Error(
        `${this.node.path}: the settings of ${platform.environmentName} declare a gateway, but the platform has none. ${fix}`,
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
    return [clients];
  }

  /**
   * The tasks join the gateway's client group in the ECS service's network configuration only, not
   * through `connections`: a rule added later through `service.connections` (a load balancer's)
   * must open this service's own group, not the group every task of the tenant shares.
   */
  private joinGatewayClients(service: ecs.FargateService): void {
    if (this.gatewaySecurityGroups.length === 0) return;
    // Lazy: a group added to the service's connections later still reaches the tasks.
    const groups = Lazy.list({
      produce: () => [
        ...service.connections.securityGroups.map((group) => group.securityGroupId),
        ...this.gatewaySecurityGroups.map((group) => group.securityGroupId),
      ],
    });
    (service.node.defaultChild as ecs.CfnService).addPropertyOverride(
      'NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
      groups,
    );
  }

  private acknowledgeNagFindings(): void {
    const taskDefinition = this.taskDefinition;
    Validations.of(taskDefinition).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      reason:
        "The collector config's own environment references (dollar, brace, env:NAME) resolve inside the container; " +
        'CloudFormation substitutes nothing outside Fn::Sub.',
    });
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason:
        'The plain environment variables are the OpenTelemetry SDK settings and the generated collector config, ' +
        'none of them secret: the Grafana Cloud token reaches the collector as an ECS secret from SSM.',
    });
    const inlinePolicyReason =
      "CDK's grants for this task definition only (its log groups, the Grafana Cloud token parameter, the " +
      "service's own EMF log group); the inline policy lives and dies with its role.";
    const executionRole = taskDefinition.obtainExecutionRole();
    Validations.of(executionRole).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
      reason: inlinePolicyReason,
    });
    // Only when an application image is in ECR: its pull grant is what asks for the wildcard.
    if (grantsAction(executionRole, 'ecr:GetAuthorizationToken')) {
      acknowledgeWildcardResource(
        executionRole,
        '*',
        'ecr:GetAuthorizationToken, which pulling the ECR image needs, has no resource-level permissions: AWS ' +
          'requires Resource "*" for it. The pull actions themselves are granted on the one repository.',
      );
    }
    if (this.collector !== undefined) {
      Validations.of(taskDefinition.taskRole).acknowledge({
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: inlinePolicyReason,
      });
    }
  }
}

const observedServices = new WeakSet<ecs.FargateService>();
const observedTaskDefinitions = new WeakMap<IConstruct, IObservabilityPlatform>();

/** The containers of a task definition (its children), the collector's own excluded. */
function containersOf(taskDefinition: ecs.TaskDefinition): ecs.ContainerDefinition[] {
  return taskDefinition.node.children.filter(
    (child): child is ecs.ContainerDefinition =>
      child instanceof ecs.ContainerDefinition && !child.containerName.startsWith(COLLECTOR_CONTAINER_NAME),
  );
}

/** Whether a role's default policy grants an action (as it stands when called). */
function grantsAction(role: iam.IRole, action: string): boolean {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return false;
  return JSON.stringify(Stack.of(role).resolve(policy.document.toJSON())).includes(`"${action}"`);
}
