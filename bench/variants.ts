/**
 * The three apps the benchmark compares, for one environment of N services:
 * - bare: a Fargate service per stack with its encrypted log group, nothing else;
 * - observed: the default app's stacks (ServiceStack: ObservedFargateService with collector and alarms);
 * - monitored: the bare services plus cdk-monitoring-constructs (its facade in each service stack).
 * All three share the default app's PlatformStack (VPC, cluster, key, topics).
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { type CustomMetric, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import type { Construct } from 'constructs';
import { containerImageFromReference } from '../lib/constructs/container-image';
import type { IObservabilityPlatform } from '../lib/constructs/platform';
import { TelemetryLogGroup } from '../lib/constructs/telemetry-log-group';
import { serviceLogGroupName, stackName } from '../lib/naming';
import { platformSettings } from '../lib/platform-settings/from-profile';
import type { EnvironmentProfile } from '../lib/profile/schema';
import { buildEnvironment } from '../lib/stacks/default-app';
import { PlatformStack } from '../lib/stacks/platform-stack';

export const VARIANTS = ['bare', 'observed', 'monitored', 'monitoredAtCoverage'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_LABELS: Readonly<Record<Variant, string>> = {
  bare: '(a) bare Fargate services',
  observed: '(b) observed (ObservedFargateService)',
  monitored: '(c) cdk-monitoring-constructs',
  monitoredAtCoverage: "(d) cdk-monitoring-constructs, (b)'s alarms",
};

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

export interface BareServiceStackProps extends StackProps {
  readonly platform: IObservabilityPlatform;
  /** The environment's profile: the service's size and image come from it. */
  readonly profile: EnvironmentProfile;
  readonly serviceName: string;
}

/**
 * What a team deploys without any observability package: the same task size, image, port, health
 * check, network and deployment settings as ObservedFargateService, and one encrypted log group
 * with the environment's retention. No collector, no alarms.
 */
export class BareServiceStack extends Stack {
  public readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: BareServiceStackProps) {
    super(scope, id, props);
    const { platform, serviceName, profile } = props;
    const { environmentName } = platform;
    const settings = profile.services[serviceName];
    if (settings === undefined) throw new Error(`BareServiceStack ${id}: no service "${serviceName}" in the profile`);
    const logGroup = new TelemetryLogGroup(this, 'AppLogs', {
      logGroupName: serviceLogGroupName(profile.project, environmentName, serviceName),
      retention: profile.logRetentionDays as logs.RetentionDays,
      encryptionKey: platform.encryptionKey,
      removalPolicy: profile.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
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
    const url = `http://localhost:${settings.port}${settings.healthCheckPath}`;
    taskDefinition.addContainer('App', {
      containerName: serviceName,
      image: containerImageFromReference(this, 'Image', settings.image),
      essential: true,
      portMappings: [{ containerPort: settings.port, name: 'http' }],
      readonlyRootFilesystem: true,
      healthCheck: {
        command: [
          'CMD',
          'python3',
          '-c',
          `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('${url}', timeout=4).status < 300 else 1)`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logging: logGroup.logDriver(serviceName),
    });
    this.service = new ecs.FargateService(this, 'Service', {
      serviceName,
      cluster: platform.cluster,
      taskDefinition,
      desiredCount: settings.desiredCount ?? 1,
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      enableExecuteCommand: false,
    });
  }
}

/**
 * A bare service monitored by cdk-monitoring-constructs the way its README shows: a facade in the
 * stack (with its default dashboard) and `monitorSimpleFargateService` (the load-balancer-free form
 * of `monitorFargateService`) with two alarms, routed to the platform's warning topic.
 */
export class MonitoredServiceStack extends BareServiceStack {
  protected readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: BareServiceStackProps) {
    super(scope, id, props);
    const { platform, serviceName } = props;
    const prefix = `${platform.settings.project}-${platform.environmentName}-${serviceName}`;
    this.facade = new MonitoringFacade(this, 'Monitoring', {
      alarmFactoryDefaults: {
        alarmNamePrefix: prefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: platform.alarmTopics.warning }),
      },
    }).monitorSimpleFargateService({
      fargateService: this.service,
      addCpuUsageAlarm: { Warning: { maxUsagePercent: 80 } },
      addMemoryUsageAlarm: { Warning: { maxUsagePercent: 80 } },
    });
  }
}

/**
 * (c) with as many alarms as an observed service stack holds (13 metric alarms, one composite), so
 * the comparison at equal alarm coverage is in the same run: its two alarms, nine more on the same
 * kinds of metric (EMF metrics, metric math over two, percentiles, ECS and Logs metrics), two
 * anomaly-band alarms, and a composite over the critical ones. What it watches is not (b)'s
 * (thresholds and windows are placeholders); what it costs to build and synthesize is.
 */
export class MonitoredAtCoverageServiceStack extends MonitoredServiceStack {
  constructor(scope: Construct, id: string, props: BareServiceStackProps) {
    super(scope, id, props);
    const { platform, serviceName } = props;
    const namespace = `${platform.settings.project}/${platform.environmentName}`;
    const emf = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace, metricName, statistic, dimensionsMap: { 'service.name': serviceName } });
    const ratio = (label: string, window: number) =>
      new cloudwatch.MathExpression({
        expression: `100 * errors${window} / requests${window}`,
        usingMetrics: { [`errors${window}`]: emf('request_errors_total'), [`requests${window}`]: emf('request_count') },
        period: Duration.minutes(window),
        label,
      });
    const above = (threshold: number, severity = 'Critical') => ({
      [severity]: { threshold, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD },
    });
    const withAlarm = (
      metric: cloudwatch.IMetric,
      alarmFriendlyName: string,
      addAlarm: ReturnType<typeof above>,
    ): CustomMetric => ({ metric: metric as cloudwatch.Metric, alarmFriendlyName, addAlarm });
    this.facade.monitorCustom({
      alarmFriendlyName: serviceName,
      metricGroups: [
        {
          title: 'Errors and latency',
          metrics: [
            withAlarm(ratio('error rate', 5), 'ErrorRate', above(5)),
            withAlarm(emf('request_duration_seconds', 'p95'), 'LatencyP95', above(1)),
            withAlarm(ratio('availability burn 1h', 60), 'AvailabilityBurnLong', above(1.44)),
            withAlarm(ratio('availability burn 5m', 5), 'AvailabilityBurnShort', above(1.44)),
            withAlarm(emf('request_duration_seconds', 'p99'), 'LatencyBurnLong', above(2)),
            withAlarm(emf('request_duration_seconds', 'p90'), 'LatencyBurnShort', above(2)),
          ],
        },
        {
          title: 'Tasks and logs',
          metrics: [
            withAlarm(
              new cloudwatch.Metric({
                namespace: 'ECS/ContainerInsights',
                metricName: 'RestartCount',
                statistic: 'Sum',
                dimensionsMap: { ServiceName: this.service.serviceName },
              }),
              'TaskRestarts',
              above(3),
            ),
            withAlarm(
              new cloudwatch.Metric({
                namespace: 'AWS/Logs',
                metricName: 'IncomingBytes',
                statistic: 'Sum',
                dimensionsMap: { LogGroupName: `/ecs/${serviceName}` },
              }),
              'LogGroupGrowth',
              above(1e9, 'Warning'),
            ),
            withAlarm(emf('otelcol_heartbeat', 'SampleCount'), 'CollectorHeartbeat', above(0)),
          ],
        },
        {
          title: 'Traffic',
          metrics: [
            {
              metric: emf('request_count'),
              alarmFriendlyName: 'Traffic',
              anomalyDetectionStandardDeviationToRender: 3,
              addAlarmOnAnomaly: {
                Critical: { standardDeviationForAlarm: 3, alarmWhenBelowTheBand: true, alarmWhenAboveTheBand: false },
                Warning: { standardDeviationForAlarm: 3, alarmWhenBelowTheBand: false, alarmWhenAboveTheBand: true },
              },
            },
          ],
        },
      ],
    });
    this.facade.createCompositeAlarmUsingDisambiguator('Critical');
  }
}

export interface VariantApp {
  readonly platform: PlatformStack;
  readonly services: readonly Stack[];
}

/**
 * Adds one environment of `variant` to `scope`, named as the default app names its stacks.
 * `observed` is the default app's environment itself (`buildEnvironment`). The platform of the
 * others is built for the profile's first service only, so its per-service parts (dashboard rows,
 * saved-query log groups) do not grow with N: that growth is part of what `observed` costs.
 */
export function buildVariant(
  scope: Construct,
  variant: Variant,
  environmentName: string,
  profile: EnvironmentProfile,
): VariantApp {
  // The observed variant is the default app's environment, built as `cdk synth` builds it.
  if (variant === 'observed') return buildEnvironment(scope, environmentName, profile, 'bench');
  const env = { account: profile.account, region: profile.region };
  const name = (part: string) => stackName(profile.project, environmentName, part);
  const serviceNames = Object.keys(profile.services);
  const platformProfile = {
    ...profile,
    services: Object.fromEntries(serviceNames.slice(0, 1).map((s) => [s, profile.services[s]])),
  };
  const platform = new PlatformStack(scope, name('Platform'), {
    env,
    stackName: name('Platform'),
    environmentName,
    profile: platformProfile,
  });
  // The service stacks see the full profile; only the platform's own observability is held constant.
  const platformView: IObservabilityPlatform = {
    environmentName,
    settings: platformSettings(profile, environmentName),
    cluster: platform.cluster,
    encryptionKey: platform.encryptionKey,
    alarmTopics: platform.alarmTopics,
    sourceToken: platform.sourceToken,
  };
  const services = serviceNames.map((serviceName): Stack => {
    const props = { env, stackName: name(serviceName), platform: platformView, serviceName, profile };
    if (variant === 'monitored') return new MonitoredServiceStack(scope, name(serviceName), props);
    if (variant === 'monitoredAtCoverage') return new MonitoredAtCoverageServiceStack(scope, name(serviceName), props);
    return new BareServiceStack(scope, name(serviceName), props);
  });
  for (const stack of [platform, ...services]) {
    Tags.of(stack).add('project', profile.project);
    Tags.of(stack).add('environment', environmentName);
  }
  return { platform, services };
}
