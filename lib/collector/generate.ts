/**
 * Environment profile + role -> collector config and the environment variables it needs.
 * Pure: the same profile always gives the same config. Every per-environment difference comes
 * from the profile (sampling ratio, debug exporter, memory, Grafana Cloud endpoint, gateway,
 * tenants). Per-role differences are data in `roles.ts` (where it listens, what it detects, whether
 * it samples, where it sends) where they are settings; the gateway's place in the topology (sidecars
 * send it traces, it routes tenants) is in `cloudDestination` and `cloudPipelines`.
 */

import { AUDIT_EVENT_ATTRIBUTE, auditLogGroupName } from '../logs/audit';
import { GATEWAY_SERVICE_NAME, gatewayNamespaceName } from '../naming';
import type { EnvironmentProfile, GrafanaCloudDestination } from '../profile/schema';
import {
  CLOUDWATCH_SERVICE_DIMENSION,
  type CloudWatchMetric,
  COLLECTOR_HEARTBEAT_METRIC,
  COLLECTOR_SERVICE_NAME,
  cloudWatchMetricsBySource,
  cloudWatchMetricsOf,
  cloudWatchNamespace,
  emfLogGroupName,
  HEARTBEAT_DIMENSION,
  SOURCE_TOKEN_DIMENSION,
  serviceEmfLogGroupName,
} from './cloudwatch';
import { type CollectorDistribution, PINNED_DISTRIBUTION } from './distributions';
import { collectorLiteral, envReference } from './expansion';
import { type GatewayQueueSizing, gatewayQueueSizing } from './gateway-sizing';
import { collectorImage } from './image';
import { type CollectorMemoryLimits, collectorMemoryLimits, DEFAULT_COLLECTOR_MEMORY_MIB } from './memory';
import type {
  CollectorConfig,
  CollectorEnvironment,
  CollectorEnvironmentVariable,
  CollectorRole,
  ComponentConfig,
  PipelineConfig,
} from './model';
import { ottlString } from './ottl';
import type { OttlContext } from './ottl-contexts';
import { PII_VALUE_PATTERNS, SENSITIVE_KEY_PATTERN } from './pii';
import { COLLECTOR_ROLES, type CollectorDestination, type CollectorRoleSettings } from './roles';
import { tailSamplingProcessor } from './sampling';
import { TENANT_ATTRIBUTE, tenantComponentName, tenantVariablePrefix } from './tenants';

/**
 * The filter processor condition of the audit pipeline: a record matching it is dropped, so only
 * records that carry the marker remain. A nil comparison, not a function call: it cannot error on
 * a record whose attribute has another type, so no record is kept or dropped by accident.
 */
const DROP_UNLESS_AUDIT = `log.attributes[${ottlString(AUDIT_EVENT_ATTRIBUTE)}] == nil`;

/** The environment variables the generated configs read, by purpose. */
export const COLLECTOR_ENV = {
  grafanaCloudInstanceId: 'GRAFANA_CLOUD_INSTANCE_ID',
  grafanaCloudApiKey: 'GRAFANA_CLOUD_API_KEY',
  goMemLimit: 'GOMEMLIMIT',
  /** A sidecar's service: set per task by the construct, never by the application (`perTask`). */
  serviceName: 'OBSERVED_SERVICE_NAME',
  /** The environment's source token: an ECS secret of the collector container only, never the application's. */
  sourceToken: 'OBSERVABILITY_SOURCE_TOKEN',
} as const;

export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const HEALTH_CHECK_PORT = 13133;
/**
 * Where a cloud collector receives its own metrics (OTLP/HTTP, localhost only): a receiver of their
 * own, so they do not pass the memory limiter that guards the services' data.
 */
export const SELF_TELEMETRY_PORT = 14318;
/**
 * The gateway's persistent export queue: a directory on the task's ephemeral storage, mounted
 * writable into the otherwise read-only collector container.
 */
export const QUEUE_STORAGE_DIRECTORY = '/var/lib/otelcol/file_storage';

/** The Compose service the local role sends traces to (collector-config/local/docker-compose.yaml). */
export const LOCAL_JAEGER_HOST = 'jaeger';
/** Where the local role serves its metrics for Prometheus to scrape. */
export const LOCAL_PROMETHEUS_EXPORTER_PORT = 8889;

/** Component ids. A `/name` says what an instance is for when the type alone does not. */
const ID = {
  otlp: 'otlp',
  selfTelemetry: 'otlp/self',
  memoryLimiter: 'memory_limiter',
  tailSampling: 'tail_sampling',
  resourceDetection: 'resource_detection',
  resource: 'resource',
  serviceIdentity: 'transform/service_identity',
  selfIdentity: 'transform/self_identity',
  dropSecrets: 'transform/drop_secrets',
  redactPii: 'redaction/pii',
  cloudWatchFilter: 'filter/cloudwatch',
  selfFilter: 'filter/self',
  selfCloudWatchFilter: 'filter/cloudwatch_self',
  cloudWatchDimensions: 'transform/cloudwatch',
  heartbeatDimension: 'transform/heartbeat',
  sourceToken: 'transform/source_token',
  cumulativeToDelta: 'cumulative_to_delta',
  deltaToCumulative: 'deltatocumulative',
  grafanaCloud: 'otlp_http/grafana_cloud',
  awsEmf: 'awsemf',
  debug: 'debug',
  healthCheck: 'health_check',
  queueStorage: 'file_storage/queue',
  grafanaCloudAuth: 'basicauth/grafana_cloud',
  jaeger: 'otlp_grpc/jaeger',
  prometheus: 'prometheus',
  gateway: 'load_balancing/gateway',
  tenantRouting: 'routing/tenants',
  toSampling: 'forward/sampling',
  noTenant: 'resource/no-tenant',
  auditFilter: 'filter/audit',
  auditLogs: 'awscloudwatchlogs/audit',
} as const;

/** The `service.name` of a gateway's own telemetry: its CloudWatch metrics stay apart from the sidecars'. */
export const GATEWAY_TELEMETRY_SERVICE_NAME = GATEWAY_SERVICE_NAME;

export interface CollectorConfigOptions {
  /**
   * For a sidecar: the tenant (a key of the profile's `tenants`) whose service it serves. Its
   * telemetry is stamped with that `tenant.id` and goes to that tenant's Grafana Cloud stack only.
   * @default - a platform service: any `tenant.id` the application sets is removed
   */
  readonly tenant?: string;
}

export interface GeneratedCollectorConfig {
  readonly environmentName: string;
  readonly role: CollectorRole;
  /** The tenant a sidecar serves; undefined for platform sidecars and other roles. */
  readonly tenant?: string;
  /** The distribution the config is written for. */
  readonly distribution: CollectorDistribution;
  /** The image to run: the profile's `collector.image` (by digest when it has one), else the distribution's. */
  readonly image: string;
  readonly config: CollectorConfig;
  /** Exactly the variables the container needs: every `${env:NAME}` of the config, plus runtime settings. */
  readonly environment: CollectorEnvironment;
}

/**
 * What a destination adds to the receivers and processors every role shares: its own processors
 * (after the shared ones), exporters, extensions, pipelines and the variables its config reads.
 */
interface DestinationParts {
  /** Receivers besides the shared `otlp` one. */
  readonly receivers?: Record<string, ComponentConfig>;
  readonly processors: Record<string, ComponentConfig>;
  readonly exporters: Record<string, ComponentConfig>;
  readonly extensions: Record<string, ComponentConfig>;
  readonly connectors?: Record<string, ComponentConfig>;
  readonly pipelines: { readonly [id: string]: PipelineConfig };
  readonly environment: CollectorEnvironment;
}

/** The processor ids a role's pipelines share, in pipeline order. */
interface SharedProcessorIds {
  /** Tail sampling, when the role samples: right after the memory limiter. */
  readonly sampling: readonly string[];
  /** Resource detection for metrics, when the role detects for metrics. */
  readonly detect: readonly string[];
  /** A sidecar's `service.name` from the task (`transform/service_identity`); empty for other roles. */
  readonly identity: readonly string[];
  /** A sidecar's own telemetry named as the collector (`transform/self_identity`); empty for other roles. */
  readonly selfIdentity: readonly string[];
  /** Traces and logs: enrich, then scrub last so nothing added earlier escapes it. */
  readonly enrichAndScrub: readonly string[];
  /** The same for metrics, whose detection may differ by role. */
  readonly enrichAndScrubMetrics: readonly string[];
}

export function generateCollectorConfig(
  environmentName: string,
  profile: EnvironmentProfile,
  role: CollectorRole = 'sidecar',
  options: CollectorConfigOptions = {},
): GeneratedCollectorConfig {
  const settings = COLLECTOR_ROLES[role];
  const tenant = options.tenant;
  if (tenant !== undefined && role !== 'sidecar') {
    throw new Error(`generateCollectorConfig: only a sidecar serves one tenant; the ${role} role takes no tenant`);
  }
  if (tenant !== undefined && profile.tenants?.[tenant] === undefined) {
    throw new Error(
      `generateCollectorConfig: tenant "${tenant}" is not declared in environments.${environmentName}.tenants ` +
        `(declared: ${Object.keys(profile.tenants ?? {}).join(', ') || 'none'})`,
    );
  }
  // A gateway task runs the collector alone, so it gets the whole task; a sidecar its own share.
  const containerMiB =
    role === 'gateway' && profile.gateway !== undefined
      ? profile.gateway.memoryMiB
      : (profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB);
  const memory = collectorMemoryLimits(containerMiB);
  const debug = profile.collector?.debugExporter ?? false;

  // Every role limits memory, labels the environment and scrubs PII with the same settings, so a
  // pipeline debugged locally processes data exactly as the sidecar does.
  const processors: Record<string, ComponentConfig> = {
    [ID.memoryLimiter]: memoryLimiter(memory),
  };
  if (settings.tailSampling) processors[ID.tailSampling] = tailSamplingProcessor(environmentName, profile);
  if (settings.detectResources !== 'none') processors[ID.resourceDetection] = resourceDetection();
  processors[ID.resource] = resourceAttributes(environmentName, profile, role === 'sidecar' ? { tenant } : undefined);
  const identity = role === 'sidecar' ? [ID.serviceIdentity] : [];
  const selfIdentity = role === 'sidecar' ? [ID.selfIdentity] : [];
  if (role === 'sidecar') {
    processors[ID.serviceIdentity] = serviceIdentity();
    processors[ID.selfIdentity] = collectorIdentity();
  }
  processors[ID.dropSecrets] = dropSecrets();
  processors[ID.redactPii] = redactPii();

  const detect = settings.detectResources !== 'none' ? [ID.resourceDetection] : [];
  const detectAll = settings.detectResources === 'all' ? detect : [];
  const shared: SharedProcessorIds = {
    sampling: settings.tailSampling ? [ID.tailSampling] : [],
    detect,
    identity,
    selfIdentity,
    enrichAndScrub: [...detectAll, ID.resource, ...identity, ID.dropSecrets, ID.redactPii],
    enrichAndScrubMetrics: [...detect, ID.resource, ...identity, ID.dropSecrets, ID.redactPii],
  };
  const destination =
    settings.destination === 'local'
      ? localDestination(shared, debug, profile.grafanaCloud.metricNameTranslation)
      : cloudDestination({ environmentName, profile, role, tenant, shared, debug });

  const config: CollectorConfig = {
    receivers: { [ID.otlp]: otlpReceiver(settings), ...destination.receivers },
    processors: { ...processors, ...destination.processors },
    exporters: destination.exporters,
    extensions: {
      [ID.healthCheck]: { endpoint: `${settings.listenHost}:${HEALTH_CHECK_PORT}` },
      ...destination.extensions,
    },
    service: {
      extensions: [ID.healthCheck, ...Object.keys(destination.extensions)],
      pipelines: destination.pipelines,
      telemetry: selfTelemetry(role, settings.destination),
    },
  };
  return {
    environmentName,
    role,
    ...(tenant === undefined ? {} : { tenant }),
    distribution: PINNED_DISTRIBUTION,
    image: collectorImage(profile),
    config: destination.connectors === undefined ? config : { ...config, connectors: destination.connectors },
    environment: [
      goMemLimitVariable(memory),
      ...(role === 'sidecar' ? [serviceNameVariable()] : []),
      ...destination.environment,
    ].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * A Grafana Cloud stack a config exports to: the platform's own, or a tenant's. Each has its own
 * exporter, authenticator and credential variables, so a tenant's token can only ever reach the
 * exporter that sends to that tenant.
 */
interface GrafanaCloudTarget {
  /** The tenant, or undefined for the platform's stack. */
  readonly tenant?: string;
  readonly settings: GrafanaCloudDestination;
  readonly exporterId: string;
  readonly authenticatorId: string;
  readonly instanceIdVariable: string;
  readonly apiKeyVariable: string;
}

function platformTarget(profile: EnvironmentProfile): GrafanaCloudTarget {
  return {
    settings: profile.grafanaCloud,
    exporterId: ID.grafanaCloud,
    authenticatorId: ID.grafanaCloudAuth,
    instanceIdVariable: COLLECTOR_ENV.grafanaCloudInstanceId,
    apiKeyVariable: COLLECTOR_ENV.grafanaCloudApiKey,
  };
}

function tenantTarget(profile: EnvironmentProfile, tenant: string): GrafanaCloudTarget {
  const settings = profile.tenants?.[tenant];
  if (settings === undefined) throw new Error(`tenant "${tenant}" is not declared in the profile's tenants`);
  const name = tenantComponentName(tenant);
  const prefix = tenantVariablePrefix(tenant);
  return {
    tenant,
    settings: settings.grafanaCloud,
    exporterId: `otlp_http/${name}`,
    authenticatorId: `basicauth/${name}`,
    instanceIdVariable: `${prefix}${COLLECTOR_ENV.grafanaCloudInstanceId}`,
    apiKeyVariable: `${prefix}${COLLECTOR_ENV.grafanaCloudApiKey}`,
  };
}

/**
 * The gateway port a sidecar sends its traces to: OTLP/gRPC for platform services, the tenant's
 * own `gatewayPort` for a tenant's services.
 */
export function gatewayPort(profile: EnvironmentProfile, tenant?: string): number {
  if (tenant === undefined) return OTLP_GRPC_PORT;
  const port = profile.tenants?.[tenant]?.gatewayPort;
  if (port === undefined) {
    throw new Error(
      `tenants.${tenant}.gatewayPort: missing. With a gateway tier each tenant needs its own port on the gateway`,
    );
  }
  return port;
}

interface CloudDestinationInput {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
  readonly role: CollectorRole;
  readonly tenant?: string;
  readonly shared: SharedProcessorIds;
  readonly debug: boolean;
}

/**
 * Grafana Cloud for everything, and CloudWatch (awsemf) for the metrics alarms need.
 * - A sidecar exports to one Grafana Cloud stack: its tenant's, or the platform's. With a gateway
 *   in the environment its traces go to the gateway instead, by trace id, so that one gateway task
 *   sees every span of a trace; metrics and logs still go straight to Grafana Cloud.
 * - A gateway receives only traces (and its own metrics). With tenants, it receives each tenant's
 *   traces on that tenant's own port and stamps `tenant.id` from the port (the port, guarded by
 *   security groups, is the identity; the attribute a client sends is not trusted), tail-samples
 *   all ports together, then routes each trace by `tenant.id` to that tenant's stack; traces on
 *   the platform port go to the platform's.
 */
function cloudDestination(input: CloudDestinationInput): DestinationParts {
  const { environmentName, profile, role, tenant, debug } = input;
  const own = tenant === undefined ? platformTarget(profile) : tenantTarget(profile, tenant);
  // Only a gateway serves every tenant; a sidecar serves one destination, its own.
  const tenants = role === 'gateway' ? Object.keys(profile.tenants ?? {}) : [];
  const tenantTargets = tenants.map((name) => tenantTarget(profile, name));
  const targets = [own, ...tenantTargets];

  const exporters: Record<string, ComponentConfig> = {};
  const extensions: Record<string, ComponentConfig> = {};
  // A gateway's queues live on disk: it holds the sampled traces of many services, and a task
  // restarted by its health check or restart policy keeps its ephemeral storage, so its queue.
  const queue = role === 'gateway' && profile.gateway !== undefined ? gatewayQueueSizing(profile.gateway) : undefined;
  if (queue !== undefined) extensions[ID.queueStorage] = queueStorage();
  for (const target of targets) {
    exporters[target.exporterId] = grafanaCloudExporter(target, queue);
    extensions[target.authenticatorId] = basicAuth(target);
  }
  const cloudWatchMetrics = cloudWatchMetricsBySource(role);
  exporters[ID.awsEmf] = awsEmfExporter(environmentName, profile, role, cloudWatchMetricsOf(role));
  // A gateway receives no logs: only sidecars write the audit trail.
  const audit = role !== 'gateway';
  if (audit) exporters[ID.auditLogs] = auditLogsExporter(environmentName, profile);
  const viaGateway = role === 'sidecar' && profile.gateway !== undefined;
  if (viaGateway) exporters[ID.gateway] = gatewayExporter(environmentName, profile, gatewayPort(profile, tenant));
  // One line per record, sampled after the first 10 a second so the collector's own log stays small.
  if (debug) exporters[ID.debug] = { verbosity: 'normal', sampling_initial: 10, sampling_thereafter: 100 };

  const ingress = tenants.length > 0 ? tenantIngress(profile, tenants, own, tenantTargets) : undefined;

  return {
    receivers: { ...ingress?.receivers, [ID.selfTelemetry]: selfTelemetryReceiver() },
    processors: {
      ...ingress?.processors,
      // A gateway receives no service metrics: only its own go to CloudWatch.
      ...(cloudWatchMetrics.services.length > 0
        ? { [ID.cloudWatchFilter]: cloudWatchFilter(cloudWatchMetrics.services) }
        : {}),
      [ID.selfFilter]: selfFilter(),
      [ID.selfCloudWatchFilter]: cloudWatchFilter([...cloudWatchMetrics.self, COLLECTOR_HEARTBEAT_METRIC]),
      [ID.cloudWatchDimensions]: cloudWatchDimensions(),
      [ID.heartbeatDimension]: heartbeatDimension(),
      [ID.sourceToken]: sourceToken(),
      [ID.cumulativeToDelta]: {},
      [ID.deltaToCumulative]: deltaToCumulative(),
      ...(audit ? { [ID.auditFilter]: auditFilter() } : {}),
    },
    exporters,
    extensions,
    ...(ingress === undefined ? {} : { connectors: ingress.connectors }),
    pipelines: cloudPipelines({ ...input, own, tenantTargets, tenants, viaGateway }),
    environment: [...targets.flatMap(grafanaCloudVariables), sourceTokenVariable()],
  };
}

interface CloudPipelineInput extends CloudDestinationInput {
  readonly own: GrafanaCloudTarget;
  readonly tenantTargets: readonly GrafanaCloudTarget[];
  /** The tenants a gateway serves (their ids); empty for other roles. */
  readonly tenants: readonly string[];
  readonly viaGateway: boolean;
}

/** `otlp/tenant-acme-corp`: the gateway receiver on a tenant's own port. */
function tenantReceiverId(tenant: string): string {
  return `otlp/${tenantComponentName(tenant)}`;
}

/** `resource/tenant-acme-corp`: stamps the tenant of the port the traces came in on. */
function tenantIngressProcessorId(tenant: string): string {
  return `resource/${tenantComponentName(tenant)}`;
}

/**
 * A gateway's way in for tenants: a receiver per tenant port, a processor per port that decides
 * `tenant.id` (deleted on the platform port, the port's tenant on a tenant port), the connector
 * that brings every port to the one tail sampler, and the routing connector after it.
 */
function tenantIngress(
  profile: EnvironmentProfile,
  tenants: readonly string[],
  platform: GrafanaCloudTarget,
  tenantTargets: readonly GrafanaCloudTarget[],
): Pick<Required<DestinationParts>, 'receivers' | 'processors' | 'connectors'> {
  const receivers: Record<string, ComponentConfig> = {};
  const processors: Record<string, ComponentConfig> = {
    [ID.noTenant]: { attributes: [{ key: TENANT_ATTRIBUTE, action: 'delete' }] },
  };
  for (const tenant of tenants) {
    receivers[tenantReceiverId(tenant)] = {
      protocols: { grpc: { endpoint: `0.0.0.0:${gatewayPort(profile, tenant)}` } },
    };
    processors[tenantIngressProcessorId(tenant)] = {
      attributes: [{ key: TENANT_ATTRIBUTE, value: tenant, action: 'upsert' }],
    };
  }
  return {
    receivers,
    processors,
    connectors: { [ID.toSampling]: {}, [ID.tenantRouting]: tenantRouting(platform, tenantTargets) },
  };
}

function cloudPipelines(input: CloudPipelineInput): { readonly [id: string]: PipelineConfig } {
  // Order: refuse data first when memory is short, then drop (sampling, filtering), then enrich,
  // then scrub last so nothing added earlier escapes it. Batching happens in the exporters.
  const { shared, debug, own, tenantTargets, tenants, viaGateway, role } = input;
  const { sampling, detect, enrichAndScrub, enrichAndScrubMetrics } = shared;
  const withDebug = (exporter: string) => (debug ? [exporter, ID.debug] : [exporter]);
  const routed = tenants.length > 0;
  const traceExporter = viaGateway ? ID.gateway : routed ? ID.tenantRouting : own.exporterId;
  // Every list is a fresh array: pipelines share no objects, so editing one never edits another.
  const pipelines: Record<string, PipelineConfig> = {
    traces: routed
      ? // Platform clients' port: whatever tenant.id they claim, their traces are the platform's.
        { receivers: [ID.otlp], processors: [ID.memoryLimiter, ID.noTenant], exporters: [ID.toSampling] }
      : {
          receivers: [ID.otlp],
          processors: [ID.memoryLimiter, ...sampling, ...enrichAndScrub],
          exporters: withDebug(traceExporter),
        },
    // Each metrics pipeline converts temporality last, for its backend, so the SDK may send either:
    // Grafana Cloud (Prometheus-compatible) stores cumulative series; awsemf turns cumulative sums
    // into deltas itself but sends histograms as they arrive, so they must already be deltas.
    // Both processors pass through what already has the wanted temporality.
  };
  // A gateway receives traces only (its own metrics come on its self-telemetry path): sidecars send it nothing else.
  if (role !== 'gateway') {
    pipelines.metrics = {
      receivers: [ID.otlp],
      processors: [ID.memoryLimiter, ...enrichAndScrubMetrics, ID.deltaToCumulative],
      exporters: withDebug(own.exporterId),
    };
    // The same metrics again, cut down to what CloudWatch alarms need.
    pipelines['metrics/cloudwatch'] = {
      receivers: [ID.otlp],
      processors: [
        ID.memoryLimiter,
        ID.cloudWatchFilter,
        ...detect,
        // The dimension is copied from service.name: only after the sidecar has set it from the task.
        ...shared.identity,
        ID.cloudWatchDimensions,
        ID.dropSecrets,
        ID.redactPii,
        ID.sourceToken,
        ID.cumulativeToDelta,
      ],
      exporters: [ID.awsEmf],
    };
    pipelines.logs = {
      receivers: [ID.otlp],
      processors: [ID.memoryLimiter, ...enrichAndScrub],
      exporters: withDebug(own.exporterId),
    };
    // The same records again, cut down to the audit events, for the audit log group: filtered
    // first, then enriched and scrubbed like every log record (lib/logs/audit.ts).
    pipelines['logs/audit'] = {
      receivers: [ID.otlp],
      processors: [ID.memoryLimiter, ID.auditFilter, ...enrichAndScrub],
      exporters: [ID.auditLogs],
    };
  }
  // The collector's own metrics on a path of their own, without the memory limiter: under memory
  // pressure it refuses data first, and these are what show the pressure (and that the collector
  // is alive). They are one push a minute of a few hundred points, so they cannot be what fills
  // the heap; the filter keeps anything but the collector's own metrics off this path.
  pipelines['metrics/self'] = {
    receivers: [ID.selfTelemetry],
    processors: [
      ID.selfFilter,
      // Before detection: it removes the task family a sender may claim, so the detector's is the one kept.
      ...shared.selfIdentity,
      ...detect,
      ID.resource,
      ID.dropSecrets,
      ID.redactPii,
      ID.deltaToCumulative,
    ],
    exporters: [own.exporterId],
  };
  // The same metrics cut down to CloudWatch's: the failure counters and the heartbeat, whose
  // dimension is the ECS task family, so each service has one heartbeat series.
  pipelines['metrics/self-cloudwatch'] = {
    receivers: [ID.selfTelemetry],
    processors: [
      ID.selfCloudWatchFilter,
      ...shared.selfIdentity,
      ...detect,
      ID.cloudWatchDimensions,
      ID.heartbeatDimension,
      ID.dropSecrets,
      ID.redactPii,
      ID.sourceToken,
      ID.cumulativeToDelta,
    ],
    exporters: [ID.awsEmf],
  };
  if (routed) {
    // Each tenant's own port: its traces are that tenant's, whatever tenant.id they carry. The
    // security groups let only the tenant's tasks reach its port, so the port is the identity.
    for (const tenant of tenants) {
      pipelines[`traces/from-${tenantComponentName(tenant)}`] = {
        receivers: [tenantReceiverId(tenant)],
        processors: [ID.memoryLimiter, tenantIngressProcessorId(tenant)],
        exporters: [ID.toSampling],
      };
    }
    // One tail sampler for every port. A trace that crosses tenants is still decided per part once
    // there are several gateway tasks: sidecars hash trace ids onto address:port, and the ports differ.
    pipelines['traces/sampling'] = {
      receivers: [ID.toSampling],
      processors: [...sampling, ...enrichAndScrub],
      exporters: withDebug(ID.tenantRouting),
    };
    // After the routing connector: one pipeline per destination, nothing to process any more.
    for (const target of [own, ...tenantTargets]) {
      pipelines[routedTracesPipeline(target)] = { receivers: [ID.tenantRouting], exporters: [target.exporterId] };
    }
  }
  return pipelines;
}

/** `traces/platform`, `traces/tenant-acme-corp`: the pipeline after the routing connector. */
function routedTracesPipeline(target: GrafanaCloudTarget): string {
  return `traces/${target.tenant === undefined ? 'platform' : tenantComponentName(target.tenant)}`;
}

/**
 * Routes each trace by the `tenant.id` resource attribute, which the gateway stamped from the port
 * the trace arrived on: a tenant's traces to that tenant's pipeline only, everything else,
 * including an unknown tenant id, to the platform's. Exact string equality, so no tenant id can
 * match another's route.
 */
function tenantRouting(platform: GrafanaCloudTarget, tenants: readonly GrafanaCloudTarget[]): ComponentConfig {
  return {
    default_pipelines: [routedTracesPipeline(platform)],
    error_mode: 'propagate',
    table: tenants.map((target) => ({
      context: 'resource',
      condition: `resource.attributes[${ottlString(TENANT_ATTRIBUTE)}] == ${ottlString(target.tenant ?? '')}`,
      pipelines: [routedTracesPipeline(target)],
    })),
  };
}

/**
 * The local debugging stack (collector-config/local): traces to Jaeger, metrics to a Prometheus
 * scrape endpoint, logs to the console. The same processors in the same order as the cloud
 * pipelines; only the exporters differ, and none needs a credential.
 */
function localDestination(
  shared: SharedProcessorIds,
  debug: boolean,
  metricNameTranslation: EnvironmentProfile['grafanaCloud']['metricNameTranslation'],
): DestinationParts {
  const { sampling, enrichAndScrub } = shared;
  // Traces and metrics also go to the console when the profile asks for it, as in the cloud.
  const withDebug = (exporter: string) => (debug ? [exporter, ID.debug] : [exporter]);
  return {
    processors: { [ID.deltaToCumulative]: deltaToCumulative() },
    exporters: {
      // Jaeger v2 takes OTLP natively; inside the Compose network it is plain gRPC.
      [ID.jaeger]: { endpoint: `${LOCAL_JAEGER_HOST}:${OTLP_GRPC_PORT}`, tls: { insecure: true } },
      // All resource attributes become labels, so service_name, service_namespace and
      // deployment_environment_name are on every series, as Grafana Cloud's queries expect.
      // The exporter names series with its own translation_strategy (default: with suffixes):
      // set to the profile's, local Prometheus stores the names the generated queries use.
      [ID.prometheus]: {
        endpoint: `0.0.0.0:${LOCAL_PROMETHEUS_EXPORTER_PORT}`,
        resource_to_telemetry_conversion: { enabled: true },
        translation_strategy: metricNameTranslation,
      },
      // The console is where logs are read locally: one line per record, none sampled away.
      [ID.debug]: { verbosity: 'normal' },
    },
    extensions: {},
    pipelines: {
      traces: {
        receivers: [ID.otlp],
        processors: [ID.memoryLimiter, ...sampling, ...enrichAndScrub],
        exporters: withDebug(ID.jaeger),
      },
      // Prometheus stores cumulative series, like Grafana Cloud: the same conversion, last.
      metrics: {
        receivers: [ID.otlp],
        processors: [ID.memoryLimiter, ...enrichAndScrub, ID.deltaToCumulative],
        exporters: withDebug(ID.prometheus),
      },
      logs: { receivers: [ID.otlp], processors: [ID.memoryLimiter, ...enrichAndScrub], exporters: [ID.debug] },
    },
    environment: [],
  };
}

function otlpReceiver(settings: CollectorRoleSettings): ComponentConfig {
  return {
    protocols: {
      grpc: { endpoint: `${settings.listenHost}:${OTLP_GRPC_PORT}` },
      http: { endpoint: `${settings.listenHost}:${OTLP_HTTP_PORT}` },
    },
  };
}

/**
 * The receiver of the collector's own metrics: OTLP/HTTP on localhost only, outside the memory
 * limiter. The application containers of a sidecar's task share localhost and could send here too,
 * so the request size is capped (a push of self-metrics is a few tens of KiB) and the pipelines
 * behind it keep only `otelcol_*` metrics.
 */
function selfTelemetryReceiver(): ComponentConfig {
  return {
    protocols: { http: { endpoint: `localhost:${SELF_TELEMETRY_PORT}`, max_request_body_size: 4 * 1024 * 1024 } },
  };
}

/** Lets only the collector's own metrics through its self-telemetry path. */
function selfFilter(): ComponentConfig {
  return {
    error_mode: 'ignore',
    metric_conditions: [
      { context: 'metric', conditions: [collectorLiteral(`not IsMatch(metric.name, ${ottlString('^otelcol_')})`)] },
    ],
  };
}

/** Puts the ECS task family (from resource detection) on the heartbeat's data points, its CloudWatch dimension. */
function heartbeatDimension(): ComponentConfig {
  const dimension = ottlString(HEARTBEAT_DIMENSION);
  return {
    error_mode: 'ignore',
    metric_statements: [
      {
        context: 'datapoint',
        statements: [
          `set(datapoint.attributes[${dimension}], resource.attributes[${dimension}]) ` +
            `where metric.name == ${ottlString(COLLECTOR_HEARTBEAT_METRIC.name)}`,
        ],
      },
    ],
  };
}

/**
 * The file_storage extension behind the gateway's persistent queues. Compaction on start and on
 * rebound gives back the disk a drained queue still holds (bbolt files do not shrink), in the same
 * directory: the root filesystem is read-only.
 */
function queueStorage(): ComponentConfig {
  return {
    directory: QUEUE_STORAGE_DIRECTORY,
    timeout: '1s',
    compaction: { on_start: true, on_rebound: true, directory: QUEUE_STORAGE_DIRECTORY },
  };
}

function memoryLimiter(memory: CollectorMemoryLimits): ComponentConfig {
  return { check_interval: '1s', limit_mib: memory.limitMiB, spike_limit_mib: memory.spikeLimitMiB };
}

function resourceDetection(): ComponentConfig {
  // `env` reads OTEL_RESOURCE_ATTRIBUTES; `ecs` adds cloud.* and aws.ecs.* from the task metadata
  // endpoint. override false: what the SDK already set (service.name) wins.
  return { detectors: ['env', 'ecs'], timeout: '2s', override: false };
}

/**
 * The environment's labels on every resource. A sidecar also owns `tenant.id`: it stamps its
 * service's tenant, or removes the attribute from a platform service's telemetry, so an
 * application can never route its data into a tenant's stack by setting the attribute itself.
 */
function resourceAttributes(
  environmentName: string,
  profile: EnvironmentProfile,
  sidecar?: { readonly tenant?: string },
): ComponentConfig {
  const tenantAttribute =
    sidecar === undefined
      ? []
      : sidecar.tenant === undefined
        ? [{ key: TENANT_ATTRIBUTE, action: 'delete' }]
        : [{ key: TENANT_ATTRIBUTE, value: sidecar.tenant, action: 'upsert' }];
  return {
    attributes: [
      { key: 'deployment.environment.name', value: environmentName, action: 'upsert' },
      { key: 'project', value: profile.project, action: 'upsert' },
      { key: 'service.namespace', value: profile.project, action: 'upsert' },
      // Every task needs its own series identity (Mimir's `instance` label): without it the
      // series of two tasks of a service collide. `insert` keeps an id the SDK already set.
      { key: 'service.instance.id', from_attribute: 'aws.ecs.task.id', action: 'insert' },
      ...tenantAttribute,
    ],
  };
}

/**
 * A sidecar decides whose telemetry it forwards: `service.name` becomes the task's service, which
 * the construct sets on the collector container (`OBSERVED_SERVICE_NAME`); what the application
 * put in OTEL_SERVICE_NAME or its resource does not count. Alarms, dashboards and routing read
 * `service.name`, so without this an application could report as any other service.
 *
 * The collector's own telemetry arrives on a receiver of its own (`otlp/self`), whose pipelines
 * name it `otelcol-contrib` instead (collectorIdentity): so nothing the application sends to the
 * application's receiver can claim the collector's name, which the collector-tier alerts and
 * dashboards group by. README, "A task speaks only for itself".
 */
function serviceIdentity(): ComponentConfig {
  const serviceName = 'resource.attributes["service.name"]';
  return {
    error_mode: 'propagate',
    metric_statements: [identityStatements('resource', serviceName)],
    trace_statements: [identityStatements('resource', serviceName)],
    log_statements: [identityStatements('resource', serviceName)],
  };
}

function identityStatements(context: OttlContext, serviceName: string) {
  return { context, statements: [`set(${serviceName}, ${ottlString(envReference(COLLECTOR_ENV.serviceName))})`] };
}

/**
 * A sidecar's self-telemetry path names what it carries as the collector, whatever the sender
 * claimed: the receiver listens on the task's localhost, which the application shares, so the path,
 * not the claim, decides the name (and the filter before it lets only `otelcol_` metrics through).
 */
function collectorIdentity(): ComponentConfig {
  return {
    error_mode: 'propagate',
    metric_statements: [
      {
        context: 'resource',
        statements: [
          `set(resource.attributes["service.name"], ${ottlString(COLLECTOR_SERVICE_NAME)})`,
          // The heartbeat's dimension: resource detection (override false) then sets the task's own.
          `delete_key(resource.attributes, ${ottlString(HEARTBEAT_DIMENSION)})`,
        ],
      },
    ],
  };
}

/**
 * PII, step 1: drop attributes whose key names a credential (Authorization headers, cookies,
 * passwords, tokens, API keys). The redaction processor cannot drop a key without an allow-list of
 * every other key, so this is the transform processor's `delete_matching_keys`.
 *
 * One group per level, each naming its context: a flat list runs as one group at the lowest context
 * of its paths (`spanevent` for traces), so a span without events, and its resource, would keep
 * their secrets (ottl-contexts.ts). Scope attributes get a group too: the redaction processor does
 * not read them.
 */
function dropSecrets(): ComponentConfig {
  const keyPattern = collectorLiteral(ottlString(SENSITIVE_KEY_PATTERN.pattern));
  const drop = (context: OttlContext) => ({
    context,
    statements: [`delete_matching_keys(${context}.attributes, ${keyPattern})`],
  });
  return {
    error_mode: 'ignore',
    trace_statements: (['resource', 'scope', 'span', 'spanevent'] as const).map(drop),
    metric_statements: (['resource', 'scope', 'datapoint'] as const).map(drop),
    log_statements: (['resource', 'scope', 'log'] as const).map(drop),
  };
}

/**
 * PII, step 2: mask personal data and credentials inside values. The redaction processor applies
 * one list of patterns to resource, span, span-event, log and data-point attributes and to log
 * bodies, including nested maps of structured bodies, which transform statements would need one
 * statement per pattern and target to reach. `allow_all_keys` keeps every other attribute;
 * `summary: info` adds only a count of masked values, never the keys.
 */
function redactPii(): ComponentConfig {
  return {
    allow_all_keys: true,
    // The tenant id routes data between tenants' stacks: a value pattern must never mask it (an id
    // such as t-212-555-0100 reads as a phone number), or its data would fall to the platform.
    ignored_keys: [TENANT_ATTRIBUTE],
    blocked_key_patterns: [collectorLiteral(SENSITIVE_KEY_PATTERN.pattern)],
    blocked_values: PII_VALUE_PATTERNS.map((pattern) => collectorLiteral(pattern.pattern)),
    summary: 'info',
  };
}

/** Keeps only the metrics CloudWatch alarms need (conditions say what to drop). */
function cloudWatchFilter(metrics: readonly CloudWatchMetric[]): ComponentConfig {
  const names = metrics.map((metric) => escapeRegex(metric.name)).join('|');
  return {
    error_mode: 'ignore',
    metric_conditions: [
      {
        context: 'metric',
        conditions: [collectorLiteral(`not IsMatch(metric.name, ${ottlString(`^(?:${names})$`)})`)],
      },
    ],
  };
}

/**
 * Keeps only audit records (a matching condition drops the record). `ignore`: a condition that
 * errors keeps the record, so an audit record is never lost to an evaluation error; the nil
 * comparison cannot error, whatever the attribute holds.
 */
function auditFilter(): ComponentConfig {
  return {
    error_mode: 'ignore',
    log_conditions: [{ context: 'log', conditions: [collectorLiteral(DROP_UNLESS_AUDIT)] }],
  };
}

/**
 * The environment's audit log group, one stream per service (the task role may write its own
 * service's stream only). The stack creates the group, with its retention, key and deletion
 * protection, so the exporter sets none of them (log_retention stays unset).
 */
function auditLogsExporter(environmentName: string, profile: EnvironmentProfile): ComponentConfig {
  return {
    region: profile.region,
    log_group_name: auditLogGroupName(profile.project, environmentName),
    log_stream_name: envReference(COLLECTOR_ENV.serviceName),
  };
}

/** Copies the SDK's service.name onto each data point: awsemf only turns data-point attributes into dimensions. */
function cloudWatchDimensions(): ComponentConfig {
  return {
    error_mode: 'ignore',
    metric_statements: [
      {
        context: 'datapoint',
        statements: [
          `set(datapoint.attributes[${ottlString(CLOUDWATCH_SERVICE_DIMENSION)}], resource.attributes["service.name"])`,
        ],
      },
    ],
  };
}

/**
 * Stamps the environment's source token on every data point bound for CloudWatch, overwriting
 * whatever the sender put there. Only the CloudWatch pipelines run it, last before the temporality
 * conversion: after the scrubbers (whose key pattern would drop a key ending in "token"), and so
 * the token reaches awsemf and nothing else: not Grafana Cloud, not the debug exporter, not logs
 * or traces (a processor that mutates data gets its own copy of what a shared receiver fans out).
 */
function sourceToken(): ComponentConfig {
  return {
    error_mode: 'propagate',
    metric_statements: [
      {
        context: 'datapoint',
        statements: [
          `set(datapoint.attributes[${ottlString(SOURCE_TOKEN_DIMENSION)}], ${ottlString(envReference(COLLECTOR_ENV.sourceToken))})`,
        ],
      },
    ],
  };
}

/**
 * Batching is exporter-side (`sending_queue.batch`), not the `batch` processor: upstream is
 * retiring the processor (it drops errors, returns before the export ends, runs one export at a
 * time) in favour of the exporterhelper queue, whose batch settings in v0.159 are `flush_timeout`,
 * `min_size`, `max_size` and `sizer`. Sizes count items (spans, data points, log records).
 */
function grafanaCloudExporter(target: GrafanaCloudTarget, persistent?: GatewayQueueSizing): ComponentConfig {
  const batch = { flush_timeout: '1s', min_size: 2_000, max_size: 8_000 };
  if (persistent === undefined) {
    return {
      endpoint: target.settings.otlpEndpoint,
      auth: { authenticator: target.authenticatorId },
      sending_queue: {
        sizer: 'items',
        // About 10-20 MB of telemetry at 1-2 KiB per item: rides out a short Grafana Cloud outage
        // well below the memory limit.
        queue_size: 10_000,
        batch,
      },
    };
  }
  // On disk (the gateway): sized for backendOutageMinutes of what a task sends at its cpu target,
  // and each batch retried for as long, so a batch is not given up while the queue still waits.
  return {
    endpoint: target.settings.otlpEndpoint,
    auth: { authenticator: target.authenticatorId },
    sending_queue: { sizer: 'items', queue_size: persistent.queueItems, storage: ID.queueStorage, batch },
    retry_on_failure: { enabled: true, max_elapsed_time: `${persistent.outageMinutes}m` },
  };
}

function basicAuth(target: GrafanaCloudTarget): ComponentConfig {
  return {
    client_auth: { username: envReference(target.instanceIdVariable), password: envReference(target.apiKeyVariable) },
  };
}

/**
 * The sidecar's way to the gateway tier: the `load_balancing` exporter hashes each span's trace id
 * onto the gateway tasks it finds in Cloud Map, so all spans of a trace reach the same task. The
 * queue and retries sit on the load_balancing exporter itself: a batch that fails because its
 * task went away is retried and re-routed to the task that now owns the trace id, whereas a queue
 * in the per-task sub-exporter would keep retrying the task that is gone.
 */
function gatewayExporter(environmentName: string, profile: EnvironmentProfile, port: number): ComponentConfig {
  return {
    routing_key: 'traceID',
    protocol: {
      otlp: {
        // Inside the VPC, from task to task; the security group admits only observed services' tasks.
        tls: { insecure: true },
        timeout: '5s',
        sending_queue: { enabled: false },
        retry_on_failure: { enabled: false },
      },
    },
    resolver: {
      aws_cloud_map: {
        namespace: gatewayNamespaceName(profile.project, environmentName),
        service_name: GATEWAY_SERVICE_NAME,
        // Tasks register their address only; the resolver adds the port: the platform's OTLP/gRPC
        // port, or the tenant's own port on the gateway.
        port,
        // ECS reports a task's health to Cloud Map (a custom health check), from the gateway
        // container's health check on its health endpoint; should every task read unhealthy,
        // sending to all beats sending to none.
        health_status: 'HEALTHY_OR_ELSE_ALL',
        interval: '15s',
        timeout: '5s',
      },
    },
    timeout: '10s',
    retry_on_failure: { enabled: true, initial_interval: '1s', max_interval: '10s', max_elapsed_time: '60s' },
    sending_queue: { enabled: true, sizer: 'items', queue_size: 10_000 },
  };
}

/**
 * CloudWatch gets its metrics as EMF log events (awsemf), not through CloudWatch's OTLP endpoint
 * with SigV4: alarms on EMF metrics are ordinary metric alarms (no PromQL alarms, whose CDK support
 * is L1-only), EMF carries exponential histograms as values and counts so p95 works, and the cost
 * is a few log events per minute for three metrics instead of per-series OTLP ingestion.
 * awsemf has no `sending_queue`; it batches PutLogEvents calls itself.
 */
function awsEmfExporter(
  environmentName: string,
  profile: EnvironmentProfile,
  role: CollectorRole,
  metrics: readonly CloudWatchMetric[],
): ComponentConfig {
  return {
    region: profile.region,
    namespace: cloudWatchNamespace(profile.project, environmentName),
    log_group_name: awsEmfLogGroup(environmentName, profile, role),
    log_stream_name: '{TaskId}',
    dimension_rollup_option: 'NoDimensionRollup',
    metric_declarations: [
      {
        // A set is written only when the data point has every dimension of it (awsemf's
        // ExtractDimensions), and the CloudWatch pipelines stamp the token on every point.
        dimensions: [[CLOUDWATCH_SERVICE_DIMENSION, SOURCE_TOKEN_DIMENSION]],
        metric_name_selectors: metrics.map((metric) => collectorLiteral(`^${escapeRegex(metric.name)}$`)),
      },
      {
        dimensions: [[HEARTBEAT_DIMENSION, SOURCE_TOKEN_DIMENSION]],
        metric_name_selectors: [collectorLiteral(`^${escapeRegex(COLLECTOR_HEARTBEAT_METRIC.name)}$`)],
      },
    ],
  };
}

/**
 * A sidecar writes to its service's own EMF log group (the only one its task role may write); the
 * gateway, with a role of its own, to the environment's.
 */
export function awsEmfLogGroup(environmentName: string, profile: EnvironmentProfile, role: CollectorRole): string {
  return role === 'sidecar'
    ? serviceEmfLogGroupName(profile.project, environmentName, envReference(COLLECTOR_ENV.serviceName))
    : emfLogGroupName(profile.project, environmentName);
}

/**
 * The collector's own metrics (otelcol_exporter_send_failed_*, otelcol_processor_* outcomes,
 * queue sizes, uptime) are pushed to its own OTLP receiver. A cloud collector pushes them to a
 * receiver of their own (SELF_TELEMETRY_PORT), whose pipelines have no memory limiter; the local
 * stack to its ordinary one. The default pull reader on :8888 would need a scraper.
 */
function selfTelemetry(role: CollectorRole, destination: CollectorDestination): ComponentConfig {
  const port = destination === 'cloud' ? SELF_TELEMETRY_PORT : OTLP_HTTP_PORT;
  return {
    // A gateway names its own telemetry, so its CloudWatch metrics and alarms stay apart from the
    // sidecars' (which keep the distribution's default, otelcol-contrib).
    ...(role === 'gateway' ? { resource: { 'service.name': GATEWAY_TELEMETRY_SERVICE_NAME } } : {}),
    logs: { level: 'info', encoding: 'json' },
    metrics: {
      level: 'normal',
      readers: [
        {
          periodic: {
            interval: 60_000,
            exporter: {
              otlp: { protocol: 'http/protobuf', endpoint: `http://localhost:${port}/v1/metrics` },
            },
          },
        },
      ],
    },
  };
}

/** Bounds the memory of the conversion: one stream per metric and attribute set of one task's services. */
function deltaToCumulative(): ComponentConfig {
  return { max_stale: '5m', max_streams: 10_000 };
}

function goMemLimitVariable(memory: CollectorMemoryLimits): CollectorEnvironmentVariable {
  return {
    name: COLLECTOR_ENV.goMemLimit,
    secret: false,
    value: memory.goMemLimit,
    readBy: 'runtime',
    description: `the Go runtime's soft memory limit: 80 % of the ${memory.containerMiB} MiB collector container`,
  };
}

function serviceNameVariable(): CollectorEnvironmentVariable {
  return {
    name: COLLECTOR_ENV.serviceName,
    secret: false,
    perTask: 'serviceName',
    readBy: 'config',
    description:
      "the service the task runs: the sidecar stamps it as service.name and writes to that service's EMF log group",
  };
}

function sourceTokenVariable(): CollectorEnvironmentVariable {
  return {
    name: COLLECTOR_ENV.sourceToken,
    secret: true,
    platformSecret: 'sourceToken',
    readBy: 'config',
    description:
      "the environment's source token, a dimension of every CloudWatch metric the alarms read: without it an " +
      "EMF event cannot add to those series (README, 'A task speaks only for itself')",
  };
}

function grafanaCloudVariables(target: GrafanaCloudTarget): CollectorEnvironment {
  const whose = target.tenant === undefined ? 'the platform' : `tenant ${target.tenant}`;
  return [
    {
      name: target.apiKeyVariable,
      secret: true,
      ssmParameterName: target.settings.apiKeyParameterName,
      ...(target.settings.parameterKeyArn === undefined ? {} : { ssmParameterKeyArn: target.settings.parameterKeyArn }),
      readBy: 'config',
      description: `the Grafana Cloud access-policy token (glc_...) of ${whose}, the Basic auth password of its OTLP gateway`,
    },
    {
      name: target.instanceIdVariable,
      secret: false,
      value: target.settings.instanceId,
      readBy: 'config',
      description: `the numeric Grafana Cloud instance id of ${whose}, the Basic auth user of its OTLP gateway`,
    },
  ];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
