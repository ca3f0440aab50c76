import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { envReference } from '../collector/expansion';
import type { GeneratedCollectorConfig } from '../collector/generate';
import type { CollectorEnvironmentVariable } from '../collector/model';
import { pascalCase } from '../naming';
import { acknowledgeWildcardResource } from './acknowledgements';
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
      image: ecs.ContainerImage.fromRegistry(this.collector.distribution.image),
      command: [`--config=env:${COLLECTOR_CONFIG_VARIABLE}`],
      essential: props.essential,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryLimitMiB,
      environment: plain,
      secrets,
      portMappings: props.portMappings,
      // The collector writes nothing to disk: config from the environment, queues in memory, no
      // file_storage extension. A persistent queue would need a writable volume for its directory.
      readonlyRootFilesystem: true,
      user: COLLECTOR_USER,
      logging: props.logGroup.logDriver(props.containerName),
    });

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
