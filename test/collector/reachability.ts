/**
 * Where can a piece of telemetry go? A small walk over the pipeline graph of generated collector
 * configs (receivers by port, pipelines, connectors, and the sidecar -> gateway hop), tracking the
 * one thing tenant isolation depends on: the value of the `tenant.id` resource attribute.
 *
 * The walk is conservative: it knows what the processor types the generator writes do to
 * `tenant.id` (resource, transform, redaction and the ones that never touch resource attributes)
 * and throws on anything else, so a new processor, connector, receiver or a routing condition it
 * cannot evaluate makes the isolation tests fail instead of passing unexamined.
 * - Data enters a collector at a receiver: a client reaches the receiver listening on the port it
 *   connects to (OTLP receivers with a literal `host:port` endpoint only), and the data enters
 *   every pipeline of its signal that names that receiver.
 * - A `forward` connector hands data unchanged to every pipeline of the same signal that reads
 *   from it. A `routing` connector sends data to every route whose condition matches (a superset
 *   of the collector's first match), else to its default pipelines.
 * - The sidecar -> gateway hop is by port: what leaves a sidecar through a `load_balancing`
 *   exporter enters the gateway at the receiver whose gRPC endpoint listens on the exporter's
 *   `resolver.aws_cloud_map.port` (the port, guarded by security groups, is the identity).
 */
import { RE2JS } from 're2js';
import { scanExpansions } from '../../lib/collector/expansion';
import type { GeneratedCollectorConfig } from '../../lib/collector/generate';
import { type CollectorConfig, type ComponentConfig, componentType } from '../../lib/collector/model';
import { unquoteOttlString } from '../../lib/collector/ottl';
import { TENANT_ATTRIBUTE } from '../../lib/collector/tenants';
import type { EnvironmentProfile } from '../../lib/profile/schema';

export type Signal = 'traces' | 'metrics' | 'logs';
export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** The value of `tenant.id` on a resource; undefined when the attribute is absent. */
export type TenantValue = string | undefined;

/** Data leaving a collector through one exporter, with the `tenant.id` it carries then. */
export interface Sink {
  readonly exporter: string;
  readonly tenant: TenantValue;
  /** The pipelines it travelled, in order. */
  readonly path: readonly string[];
}

/** Processor types that never add, change or remove a resource attribute. */
const NEUTRAL_PROCESSOR_TYPES = new Set([
  'memory_limiter',
  'tail_sampling',
  'filter',
  'cumulative_to_delta',
  'deltatocumulative',
  'batch',
  // Its `env` detector reads the collector container's OTEL_RESOURCE_ATTRIBUTES, which no
  // generated environment contract sets (a test says so), and `override: false` keeps what is set.
  'resource_detection',
]);

function signalOf(pipelineId: string): string {
  const slash = pipelineId.indexOf('/');
  return slash < 0 ? pipelineId : pipelineId.slice(0, slash);
}

function isConnector(config: CollectorConfig, id: string): boolean {
  return config.connectors?.[id] !== undefined;
}

/** Go regexp `MatchString`: does the pattern match anywhere in the text. */
function re2Finds(pattern: string, text: string): boolean {
  return RE2JS.compile(pattern).matcher(text).find();
}

/** A regex as a component receives it: `$$` in the config is one `$`. */
function componentRegex(configText: string): string {
  return scanExpansions(configText).unescaped;
}

function unmodelled(what: string): never {
  throw new Error(
    `reachability walk: ${what}. Teach test/collector/reachability.ts what it does to ${TENANT_ATTRIBUTE}`,
  );
}

/** What the `resource` processor does to `tenant.id`. */
function applyResourceProcessor(settings: ComponentConfig, value: TenantValue): TenantValue {
  const actions = (settings.attributes ?? []) as { key: string; action: string; value?: unknown }[];
  let result = value;
  for (const action of actions) {
    if (action.key !== TENANT_ATTRIBUTE) continue;
    if (!('value' in action) && action.action !== 'delete') unmodelled(`resource action ${JSON.stringify(action)}`);
    switch (action.action) {
      case 'delete':
        result = undefined;
        break;
      case 'upsert':
        result = String(action.value);
        break;
      case 'insert':
        result = result ?? String(action.value);
        break;
      case 'update':
        result = result === undefined ? undefined : String(action.value);
        break;
      default:
        unmodelled(`resource action "${action.action}" on ${TENANT_ATTRIBUTE}`);
    }
  }
  return result;
}

const STATEMENT_KEYS: Readonly<Record<Signal, string>> = {
  traces: 'trace_statements',
  metrics: 'metric_statements',
  logs: 'log_statements',
};

/**
 * The statements of a transform list that run at the `resource` context: those of its `context:
 * resource` groups. A statement of another group that changes `resource.attributes` is not modelled
 * (it runs once per item of its context, so only where there is one), nor is a flat list.
 */
function resourceStatements(list: unknown[]): string[] {
  return list.flatMap((group) => {
    const { context, statements } = (group ?? {}) as { context?: unknown; statements?: unknown };
    if (typeof group === 'string' || !Array.isArray(statements))
      return unmodelled(`the transform list item ${JSON.stringify(group)}`);
    if (context === 'resource') return statements as string[];
    // Reading a resource attribute (set(datapoint.attributes[…], resource.attributes[…])) changes nothing.
    const touching = (statements as string[]).find((statement) =>
      /^\s*[A-Za-z_]\w*\(\s*resource\.attributes\b/.test(statement),
    );
    return touching === undefined ? [] : unmodelled(`the statement ${touching} at context ${String(context)}`);
  });
}

/** What a `transform` processor does to `tenant.id`: only `delete_matching_keys(resource.attributes, …)` is modelled. */
function applyTransformProcessor(settings: ComponentConfig, signal: Signal, value: TenantValue): TenantValue {
  let result = value;
  for (const statement of resourceStatements((settings[STATEMENT_KEYS[signal]] ?? []) as unknown[])) {
    const deleteMatching = statement.match(
      /^delete_matching_keys\(\s*resource\.attributes\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/,
    );
    if (deleteMatching) {
      const pattern = unquoteOttlString(componentRegex(deleteMatching[1]));
      if (typeof pattern !== 'string') unmodelled(`the OTTL literal ${deleteMatching[1]}`);
      if (re2Finds(pattern, TENANT_ATTRIBUTE)) result = undefined;
    } else if (setsOtherResourceKey(statement)) {
      // set(resource.attributes["service.name"], ...): another key; tenant.id is untouched.
    } else if (deletesResourceKey(statement) !== undefined) {
      // delete_key(resource.attributes, "key"): removes that one key.
      if (deletesResourceKey(statement) === TENANT_ATTRIBUTE) result = undefined;
    } else if (/^\s*[A-Za-z_]\w*\(\s*resource\.attributes\b/.test(statement)) {
      unmodelled(`the transform statement ${statement}`);
    }
  }
  return result;
}

/** The key of `delete_key(resource.attributes, "key")`, or undefined for another statement. */
function deletesResourceKey(statement: string): string | undefined {
  const deleted = statement.match(/^delete_key\(\s*resource\.attributes\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/);
  if (deleted === null) return undefined;
  const key = unquoteOttlString(deleted[1]);
  return typeof key === 'string' ? key : unmodelled(`the OTTL literal ${deleted[1]}`);
}

/** `set(resource.attributes["key"], ...)` of one named key other than tenant.id. */
function setsOtherResourceKey(statement: string): boolean {
  const set = statement.match(/^set\(\s*resource\.attributes\[("(?:[^"\\]|\\.)*")\]\s*,/);
  return set !== null && unquoteOttlString(set[1]) !== TENANT_ATTRIBUTE;
}

/** What the `redaction` processor does to the value of `tenant.id` (processAttrs in upstream processor.go). */
function applyRedactionProcessor(settings: ComponentConfig, value: TenantValue): TenantValue {
  if (value === undefined) return undefined;
  const strings = (key: string) => ((settings[key] ?? []) as string[]).map(componentRegex);
  if ((settings.ignored_keys as string[] | undefined)?.includes(TENANT_ATTRIBUTE)) return value;
  if (strings('ignored_key_patterns').some((pattern) => re2Finds(pattern, TENANT_ATTRIBUTE))) return value;
  const allowed =
    settings.allow_all_keys === true || (settings.allowed_keys as string[] | undefined)?.includes(TENANT_ATTRIBUTE);
  if (!allowed) return undefined;
  if (strings('allowed_values').some((pattern) => re2Finds(pattern, value))) return value;
  if (strings('blocked_key_patterns').some((pattern) => re2Finds(pattern, TENANT_ATTRIBUTE))) return '****';
  let masked = value;
  for (const pattern of strings('blocked_values')) {
    masked = RE2JS.compile(pattern)
      .matcher(masked)
      .replaceAll(() => '****');
  }
  return masked;
}

function applyProcessor(config: CollectorConfig, id: string, signal: Signal, value: TenantValue): TenantValue {
  const settings = config.processors?.[id];
  if (settings === undefined) unmodelled(`processor "${id}" is not defined`);
  const type = componentType(id);
  if (NEUTRAL_PROCESSOR_TYPES.has(type)) return value;
  if (type === 'resource') return applyResourceProcessor(settings, value);
  if (type === 'transform') return applyTransformProcessor(settings, signal, value);
  if (type === 'redaction') return applyRedactionProcessor(settings, value);
  return unmodelled(`processor type "${type}" (${id})`);
}

/** `resource.attributes["tenant.id"] == "acme-corp"` -> does it hold for `value`. */
function evaluateRouteCondition(route: { context?: string; condition?: string }, value: TenantValue): boolean {
  const match = route.condition?.match(/^resource\.attributes\[("(?:[^"\\]|\\.)*")\]\s*==\s*("(?:[^"\\]|\\.)*")$/);
  if (route.context !== 'resource' || match === undefined || match === null) {
    return unmodelled(`the route ${JSON.stringify(route)}`);
  }
  const key = unquoteOttlString(match[1]);
  const expected = unquoteOttlString(match[2]);
  if (typeof key !== 'string' || typeof expected !== 'string') return unmodelled(`the route ${JSON.stringify(route)}`);
  if (key !== TENANT_ATTRIBUTE) return unmodelled(`a route on the attribute "${key}"`);
  return value === expected;
}

/** The pipelines a connector hands data of `signal` to. */
function connectorTargets(config: CollectorConfig, connector: string, signal: Signal, value: TenantValue): string[] {
  const settings = config.connectors?.[connector] ?? {};
  const type = componentType(connector);
  if (type === 'routing') {
    const table = (settings.table ?? []) as { context?: string; condition?: string; pipelines: string[] }[];
    const matched = table.filter((route) => evaluateRouteCondition(route, value)).flatMap((route) => route.pipelines);
    return matched.length > 0 ? matched : ((settings.default_pipelines ?? []) as string[]);
  }
  if (type === 'forward') {
    // Everything, unchanged, to every pipeline of the same signal that reads from it.
    return Object.entries(config.service.pipelines)
      .filter(([id, pipeline]) => signalOf(id) === signal && pipeline.receivers.includes(connector))
      .map(([id]) => id);
  }
  return unmodelled(`connector type "${type}" (${connector})`);
}

/** A transport a receiver listens with. */
export type Protocol = 'grpc' | 'http';

/** One port a collector listens on, and the receiver behind it. */
export interface Listener {
  readonly receiver: string;
  readonly protocol: Protocol;
  readonly port: number;
}

/**
 * Every port a collector's receivers listen on. Only OTLP receivers whose protocols name a literal
 * `host:port` endpoint are modelled (a default or variable port throws), and two listeners on one
 * port throw: the collector would not start, and the walk could not tell which one data reaches.
 */
export function listeners(config: CollectorConfig): Listener[] {
  const found: Listener[] = [];
  for (const [receiver, settings] of Object.entries(config.receivers)) {
    if (componentType(receiver) !== 'otlp') unmodelled(`receiver type "${componentType(receiver)}" (${receiver})`);
    const protocols = Object.entries((settings.protocols ?? {}) as Record<string, { endpoint?: unknown } | null>);
    if (protocols.length === 0) unmodelled(`receiver ${receiver} without protocols`);
    for (const [protocol, protocolSettings] of protocols) {
      if (protocol !== 'grpc' && protocol !== 'http') unmodelled(`the protocol "${protocol}" of receiver ${receiver}`);
      const endpoint = protocolSettings?.endpoint;
      const match = typeof endpoint === 'string' ? endpoint.match(/^(?:[\w.-]*|\[[0-9a-fA-F:.]*\]):(\d{1,5})$/) : null;
      if (match === null) {
        return unmodelled(`the ${protocol} endpoint ${JSON.stringify(endpoint)} of receiver ${receiver}`);
      }
      found.push({ receiver, protocol, port: Number(match[1]) });
    }
  }
  for (const listener of found) {
    const others = found.filter((other) => other.port === listener.port && other !== listener);
    if (others.length > 0) {
      unmodelled(
        `port ${listener.port} is listened on by ${[listener, ...others].map((l) => `${l.receiver} (${l.protocol})`).join(' and ')}`,
      );
    }
  }
  return found;
}

/**
 * The listeners another task can reach: all but those on the loopback address (a collector's
 * self-telemetry receiver), which only the containers of the collector's own task share.
 */
export function listenersForOtherTasks(config: CollectorConfig): Listener[] {
  return listeners(config).filter((listener) => {
    const protocols = config.receivers[listener.receiver].protocols as Record<string, { endpoint?: unknown }>;
    const endpoint = protocols[listener.protocol]?.endpoint;
    return !(typeof endpoint === 'string' && /^(?:localhost|127\.0\.0\.1|\[::1\]):\d+$/.test(endpoint));
  });
}

/** The receiver a client connecting to `port` with `protocol` reaches; throws when none listens there. */
export function receiverOnPort(config: CollectorConfig, port: number, protocol: Protocol): string {
  const listener = listeners(config).find((candidate) => candidate.port === port);
  if (listener === undefined) return unmodelled(`no receiver listens on port ${port}`);
  if (listener.protocol !== protocol) {
    return unmodelled(`port ${port} is ${listener.receiver}'s ${listener.protocol} endpoint, not ${protocol}`);
  }
  return listener.receiver;
}

/**
 * Every exporter data of `signal` entering the collector at `receiver` (by default: at any of its
 * receivers) with `tenant.id` = `value` can leave through, and the `tenant.id` it carries there.
 */
export function reachableSinks(config: CollectorConfig, signal: Signal, value: TenantValue, receiver?: string): Sink[] {
  if (receiver !== undefined && config.receivers[receiver] === undefined) {
    unmodelled(`receiver "${receiver}" is not defined`);
  }
  for (const [id, pipeline] of Object.entries(config.service.pipelines)) {
    for (const source of pipeline.receivers) {
      if (config.receivers[source] === undefined && !isConnector(config, source)) {
        unmodelled(`pipeline ${id} reads from "${source}", which is neither a receiver nor a connector`);
      }
    }
  }
  const entersAt = (source: string) => (receiver === undefined ? !isConnector(config, source) : source === receiver);
  const sinks: Sink[] = [];
  const seen = new Set<string>();
  const queue: { pipeline: string; value: TenantValue; path: string[] }[] = Object.entries(config.service.pipelines)
    .filter(([id, pipeline]) => signalOf(id) === signal && pipeline.receivers.some(entersAt))
    .map(([id]) => ({ pipeline: id, value, path: [id] }));
  while (queue.length > 0) {
    const next = queue.shift() as (typeof queue)[number];
    const key = `${next.pipeline}\u0000${next.value ?? '\u0000absent'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pipeline = config.service.pipelines[next.pipeline];
    if (pipeline === undefined) unmodelled(`pipeline "${next.pipeline}" is not defined`);
    const out = (pipeline.processors ?? []).reduce<TenantValue>(
      (current, id) => applyProcessor(config, id, signal, current),
      next.value,
    );
    for (const exporter of pipeline.exporters) {
      if (isConnector(config, exporter)) {
        for (const target of connectorTargets(config, exporter, signal, out)) {
          if (!config.service.pipelines[target]?.receivers.includes(exporter)) {
            unmodelled(`connector ${exporter} names "${target}", which does not read from it`);
          }
          if (signalOf(target) !== signal) unmodelled(`connector ${exporter} hands ${signal} to ${target}`);
          queue.push({ pipeline: target, value: out, path: [...next.path, target] });
        }
      } else {
        sinks.push({ exporter, tenant: out, path: next.path });
      }
    }
  }
  return sinks;
}

/** Where an exporter's data ends up, as far as isolation cares. */
export type Destination =
  | { readonly kind: 'grafana-cloud'; readonly instanceId: string; readonly apiKeyParameterName: string }
  | { readonly kind: 'gateway'; readonly port: number }
  | { readonly kind: 'cloudwatch' }
  | { readonly kind: 'console' };

/**
 * The destination of one exporter, read from the config and its environment contract: a Grafana
 * Cloud stack is identified by the instance id and token parameter its authenticator reads.
 */
export function destinationOf(generated: GeneratedCollectorConfig, exporter: string): Destination {
  const { config, environment } = generated;
  const type = componentType(exporter);
  if (type === 'load_balancing') return { kind: 'gateway', port: loadBalancingPort(config, exporter) };
  if (type === 'awsemf') return { kind: 'cloudwatch' };
  // The environment's audit log group (lib/logs/audit.ts): the environment's account, like awsemf.
  if (type === 'awscloudwatchlogs') return { kind: 'cloudwatch' };
  if (type === 'debug') return { kind: 'console' };
  if (type !== 'otlp_http') return unmodelled(`exporter type "${type}"`);
  const authenticator = (config.exporters[exporter]?.auth as { authenticator?: string } | undefined)?.authenticator;
  const clientAuth = (config.extensions?.[authenticator ?? ''] as { client_auth?: Record<string, string> } | undefined)
    ?.client_auth;
  if (clientAuth === undefined) return unmodelled(`exporter ${exporter} without a basicauth authenticator`);
  const variable = (reference: string) => {
    const names = scanExpansions(reference).references;
    const found = environment.find((candidate) => candidate.name === names[0]);
    if (names.length !== 1 || found === undefined) return unmodelled(`the credential reference "${reference}"`);
    return found;
  };
  const username = variable(clientAuth.username);
  const password = variable(clientAuth.password);
  return {
    kind: 'grafana-cloud',
    instanceId: username.value ?? '(no value)',
    apiKeyParameterName: password.ssmParameterName ?? '(no parameter)',
  };
}

/**
 * The gateway port a `load_balancing` exporter sends to: OTLP/gRPC to every task Cloud Map lists,
 * at `resolver.aws_cloud_map.port`. Any other resolver or protocol is not modelled.
 */
function loadBalancingPort(config: CollectorConfig, exporter: string): number {
  const settings = config.exporters[exporter] ?? {};
  const protocols = Object.keys((settings.protocol ?? {}) as object);
  if (protocols.join() !== 'otlp') unmodelled(`the load_balancing protocol ${JSON.stringify(settings.protocol)}`);
  const resolver = (settings.resolver ?? {}) as { aws_cloud_map?: { port?: unknown } };
  const port = resolver.aws_cloud_map?.port;
  if (Object.keys(resolver).join() !== 'aws_cloud_map' || typeof port !== 'number') {
    return unmodelled(
      `the load_balancing resolver ${JSON.stringify(settings.resolver)} (only aws_cloud_map with a port)`,
    );
  }
  return port;
}

/** A Grafana Cloud stack by owner: `platform`, `tenant:<id>`, or `unknown stack …`. */
export function stackOwner(
  profile: EnvironmentProfile,
  destination: { readonly instanceId: string; readonly apiKeyParameterName: string },
): string {
  const owners = [
    ['platform', profile.grafanaCloud] as const,
    ...Object.entries(profile.tenants ?? {}).map(
      ([tenant, settings]) => [`tenant:${tenant}`, settings.grafanaCloud] as const,
    ),
  ];
  const owner = owners.find(
    ([, stack]) =>
      stack.instanceId === destination.instanceId && stack.apiKeyParameterName === destination.apiKeyParameterName,
  );
  return owner?.[0] ?? `unknown stack (instance ${destination.instanceId}, token ${destination.apiKeyParameterName})`;
}

export interface Hop {
  /** `sidecar` or `gateway`. */
  readonly collector: string;
  /** For a gateway hop: the receiver the data entered the gateway at. */
  readonly receiver?: string;
  readonly exporter: string;
  readonly tenant: TenantValue;
  readonly destination: Destination;
  /** The pipelines of that collector it travelled, in order. */
  readonly path: readonly string[];
}

/**
 * Data of `signal` with `tenant.id` = `value` sent to the gateway's `port` with `protocol`, as a
 * sidecar or a client that bypasses its sidecar would: every final hop. Throws when no receiver
 * listens there, or when the gateway exports to a gateway.
 */
export function intoGateway(
  gateway: GeneratedCollectorConfig,
  signal: Signal,
  value: TenantValue,
  port: number,
  protocol: Protocol = 'grpc',
): Hop[] {
  const receiver = receiverOnPort(gateway.config, port, protocol);
  return reachableSinks(gateway.config, signal, value, receiver).map((sink) => {
    const destination = destinationOf(gateway, sink.exporter);
    if (destination.kind === 'gateway') unmodelled('a gateway that exports to a gateway');
    return {
      collector: 'gateway',
      receiver,
      exporter: sink.exporter,
      tenant: sink.tenant,
      destination,
      path: sink.path,
    };
  });
}

/**
 * End to end: data of `signal` with `tenant.id` = `value` enters `sidecar` (at any of its
 * receivers: the application shares its network); whatever leaves through a load_balancing
 * exporter enters `gateway` at the receiver on that exporter's port (over gRPC, as the exporter
 * speaks OTLP/gRPC). Returns every final hop (nothing that leaves for the gateway is final).
 */
export function endToEnd(
  sidecar: GeneratedCollectorConfig,
  gateway: GeneratedCollectorConfig | undefined,
  signal: Signal,
  value: TenantValue,
): Hop[] {
  const hops: Hop[] = [];
  for (const sink of reachableSinks(sidecar.config, signal, value)) {
    const destination = destinationOf(sidecar, sink.exporter);
    if (destination.kind !== 'gateway') {
      hops.push({ collector: 'sidecar', exporter: sink.exporter, tenant: sink.tenant, destination, path: sink.path });
      continue;
    }
    if (gateway === undefined) unmodelled('a sidecar exports to a gateway, but there is none');
    hops.push(...intoGateway(gateway, signal, sink.tenant, destination.port, 'grpc'));
  }
  return hops;
}

/** The owners of the Grafana Cloud stacks among `hops`, sorted and without repeats. */
export function grafanaCloudOwners(profile: EnvironmentProfile, hops: readonly Hop[]): string[] {
  const owners = hops.flatMap((hop) =>
    hop.destination.kind === 'grafana-cloud' ? [stackOwner(profile, hop.destination)] : [],
  );
  return [...new Set(owners)].sort();
}
