import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { IObservabilityPlatform } from '../constructs/platform';
import { serviceLogGroupName } from '../naming';

export interface ServiceStackProps extends StackProps {
  /** The environment the service runs in. */
  readonly platform: IObservabilityPlatform;
  /** The service's name: a key of the profile's `services`. */
  readonly serviceName: string;
}

/** One sample service of the default app, as a Fargate service in the platform's cluster. */
export class ServiceStack extends Stack {
  public readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { platform, serviceName } = props;
    const { profile, environmentName } = platform;
    const settings = profile.services[serviceName];
    if (settings === undefined) {
      throw new Error(
        `ServiceStack ${id}: service "${serviceName}" is not in environments.${environmentName}.services ` +
          `(known: ${Object.keys(profile.services).join(', ')})`,
      );
    }

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: serviceLogGroupName(profile.project, environmentName, serviceName),
      retention: profile.logRetentionDays as logs.RetentionDays,
      encryptionKey: platform.encryptionKey,
      removalPolicy: environmentName === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: `${profile.project}-${environmentName}-${serviceName}`,
      cpu: settings.cpu,
      memoryLimitMiB: settings.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    taskDefinition.addContainer('App', {
      containerName: serviceName,
      image: ecs.ContainerImage.fromRegistry(settings.image),
      essential: true,
      portMappings: [{ containerPort: settings.port, name: 'http' }],
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({
        logGroup,
        streamPrefix: serviceName,
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });

    Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        "The execution role's inline policy holds CDK's grants for this task definition only (its log group and " +
        'image); it lives and dies with the role and cannot be attached to another principal.',
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName,
      cluster: platform.cluster,
      taskDefinition,
      desiredCount: settings.desiredCount ?? 1,
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      // Deploy new tasks before stopping old ones: capacity never drops below the desired count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: false,
    });
  }
}
