import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { resolveThresholds } from '../alerting/thresholds';
import { cloudWatchNamespace, emfLogGroupName } from '../collector/cloudwatch';
import { gatewayPort, generateCollectorConfig } from '../collector/generate';
import { AlarmRouting } from '../constructs/alarm-routing';
import { AlarmTopics } from '../constructs/alarm-topics';
import { AuditLogGroup } from '../constructs/audit-log-group';
import { CollectorGateway } from '../constructs/collector-gateway';
import { limitDynamicReferences } from '../constructs/dynamic-reference-limit';
import { EnvironmentAlarms } from '../constructs/environment-alarms';
import { EnvironmentDashboard } from '../constructs/environment-dashboard';
import { ObservabilityKey } from '../constructs/observability-key';
import type { AlarmTopicsBySeverity, IObservabilityPlatform } from '../constructs/platform';
import { PlatformParameters } from '../constructs/platform-parameters';
import { SavedQueries } from '../constructs/saved-queries';
import { SourceToken, sourceTokenValue } from '../constructs/source-token';
import { TaskFailureEvents } from '../constructs/task-failure-events';
import { TelemetryLogGroup } from '../constructs/telemetry-log-group';
import { TenantAccess } from '../constructs/tenant-access';
import { auditLogGroupName, auditQuery, auditRetentionDays } from '../logs/audit';
import {
  clusterName,
  environmentDashboardName,
  pascalCase,
  serviceLogGroupName,
  serviceLogGroupPrefix,
  taskEventsLogGroupName,
  vpcFlowLogsLogGroupName,
} from '../naming';
import { platformSettingsDigest } from '../platform-settings/digest';
import { platformSettings } from '../platform-settings/from-profile';
import type { PlatformSettings } from '../platform-settings/settings';
import { grafanaCloudConfigDocument } from '../profile/grafana-cloud-config';
import type { EnvironmentProfile } from '../profile/schema';
import { viewGroups } from '../profile-loader/scale';

export interface PlatformStackProps extends StackProps {
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The validated profile of that environment. */
  readonly profile: EnvironmentProfile;
}

/**
 * The shared parts of one environment: network, ECS cluster with Container Insights, the
 * customer-managed key, the alarm topics, the collector gateway tier where the profile declares
 * one, and each declared tenant's read-only access. Services reach them through
 * `IObservabilityPlatform`.
 */
export class PlatformStack extends Stack implements IObservabilityPlatform {
  public readonly environmentName: string;
  public readonly profile: EnvironmentProfile;
  /** What the environment's services need of the profile: the settings `platform-settings/<env>.json` holds. */
  public readonly settings: PlatformSettings;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;
  public readonly encryptionKey: ObservabilityKey['key'];
  public readonly alarmTopics: AlarmTopicsBySeverity;
  /** The environment's source token: a dimension of every CloudWatch metric the alarms read. */
  public readonly sourceToken: secretsmanager.ISecret;
  /** The tail-sampling gateway tier; undefined when the profile declares none. */
  public readonly gateway?: CollectorGateway;
  /** Each declared tenant's reader role and saved queries, by tenant id. */
  public readonly tenantAccess: Readonly<Record<string, TenantAccess>>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    limitDynamicReferences(this);
    this.environmentName = props.environmentName;
    this.profile = props.profile;
    this.settings = platformSettings(props.profile, props.environmentName);
    const { project } = props.profile;
    const isProduction = props.profile.production;
    const prefix = clusterName(project, props.environmentName);

    this.encryptionKey = new ObservabilityKey(this, 'ObservabilityKey', {
      alias: `${prefix}-observability`,
      logGroupNamePrefix: serviceLogGroupPrefix(project, props.environmentName),
      removalPolicy: RemovalPolicy.RETAIN,
      deadLetterTopicNamePrefix: `${prefix}-alerts`,
    }).key;
    // Service stacks deployed before their log groups had keys of their own import this ARN; the
    // export must outlive that import, or this stack's update fails while they still use it.
    // Remove it once every service stack has been deployed with its own key.
    this.exportValue(this.encryptionKey.keyArn);

    const flowLogGroup = new logs.LogGroup(this, 'VpcFlowLogs', {
      logGroupName: vpcFlowLogsLogGroupName(project, props.environmentName),
      retention: props.profile.logRetentionDays as logs.RetentionDays,
      encryptionKey: this.encryptionKey,
      removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // No context lookup: the VPC is declared, so synth needs neither credentials nor network.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: props.profile.availabilityZones,
      // One NAT gateway per zone in prod survives the loss of a zone; elsewhere one is enough.
      natGateways: isProduction ? props.profile.availabilityZones.length : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'services', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: {
        all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) },
      },
    });
    Validations.of(this.vpc).acknowledge(
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
        reason:
          'No resource uses the default security group (every service has its own). Closing it needs a ' +
          'Lambda-backed custom resource, which would add a function with managed policies to every environment.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason:
          'Only the public subnets route 0.0.0.0/0 to the internet gateway: they hold the NAT gateways and nothing ' +
          'else. Tasks run in private subnets and reach Grafana Cloud and image registries through NAT.',
      },
      {
        id: 'CloudFormation-Validate::W3010',
        reason:
          'The zones are named in the profile on purpose: otherwise CDK looks them up in AWS at synth, and the ' +
          'default app must synthesize offline. The profile check rejects a zone of another region.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason:
          "The flow-log role's inline policy is CDK's grant to write this VPC's flow-log group only; it lives and " +
          'dies with the role and cannot be attached to another principal.',
      },
    );

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: prefix,
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });

    // The gateway's awsemf writes its metrics here (each service's sidecar writes to its service's
    // own EMF group, so without a gateway nothing does); created by the stack so it is encrypted
    // and expires (awsemf would create it with neither).
    if (props.profile.gateway !== undefined) {
      new TelemetryLogGroup(this, 'EmfLogs', {
        logGroupName: emfLogGroupName(project, props.environmentName),
        retention: props.profile.logRetentionDays as logs.RetentionDays,
        encryptionKey: this.encryptionKey,
        removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    }

    // The non-secret half of the Grafana Cloud settings, for operators and `obsctl doctor`.
    // The token's SecureString parameter cannot be created by CloudFormation: `obsctl credentials put` writes it.
    new ssm.StringParameter(this, 'GrafanaCloudConfig', {
      parameterName: props.profile.grafanaCloud.configParameterName,
      description: `Grafana Cloud settings of ${prefix} (no secret: the token is in ${props.profile.grafanaCloud.apiKeyParameterName})`,
      stringValue: JSON.stringify(grafanaCloudConfigDocument(props.profile)),
      tier: ssm.ParameterTier.STANDARD,
    });

    this.alarmTopics = new AlarmTopics(this, 'AlarmTopics', {
      topicNamePrefix: `${prefix}-alerts`,
      encryptionKey: this.encryptionKey,
    }).topics;
    new AlarmRouting(this, 'AlarmRouting', {
      topics: this.alarmTopics,
      notifications: props.profile.notifications,
      namePrefix: `${prefix}-alerts`,
      encryptionKey: this.encryptionKey,
    });

    new TaskFailureEvents(this, 'TaskFailureEvents', {
      cluster: this.cluster,
      logGroupName: taskEventsLogGroupName(project, props.environmentName),
      retention: props.profile.logRetentionDays as logs.RetentionDays,
      encryptionKey: this.encryptionKey,
      metricNamespace: cloudWatchNamespace(project, props.environmentName),
      removalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.sourceToken = new SourceToken(this, 'SourceToken', {
      project,
      environmentName: props.environmentName,
    }).secret;
    const environmentThresholds = resolveThresholds(props.profile);
    new EnvironmentAlarms(this, 'EnvironmentAlarms', {
      project,
      environmentName: props.environmentName,
      thresholds: environmentThresholds,
      topics: this.alarmTopics,
      sourceToken: sourceTokenValue(this.sourceToken),
    });
    new AuditLogGroup(this, 'AuditLogs', {
      logGroupName: auditLogGroupName(project, props.environmentName),
      retention: auditRetentionDays(props.profile) as logs.RetentionDays,
      encryptionKey: this.encryptionKey,
      savedQuery: auditQuery(project, props.environmentName),
    });
    // The first view group (at most 50 services, lib/profile-loader/scale.ts): saved Logs Insights
    // queries over its services' log groups and the first dashboard page, by name, so no reference
    // to the service stacks. The other groups have view stacks of their own (lib/stacks/view-stack.ts).
    const [firstGroup, ...otherGroups] = viewGroups(props.profile);
    new SavedQueries(this, 'SavedQueries', {
      project,
      environmentName: props.environmentName,
      logGroupNames: firstGroup.services.map((service) => serviceLogGroupName(project, props.environmentName, service)),
    });
    const dashboard = new EnvironmentDashboard(this, 'Dashboard', {
      project,
      environmentName: props.environmentName,
      clusterName: this.cluster.clusterName,
      services: firstGroup.services,
      thresholds: environmentThresholds,
      serviceThresholds: Object.fromEntries(
        firstGroup.services
          .filter((service) => Object.hasOwn(props.profile.services, service))
          .map((service) => [service, resolveThresholds(props.profile, service)]),
      ),
      otherPages: otherGroups.map((group) => environmentDashboardName(project, props.environmentName, group.label)),
      sourceToken: sourceTokenValue(this.sourceToken),
    });

    if (props.profile.gateway !== undefined) {
      this.gateway = new CollectorGateway(this, 'CollectorGateway', {
        project,
        environmentName: props.environmentName,
        gateway: props.profile.gateway,
        collector: generateCollectorConfig(props.environmentName, props.profile, 'gateway'),
        tenantPorts: Object.fromEntries(
          Object.keys(props.profile.tenants ?? {}).map((tenant) => [tenant, gatewayPort(props.profile, tenant)]),
        ),
        retention: props.profile.logRetentionDays as logs.RetentionDays,
        thresholds: environmentThresholds,
        cluster: this.cluster,
        encryptionKey: this.encryptionKey,
        alarmTopics: this.alarmTopics,
        sourceToken: this.sourceToken,
        logRemovalPolicy: isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      dashboard.dashboard.addWidgets(...this.gateway.dashboardWidgets());
    }

    // The platform by name, for service stacks here and in other repositories (ObservabilityPlatform.fromEnvironmentName).
    new PlatformParameters(this, 'Parameters', {
      project,
      environmentName: props.environmentName,
      cluster: this.cluster,
      vpc: this.vpc,
      encryptionKey: this.encryptionKey,
      sourceToken: this.sourceToken,
      alarmTopics: this.alarmTopics,
      gateway: this.gateway,
      serviceLogGroupPrefix: serviceLogGroupPrefix(project, props.environmentName),
      emfNamespace: cloudWatchNamespace(project, props.environmentName),
      grafanaCloudApiKeyParameterName: props.profile.grafanaCloud.apiKeyParameterName,
      grafanaCloudConfigParameterName: props.profile.grafanaCloud.configParameterName,
      settingsDigest: platformSettingsDigest(this.settings),
      collectorSidecarSettings: {
        collector: props.profile.collector ?? {},
        sampling: props.profile.sampling ?? {},
        gateway: props.profile.gateway !== undefined,
        tenants: Object.keys(props.profile.tenants ?? {}),
      },
    });

    const tenantAccess: Record<string, TenantAccess> = {};
    for (const [tenant, settings] of Object.entries(props.profile.tenants ?? {})) {
      const ownServices = Object.entries(props.profile.services)
        .filter(([, service]) => service.tenant === tenant)
        .map(([service]) => service);
      tenantAccess[tenant] = new TenantAccess(this, `Tenant${pascalCase(tenant)}`, {
        project,
        environmentName: props.environmentName,
        tenant,
        logGroupNames: ownServices.map((service) => serviceLogGroupName(project, props.environmentName, service)),
        readerPrincipalArns: settings.readerPrincipalArns,
      });
      new CfnOutput(this, `Tenant${pascalCase(tenant)}ReaderRoleArn`, {
        description: `The role tenant ${tenant}'s readers assume to query its logs`,
        value: tenantAccess[tenant].readerRole.roleArn,
      });
    }
    this.tenantAccess = tenantAccess;
  }

  /**
   * The profile's zones. Overridden because the default asks AWS (a context lookup) whenever the
   * stack has an explicit account, and the default app must synthesize offline.
   */
  public override get availabilityZones(): string[] {
    return [...this.profile.availabilityZones];
  }
}
