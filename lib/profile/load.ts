/**
 * Validates environment profiles (ajv against the profile JSON Schema, then the checks a schema
 * cannot express) and turns every problem into one line that names the file, the field and the fix.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { closest } from 'fastest-levenshtein';
import { gatewaySizingProblems } from '../collector/gateway-sizing';
import { HEALTH_CHECK_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '../collector/generate';
import { FARGATE_MEMORY_BY_CPU } from './aws-values';
import { type EnvironmentProfile, EnvironmentsSchema } from './schema';

/** Thrown for any invalid profile or environment selection; `message` is ready to print. */
export class ProfileError extends Error {
  constructor(
    /** One line per problem. */
    public readonly problems: readonly string[],
    heading: string,
  ) {
    super([heading, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.name = 'ProfileError';
  }
}

export interface LoadProfilesOptions {
  /**
   * Where the profiles come from, quoted at the start of every message.
   * @default 'cdk.json'
   */
  readonly source?: string;
  /**
   * The path of the profiles inside the source, quoted in every message.
   * @default 'environments'
   */
  readonly rootPath?: string;
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
addFormats(ajv, ['email', 'uri']);
const validateEnvironments = ajv.compile(EnvironmentsSchema);

/**
 * Validates the `environments` value (profiles by environment name) and returns it typed.
 * @throws ProfileError listing every problem, one line each.
 */
export function loadEnvironmentProfiles(
  environments: unknown,
  options: LoadProfilesOptions = {},
): Record<string, EnvironmentProfile> {
  const source = options.source ?? 'cdk.json';
  const rootPath = options.rootPath ?? 'environments';
  const heading = `Invalid environment profiles in ${source} (${rootPath}):`;
  if (environments === undefined) {
    throw new ProfileError(
      [`${source}: ${rootPath}: missing. Add a context key "${rootPath}" with one profile per environment`],
      heading,
    );
  }
  if (!validateEnvironments(environments)) {
    const problems = describeSchemaErrors(validateEnvironments.errors ?? [], rootPath);
    throw new ProfileError(
      problems.map((problem) => `${source}: ${problem}`),
      heading,
    );
  }
  const profiles = environments as Record<string, EnvironmentProfile>;
  const problems = Object.entries(profiles).flatMap(([name, profile]) =>
    semanticProblems(profile, `${rootPath}.${name}`),
  );
  if (problems.length > 0) {
    throw new ProfileError(
      problems.map((problem) => `${source}: ${problem}`),
      heading,
    );
  }
  return profiles;
}

/**
 * Chooses the environments to build from a selection such as `prod` or `dev,staging`.
 * @param selection the `env` context value; undefined or empty selects every environment
 * @throws ProfileError naming the unknown environments and the known ones
 */
export function selectEnvironments(
  profiles: Record<string, EnvironmentProfile>,
  selection: string | undefined,
): string[] {
  const known = Object.keys(profiles);
  if (selection === undefined || selection.trim() === '') return known;
  const wanted = [...new Set(selection.split(',').map((name) => name.trim()))].filter((name) => name !== '');
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ProfileError(
      unknown.map(
        (name) => `-c env=${selection}: unknown environment "${name}". Known environments: ${known.join(', ')}`,
      ),
      'Invalid environment selection:',
    );
  }
  return wanted;
}

/**
 * The most services one environment profile may hold. Each service has its own stack, which stays
 * the same size, but the environment's platform stack grows with every service, and the first
 * CloudWatch limit it meets is the saved Logs Insights queries: each opens with every service's log
 * group, and a Logs Insights query reads at most 50 log groups (StartQuery). Next come the
 * dashboard's paging-alarm widget (at most 100 alarms, one per service) and the dashboard itself
 * (at most 500 widgets: 1 + 4 per service, so 124 services). CloudFormation's own limits (500
 * resources, 1 MB of template) are far away: a service stack stays the same size (about 30
 * resources, 50 KB), the platform stack grows by about 3 KB per service. Sources: bench/README.md.
 */
export const MAX_SERVICES_PER_ENVIRONMENT = 50;

/** Checks that need more than one field: Fargate size pairs, unique ports, distinct parameters, scale. */
function semanticProblems(profile: EnvironmentProfile, path: string): string[] {
  const problems: string[] = [];
  const serviceCount = Object.keys(profile.services).length;
  if (serviceCount > MAX_SERVICES_PER_ENVIRONMENT) {
    problems.push(
      `${path}.services: ${serviceCount} services; one environment holds at most ${MAX_SERVICES_PER_ENVIRONMENT} ` +
        `(its saved Logs Insights queries open every service's log group, and a query reads at most 50). ` +
        `Split the services into ${Math.ceil(serviceCount / MAX_SERVICES_PER_ENVIRONMENT)} environment profiles ` +
        `of at most ${MAX_SERVICES_PER_ENVIRONMENT} services each: each profile gets its own platform stack, dashboard and ` +
        'saved queries; give each its own grafanaCloud.configParameterName',
    );
  }
  const portOwners = new Map<number, string>();
  for (const [name, service] of Object.entries(profile.services)) {
    const servicePath = `${path}.services.${name}`;
    const memoryChoices = FARGATE_MEMORY_BY_CPU[service.cpu] ?? [];
    if (!memoryChoices.includes(service.memoryMiB)) {
      problems.push(
        `${servicePath}.memoryMiB: ${service.memoryMiB} is not a Fargate memory size for cpu ${service.cpu}. ` +
          `Use one of ${memoryChoices.join(', ')}`,
      );
    }
    const owner = portOwners.get(service.port);
    if (owner !== undefined) {
      problems.push(
        `${servicePath}.port: ${service.port} is already the port of service "${owner}". Give each service its own port`,
      );
    } else {
      portOwners.set(service.port, name);
    }
  }
  profile.availabilityZones.forEach((zone, index) => {
    if (!zone.startsWith(profile.region) || zone.length !== profile.region.length + 1) {
      problems.push(
        `${path}.availabilityZones.${index}: "${zone}" is not a zone of region ${profile.region}. ` +
          `Use a zone of that region, for example "${profile.region}a"`,
      );
    }
  });
  const gateway = profile.gateway;
  if (gateway !== undefined && !(FARGATE_MEMORY_BY_CPU[gateway.cpu] ?? []).includes(gateway.memoryMiB)) {
    problems.push(
      `${path}.gateway.memoryMiB: ${gateway.memoryMiB} is not a Fargate memory size for cpu ${gateway.cpu}. ` +
        `Use one of ${(FARGATE_MEMORY_BY_CPU[gateway.cpu] ?? []).join(', ')}`,
    );
  }
  problems.push(...gatewaySizingProblems(profile, path));
  problems.push(...tenantProblems(profile, path));
  const grafana = profile.grafanaCloud;
  if (grafana.apiKeyParameterName === grafana.configParameterName) {
    problems.push(
      `${path}.grafanaCloud.configParameterName: the same name as apiKeyParameterName. ` +
        'The token (SecureString) and the config (String) need two parameters, for example ' +
        `"/${profile.project}/<env>/monitoring/grafana-cloud-config"`,
    );
  }
  return problems;
}

/** Ports the gateway uses itself: OTLP/gRPC, OTLP/HTTP, the health check. */
const RESERVED_GATEWAY_PORTS = [OTLP_GRPC_PORT, OTLP_HTTP_PORT, HEALTH_CHECK_PORT];

/**
 * Suggests ports for tenants without one: from 4320 up, skipping the gateway's own ports, every
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
 * Tenants: every service's tenant is declared, and no two destinations share a Grafana Cloud stack
 * (its users would see both) or a token parameter (one tenant's collector would hold another's credentials).
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
  const owners = new Map<string, string>([[profile.grafanaCloud.apiKeyParameterName, 'grafanaCloud']]);
  for (const [tenant, settings] of Object.entries(tenants)) {
    const parameter = settings.grafanaCloud.apiKeyParameterName;
    const owner = owners.get(parameter);
    if (owner !== undefined) {
      problems.push(
        `${path}.tenants.${tenant}.grafanaCloud.apiKeyParameterName: "${parameter}" is also the token parameter of ` +
          `${owner}. Give every tenant its own parameter, for example "/${profile.project}/<env>/tenants/${tenant}/grafana-cloud-api-key"`,
      );
    } else {
      owners.set(parameter, `tenants.${tenant}`);
    }
  }
  return problems;
}

function describeSchemaErrors(errors: readonly ErrorObject[], rootPath: string): string[] {
  // An error under a missing or mistyped parent repeats what the parent's error says.
  const lines = errors.map((error) => describeSchemaError(error, rootPath));
  return [...new Set(lines)];
}

function describeSchemaError(error: ErrorObject, rootPath: string): string {
  const path = dottedPath(rootPath, error.instancePath);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const expected = expectation(schema);
  // A field marked writeOnly may hold a secret pasted by mistake (a webhook URL with its token in
  // place of the secret's name): the error must not print it to the terminal or the CI log.
  const value = schema.writeOnly === true ? 'the value (not shown: it may be a secret)' : describeValue(error.data);
  switch (error.keyword) {
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const child = schema.properties?.[key] ?? {};
      return `${path}: missing key "${key}"; add ${expectation(child, `"${key}": `)}`;
    }
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      if (schema.properties === undefined) {
        return `${path}: "${key}" is not a valid name; expected ${schema.description ?? 'a valid name'}`;
      }
      const known = Object.keys(schema.properties);
      const suggestion = closest(key, known);
      return `${path}.${key}: unknown key. Did you mean "${suggestion}"? ` + `Keys allowed here: ${known.join(', ')}`;
    }
    case 'type':
      return `${path}: ${value} has the wrong type; expected ${expected}`;
    case 'enum':
      return `${path}: ${value} is not allowed; expected ${expected}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${path}: ${value} is out of range; expected ${expected}`;
    case 'pattern':
      return `${path}: ${value} does not have the expected form; expected ${expected}`;
    case 'format':
      return `${path}: ${value} is not a valid ${error.params.format}; expected ${expected}`;
    case 'minProperties':
    case 'minItems':
      return `${path}: is empty; expected ${expected}`;
    case 'uniqueItems':
      return `${path}: lists the same value twice; expected ${expected}`;
    default:
      return `${path}: ${value} is not valid (${error.message}); expected ${expected}`;
  }
}

interface SchemaNode {
  readonly description?: string;
  readonly writeOnly?: boolean;
  readonly examples?: readonly unknown[];
  readonly properties?: Record<string, SchemaNode>;
}

function expectation(schema: SchemaNode, prefix = ''): string {
  const description = schema.description ?? 'a valid value';
  const example = schema.examples?.[0];
  return example === undefined ? description : `${description}, for example ${prefix}${JSON.stringify(example)}`;
}

function dottedPath(rootPath: string, instancePath: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [rootPath, ...segments].join('.');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
