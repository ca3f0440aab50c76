import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { EnvironmentProfile, Severity } from '../profile/schema';

/**
 * The shared parts an observed service needs from its environment. The default app's
 * `PlatformStack` implements it; a service stack in another repository can implement it with
 * imported resources (`ecs.Cluster.fromClusterAttributes`, `kms.Key.fromKeyArn`, `sns.Topic.fromTopicArn`).
 */
export interface IObservabilityPlatform {
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The validated environment profile. */
  readonly profile: EnvironmentProfile;
  /** The ECS cluster the services run in. */
  readonly cluster: ecs.ICluster;
  /**
   * The customer-managed key that encrypts the platform's own log groups and alarm topics.
   * `ObservedFargateService` encrypts a service's log groups with a key of the service's own
   * unless it is given `logEncryptionKey`.
   */
  readonly encryptionKey: kms.IKey;
  /** One alarm topic per severity. */
  readonly alarmTopics: Readonly<Record<Severity, sns.ITopic>>;
  /**
   * The environment's collector gateway tier, where the profile declares one.
   * @default - no gateway: sidecars export traces themselves, with head sampling
   */
  readonly gateway?: ICollectorGatewayClients;
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
