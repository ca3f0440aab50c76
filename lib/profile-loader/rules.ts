/**
 * The profile rules a JSON Schema cannot express: checks across fields, services, tenants and
 * environments. Pure: schema-valid profiles in, one line per problem out (field path, what is
 * wrong, the fix); the loader adds the file name. Every rule runs, so an operator sees all the
 * problems of a profile at once.
 *
 * The rules, in the order they report:
 * - Fargate sizes: task memory is a size Fargate offers for the task cpu (services and gateway).
 * - Collector budget: an instrumented task's cpu and memory hold the collector sidecar and leave
 *   the application its share.
 * - Ports: an application port is not one the sidecar listens on in the same task (ports are
 *   unique per task, not per environment: each Fargate task has its own network interface, so two
 *   services may both listen on 8000); tenant gateway ports are unique and not the gateway's own.
 * - Reserved names: a service name does not produce a name the platform already uses (log groups,
 *   ECS service, task family, container, stack), computed with the same functions that name them.
 * - Stack ids: no two services (or tenants) map to the same stack or construct id.
 * - SSM parameter names: AWS's naming rules, and each parameter used once.
 * - URLs: https with a host name, no credentials in the URL.
 * - Thresholds: each override in the range where its alarm can both fire and clear.
 * - Tenants: declared, with their own Grafana Cloud stack and token parameter.
 * - Environments: two environments in one account and region share no resource names, stacks,
 *   SSM parameters or secrets, and all environments name metrics the same way (dashboards/ is shared).
 */

import { closest } from 'fastest-levenshtein';
import { AlertRuleError, alertDefinitions } from '../alerting/prometheus-rules';
import { SIGNALS, type ThresholdRange } from '../alerting/thresholds';
import { emfLogGroupName } from '../collector/cloudwatch';
import { gatewaySizingProblems } from '../collector/gateway-sizing';
import { HEALTH_CHECK_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, SELF_TELEMETRY_PORT } from '../collector/generate';
import { collectorImageProblems } from '../collector/image';
import { DEFAULT_COLLECTOR_CPU, DEFAULT_COLLECTOR_MEMORY_MIB, MIN_APP_MEMORY_MIB } from '../collector/memory';
import { auditLogGroupName } from '../logs/audit';
import {
  COLLECTOR_CONTAINER_NAME,
  clusterName,
  collectorLogGroupName,
  GATEWAY_SERVICE_NAME,
  gatewayLogGroupName,
  pascalCase,
  serviceLogGroupName,
  stackName,
  taskEventsLogGroupName,
  taskFamilyName,
  vpcFlowLogsLogGroupName,
} from '../naming';
import { AWS_REGION_PARTITIONS, FARGATE_MEMORY_BY_CPU } from '../profile/aws-values';
import {
  ALERT_SIGNALS,
  type AlertSignal,
  type AlertThresholdOverrides,
  type EnvironmentProfile,
  EnvironmentProfileSchema,
  SEVERITIES,
  type Severity,
  type ThresholdOverride,
} from '../profile/schema';
import { MAX_SERVICES_PER_ENVIRONMENT, PLATFORM_STACK_PART, SERVICES_PER_VIEW_GROUP, viewStackPart } from './scale';

/**
 * The ports a collector sidecar listens on inside every instrumented task (awsvpc: the containers
 * of a task share one network namespace, so the application cannot bind them). A test checks
 * this list against the endpoints of the generated sidecar config.
 */
export const SIDECAR_LISTEN_PORTS: readonly number[] = [
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  HEALTH_CHECK_PORT,
  SELF_TELEMETRY_PORT,
];

/** Ports the gateway uses itself: OTLP/gRPC, OTLP/HTTP, the health check, its self-telemetry receiver. */
export const RESERVED_GATEWAY_PORTS: readonly number[] = [
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  HEALTH_CHECK_PORT,
  SELF_TELEMETRY_PORT,
];

export { PLATFORM_STACK_PART } from './scale';

/** Every problem of the profiles, one line each, without the file name. */
export function profileRuleProblems(
  profiles: Readonly<Record<string, EnvironmentProfile>>,
  rootPath: string,
): string[] {
  return [
    ...Object.entries(profiles).flatMap(([name, profile]) => environmentProblems(profile, name, `${rootPath}.${name}`)),
    ...crossEnvironmentProblems(profiles, rootPath),
  ];
}

/** The rules of one environment profile. */
export function environmentProblems(profile: EnvironmentProfile, environmentName: string, path: string): string[] {
  return [
    ...fargateSizeProblems(profile, path),
    ...zoneProblems(profile, path),
    ...collectorBudgetProblems(profile, path),
    ...portProblems(profile, path),
    ...reservedNameProblems(profile, environmentName, path),
    ...stackIdProblems(profile, environmentName, path),
    ...ssmParameterProblems(profile, path),
    ...secretNameProblems(profile, path),
    ...urlProblems(profile, path),
    ...thresholdProblems(profile, path),
    ...alertRuleProblems(profile, environmentName, path),
    ...gatewaySizingProblems(profile, path),
    ...collectorImageProblems(profile, path),
    ...tenantProblems(profile, path),
    ...externalServiceProblems(profile, path),
  ];
}

/** A service observed from another repository is not also one the default app deploys here. */
function externalServiceProblems(profile: EnvironmentProfile, path: string): string[] {
  return (profile.externalServices ?? []).flatMap((service, index) =>
    profile.services[service] === undefined
      ? []
      : [
          `${path}.externalServices.${index}: "${service}" is also in ${path}.services, so the default app deploys it ` +
            'here. List it in one place: in services if this repository deploys it, in externalServices if another does',
        ],
  );
}

function fargateSizeProblems(profile: EnvironmentProfile, path: string): string[] {
  const sizes: { where: string; cpu: number; memoryMiB: number }[] = Object.entries(profile.services).map(
    ([name, service]) => ({ where: `${path}.services.${name}`, cpu: service.cpu, memoryMiB: service.memoryMiB }),
  );
  if (profile.gateway !== undefined) sizes.push({ where: `${path}.gateway`, ...profile.gateway });
  return sizes.flatMap(({ where, cpu, memoryMiB }) => {
    const choices = FARGATE_MEMORY_BY_CPU[cpu] ?? [];
    return choices.includes(memoryMiB)
      ? []
      : [
          `${where}.memoryMiB: ${memoryMiB} is not a Fargate memory size for cpu ${cpu}. Use one of ${choices.join(', ')}`,
        ];
  });
}

function zoneProblems(profile: EnvironmentProfile, path: string): string[] {
  return profile.availabilityZones.flatMap((zone, index) =>
    zone.startsWith(profile.region) && zone.length === profile.region.length + 1
      ? []
      : [
          `${path}.availabilityZones.${index}: "${zone}" is not a zone of region ${profile.region}. ` +
            `Use a zone of that region, for example "${profile.region}a"`,
        ],
  );
}

/** The collector sidecar shares the task: its cpu and memory come out of the task's. */
function collectorBudgetProblems(profile: EnvironmentProfile, path: string): string[] {
  const collectorCpu = profile.collector?.cpu ?? DEFAULT_COLLECTOR_CPU;
  const collectorMiB = profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB;
  return Object.entries(profile.services).flatMap(([name, service]) => {
    if (service.instrumentation === false) return [];
    const where = `${path}.services.${name}`;
    const problems: string[] = [];
    if (collectorCpu >= service.cpu) {
      problems.push(
        `${where}.cpu: ${service.cpu} does not hold the collector's ${collectorCpu} cpu units (${path}.collector.cpu) ` +
          `and leave the application any. Raise cpu above ${collectorCpu} or lower collector.cpu`,
      );
    }
    if (service.memoryMiB - collectorMiB < MIN_APP_MEMORY_MIB) {
      problems.push(
        `${where}.memoryMiB: ${service.memoryMiB} leaves the application ${service.memoryMiB - collectorMiB} MiB next ` +
          `to the collector's ${collectorMiB} MiB (${path}.collector.memoryMiB). Give the task at least ` +
          `${collectorMiB + MIN_APP_MEMORY_MIB} MiB or lower collector.memoryMiB`,
      );
    }
    return problems;
  });
}

function portProblems(profile: EnvironmentProfile, path: string): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(profile.services)) {
    const where = `${path}.services.${name}.port`;
    if (service.instrumentation !== false && SIDECAR_LISTEN_PORTS.includes(service.port)) {
      problems.push(
        `${where}: ${service.port} is a port the collector sidecar listens on in the same task ` +
          `(${SIDECAR_LISTEN_PORTS.join(', ')}). Use another port, for example 8080`,
      );
    }
  }
  return problems;
}

/**
 * A service's names must not be names the platform already uses. Both sides come from the naming
 * functions the constructs use, so a new platform name cannot be forgotten here.
 */
function reservedNameProblems(profile: EnvironmentProfile, environmentName: string, path: string): string[] {
  const { project } = profile;
  const platformNames: { kind: string; name: string; owner: string }[] = [
    { kind: 'log group', name: vpcFlowLogsLogGroupName(project, environmentName), owner: 'the VPC flow logs use' },
    { kind: 'log group', name: emfLogGroupName(project, environmentName), owner: "the collectors' EMF metrics use" },
    { kind: 'log group', name: taskEventsLogGroupName(project, environmentName), owner: 'the ECS task events use' },
    { kind: 'log group', name: auditLogGroupName(project, environmentName), owner: 'the audit trail uses' },
    { kind: 'log group', name: gatewayLogGroupName(project, environmentName), owner: 'the collector gateway uses' },
    { kind: 'ECS service', name: GATEWAY_SERVICE_NAME, owner: 'the collector gateway uses' },
    {
      kind: 'task family',
      name: taskFamilyName(project, environmentName, GATEWAY_SERVICE_NAME),
      owner: 'the collector gateway uses',
    },
    { kind: 'container', name: COLLECTOR_CONTAINER_NAME, owner: 'the collector sidecar uses' },
    { kind: 'stack', name: stackName(project, environmentName, PLATFORM_STACK_PART), owner: 'the platform stack uses' },
    // Every view stack an environment of the largest size can have, so a service cannot take one's name later.
    ...Array.from({ length: Math.ceil(MAX_SERVICES_PER_ENVIRONMENT / SERVICES_PER_VIEW_GROUP) - 1 }, (_, index) => ({
      kind: 'stack',
      name: stackName(project, environmentName, viewStackPart(index + 2)),
      owner: 'a view stack of the dashboards and saved queries uses',
    })),
  ];
  const own = Object.keys(profile.services).map((service) => ({ service, where: `${path}.services.${service}` }));
  const external = (profile.externalServices ?? []).map((service, index) => ({
    service,
    where: `${path}.externalServices.${index}`,
  }));
  return [...own, ...external].flatMap(({ service, where }) => {
    const serviceNames = [
      { kind: 'log group', name: serviceLogGroupName(project, environmentName, service) },
      { kind: 'log group', name: collectorLogGroupName(project, environmentName, service) },
      { kind: 'ECS service', name: service },
      { kind: 'task family', name: taskFamilyName(project, environmentName, service) },
      { kind: 'container', name: service },
      { kind: 'stack', name: stackName(project, environmentName, service) },
    ];
    const clash = platformNames.find((reserved) =>
      serviceNames.some((own) => own.kind === reserved.kind && own.name === reserved.name),
    );
    return clash === undefined
      ? []
      : [
          `${where}: the name "${service}" gives ${clash.kind} "${clash.name}", which ` +
            `${clash.owner}. Rename the service, for example "${service}-app"`,
        ];
  });
}

/** Stacks are named `<Project>-<Env>-<PascalCase(service)>`, and tenants' constructs `Tenant<PascalCase(tenant)>`. */
function stackIdProblems(profile: EnvironmentProfile, environmentName: string, path: string): string[] {
  const problems: string[] = [];
  const stacks = new Map<string, string>();
  for (const service of Object.keys(profile.services)) {
    const name = stackName(profile.project, environmentName, service);
    const owner = stacks.get(name);
    if (owner !== undefined) {
      problems.push(
        `${path}.services.${service}: its stack name "${name}" is also that of service "${owner}" ` +
          '(stack names drop the "-" and capitalise each part). Rename one of the two so they differ in more than "-"',
      );
    } else {
      stacks.set(name, service);
    }
  }
  const tenantIds = new Map<string, string>();
  for (const tenant of Object.keys(profile.tenants ?? {})) {
    const id = pascalCase(tenant);
    const owner = tenantIds.get(id);
    if (owner !== undefined) {
      problems.push(
        `${path}.tenants.${tenant}: its construct id "Tenant${id}" is also that of tenant "${owner}" ` +
          '(ids drop the "-" and capitalise each part). Rename one of the two so they differ in more than "-"',
      );
    } else {
      tenantIds.set(id, tenant);
    }
  }
  return problems;
}

/** Every SSM parameter name of a profile, with its field path (relative to the profile). */
export function ssmParameterNames(profile: EnvironmentProfile): { field: string; name: string }[] {
  return [
    { field: 'grafanaCloud.apiKeyParameterName', name: profile.grafanaCloud.apiKeyParameterName },
    { field: 'grafanaCloud.configParameterName', name: profile.grafanaCloud.configParameterName },
    ...Object.entries(profile.tenants ?? {}).map(([tenant, settings]) => ({
      field: `tenants.${tenant}.grafanaCloud.apiKeyParameterName`,
      name: settings.grafanaCloud.apiKeyParameterName,
    })),
  ];
}

/**
 * AWS's naming rules for SSM parameters (SSM API Reference, PutParameter, `Name`, "Naming
 * constraints"; AWS::SSM::Parameter `Name`): letters, digits, `_`, `.`, `-` and `/` (the schema's
 * pattern); no name beginning with "aws" or "ssm" in any case; at most 15 levels of hierarchy; and
 * at most 1011 characters including the ARN before the name
 * (`arn:aws:ssm:<region>:<account>:parameter`).
 */
export const SSM_MAX_LEVELS = 15;
export const SSM_MAX_NAME_WITH_ARN = 1011;

function ssmParameterProblems(profile: EnvironmentProfile, path: string): string[] {
  const problems: string[] = [];
  const partition = AWS_REGION_PARTITIONS[profile.region] ?? 'aws';
  const arnPrefix = `arn:${partition}:ssm:${profile.region}:${profile.account}:parameter`;
  const owners = new Map<string, string>();
  for (const { field, name } of ssmParameterNames(profile)) {
    const where = `${path}.${field}`;
    const levels = name.split('/').filter((part) => part !== '');
    const example = field.startsWith('tenants.')
      ? `"/${profile.project}/<env>/tenants/${field.split('.')[1]}/grafana-cloud-api-key"`
      : `"/${profile.project}/<env>/monitoring/${field.endsWith('configParameterName') ? 'grafana-cloud-config' : 'grafana-cloud-api-key'}"`;
    if (/^(aws|ssm)/i.test(levels[0] ?? '')) {
      problems.push(
        `${where}: "${name}" begins with "${levels[0].slice(0, 3)}", which AWS reserves for its own parameters. ` +
          `Start with your project, for example ${example}`,
      );
    }
    if (levels.length > SSM_MAX_LEVELS) {
      problems.push(
        `${where}: "${name}" has ${levels.length} levels; SSM allows at most ${SSM_MAX_LEVELS}. Use a shorter path, for example ${example}`,
      );
    }
    if (arnPrefix.length + name.length > SSM_MAX_NAME_WITH_ARN) {
      problems.push(
        `${where}: ${name.length} characters; with its ARN prefix (${arnPrefix.length}) that is more than SSM's ` +
          `${SSM_MAX_NAME_WITH_ARN}. Use a shorter name, for example ${example}`,
      );
    }
    const owner = owners.get(name);
    if (owner !== undefined) {
      problems.push(
        `${where}: "${name}" is also ${path}.${owner}, and each parameter holds one thing (one token, or the ` +
          `config). Give it its own name, for example ${example}`,
      );
    } else {
      owners.set(name, field);
    }
  }
  return problems;
}

/** Every Secrets Manager secret the profile names (the on-call URLs), with its field path. */
export function secretNames(profile: EnvironmentProfile): { field: string; name: string }[] {
  return [
    {
      field: 'notifications.onCallWebhook.secretsManagerSecretName',
      name: profile.notifications.onCallWebhook.secretsManagerSecretName,
    },
    {
      field: 'notifications.heartbeat.secretsManagerSecretName',
      name: profile.notifications.heartbeat.secretsManagerSecretName,
    },
  ];
}

/** Each secret holds one URL: the webhook and the heartbeat cannot share one. */
function secretNameProblems(profile: EnvironmentProfile, path: string): string[] {
  const [webhook, heartbeat] = secretNames(profile);
  if (webhook.name !== heartbeat.name) return [];
  return [
    `${path}.${heartbeat.field}: the same secret as ${path}.${webhook.field}, and each holds one URL (the ` +
      `heartbeat endpoint is not the alert webhook). Name its own secret, for example "/${profile.project}/<env>/monitoring/oncall-heartbeat-url"`,
  ];
}

/** Every string of the profile whose schema says `format: uri`, with its field path. */
function uriFields(profile: EnvironmentProfile): { field: string; value: string }[] {
  const found: { field: string; value: string }[] = [];
  const walk = (schema: SchemaNode, value: unknown, field: string) => {
    if (value === undefined || value === null) return;
    if (schema.format === 'uri' && typeof value === 'string') found.push({ field, value });
    if (typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      const childSchema =
        schema.properties?.[key] ?? Object.values(schema.patternProperties ?? {})[0] ?? schema.items ?? undefined;
      if (childSchema !== undefined) walk(childSchema, child, field === '' ? key : `${field}.${key}`);
    }
  };
  walk(EnvironmentProfileSchema as SchemaNode, profile, '');
  return found;
}

interface SchemaNode {
  readonly format?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly patternProperties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
}

/** `https://` then a DNS name with at least one dot and an optional port, then the rest. */
const HTTPS_URL_WITH_HOST =
  /^https:\/\/([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?(:[0-9]{1,5})?([/?#]|$)/i;

/**
 * The schema's `format: uri` accepts `https://` (no host) and `https://user:token@host`: a URL
 * SNS or the collector cannot call, or one that writes a credential into the template.
 */
function urlProblems(profile: EnvironmentProfile, path: string): string[] {
  return uriFields(profile).flatMap(({ field, value }) => {
    const where = `${path}.${field}`;
    if (/^https:\/\/[^/?#]*@/.test(value)) {
      return [
        `${where}: "${value.replace(/\/\/[^/?#]*@/, '//***@')}" carries credentials before the host, which would ` +
          'land in the template. Remove them from the URL (the token belongs in an SSM parameter)',
      ];
    }
    if (!HTTPS_URL_WITH_HOST.test(value)) {
      return [
        `${where}: "${value}" has no host name with a domain. Use https://<host name>/<path>, for example "https://host.example.com/path"`,
      ];
    }
    return [];
  });
}

function describeRange(range: ThresholdRange): string {
  const low = `${range.minExclusive ? 'above' : 'at least'} ${range.min}`;
  const high = range.max === undefined ? '' : ` and ${range.maxExclusive ? 'below' : 'at most'} ${range.max}`;
  return `${range.integer ? 'a whole number ' : ''}${low}${high}`;
}

function inRange(value: number, range: ThresholdRange): boolean {
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.minExclusive ? value <= range.min : value < range.min) return false;
  if (range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max)) return false;
  return true;
}

/** Each override lies in the range where its alarm can fire and clear; serviceDown fits the task count. */
function thresholdProblems(profile: EnvironmentProfile, path: string): string[] {
  const problems: string[] = [];
  const check = (overrides: AlertThresholdOverrides | undefined, where: string) => {
    for (const signal of ALERT_SIGNALS) {
      for (const severity of SEVERITIES) {
        const threshold = overrides?.[signal]?.[severity]?.threshold;
        if (threshold === undefined) continue;
        const { validRange, unit } = SIGNALS[signal];
        if (!inRange(threshold, validRange)) {
          problems.push(
            `${where}.${signal}.${severity}.threshold: ${threshold} ${unit} can never fire or never clear ` +
              `(${validRange.reason}). Use ${describeRange(validRange)}`,
          );
        }
      }
    }
  };
  check(profile.alertThresholds, `${path}.alertThresholds`);
  for (const [name, service] of Object.entries(profile.services)) {
    check(service.alertThresholds, `${path}.services.${name}.alertThresholds`);
    // Fewer running tasks than the threshold is the alarm: a threshold above the task count pages forever.
    const desired = service.desiredCount ?? 1;
    for (const severity of SEVERITIES) {
      const own = service.alertThresholds?.serviceDown?.[severity]?.threshold;
      const inherited = profile.alertThresholds?.serviceDown?.[severity]?.threshold;
      const threshold = own ?? inherited;
      if (threshold === undefined || threshold <= desired) continue;
      const where =
        own !== undefined
          ? `${path}.services.${name}.alertThresholds.serviceDown.${severity}.threshold`
          : `${path}.alertThresholds.serviceDown.${severity}.threshold`;
      problems.push(
        `${where}: ${threshold} healthy tasks is more than service "${name}" runs (desiredCount ${desired}), so ` +
          `serviceDown would fire forever. Use at most ${desired}, or raise ${path}.services.${name}.desiredCount`,
      );
    }
  }
  return problems;
}

/**
 * The Prometheus rules (alerts/) are generated from the same thresholds, and some overrides have
 * no rule (a window shorter than a rate needs, a severity without an alert): refused here, so
 * `npm run generate` never fails on a profile synth accepted. Each override is tried alone, so
 * the problem names it; out-of-range ones already have their problem above.
 */
function alertRuleProblems(profile: EnvironmentProfile, environmentName: string, path: string): string[] {
  if (thresholdProblems(profile, path).length > 0) return [];
  const overrides: { where: string; alone: EnvironmentProfile }[] = [];
  const only = (signal: AlertSignal, severity: Severity, override: ThresholdOverride) => ({
    [signal]: { [severity]: override },
  });
  const withoutOverrides: EnvironmentProfile = {
    ...profile,
    alertThresholds: undefined,
    services: Object.fromEntries(
      Object.entries(profile.services).map(([name, service]) => [name, { ...service, alertThresholds: undefined }]),
    ),
  };
  for (const signal of ALERT_SIGNALS) {
    for (const severity of SEVERITIES) {
      const own = profile.alertThresholds?.[signal]?.[severity];
      if (own !== undefined) {
        overrides.push({
          where: `${path}.alertThresholds.${signal}.${severity}`,
          alone: { ...withoutOverrides, alertThresholds: only(signal, severity, own) },
        });
      }
      for (const [name, service] of Object.entries(profile.services)) {
        const override = service.alertThresholds?.[signal]?.[severity];
        if (override === undefined) continue;
        overrides.push({
          where: `${path}.services.${name}.alertThresholds.${signal}.${severity}`,
          alone: {
            ...withoutOverrides,
            services: {
              ...withoutOverrides.services,
              [name]: { ...service, alertThresholds: only(signal, severity, override) },
            },
          },
        });
      }
    }
  }
  return overrides.flatMap(({ where, alone }) => {
    try {
      alertDefinitions(environmentName, alone);
      return [];
    } catch (error) {
      if (!(error instanceof AlertRuleError)) throw error;
      return [`${where}: the generated Prometheus rules (alerts/) cannot express it: ${error.message}`];
    }
  });
}

/**
 * Gateway ports for tenants without one: from 4320 up, skipping the gateway's own ports, every
 * declared port and the ports already suggested, so two suggestions never collide.
 */
function gatewayPortSuggester(tenants: NonNullable<EnvironmentProfile['tenants']>): () => number {
  const used = new Set<number | undefined>([
    ...RESERVED_GATEWAY_PORTS,
    ...Object.values(tenants).map((tenant) => tenant.gatewayPort),
  ]);
  let port = 4320;
  return () => {
    while (used.has(port)) port++;
    used.add(port);
    return port;
  };
}

/**
 * Tenants: every service's tenant is declared, no two destinations share a Grafana Cloud stack (its
 * users would see both) or a token parameter (one tenant's collector would hold another's
 * credentials), and with a gateway each tenant has its own port.
 */
function tenantProblems(profile: EnvironmentProfile, path: string): string[] {
  const problems: string[] = [];
  const tenants = profile.tenants ?? {};
  const declared = Object.keys(tenants);
  for (const [name, service] of Object.entries(profile.services)) {
    if (service.tenant !== undefined && tenants[service.tenant] === undefined) {
      problems.push(
        `${path}.services.${name}.tenant: "${service.tenant}" is not declared in ${path}.tenants` +
          (declared.length > 0
            ? `. Did you mean "${closest(service.tenant, declared)}"? Declared tenants: ${declared.join(', ')}`
            : '. Declare it under tenants (its Grafana Cloud stack and readers) or remove the field'),
      );
    }
  }
  const stacks = new Map<string, string>([[profile.grafanaCloud.instanceId, 'grafanaCloud']]);
  for (const [tenant, settings] of Object.entries(tenants)) {
    const stackOwner = stacks.get(settings.grafanaCloud.instanceId);
    if (stackOwner !== undefined) {
      problems.push(
        `${path}.tenants.${tenant}.grafanaCloud.instanceId: "${settings.grafanaCloud.instanceId}" is also the stack of ` +
          `${stackOwner}, so its data would be visible there. Give every tenant its own Grafana Cloud stack`,
      );
    } else {
      stacks.set(settings.grafanaCloud.instanceId, `tenants.${tenant}`);
    }
  }
  if (profile.gateway !== undefined) {
    const portOwners = new Map<number, string>(RESERVED_GATEWAY_PORTS.map((port) => [port, 'the gateway itself']));
    const suggestPort = gatewayPortSuggester(tenants);
    for (const [tenant, settings] of Object.entries(tenants)) {
      const where = `${path}.tenants.${tenant}.gatewayPort`;
      if (settings.gatewayPort === undefined) {
        problems.push(
          `${where}: missing. With a gateway each tenant sends its traces to its own port, which only its tasks ` +
            `may reach; add an unused port, for example "gatewayPort": ${suggestPort()}`,
        );
        continue;
      }
      const portOwner = portOwners.get(settings.gatewayPort);
      if (portOwner !== undefined) {
        problems.push(
          `${where}: ${settings.gatewayPort} is already used by ${portOwner}. Give every tenant its own port ` +
            `(not ${RESERVED_GATEWAY_PORTS.join(', ')})`,
        );
      } else {
        portOwners.set(settings.gatewayPort, `tenants.${tenant}`);
      }
    }
  }
  return problems;
}

/**
 * Environments in one account and region share one namespace of stack, resource and SSM names:
 * each must own its names. And all environments write the same dashboards/, so they must name
 * metrics the same way.
 */
function crossEnvironmentProblems(profiles: Readonly<Record<string, EnvironmentProfile>>, rootPath: string): string[] {
  const problems: string[] = [];
  const entries = Object.entries(profiles);
  entries.forEach(([name, profile], index) => {
    const path = `${rootPath}.${name}`;
    for (const [otherName, other] of entries.slice(0, index)) {
      if (other.account !== profile.account || other.region !== profile.region) continue;
      const where = `account ${profile.account} in ${profile.region}`;
      const prefix = clusterName(profile.project, name);
      if (prefix === clusterName(other.project, otherName)) {
        problems.push(
          `${path}: its resource names start "${prefix}", as those of environment "${otherName}" (${where}). ` +
            'Rename the environment or change project',
        );
      } else if (
        stackName(profile.project, name, PLATFORM_STACK_PART) ===
        stackName(other.project, otherName, PLATFORM_STACK_PART)
      ) {
        problems.push(
          `${path}: its stacks are named "${stackName(profile.project, name, PLATFORM_STACK_PART)}", as those of ` +
            `environment "${otherName}" (${where}). Rename the environment so it differs in more than "-"`,
        );
      }
      for (const [kind, names] of [
        ['parameters', ssmParameterNames],
        ['secrets', secretNames],
      ] as const) {
        const otherNames = new Map(names(other).map(({ field, name: shared }) => [shared, field]));
        for (const { field, name: shared } of names(profile)) {
          const otherField = otherNames.get(shared);
          if (otherField === undefined) continue;
          problems.push(
            `${path}.${field}: "${shared}" is also ${rootPath}.${otherName}.${otherField} (${where}), so one ` +
              `environment would overwrite or read the other's. Give each environment its own ${kind}, named after ` +
              `the environment, for example "/${profile.project}/${name}/..." and "/${other.project}/${otherName}/..."`,
          );
        }
      }
    }
  });
  const strategies = [...new Set(entries.map(([, profile]) => profile.grafanaCloud.metricNameTranslation))];
  if (strategies.length > 1) {
    const first = entries[0][1].grafanaCloud.metricNameTranslation;
    for (const [name, profile] of entries) {
      if (profile.grafanaCloud.metricNameTranslation === first) continue;
      problems.push(
        `${rootPath}.${name}.grafanaCloud.metricNameTranslation: "${profile.grafanaCloud.metricNameTranslation}" ` +
          `differs from "${first}" (${rootPath}.${entries[0][0]}); dashboards/ is shared by every environment and ` +
          'names each series one way. Set the same value in every profile',
      );
    }
  }
  return problems;
}
