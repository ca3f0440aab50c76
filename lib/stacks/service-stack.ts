import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { containerImageFromReference } from '../constructs/container-image';
import { ObservedFargateService } from '../constructs/observed-fargate-service';
import { ObservabilityPlatform } from '../constructs/platform';
import type { PlatformStack } from './platform-stack';

export interface ServiceStackProps extends StackProps {
  /**
   * The environment the service runs in. The service imports it by name (its SSM parameters),
   * never through the stack's resources: the template holds no `Fn::ImportValue`, so the platform
   * is never locked by an export. The stack depends on it, so it deploys after it.
   */
  readonly platform: PlatformStack;
  /** The service's name: a key of the profile's `services`. */
  readonly serviceName: string;
}

/** One service of the default app: an `ObservedFargateService` configured from its profile entry. */
export class ServiceStack extends Stack {
  public readonly observed: ObservedFargateService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { serviceName } = props;
    const { profile, environmentName, settings } = props.platform;
    this.addStackDependency(props.platform, 'reads the parameters the platform publishes');
    const serviceProfile = profile.services[serviceName];
    if (serviceProfile === undefined) {
      throw new Error(
        `ServiceStack ${id}: service "${serviceName}" is not in environments.${environmentName}.services ` +
          `(known: ${Object.keys(profile.services).join(', ')})`,
      );
    }
    const platform = ObservabilityPlatform.fromEnvironmentName(this, 'Platform', { settings });
    this.observed = new ObservedFargateService(this, 'Observed', {
      platform,
      serviceName,
      image: containerImageFromReference(this, 'Image', serviceProfile.image),
      port: serviceProfile.port,
      healthCheckPath: serviceProfile.healthCheckPath,
      cpu: serviceProfile.cpu,
      memoryLimitMiB: serviceProfile.memoryMiB,
      user: serviceProfile.user,
      desiredCount: serviceProfile.desiredCount,
      instrumentation: serviceProfile.instrumentation,
      tenant: serviceProfile.tenant,
      alertThresholds: serviceProfile.alertThresholds,
      trafficAnomaly: serviceProfile.trafficAnomaly,
      // Production keeps its logs when a stack is deleted; other environments clean up after themselves.
      logRemovalPolicy: profile.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }
}
