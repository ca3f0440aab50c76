/**
 * The checks a collector config passes before it is written: every key, kind and closed value
 * against upstream's config structs (`upstream-keys.ts`), the few rules upstream enforces in
 * Validate or at start, references between components, processor order, the environment contract,
 * every regex as Go RE2, the context every OTTL group runs at (`ottl-contexts.ts`), and the
 * component types of the pinned distribution. Each problem is one line that names the place and
 * the fix.
 */
import { closest } from 'fastest-levenshtein';
import { RE2JS } from 're2js';
import {
  type CollectorDistribution,
  distributionLabel,
  KNOWN_DISTRIBUTIONS,
  lookUpComponentType,
} from './distributions';
import { scanExpansions } from './expansion';
import {
  COMPONENT_KINDS,
  type CollectorConfig,
  type CollectorEnvironment,
  type ComponentKind,
  componentType,
  type PipelineConfig,
} from './model';
import { ottlRegexArguments } from './ottl';
import { ottlContextProblems } from './ottl-contexts';
import { PII_VALUE_PATTERNS } from './pii';
import { upstreamKeyProblems } from './upstream-keys';

/** Thrown when a config fails its checks; `message` is ready to print. */
export class CollectorConfigError extends Error {
  constructor(
    /** One line per problem. */
    public readonly problems: readonly string[],
    heading = 'Invalid collector config:',
  ) {
    super([heading, ...problems.map((problem) => `  - ${problem}`)].join('\n'));
    this.name = 'CollectorConfigError';
  }
}

/**
 * Runs every check.
 * @throws CollectorConfigError listing every problem
 */
export function checkCollectorConfig(
  config: CollectorConfig,
  environment: CollectorEnvironment,
  distribution: CollectorDistribution,
  heading?: string,
): void {
  const problems = findCollectorConfigProblems(config, environment, distribution);
  if (problems.length > 0) throw new CollectorConfigError(problems, heading);
}

/** Every problem of a config, one line each; empty when the config may ship. */
export function findCollectorConfigProblems(
  config: CollectorConfig,
  environment: CollectorEnvironment,
  distribution: CollectorDistribution,
): string[] {
  const shape = [...upstreamKeyProblems(config, distribution), ...structureProblems(config)];
  // The other checks walk sections and pipelines; without them there is nothing sound to walk.
  if (!hasUsableStructure(config)) return shape;
  return [
    ...shape,
    ...componentRuleProblems(config),
    ...referenceProblems(config),
    ...memoryLimiterProblems(config),
    ...environmentProblems(config, environment),
    ...regexProblems(config),
    ...ottlContextProblems(config),
    ...distributionProblems(config, distribution),
  ];
}

// (1) Shape: keys and kinds come from upstream-keys.ts; these are what the collector requires ----

/** The sections and pipeline parts the collector refuses to start without (otelcol and service Validate). */
function structureProblems(config: unknown): string[] {
  if (!isMap(config)) return [];
  const problems: string[] = [];
  for (const section of ['receivers', 'exporters', 'service'] as const) {
    if (config[section] === undefined) {
      problems.push(`${section}: missing. Add it: the collector does not start without ${section}`);
    }
  }
  const service = config.service;
  if (isMap(service)) {
    if (!isMap(service.pipelines)) {
      problems.push('service.pipelines: missing. Add at least one pipeline');
    } else {
      for (const [id, pipeline] of Object.entries(service.pipelines)) {
        if (!PIPELINE_ID.test(id)) {
          problems.push(
            `service.pipelines.${id}: not a valid pipeline id. Use a signal (traces, metrics, logs or profiles), ` +
              'optionally with /name',
          );
        }
        for (const part of ['receivers', 'exporters'] as const) {
          if (!isMap(pipeline) || !Array.isArray(pipeline[part]) || pipeline[part].length === 0) {
            problems.push(`service.pipelines.${id}.${part}: missing. A pipeline needs at least one of its ${part}`);
          }
        }
      }
    }
  }
  return problems;
}

/** pipeline.ID's UnmarshalText (pipeline/pipeline.go at the pinned core) accepts these signals. */
const PIPELINE_ID = /^(?:traces|metrics|logs|profiles)(?:\/[^\s/]+)?$/;

function hasUsableStructure(config: unknown): boolean {
  if (!isMap(config)) return false;
  const service = config.service;
  if (!isMap(service) || !isMap(service.pipelines)) return false;
  const pipelinesOk = Object.values(service.pipelines).every(
    (pipeline) =>
      isMap(pipeline) &&
      ['receivers', 'processors', 'exporters'].every(
        (key) => pipeline[key] === undefined || isStringArray(pipeline[key]),
      ),
  );
  const sectionsOk =
    isMap(config.receivers) &&
    isMap(config.exporters) &&
    COMPONENT_KINDS.every((kind) => config[kind] === undefined || isMap(config[kind]));
  return pipelinesOk && sectionsOk && (service.extensions === undefined || isStringArray(service.extensions));
}

/**
 * What a component's Validate refuses (or what would make it do harm), beyond the shape of its
 * keys: each rule names its upstream source or its reason. Keyed by section and component type.
 */
const COMPONENT_RULES: Readonly<Record<string, (settings: Record<string, unknown>, where: string) => string[]>> = {
  // internal/memorylimiter Config.Validate wants check_interval and a limit; one limit, so it is clear which applies.
  'processors.memory_limiter': (settings, where) => {
    const limits = ['limit_mib', 'limit_percentage'].filter((key) => settings[key] !== undefined);
    return [
      ...(settings.check_interval === undefined
        ? [`${where}.check_interval: missing. Add it (such as "1s"): the limiter checks memory this often`]
        : []),
      ...(limits.length === 1
        ? []
        : [
            `${where}: ${limits.length === 0 ? 'no limit' : 'both limit_mib and limit_percentage'}. Set exactly one of them`,
          ]),
    ];
  },
  // Without allow_all_keys the processor deletes every attribute not in allowed_keys.
  'processors.redaction': (settings, where) =>
    settings.allow_all_keys === true
      ? []
      : [
          `${where}.allow_all_keys: must be true, or the processor deletes every attribute not in allowed_keys. ` +
            'Set it to true',
        ],
  // loadbalancingexporter: exactly one resolver, which supplies each backend's address; the Cloud Map
  // resolver refuses to start without a namespace and a service name (resolver_aws_cloudmap.go).
  'exporters.load_balancing': (settings, where) => {
    const resolver = isMap(settings.resolver) ? settings.resolver : {};
    const resolvers = Object.keys(resolver);
    const cloudMap = resolver.aws_cloud_map;
    const otlp = isMap(settings.protocol) ? settings.protocol.otlp : undefined;
    return [
      ...(resolvers.length === 1
        ? []
        : [
            `${where}.resolver: ${resolvers.length === 0 ? 'none' : resolvers.join(' and ')}. Configure exactly one of ` +
              'static, dns, k8s or aws_cloud_map',
          ]),
      ...['namespace', 'service_name']
        .filter((key) => isMap(cloudMap) && typeof cloudMap[key] !== 'string')
        .map((key) => `${where}.resolver.aws_cloud_map.${key}: missing. Name the Cloud Map ${key.replace('_', ' ')}`),
      ...(isMap(otlp) && otlp.endpoint !== undefined
        ? [`${where}.protocol.otlp.endpoint: remove it; the resolver supplies each backend's endpoint`]
        : []),
    ];
  },
  // otlpexporter only strips a scheme before dialling; gRPC has no URL path, so "host:4317/v1" fails at run time.
  'exporters.otlp_grpc': (settings, where) => {
    if (typeof settings.endpoint !== 'string' || settings.endpoint.includes('${')) return [];
    const target = settings.endpoint.replace(/^(?:https?:\/\/|dns:\/\/\/?)/, '');
    return /^[^/\s]+:\d+$/.test(target)
      ? []
      : [
          `${where}.endpoint: ${JSON.stringify(settings.endpoint)} is not host:port. gRPC takes no URL path; ` +
            'write host:port such as "jaeger:4317"',
        ];
  },
  // routingconnector Config.Validate: every route has a condition or a statement.
  'connectors.routing': (settings, where) =>
    (Array.isArray(settings.table) ? settings.table : []).flatMap((route: unknown, r: number) =>
      isMap(route) && route.condition === undefined && route.statement === undefined
        ? [`${where}.table[${r}]: neither condition nor statement. Give the route a condition`]
        : [],
    ),
};

function componentRuleProblems(config: CollectorConfig): string[] {
  return COMPONENT_KINDS.flatMap((kind) =>
    Object.entries(config[kind] ?? {}).flatMap(([id, settings]) => {
      const rule = COMPONENT_RULES[`${kind}.${componentType(id)}`];
      return rule !== undefined && isMap(settings) ? rule(settings, `${kind}.${id}`) : [];
    }),
  );
}

// (2) References -------------------------------------------------------------------------------

function referenceProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const defined = (kind: ComponentKind) => Object.keys(config[kind] ?? {});
  const connectors = new Set(defined('connectors'));
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  const connectorUse = { asExporter: new Set<string>(), asReceiver: new Set<string>() };

  for (const [pipelineId, pipeline] of pipelineEntries(config)) {
    const where = `service.pipelines.${pipelineId}`;
    for (const id of pipeline.receivers) {
      if (connectors.has(id)) connectorUse.asReceiver.add(id);
      else if (config.receivers[id] !== undefined) used.receivers.add(id);
      else
        problems.push(
          `${where}.receivers: "${id}" is not defined under receivers or connectors. Define it or remove it`,
        );
    }
    for (const id of pipeline.processors ?? []) {
      if (config.processors?.[id] !== undefined) used.processors.add(id);
      else problems.push(`${where}.processors: "${id}" is not defined under processors. Define it or remove it`);
    }
    for (const id of pipeline.exporters) {
      if (connectors.has(id)) connectorUse.asExporter.add(id);
      else if (config.exporters[id] !== undefined) used.exporters.add(id);
      else
        problems.push(
          `${where}.exporters: "${id}" is not defined under exporters or connectors. Define it or remove it`,
        );
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const id of defined(kind)) {
      if (!used[kind].has(id))
        problems.push(`${kind}.${id}: defined but used in no pipeline. Use it in a pipeline or remove it`);
    }
  }
  for (const id of connectors) {
    if (!connectorUse.asExporter.has(id) || !connectorUse.asReceiver.has(id)) {
      problems.push(
        `connectors.${id}: a connector must be an exporter of one pipeline and a receiver of another. Wire both ends or remove it`,
      );
    }
  }

  problems.push(...routingProblems(config));

  const started = new Set(config.service.extensions ?? []);
  for (const id of started) {
    if (config.extensions?.[id] === undefined) {
      problems.push(`service.extensions: "${id}" is not defined under extensions. Define it or remove it`);
    }
  }
  const authenticators = findAuthenticators(config);
  for (const id of defined('extensions')) {
    if (!started.has(id)) {
      const role = authenticators.some((reference) => reference.id === id)
        ? ' (it is referenced as an authenticator)'
        : '';
      problems.push(
        `extensions.${id}: defined but not in service.extensions${role}, so the collector never starts it. ` +
          'Add it to service.extensions or remove it',
      );
    }
  }
  for (const reference of authenticators) {
    if (config.extensions?.[reference.id] === undefined) {
      problems.push(`${reference.path}: "${reference.id}" is not defined under extensions. Define the auth extension`);
    }
  }
  return problems;
}

/**
 * A routing connector may name only pipelines that read from it, in its table and its default
 * pipelines; the collector refuses any other at start.
 */
function routingProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  for (const [id, settings] of Object.entries(config.connectors ?? {})) {
    if (componentType(id) !== 'routing' || !isMap(settings)) continue;
    const readers = new Set(
      pipelineEntries(config)
        .filter(([, pipeline]) => pipeline.receivers.includes(id))
        .map(([pipelineId]) => pipelineId),
    );
    const named: { path: string; pipelineId: string }[] = stringsAt(settings, 'default_pipelines').map(
      (pipelineId, i) => ({ path: `connectors.${id}.default_pipelines[${i}]`, pipelineId }),
    );
    const table = Array.isArray(settings.table) ? settings.table : [];
    table.forEach((route: unknown, r: number) => {
      for (const [i, pipelineId] of stringsAt(route, 'pipelines').entries()) {
        named.push({ path: `connectors.${id}.table[${r}].pipelines[${i}]`, pipelineId });
      }
    });
    for (const { path, pipelineId } of named) {
      if (!readers.has(pipelineId)) {
        problems.push(
          `${path}: "${pipelineId}" is not a pipeline that receives from ${id}. ` +
            `Name one of ${[...readers].join(', ') || '(none)'} or add ${id} to that pipeline's receivers`,
        );
      }
    }
  }
  return problems;
}

function pipelineEntries(config: CollectorConfig): [string, PipelineConfig][] {
  return Object.entries(config.service.pipelines).map(([id, pipeline]) => [
    id,
    { receivers: pipeline.receivers ?? [], processors: pipeline.processors, exporters: pipeline.exporters ?? [] },
  ]);
}

/** Every `auth: {authenticator: id}` in receivers, exporters and extensions (at any depth). */
function findAuthenticators(config: CollectorConfig): { readonly path: string; readonly id: string }[] {
  const found: { path: string; id: string }[] = [];
  for (const kind of ['receivers', 'exporters', 'extensions'] as const) {
    walkStrings(config[kind] ?? {}, kind, (path, value) => {
      if (path.endsWith('.auth.authenticator')) found.push({ path, id: value });
    });
  }
  return found;
}

// (3) memory_limiter first ---------------------------------------------------------------------

function memoryLimiterProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const connectors = new Set(Object.keys(config.connectors ?? {}));
  for (const [pipelineId, pipeline] of pipelineEntries(config)) {
    // Data enters the collector at receivers; a pipeline fed only by connectors gets data that
    // already passed a memory_limiter upstream.
    if (pipeline.receivers.length > 0 && pipeline.receivers.every((id) => connectors.has(id))) continue;
    const processors = pipeline.processors ?? [];
    const where = `service.pipelines.${pipelineId}.processors`;
    const limiterAt = processors.findIndex((id) => componentType(id) === 'memory_limiter');
    if (limiterAt < 0) {
      problems.push(
        `${where}: no memory_limiter. Put memory_limiter first so the collector refuses data before it runs out of memory`,
      );
    } else if (limiterAt > 0) {
      problems.push(
        `${where}: memory_limiter is at position ${limiterAt + 1} after "${processors[0]}". Move it first: ` +
          'it must refuse data before any other processor holds it',
      );
    }
  }
  for (const [id, settings] of Object.entries(config.processors ?? {})) {
    if (componentType(id) !== 'memory_limiter' || !isMap(settings)) continue;
    const { limit_mib: limit, spike_limit_mib: spike } = settings as { limit_mib?: unknown; spike_limit_mib?: unknown };
    if (typeof limit === 'number' && typeof spike === 'number' && spike >= limit) {
      problems.push(
        `processors.${id}.spike_limit_mib: ${spike} is not below limit_mib ${limit}. Use about 20-25 % of the limit`,
      );
    }
  }
  return problems;
}

// (4) Environment contract ---------------------------------------------------------------------

function environmentProblems(config: CollectorConfig, environment: CollectorEnvironment): string[] {
  const problems: string[] = [];
  const byName = new Map(environment.map((variable) => [variable.name, variable]));
  const referenced = new Set<string>();
  walkStrings(config, '', (path, value) => {
    const scan = scanExpansions(value);
    for (const problem of scan.problems) problems.push(`${path}: ${problem}`);
    for (const name of scan.references) {
      referenced.add(name);
      const variable = byName.get(name);
      if (variable === undefined) {
        problems.push(
          `${path}: reads \${env:${name}}, which is not in the environment contract. ` +
            'Add it (secret or plain) so the container gets it',
        );
      } else if (variable.readBy !== 'config') {
        problems.push(
          `${path}: reads \${env:${name}}, which the contract says only the runtime reads. Mark it readBy: config`,
        );
      }
    }
    for (const credential of inlineCredentials(scan.unescaped)) {
      problems.push(
        `${path}: holds what looks like a credential (${credential}). Pass it as a secret environment variable ` +
          `and read it with \${env:NAME}`,
      );
    }
  });

  const seen = new Set<string>();
  for (const variable of environment) {
    const where = `environment contract: ${variable.name}`;
    if (seen.has(variable.name)) problems.push(`${where} is listed twice. Keep one entry`);
    seen.add(variable.name);
    if (variable.readBy === 'config' && !referenced.has(variable.name)) {
      problems.push(
        `${where} is declared for the config, but the config never reads \${env:${variable.name}}. Use it or remove it`,
      );
    }
    if (variable.secret && variable.value !== undefined) {
      problems.push(
        `${where} is secret but carries a value. Secrets come from the secret store at run time; drop the value`,
      );
    }
    if (!variable.secret && variable.value === undefined && variable.perTask === undefined) {
      problems.push(`${where} is plain but has no value. Give it a value or mark it secret`);
    }
    if (variable.perTask !== undefined && (variable.secret || variable.value !== undefined)) {
      problems.push(`${where} is set per task, so it takes neither a value nor a secret source. Drop them`);
    }
  }
  return problems;
}

const CREDENTIAL_PATTERNS = PII_VALUE_PATTERNS.filter((pattern) =>
  ['api-key', 'jwt', 'bearer-token'].includes(pattern.name),
).map((pattern) => ({ name: pattern.name, regex: RE2JS.compile(pattern.pattern) }));

function inlineCredentials(text: string): string[] {
  return CREDENTIAL_PATTERNS.filter((pattern) => pattern.regex.matcher(text).find()).map((pattern) => pattern.name);
}

// (5) Regexes as RE2 ---------------------------------------------------------------------------

function regexProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const check = (path: string, configText: string, what: string) => {
    const pattern = scanExpansions(configText).unescaped;
    const error = re2Error(pattern);
    if (error !== undefined) {
      problems.push(
        `${path}: ${what} ${JSON.stringify(pattern)} is not valid Go RE2 (${error}). RE2 has no lookaround or backreferences`,
      );
    }
  };
  const checkOttl = (path: string, text: string) => {
    for (const found of ottlRegexArguments(scanExpansions(text).unescaped)) {
      if (found.literalError !== undefined) problems.push(`${path}: ${found.literalError}`);
      else if (found.pattern !== undefined) {
        const error = re2Error(found.pattern);
        if (error !== undefined) {
          problems.push(
            `${path}: the ${found.functionName} regex ${JSON.stringify(found.pattern)} is not valid Go RE2 (${error}). ` +
              'RE2 has no lookaround or backreferences',
          );
        }
      }
    }
  };

  for (const [id, settings] of Object.entries(config.processors ?? {})) {
    const type = componentType(id);
    const base = `processors.${id}`;
    if (type === 'transform' || type === 'filter') walkStrings(settings, base, checkOttl);
    if (type === 'redaction') {
      for (const key of ['blocked_values', 'allowed_values', 'blocked_key_patterns', 'ignored_key_patterns']) {
        for (const [i, text] of stringsAt(settings, key).entries()) check(`${base}.${key}[${i}]`, text, 'the regex');
      }
    }
    if (type === 'tail_sampling') tailSamplingRegexes(settings, base, check, checkOttl);
  }
  for (const [id, settings] of Object.entries(config.connectors ?? {})) {
    if (componentType(id) === 'routing') walkStrings(settings, `connectors.${id}`, checkOttl);
  }
  for (const [id, settings] of Object.entries(config.exporters)) {
    if (componentType(id) !== 'awsemf') continue;
    const declarations =
      isMap(settings) && Array.isArray(settings.metric_declarations) ? settings.metric_declarations : [];
    declarations.forEach((declaration: unknown, d: number) => {
      const base = `exporters.${id}.metric_declarations[${d}]`;
      for (const [i, text] of stringsAt(declaration, 'metric_name_selectors').entries()) {
        check(`${base}.metric_name_selectors[${i}]`, text, 'the metric name selector');
      }
      const matchers =
        isMap(declaration) && Array.isArray(declaration.label_matchers) ? declaration.label_matchers : [];
      matchers.forEach((matcher: unknown, m: number) => {
        if (isMap(matcher) && typeof matcher.regex === 'string') {
          check(`${base}.label_matchers[${m}].regex`, matcher.regex, 'the label regex');
        }
      });
    });
  }
  return problems;
}

function tailSamplingRegexes(
  settings: unknown,
  base: string,
  check: (path: string, text: string, what: string) => void,
  checkOttl: (path: string, text: string) => void,
): void {
  const policies = isMap(settings) && Array.isArray(settings.policies) ? settings.policies : [];
  policies.forEach((policy: unknown, p: number) => {
    if (!isMap(policy)) return;
    const attribute = policy.string_attribute;
    if (isMap(attribute) && attribute.enabled_regex_matching === true) {
      for (const [i, text] of stringsAt(attribute, 'values').entries()) {
        check(`${base}.policies[${p}].string_attribute.values[${i}]`, text, 'the regex');
      }
    }
    if (isMap(policy.ottl_condition))
      walkStrings(policy.ottl_condition, `${base}.policies[${p}].ottl_condition`, checkOttl);
  });
}

/** The RE2 syntax error of a pattern, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// (6) Component types of the pinned distribution -----------------------------------------------

function distributionProblems(config: CollectorConfig, distribution: CollectorDistribution): string[] {
  const problems: string[] = [];
  const pinned = distributionLabel(distribution);
  for (const kind of COMPONENT_KINDS) {
    for (const id of Object.keys(config[kind] ?? {})) {
      const type = componentType(id);
      const lookup = lookUpComponentType(distribution, kind, type);
      if (lookup.status === 'current') continue;
      if (lookup.status === 'deprecated') {
        problems.push(
          `${kind}.${id}: "${type}" is a deprecated name in ${pinned}. Use today's name "${lookup.currentName}"`,
        );
        continue;
      }
      const others = KNOWN_DISTRIBUTIONS.filter(
        (other) => other !== distribution && lookUpComponentType(other, kind, type).status !== 'missing',
      ).map(distributionLabel);
      if (others.length > 0) {
        problems.push(
          `${kind}.${id}: the component type "${type}" is not in ${pinned}; it is in ${others.join(', ')}. ` +
            'Pin a distribution that has it or remove it',
        );
      } else {
        const names = distribution.components[kind].map((component) => component.type);
        const suggestion = names.length > 0 ? ` Did you mean "${closest(type.toLowerCase(), names)}"?` : '';
        problems.push(
          `${kind}.${id}: the component type "${type}" is in no known ${kind.slice(0, -1)} list ` +
            `(${KNOWN_DISTRIBUTIONS.map(distributionLabel).join(', ')}).${suggestion} Fix the name or remove it`,
        );
      }
    }
  }
  return problems;
}

// Helpers --------------------------------------------------------------------------------------

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function stringsAt(settings: unknown, key: string): string[] {
  const value = isMap(settings) ? settings[key] : undefined;
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Calls `visit` with the dotted path of every string value under `value` (map keys are not visited). */
function walkStrings(value: unknown, path: string, visit: (path: string, value: string) => void): void {
  if (typeof value === 'string') visit(path, value);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walkStrings(item, `${path}[${i}]`, visit);
  } else if (isMap(value)) {
    for (const [key, item] of Object.entries(value)) walkStrings(item, path === '' ? key : `${path}.${key}`, visit);
  }
}
