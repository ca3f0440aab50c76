import { Annotations, CfnRule, Fn, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { platformSettingsDigest } from '../platform-settings/digest';
import { type PlatformSettings, platformSettingsPath } from '../platform-settings/settings';
import { SEVERITIES, type Severity } from '../profile/schema';
import { PLATFORM_PARAMETERS, platformParameterName } from './platform-parameters';

/**
 * The shared parts an observed service needs from its environment. The default app's
 * `PlatformStack` implements it; a service stack imports it by name with
 * `ObservabilityPlatform.fromEnvironmentName` (or from values it holds, `fromAttributes`).
 */
export interface IObservabilityPlatform {
  /** The environment's name, e.g. `prod` (`settings.environmentName`). */
  readonly environmentName: string;
  /**
   * What a service needs of the environment's profile: names, retention, the sidecar's generated
   * config, the alarm settings (`platformSettings`; another repository reads its copy with
   * `readPlatformSettings`). One document rather than a property per slice: it is what the
   * platform generates, checks and a team copies as one file, and the constructs each take their
   * slice of it.
   */
  readonly settings: PlatformSettings;
  /** The ECS cluster the services run in. */
  readonly cluster: ecs.ICluster;
  /**
   * The customer-managed key that encrypts the platform's own log groups and alarm topics.
   * `ObservedFargateService` encrypts a service's log groups with a key of the service's own
   * unless it is given `logEncryptionKey`.
   */
  readonly encryptionKey: kms.IKey;
  /** One alarm topic per severity. */
  readonly alarmTopics: AlarmTopicsBySeverity;
  /**
   * The environment's source token (lib/constructs/source-token.ts): the collector containers get
   * it as an ECS secret; the alarms of another stack read the copy the platform publishes in SSM
   * (`sourceTokenValueIn`), those of the platform stack name the secret by a dynamic reference. No
   * task role reads either.
   */
  readonly sourceToken: secretsmanager.ISecret;
  /**
   * The environment's collector gateway tier, where the profile declares one.
   * @default - no gateway: sidecars export traces themselves, with head sampling
   */
  readonly gateway?: ICollectorGatewayClients;
}

/**
 * The platform's alarm topic of each severity: an interface rather than a `Record<Severity, ITopic>`,
 * so the type is one jsii can carry to other languages.
 */
export interface AlarmTopicsBySeverity {
  readonly critical: sns.ITopic;
  readonly warning: sns.ITopic;
  readonly info: sns.ITopic;
}

/** What an observed service needs of the gateway tier: a way in. */
export interface ICollectorGatewayClients {
  /**
   * The security group the gateway admits OTLP/gRPC from on its platform port (4317): every
   * platform service's tasks join it. Import it with `ec2.SecurityGroup.fromSecurityGroupId` in
   * another repository.
   */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /**
   * Per tenant, the security group the gateway admits on that tenant's own port only: the tenant's
   * services' tasks join it, and nothing else can reach that port.
   * @default - no tenants
   */
  readonly tenantClientSecurityGroups?: Readonly<Record<string, ec2.ISecurityGroup>>;
}

/** The ARNs of the platform's alarm topics, one per severity. */
export interface AlarmTopicArns {
  readonly critical: string;
  readonly warning: string;
  readonly info: string;
}

/** A platform described by its attributes: what `PlatformStack` publishes under its SSM prefix. */
export interface ObservabilityPlatformAttributes {
  /** The environment's platform settings (`readPlatformSettings`): collector settings, retention and thresholds come from it. */
  readonly settings: PlatformSettings;
  readonly clusterName: string;
  /** @default - built from the cluster name, the stack's account and region */
  readonly clusterArn?: string;
  readonly vpcId: string;
  /** The private subnets the tasks run in, one per zone, in the order of `availabilityZones`. */
  readonly privateSubnetIds: string[];
  readonly availabilityZones: string[];
  readonly encryptionKeyArn: string;
  readonly alarmTopicArns: AlarmTopicArns;
  /**
   * The complete ARN (with its random suffix) of the environment's source-token secret, as the
   * platform publishes it at `/<project>/<environment>/observability/source-token/secret-arn`. The
   * alarms read the value itself from `/<project>/<environment>/observability/source-token/value`,
   * by name, at deploy.
   */
  readonly sourceTokenSecretArn: string;
  /**
   * The security group the gateway tier admits sidecars from. Joined without a rule of its own
   * (`mutable: false`): a service must never open its ports to every member of the shared group.
   * @default - no gateway; an error when the settings declare one
   */
  readonly gatewayClientSecurityGroupId?: string;
  /**
   * Per tenant, the security group the gateway admits on that tenant's port.
   * @default - none
   */
  readonly tenantClientSecurityGroupIds?: Readonly<Record<string, string>>;
}

export interface ObservabilityPlatformLookupProps {
  /**
   * The environment's platform settings (`readPlatformSettings('platform-settings/prod.json')`):
   * its project and environment name the parameters' prefix. Its `availabilityZones` are the
   * platform VPC's zones: CloudFormation resolves the subnet list at deploy time, but CDK must know
   * its length at synth, and the settings declare it.
   */
  readonly settings: PlatformSettings;
}

/**
 * Imports an environment's observability platform into a service stack.
 *
 * `fromEnvironmentName` reads what `PlatformStack` publishes under
 * `/<project>/<environment>/observability/` (lib/constructs/platform-parameters.ts) as deploy-time
 * SSM parameter references: synth needs no credentials and no context lookup, the template holds
 * no `Fn::ImportValue`, and the platform can replace a resource without an export lock.
 */
export class ObservabilityPlatform {
  /** The platform of `environmentName`, read from its published SSM parameters at deploy time. */
  public static fromEnvironmentName(
    scope: Construct,
    id: string,
    props: ObservabilityPlatformLookupProps,
  ): IObservabilityPlatform {
    const { settings } = props;
    const zoneCount = settings.availabilityZones.length;
    const container = new Construct(scope, id);
    const name = (relative: string) => platformParameterName(settings.project, settings.environmentName, relative);
    const value = (relative: string) => ssm.StringParameter.valueForStringParameter(container, name(relative));
    const list = (relative: string) => {
      const tokens = ssm.StringListParameter.valueForTypedListParameter(container, name(relative));
      return Array.from({ length: zoneCount }, (_, index) => Fn.select(index, tokens));
    };
    const p = PLATFORM_PARAMETERS;
    requireCurrentSettings(container, settings, value(p.settingsDigest));
    const attributes: ObservabilityPlatformAttributes = {
      settings,
      clusterName: value(p.clusterName),
      vpcId: value(p.vpcId),
      privateSubnetIds: list(p.privateSubnetIds),
      // The settings' zones, in the order the platform's VPC has them (it is built from the same list).
      availabilityZones: [...settings.availabilityZones],
      // Read on first use (see importPlatform): an unused parameter is a template warning.
      get encryptionKeyArn() {
        return value(p.encryptionKeyArn);
      },
      alarmTopicArns: {
        critical: value(`${p.alarmTopicArn}/critical`),
        warning: value(`${p.alarmTopicArn}/warning`),
        info: value(`${p.alarmTopicArn}/info`),
      },
      // Read on first use, like the key.
      get sourceTokenSecretArn() {
        return value(p.sourceTokenSecretArn);
      },
    };
    if (settings.gateway !== undefined) {
      const { tenants } = settings.gateway;
      // Defined, not spread: a spread would read the getter, and so create the parameter.
      Object.defineProperties(attributes, {
        // Read on first use: a tenant's service joins its tenant's group, not this one.
        gatewayClientSecurityGroupId: { enumerable: true, get: () => value(p.gatewayClientSecurityGroupId) },
        // One list in the profile's tenant order (as the platform publishes it), read on first use.
        tenantClientSecurityGroupIds: {
          enumerable: true,
          value: lazyRecord(tenants, (tenant) =>
            Fn.select(
              tenants.indexOf(tenant),
              ssm.StringListParameter.valueForTypedListParameter(container, name(p.tenantClientSecurityGroupIds)),
            ),
          ),
        },
      });
    }
    return importPlatform(container, attributes);
  }

  /** A platform from values the caller holds (for example from its own configuration). */
  public static fromAttributes(
    scope: Construct,
    id: string,
    attributes: ObservabilityPlatformAttributes,
  ): IObservabilityPlatform {
    if (!Token.isUnresolved(attributes.encryptionKeyArn) && !attributes.encryptionKeyArn.startsWith('arn:')) {
      throw new Error(
        `${scope.node.path}/${id}: encryptionKeyArn "${attributes.encryptionKeyArn}" is not an ARN (arn:aws:kms:...)`,
      );
    }
    return importPlatform(new Construct(scope, id), attributes);
  }

  private constructor() {}
}

function importPlatform(scope: Construct, attributes: ObservabilityPlatformAttributes): IObservabilityPlatform {
  const { settings } = attributes;
  const { environmentName } = settings;
  if (attributes.privateSubnetIds.length !== attributes.availabilityZones.length) {
    throw new Error(
      `${scope.node.path}: ${attributes.privateSubnetIds.length} privateSubnetIds for ` +
        `${attributes.availabilityZones.length} availabilityZones: give one private subnet per zone`,
    );
  }
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: attributes.vpcId,
    availabilityZones: attributes.availabilityZones,
    privateSubnetIds: attributes.privateSubnetIds,
  });
  for (const subnet of vpc.privateSubnets) {
    Annotations.of(subnet).acknowledgeWarning(
      '@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'Tasks need the subnet ids only: nothing of an observed service reads the route tables of the imported subnets',
    );
  }
  const cluster = ecs.Cluster.fromClusterAttributes(scope, 'Cluster', {
    clusterName: attributes.clusterName,
    clusterArn: attributes.clusterArn,
    vpc,
    securityGroups: [],
  });
  const topic = (severity: Severity) =>
    sns.Topic.fromTopicArn(
      scope,
      `AlarmTopic${severity[0].toUpperCase()}${severity.slice(1)}`,
      attributes.alarmTopicArns[severity],
    );
  // mutable: false, so no construct of the service (a load balancer, say) adds a rule to the shared group.
  const group = (groupId: string, groupIdName: string) =>
    ec2.SecurityGroup.fromSecurityGroupId(scope, groupIdName, groupId, { mutable: false });
  // Looked at without reading it: a getter (fromEnvironmentName's) creates its parameter when read.
  const given = Object.getOwnPropertyDescriptor(attributes, 'gatewayClientSecurityGroupId');
  let clientSecurityGroup: ec2.ISecurityGroup | undefined;
  const gateway =
    given === undefined || (given.get === undefined && given.value === undefined)
      ? undefined
      : {
          get clientSecurityGroup() {
            clientSecurityGroup ??= group(attributes.gatewayClientSecurityGroupId as string, 'GatewayClients');
            return clientSecurityGroup;
          },
          tenantClientSecurityGroups: lazyRecord(Object.keys(attributes.tenantClientSecurityGroupIds ?? {}), (tenant) =>
            group(attributes.tenantClientSecurityGroupIds?.[tenant] as string, `GatewayClients-${tenant}`),
          ),
        };
  if (settings.gateway !== undefined && gateway === undefined) {
    throw new Error(
      `${scope.node.path}: the settings of ${environmentName} declare a gateway, but no gatewayClientSecurityGroupId ` +
        `was given: pass the id the platform publishes at ${platformParameterName(settings.project, environmentName, PLATFORM_PARAMETERS.gatewayClientSecurityGroupId)}`,
    );
  }
  let encryptionKey: kms.IKey | undefined;
  let sourceToken: secretsmanager.ISecret | undefined;
  return {
    environmentName,
    settings,
    cluster,
    // Imported on first use: an observed service encrypts its logs with a key of its own.
    get encryptionKey() {
      encryptionKey ??= kms.Key.fromKeyArn(scope, 'Key', attributes.encryptionKeyArn);
      return encryptionKey;
    },
    // Imported on first use: a stack without collectors and alarms has no use for it.
    get sourceToken() {
      sourceToken ??= secretsmanager.Secret.fromSecretCompleteArn(
        scope,
        'SourceToken',
        attributes.sourceTokenSecretArn,
      );
      return sourceToken;
    },
    alarmTopics: Object.fromEntries(SEVERITIES.map((severity) => [severity, topic(severity)])) as Record<
      Severity,
      sns.ITopic
    >,
    ...(gateway === undefined ? {} : { gateway }),
  };
}

/**
 * A CloudFormation rule of the importing stack: its deploy fails, before any resource changes, when
 * the digest the platform publishes differs from that of the settings the stack was built from (a
 * copy of `platform-settings/<env>.json` older or newer than the deployed platform). The CDK's own
 * bootstrap-version check is the same kind of rule over an SSM parameter.
 */
function requireCurrentSettings(scope: Construct, settings: PlatformSettings, publishedDigest: string): void {
  const file = platformSettingsPath(settings.environmentName);
  new CfnRule(scope, 'CurrentPlatformSettings', {
    assertions: [
      {
        assert: Fn.conditionEquals(publishedDigest, platformSettingsDigest(settings)),
        assertDescription:
          `This stack was built from a copy of ${file} that is not the one the ${settings.environmentName} platform ` +
          `deployed: copy the platform repository's current ${file}, then synthesize and deploy again`,
      },
    ],
  });
}

/** A record whose values are made on first read (and kept), so unused entries add nothing to the template. */
function lazyRecord<T>(keys: readonly string[], make: (key: string) => T): Readonly<Record<string, T>> {
  const record: Record<string, T> = {};
  for (const key of keys) {
    let made: T | undefined;
    Object.defineProperty(record, key, { enumerable: true, get: () => (made ??= make(key)) });
  }
  return record;
}
