/**
 * The metrics the services emit (design section 3.3) and the collectors report about themselves,
 * each stated as the SDK or the collector creates the instrument: its OTel name, kind and UCUM
 * unit. One catalogue for alert rules, dashboards, the CloudWatch metrics and the cost estimate,
 * so a query can only name a metric that exists.
 *
 * The Prometheus series names are not written here: lib/metrics/series-names.ts derives them with
 * the OTLP translator's rules (lib/metrics/otlp-translator.ts) under the environment's strategy,
 * so a unit here (`s` -> `_seconds`) decides the names every query uses.
 *
 * Units are UCUM, as the OTel semantic conventions ask: `s`, `By`, `1`, and a count of things as
 * an annotation in braces (`{request}`), which the translator does not append to the name. The
 * collector's own metrics take name, kind and unit from upstream's metadata.yaml at the pinned
 * v0.159.0 (opentelemetry-collector service, exporter/exporterhelper, receiver/receiverhelper,
 * processor/processorhelper; contrib processor/tailsamplingprocessor), where the generated code
 * prefixes each name with `otelcol_`.
 */

/**
 * The instrument: `counter` is a monotonic sum (Prometheus counter, `_total`), `updowncounter` a
 * non-monotonic sum and `gauge` a gauge (both Prometheus gauges), `histogram` gives `_bucket`,
 * `_sum` and `_count` series.
 */
export type InstrumentKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

export interface CatalogueMetric {
  /** The name the SDK or the collector gives the instrument. */
  readonly otelName: string;
  readonly kind: InstrumentKind;
  /** Data-point labels, as Prometheus sees them (escaped attribute names). */
  readonly labels: readonly string[];
  /** UCUM, as the instrument declares it. */
  readonly unit: string;
  readonly description: string;
  /** Who emits it: every service, every collector (sidecars and gateway), or the gateway tier only. */
  readonly source: 'service' | 'collector' | 'gateway';
}

/** Labels Mimir adds to every series from the resource attributes (service.name -> service_name, …). */
export const RESOURCE_LABELS = ['service_name', 'service_namespace', 'deployment_environment_name', 'job', 'instance'];

/** The item kinds of the collector's pipeline counters and their units (receiverhelper, exporterhelper). */
export const COLLECTOR_ITEM_KINDS = [
  { items: 'spans', unit: '{span}' },
  { items: 'metric_points', unit: '{datapoint}' },
  { items: 'log_records', unit: '{record}' },
] as const;

export const METRIC_CATALOGUE: readonly CatalogueMetric[] = [
  // HTTP infrastructure (design 3.3)
  {
    otelName: 'request_count',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'method', 'status_code', 'api_version'],
    unit: '{request}',
    description: 'HTTP requests handled',
    source: 'service',
  },
  {
    otelName: 'request_duration_seconds',
    kind: 'histogram',
    labels: ['service_name', 'endpoint', 'method'],
    unit: 's',
    description: 'HTTP request duration',
    source: 'service',
  },
  {
    otelName: 'request_errors_total',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'method', 'error_type', 'status_code'],
    unit: '{error}',
    description: 'HTTP request errors by type',
    source: 'service',
  },
  {
    otelName: 'active_requests',
    kind: 'updowncounter',
    labels: ['service_name', 'endpoint'],
    unit: '{request}',
    description: 'requests in flight',
    source: 'service',
  },
  // Business (design 3.3)
  {
    otelName: 'api_key_usage_total',
    kind: 'counter',
    labels: ['api_key_id', 'client_name', 'service_name', 'endpoint', 'success'],
    unit: '{request}',
    description: 'API key usage',
    source: 'service',
  },
  {
    otelName: 'endpoint_usage_total',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'api_version', 'user_segment'],
    unit: '{request}',
    description: 'endpoint popularity',
    source: 'service',
  },
  {
    otelName: 'user_activity_total',
    kind: 'counter',
    labels: ['user_id', 'activity_type', 'service_name', 'session_id'],
    unit: '{event}',
    description: 'user activity events',
    source: 'service',
  },
  {
    otelName: 'workflow_success_rate',
    kind: 'histogram',
    labels: ['workflow_type', 'complexity_level'],
    unit: '1',
    description: 'workflow execution success rate (1 success, 0 failure per execution)',
    source: 'service',
  },
  {
    otelName: 'workflow_execution_duration',
    kind: 'histogram',
    labels: ['workflow_type'],
    unit: 's',
    description: 'end-to-end workflow execution time (design 6.5)',
    source: 'service',
  },
  {
    otelName: 'workflow_failures_total',
    kind: 'counter',
    labels: ['workflow_type', 'error_category'],
    unit: '{workflow}',
    description: 'failed workflow executions (design 6.5)',
    source: 'service',
  },
  // AI (design 3.3, 6.5)
  {
    otelName: 'ai_requests_total',
    kind: 'counter',
    labels: ['model', 'provider', 'environment'],
    unit: '{request}',
    description: 'AI model requests',
    source: 'service',
  },
  {
    otelName: 'ai_tokens_total',
    kind: 'counter',
    labels: ['model', 'token_type', 'environment'],
    unit: '{token}',
    description: 'AI tokens, token_type input or output',
    source: 'service',
  },
  {
    otelName: 'ai_cost_total',
    kind: 'counter',
    labels: ['model', 'environment'],
    // UCUM has no currency unit. `USD` would be taken as an unknown unit and appended
    // (`ai_cost_USD_total`); the annotation `{USD}` keeps the currency in the metric's metadata
    // for a reader and adds nothing to the name, as for any count of things.
    unit: '{USD}',
    description: 'AI cost in US dollars',
    source: 'service',
  },
  {
    otelName: 'ai_errors_total',
    kind: 'counter',
    labels: ['model', 'provider', 'error_type'],
    unit: '{error}',
    description: 'AI API errors (design 6.5)',
    source: 'service',
  },
  {
    otelName: 'ai_model_duration',
    kind: 'histogram',
    labels: ['model', 'provider'],
    unit: 's',
    description: 'AI model response time (design 6.5)',
    source: 'service',
  },
  // The collector's own telemetry (service.telemetry.metrics, level normal); units per item kind
  // from upstream's metadata.yaml.
  ...COLLECTOR_ITEM_KINDS.flatMap(({ items, unit }): CatalogueMetric[] => [
    {
      otelName: `otelcol_receiver_accepted_${items}`,
      kind: 'counter',
      labels: ['receiver', 'transport'],
      unit,
      description: `${items} the receiver accepted`,
      source: 'collector',
    },
    {
      otelName: `otelcol_receiver_refused_${items}`,
      kind: 'counter',
      labels: ['receiver', 'transport'],
      unit,
      description: `${items} the receiver refused (memory limiter or a full pipeline)`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_sent_${items}`,
      kind: 'counter',
      labels: ['exporter'],
      unit,
      description: `${items} the exporter sent`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_send_failed_${items}`,
      kind: 'counter',
      labels: ['exporter'],
      unit,
      description: `${items} the exporter failed to send after retries`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_enqueue_failed_${items}`,
      kind: 'counter',
      labels: ['exporter'],
      unit,
      description: `${items} dropped because the sending queue was full`,
      source: 'collector',
    },
  ]),
  {
    otelName: 'otelcol_processor_incoming_items',
    kind: 'counter',
    labels: ['processor', 'otel_signal'],
    unit: '{item}',
    description: 'items that entered a processor',
    source: 'collector',
  },
  {
    otelName: 'otelcol_processor_outgoing_items',
    kind: 'counter',
    labels: ['processor', 'otel_signal'],
    unit: '{item}',
    description: 'items that left a processor (incoming minus outgoing: dropped or filtered)',
    source: 'collector',
  },
  {
    otelName: 'otelcol_exporter_queue_size',
    kind: 'gauge',
    labels: ['exporter'],
    unit: '{batch}',
    description: 'items waiting in the sending queue',
    source: 'collector',
  },
  {
    // service/metadata.yaml at v0.159.0: a monotonic double sum in seconds. Every collector reports
    // it on every push, so its deltas summed over a period count the collectors that are alive.
    otelName: 'otelcol_process_uptime',
    kind: 'counter',
    labels: [],
    unit: 's',
    description: 'uptime of the collector process: its heartbeat',
    source: 'collector',
  },
  {
    otelName: 'otelcol_exporter_queue_capacity',
    kind: 'gauge',
    labels: ['exporter'],
    unit: '{batch}',
    description: 'capacity of the sending queue',
    source: 'collector',
  },
];

/** The sampler's worker (0 .. num_workers), on every tail_sampling metric. */
const WORKER = 'worker';

/**
 * Traces the gateway's tail sampler evicted before their decision because its trace cache
 * (num_traces) was full: they are lost, errors included.
 */
export const TAIL_SAMPLING_DROPPED_METRIC = 'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early';

/**
 * The collector gateway's tail-sampling metrics (contrib processor/tailsamplingprocessor
 * metadata.yaml; attributes from its documentation.md). Kept apart from METRIC_CATALOGUE because
 * that list also prices every environment's active series (bench/cost-model/grafana-series.ts), which
 * assumes each of its metrics comes from every instrumented task; these come from the gateway
 * tasks only, and from no task where the profile has no gateway.
 */
export const GATEWAY_METRICS: readonly CatalogueMetric[] = [
  {
    otelName: TAIL_SAMPLING_DROPPED_METRIC,
    kind: 'counter',
    labels: [WORKER],
    unit: '{traces}',
    description: 'traces evicted from the trace cache (num_traces full) before their sampling decision: lost',
    source: 'gateway',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_global_count_traces_sampled',
    kind: 'counter',
    // sampled: true or false; decision: sampled, not_sampled or dropped (by a drop policy).
    labels: ['sampled', 'decision', WORKER],
    unit: '{traces}',
    description: 'traces decided, by the final decision over all policies',
    source: 'gateway',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_new_trace_id_received',
    kind: 'counter',
    labels: [WORKER],
    unit: '{traces}',
    description: 'traces whose first span reached the sampler',
    source: 'gateway',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_sampling_traces_on_memory',
    kind: 'gauge',
    labels: [WORKER],
    unit: '{traces}',
    description: 'traces held in the trace cache, waiting for their decision',
    source: 'gateway',
  },
];

/** Every metric a query, an alarm or a collector filter may name. */
export const ALL_METRICS: readonly CatalogueMetric[] = [...METRIC_CATALOGUE, ...GATEWAY_METRICS];

/**
 * The catalogue entry of an OTel metric name.
 * @throws Error naming the catalogue when the name is not in it
 */
export function catalogueMetric(otelName: string): CatalogueMetric {
  const metric = ALL_METRICS.find((candidate) => candidate.otelName === otelName);
  if (metric === undefined) throw new Error(`${otelName} is not in the metric catalogue (lib/metrics/catalogue.ts)`);
  return metric;
}
