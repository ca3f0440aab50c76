import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { envReference } from '../collector/expansion';
import type { GeneratedCollectorConfig } from '../collector/generate';
import { HEALTH_PROBE_IMAGE, healthProbeCommand, PROBE_DIRECTORY, setupCommand } from '../collector/health-probe';
import type { CollectorEnvironmentVariable } from '../collector/model';
import { pascalCase } from '../naming';
import { acknowledgeWildcardResource } from './acknowledgements';
import { containerImageFromReference } from './container-image';
import { GrafanaCloudCredentials } from './grafana-cloud-credentials';
import type { TelemetryLogGroup } from './telemetry-log-group';

/** The environment variable that carries the generated config into the container. */
export const COLLECTOR_CONFIG_VARIABLE = 'OTELCOL_CONFIG_YAML';

/**
 * The user and group the collector runs as: the contrib image's own `USER 10001:10001`
 * (opentelemetry-collector-releases, distributions/otelcol-contrib/Dockerfile); the ADOT image sets
 * no USER and would run as root. Both images are FROM scratch, without /etc/passwd: a uid alone
 * would run with group 0 (root), so the group is given too. In the task definition, Control Tower
 * (CT.ECS.PR.3) can see it.
 */
export const COLLECTOR_USER = '10001:10001';

/**
 * Memory of the setup container that installs the health probe (BusyBox `cp` needs about 1 MiB).
 * Fargate counts every container's reservation against the task's memory, the setup container's
 * too although it has exited before the collector starts: the collector reserves this much less
 * (its hard limit, from which its memory_limiter was sized, stays).
 */
export const COLLECTOR_SETUP_MEMORY_MIB = 16;

/** The setup container's user: root, for a task volume only root may write (see addSetup). */
export const COLLECTOR_SETUP_USER = '0:0';

/**
 * How long a collector must have run before ECS restarts it after it exits: the shortest ECS
 * allows. A collector that exits sooner (a config it refuses) is not restarted in a loop.
 */
export const COLLECTOR_RESTART_ATTEMPT_PERIOD = Duration.seconds(60);

export interface CollectorContainerProps {
  /** The task definition the collector joins. */
  readonly taskDefinition: ecs.TaskDefinition;
  /** The container name, e.g. `otel-collector`; also the log stream prefix. */
  readonly containerName: string;
  /** The generated config and its environment contract. */
  readonly collector: GeneratedCollectorConfig;
  /** The checked YAML of `collector` (renderCollectorConfig). */
  readonly configYaml: string;
  /** Where the collector's own logs go. */
  readonly logGroup: TelemetryLogGroup;
  /**
   * The source of secrets the config reads, by environment variable name.
   * @default - each secret from the SSM SecureString parameter the contract names
   */
  readonly secrets?: Readonly<Record<string, ecs.Secret>>;
  /** Whether the task stops when the collector stops. */
  readonly essential: boolean;
  /** Cpu units reserved for the container. @default - no reservation: the task's cpu is shared */
  readonly cpu?: number;
  /**
   * Hard memory limit of the container (MiB): the memory the config's memory_limiter and GOMEMLIMIT
   * were sized from, so the container is stopped only past the point where the collector already
   * refuses data.
   */
  readonly memoryLimitMiB: number;
  /** Ports other tasks reach the collector on. @default - none: only containers of the same task */
  readonly portMappings?: ecs.PortMapping[];
  /**
   * The service the task runs, for the contract's per-task variable (a sidecar's
   * `OBSERVED_SERVICE_NAME`): the collector stamps it on the telemetry it forwards.
   * @default - none; a config that reads the service name per task is then a synth error
   */
  readonly serviceName?: string;
}

/**
 * An OpenTelemetry Collector container running a generated config: the sidecar's and the
 * gateway's shared part.
 *
 * - The config travels in an environment variable (`--config=env:…`), so any change to it makes a
 *   new task-definition revision and rolls the tasks; a config in SSM would change under a task
 *   definition that does not.
 * - Every variable of the config's environment contract reaches the container: plain values as
 *   environment variables, secrets as ECS secrets (never as values). A validation re-reads the
 *   rendered container definition at synth and fails on any gap.
 * - awsemf writes CloudWatch metrics as EMF events into the one log group the config names (a
 *   sidecar's: its service's own; the gateway's: the environment's): the task role may write there
 *   and nowhere else.
 */
export class CollectorContainer extends Construct {
  public readonly container: ecs.ContainerDefinition;
  /** Installs the health probe (and opens the queue directory), then exits before the collector starts. */
  public readonly setupContainer: ecs.ContainerDefinition;
  private readonly collector: GeneratedCollectorConfig;
  private readonly serviceName?: string;

  constructor(scope: Construct, id: string, props: CollectorContainerProps) {
    super(scope, id);
    this.collector = props.collector;
    const plain: Record<string, string> = { [COLLECTOR_CONFIG_VARIABLE]: props.configYaml };
    const secrets: Record<string, ecs.Secret> = {};
    const missing: string[] = [];
    this.serviceName = props.serviceName;
    for (const variable of this.collector.environment) {
      if (!variable.secret) {
        plain[variable.name] = this.plainValue(variable);
        continue;
      }
      const given = props.secrets?.[variable.name];
      if (given !== undefined) secrets[variable.name] = given;
      else if (variable.ssmParameterName !== undefined) {
        secrets[variable.name] = new GrafanaCloudCredentials(this, `Secret${pascalCase(variable.name)}`, {
          apiKeyParameterName: variable.ssmParameterName,
          parameterKeyArn: variable.ssmParameterKeyArn,
        }).apiKeySecret();
      } else missing.push(variable.name);
    }
    if (missing.length > 0) {
      throw new Error(
        `${this.node.path}: the collector config reads ${missing.join(', ')} as secret(s), but no source was given. ` +
          `Pass them in secrets, e.g. { ${missing[0]}: ecs.Secret.fromSsmParameter(parameter) }`,
      );
    }

    this.container = props.taskDefinition.addContainer(id, {
      containerName: props.containerName,
      // A private ECR copy gets its pull grant; any other registry is pulled as a public image.
      image: containerImageFromReference(this, 'Image', this.collector.image),
      command: [`--config=env:${COLLECTOR_CONFIG_VARIABLE}`],
      essential: props.essential,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      environment: plain,
      secrets,
      memoryReservationMiB: props.memoryLimitMiB - COLLECTOR_SETUP_MEMORY_MIB,
      portMappings: props.portMappings,
      // The collector writes only where the config's file_storage extension says (a task volume
      // mounted below); config from the environment, everything else in memory.
      readonlyRootFilesystem: true,
      user: COLLECTOR_USER,
      logging: props.logGroup.logDriver(props.containerName),
      healthCheck: {
        command: healthProbeCommand(),
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // A collector that crashes (out of memory, a panic) is restarted in place: the task, its
      // application and its task storage (the gateway's queue) stay. ECS acts on an unhealthy
      // essential container (the gateway: the task is replaced); for a non-essential sidecar the
      // health status is shown, and the heartbeat alarm pages when the collector stops reporting.
      enableRestartPolicy: true,
      restartAttemptPeriod: COLLECTOR_RESTART_ATTEMPT_PERIOD,
    });
    this.setupContainer = this.addSetup(props);

    this.grantEmfWrites(props.taskDefinition.taskRole);
    this.node.addValidation({ validate: () => this.contractProblems() });
  }

  /** The value a plain variable gets: the contract's, or for a per-task variable, the task's. */
  private plainValue(variable: CollectorEnvironmentVariable): string {
    if (variable.perTask === undefined) return variable.value ?? '';
    if (this.serviceName === undefined) {
      throw new Error(
        `${this.node.path}: the collector config reads ${variable.name} (${variable.description}), set per task. ` +
          'Pass serviceName to the collector container',
      );
    }
    return this.serviceName;
  }

  /**
   * The setup container: copies the probe binary into a task volume the collector mounts read-only,
   * and opens the persistent queue's directory when the config has one. It runs as root (Fargate's
   * task volumes belong to root, aws/containers-roadmap#938) without any Linux capability, with a
   * read-only root filesystem, and exits; the collector starts once it has (COMPLETE, not SUCCESS:
   * a failed copy costs the health check, never the collector).
   */
  private addSetup(props: CollectorContainerProps): ecs.ContainerDefinition {
    const { taskDefinition, containerName } = props;
    const probeVolume = `${containerName}-probe`;
    taskDefinition.addVolume({ name: probeVolume });
    const queueDirectory = this.queueDirectory();
    const setup = taskDefinition.addContainer(`${this.node.id}Setup`, {
      containerName: `${containerName}-setup`,
      image: ecs.ContainerImage.fromRegistry(HEALTH_PROBE_IMAGE.image),
      command: setupCommand(queueDirectory !== undefined),
      essential: false,
      memoryLimitMiB: COLLECTOR_SETUP_MEMORY_MIB,
      readonlyRootFilesystem: true,
      user: COLLECTOR_SETUP_USER,
      linuxParameters: this.noCapabilities(),
      logging: props.logGroup.logDriver(`${containerName}-setup`),
    });
    setup.addMountPoints({ sourceVolume: probeVolume, containerPath: PROBE_DIRECTORY, readOnly: false });
    this.container.addMountPoints({ sourceVolume: probeVolume, containerPath: PROBE_DIRECTORY, readOnly: true });
    if (queueDirectory !== undefined) {
      const queueVolume = `${containerName}-queue`;
      taskDefinition.addVolume({ name: queueVolume });
      setup.addMountPoints({ sourceVolume: queueVolume, containerPath: queueDirectory, readOnly: false });
      this.container.addMountPoints({ sourceVolume: queueVolume, containerPath: queueDirectory, readOnly: false });
    }
    this.container.addContainerDependencies({ container: setup, condition: ecs.ContainerDependencyCondition.COMPLETE });
    return setup;
  }

  private noCapabilities(): ecs.LinuxParameters {
    const parameters = new ecs.LinuxParameters(this, 'SetupLinuxParameters');
    parameters.dropCapabilities(ecs.Capability.ALL);
    return parameters;
  }

  /** The directory of the config's file_storage extension (the gateway's persistent queue), if it has one. */
  private queueDirectory(): string | undefined {
    const storage = Object.entries(this.collector.config.extensions ?? {}).find(
      ([id]) => id === 'file_storage' || id.startsWith('file_storage/'),
    );
    if (storage === undefined) return undefined;
    const directory = (storage[1] as { directory?: unknown }).directory;
    if (typeof directory !== 'string') {
      throw new Error(`${this.node.path}: extensions.${storage[0]} has no directory to mount a task volume at`);
    }
    return directory;
  }

  /** awsemf writes the CloudWatch alarm metrics as EMF events into the log group its config names. */
  private grantEmfWrites(role: iam.IRole): void {
    const logGroupArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.emfLogGroupName(),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logStreams = `${logGroupArn}:log-stream:*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnEmfMetrics',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroupArn, logStreams],
      }),
    );
    acknowledgeWildcardResource(
      role,
      logStreams,
      'awsemf names its log stream after the task id ({TaskId}), unknown before the task starts: the wildcard ' +
        'covers the streams of the one EMF log group the collector config names only.',
    );
  }

  /**
   * The awsemf exporter's log group, as the collector will read it: the config's name with the
   * per-task service name in place of its `${env:...}` reference, so the grant is exactly that group.
   */
  private emfLogGroupName(): string {
    const awsEmf = this.collector.config.exporters.awsemf as { log_group_name?: unknown } | undefined;
    if (typeof awsEmf?.log_group_name !== 'string') {
      throw new Error(`${this.node.path}: the collector config has no awsemf exporter with a log_group_name`);
    }
    let name = awsEmf.log_group_name;
    for (const variable of this.collector.environment) {
      if (variable.perTask !== undefined)
        name = name.split(envReference(variable.name)).join(this.plainValue(variable));
    }
    if (name.includes('${')) {
      throw new Error(
        `${this.node.path}: the awsemf log_group_name "${awsEmf.log_group_name}" reads a variable the task does not set per task`,
      );
    }
    return name;
  }

  /** Compares the rendered container definition with the contract: names, secret-ness, values. */
  private contractProblems(): string[] {
    const rendered = Stack.of(this).resolve(this.container.renderContainerDefinition()) as {
      environment?: { name: string; value: string }[];
      secrets?: { name: string; valueFrom: unknown }[];
    };
    const plainNames = new Map((rendered.environment ?? []).map((entry) => [entry.name, entry.value]));
    const secretNames = new Set((rendered.secrets ?? []).map((entry) => entry.name));
    const problems: string[] = [];
    for (const variable of this.collector.environment) {
      if (variable.secret) {
        if (!secretNames.has(variable.name))
          problems.push(`${variable.name} must reach the collector as an ECS secret`);
        if (plainNames.has(variable.name)) problems.push(`${variable.name} is a secret but is set as a plain value`);
      } else if (plainNames.get(variable.name) !== this.plainValue(variable)) {
        problems.push(
          `${variable.name} must be set to "${this.plainValue(variable)}" (found "${plainNames.get(variable.name)}")`,
        );
      }
    }
    return problems.map((problem) => `collector environment contract: ${problem}`);
  }
}
