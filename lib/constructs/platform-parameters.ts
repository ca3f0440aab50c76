import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { platformParameterPrefix } from '../naming';
import { SEVERITIES } from '../profile/schema';
import type { AlarmTopicsBySeverity } from './platform';

/**
 * The SSM parameters a platform publishes, relative to `platformParameterPrefix(project, environment)`
 * (`/<project>/<environment>/observability/`). They are the contract between the platform stack and
 * every service stack, in this repository and in others: renaming one breaks every importer.
 * Lists (subnets, zones) are StringList parameters, read back with a declared count.
 */
export const PLATFORM_PARAMETERS = {
  clusterName: 'cluster/name',
  clusterArn: 'cluster/arn',
  vpcId: 'vpc/id',
  /** StringList, in zone order. */
  privateSubnetIds: 'vpc/private-subnet-ids',
  /** StringList: the zones of `privateSubnetIds`, one subnet per zone. */
  availabilityZones: 'vpc/availability-zones',
  encryptionKeyArn: 'kms/key-arn',
  /** The complete ARN of the environment's source-token secret (lib/constructs/source-token.ts); never its value. */
  sourceTokenSecretArn: 'source-token/secret-arn',
  /**
   * The source token's value itself, copied from the secret by the one dynamic reference of the
   * platform: the alarms of every other stack name it by a deploy-time parameter (`sourceTokenValueIn`,
   * lib/constructs/source-token.ts), which a template may use any number of times, where each dynamic
   * reference counts against CloudFormation's 60 per template.
   */
  sourceTokenValue: 'source-token/value',
  /** Appended with `/<severity>`: critical, warning, info. */
  alarmTopicArn: 'alarm-topics',
  gatewayClientSecurityGroupId: 'gateway/client-security-group-id',
  /** StringList: the tenants with a client group of their own, in the profile's order. */
  gatewayTenants: 'gateway/tenants',
  /**
   * StringList, in the order of `gatewayTenants`: one list rather than a parameter per tenant, so
   * tenants cost the platform stack no resources here (it holds at most 500).
   */
  tenantClientSecurityGroupIds: 'gateway/tenant-client-security-group-ids',
  cloudMapNamespaceId: 'cloud-map/namespace-id',
  /**
   * JSON (`PlatformNamesDocument`): the values a template never needs as a reference (names
   * derived by convention, the collector settings), in one parameter: every parameter is a resource
   * of the platform stack, which holds at most 500, and each costs the environment a tenant's room.
   */
  settings: 'settings',
  /**
   * The SHA-256 of the environment's platform settings document (`platformSettingsDigest`): a
   * service stack imported by name refuses to deploy when its copy's digest differs.
   */
  settingsDigest: 'platform-settings/digest',
} as const;

/**
 * The JSON document published under `settings`, for operators and `obsctl`: names, namespaces and
 * the collector's profile settings. Not the platform settings document a service stack is built
 * from (`PlatformSettings`, platform-settings/<env>.json), whose digest is `settingsDigest`.
 */
export interface PlatformNamesDocument {
  readonly cloudMapNamespace?: { readonly id: string; readonly name: string; readonly arn: string };
  /** The services' log groups are `<prefix>/<service>`. */
  readonly serviceLogGroupPrefix: string;
  /** The CloudWatch namespace of the collectors' EMF metrics. */
  readonly emfNamespace: string;
  /** Names (never values) of the credential parameters. */
  readonly credentialParameterNames: {
    readonly grafanaCloudApiKey: string;
    readonly grafanaCloudConfig: string;
  };
  /** The collector settings a sidecar of this environment runs with. */
  readonly collectorSidecar: Readonly<Record<string, unknown>>;
}

/** The full name of one published parameter, e.g. `/shop/prod/observability/cluster/name`. */
export function platformParameterName(project: string, environmentName: string, relativeName: string): string {
  return `${platformParameterPrefix(project, environmentName)}/${relativeName}`;
}

export interface PlatformParametersProps {
  readonly project: string;
  readonly environmentName: string;
  readonly cluster: ecs.ICluster;
  /** The VPC of the cluster; its private subnets (with egress) are published in zone order. */
  readonly vpc: ec2.IVpc;
  readonly encryptionKey: kms.IKey;
  readonly sourceToken: secretsmanager.ISecret;
  readonly alarmTopics: AlarmTopicsBySeverity;
  /**
   * The gateway tier's client groups and Cloud Map namespace.
   * @default - no gateway: nothing published under `gateway/` and `cloud-map/`
   */
  readonly gateway?: {
    readonly clientSecurityGroup: ec2.ISecurityGroup;
    readonly tenantClientSecurityGroups?: Readonly<Record<string, ec2.ISecurityGroup>>;
    readonly namespace: servicediscovery.INamespace;
  };
  readonly serviceLogGroupPrefix: string;
  readonly emfNamespace: string;
  readonly grafanaCloudApiKeyParameterName: string;
  readonly grafanaCloudConfigParameterName: string;
  /** Written as JSON under `collector/sidecar-settings`. */
  readonly collectorSidecarSettings: Readonly<Record<string, unknown>>;
  /** The digest of the environment's platform settings document (`platformSettingsDigest`). */
  readonly settingsDigest: string;
}

/**
 * Writes a platform's attributes to SSM String parameters under one prefix per environment, so
 * service stacks import the platform by name (`ObservabilityPlatform.fromEnvironmentName`) with
 * deploy-time parameter references instead of CloudFormation exports: the platform can replace a
 * resource without an export lock, and a stack in another repository needs no credentials at synth.
 */
export class PlatformParameters extends Construct {
  /** Every parameter written, by its name relative to the prefix. */
  public readonly parameters: Readonly<Record<string, ssm.StringParameter | ssm.StringListParameter>>;

  constructor(scope: Construct, id: string, props: PlatformParametersProps) {
    super(scope, id);
    const written: Record<string, ssm.StringParameter | ssm.StringListParameter> = {};
    const name = (relative: string) => platformParameterName(props.project, props.environmentName, relative);
    const description = (what: string) =>
      `${props.project} ${props.environmentName} observability platform: ${what} (read by service stacks)`;
    const put = (relative: string, value: string, what: string) => {
      written[relative] = new ssm.StringParameter(this, relative, {
        parameterName: name(relative),
        stringValue: value,
        description: description(what),
        tier: ssm.ParameterTier.STANDARD,
      });
    };
    const putList = (relative: string, values: string[], what: string) => {
      written[relative] = new ssm.StringListParameter(this, relative, {
        parameterName: name(relative),
        stringListValue: values,
        description: description(what),
        tier: ssm.ParameterTier.STANDARD,
      });
    };
    const p = PLATFORM_PARAMETERS;
    put(p.clusterName, props.cluster.clusterName, 'ECS cluster name');
    put(p.clusterArn, props.cluster.clusterArn, 'ECS cluster ARN');
    put(p.vpcId, props.vpc.vpcId, 'VPC id');
    const subnets = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;
    putList(
      p.privateSubnetIds,
      subnets.map((subnet) => subnet.subnetId),
      'private subnet ids, in zone order',
    );
    putList(
      p.availabilityZones,
      subnets.map((subnet) => subnet.availabilityZone),
      'zones of the private subnets',
    );
    put(p.encryptionKeyArn, props.encryptionKey.keyArn, 'KMS key ARN');
    put(
      p.sourceTokenSecretArn,
      props.sourceToken.secretArn,
      "source-token secret ARN (the collectors' CloudWatch dimension)",
    );
    put(
      p.sourceTokenValue,
      props.sourceToken.secretValue.unsafeUnwrap(),
      "source token value, a dimension of the alarms' metrics (copied from the secret at deploy)",
    );
    for (const severity of SEVERITIES) {
      put(`${p.alarmTopicArn}/${severity}`, props.alarmTopics[severity].topicArn, `${severity} alarm topic ARN`);
    }
    if (props.gateway !== undefined) {
      put(
        p.gatewayClientSecurityGroupId,
        props.gateway.clientSecurityGroup.securityGroupId,
        'security group whose members the collector gateway admits',
      );
      const tenants = Object.entries(props.gateway.tenantClientSecurityGroups ?? {});
      if (tenants.length > 0) {
        putList(
          p.gatewayTenants,
          tenants.map(([tenant]) => tenant),
          'tenants with a gateway client group',
        );
        putList(
          p.tenantClientSecurityGroupIds,
          tenants.map(([, group]) => group.securityGroupId),
          "per tenant (in the order of gateway/tenants), the group the gateway admits on the tenant's port",
        );
      }
      put(p.cloudMapNamespaceId, props.gateway.namespace.namespaceId, 'Cloud Map namespace id of the gateway');
    }
    const settings: PlatformNamesDocument = {
      ...(props.gateway === undefined
        ? {}
        : {
            cloudMapNamespace: {
              id: props.gateway.namespace.namespaceId,
              name: props.gateway.namespace.namespaceName,
              arn: props.gateway.namespace.namespaceArn,
            },
          }),
      serviceLogGroupPrefix: props.serviceLogGroupPrefix,
      emfNamespace: props.emfNamespace,
      credentialParameterNames: {
        grafanaCloudApiKey: props.grafanaCloudApiKeyParameterName,
        grafanaCloudConfig: props.grafanaCloudConfigParameterName,
      },
      collectorSidecar: props.collectorSidecarSettings,
    };
    put(p.settings, Stack.of(this).toJsonString(settings), 'names, namespaces and collector settings (JSON)');
    put(
      p.settingsDigest,
      props.settingsDigest,
      'SHA-256 of platform-settings/<env>.json; service stacks refuse to deploy with another copy',
    );
    this.parameters = written;
  }
}
