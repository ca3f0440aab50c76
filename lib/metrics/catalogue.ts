/**
 * The metrics the services emit (design section 3.3) and the collector reports about itself, as
 * they arrive in Grafana Cloud's Mimir over OTLP. One catalogue for alert rules, dashboards and
 * the CloudWatch alarm metrics, so a query can only name a metric that exists.
 *
 * OTLP-to-Prometheus naming: monotonic counters gain `_total` (unless the name already ends with
 * it), histograms become `_bucket`, `_sum` and `_count` series, attribute dots become underscores.
 */

export type MetricKind = 'counter' | 'histogram' | 'gauge';

export interface CatalogueMetric {
  /** The name the SDK or the collector gives the instrument. */
  readonly otelName: string;
  readonly kind: MetricKind;
  /** Data-point labels, as Prometheus sees them. */
  readonly labels: readonly string[];
  readonly unit: string;
  readonly description: string;
  /** Who emits it. */
  readonly source: 'service' | 'collector';
}

/** Labels Mimir adds to every series from the resource attributes (service.name -> service_name, …). */
export const RESOURCE_LABELS = ['service_name', 'service_namespace', 'deployment_environment_name', 'job', 'instance'];

export const METRIC_CATALOGUE: readonly CatalogueMetric[] = [
  // HTTP infrastructure (design 3.3)
  {
    otelName: 'request_count',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'method', 'status_code', 'api_version'],
    unit: 'requests',
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
    unit: 'errors',
    description: 'HTTP request errors by type',
    source: 'service',
  },
  {
    otelName: 'active_requests',
    kind: 'gauge',
    labels: ['service_name', 'endpoint'],
    unit: 'requests',
    description: 'requests in flight (an UpDownCounter)',
    source: 'service',
  },
  // Business (design 3.3)
  {
    otelName: 'api_key_usage_total',
    kind: 'counter',
    labels: ['api_key_id', 'client_name', 'service_name', 'endpoint', 'success'],
    unit: 'requests',
    description: 'API key usage',
    source: 'service',
  },
  {
    otelName: 'endpoint_usage_total',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'api_version', 'user_segment'],
    unit: 'requests',
    description: 'endpoint popularity',
    source: 'service',
  },
  {
    otelName: 'user_activity_total',
    kind: 'counter',
    labels: ['user_id', 'activity_type', 'service_name', 'session_id'],
    unit: 'events',
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
    unit: 'workflows',
    description: 'failed workflow executions (design 6.5)',
    source: 'service',
  },
  // AI (design 3.3, 6.5)
  {
    otelName: 'ai_requests_total',
    kind: 'counter',
    labels: ['model', 'provider', 'environment'],
    unit: 'requests',
    description: 'AI model requests',
    source: 'service',
  },
  {
    otelName: 'ai_tokens_total',
    kind: 'counter',
    labels: ['model', 'token_type', 'environment'],
    unit: 'tokens',
    description: 'AI tokens, token_type input or output',
    source: 'service',
  },
  {
    otelName: 'ai_cost_total',
    kind: 'counter',
    labels: ['model', 'environment'],
    unit: 'USD',
    description: 'AI cost in US dollars',
    source: 'service',
  },
  {
    otelName: 'ai_errors_total',
    kind: 'counter',
    labels: ['model', 'provider', 'error_type'],
    unit: 'errors',
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
  // The collector's own telemetry (service.telemetry.metrics, level normal)
  ...(['spans', 'metric_points', 'log_records'] as const).flatMap((item): CatalogueMetric[] => [
    {
      otelName: `otelcol_receiver_accepted_${item}`,
      kind: 'counter',
      labels: ['receiver', 'transport'],
      unit: item,
      description: `${item} the receiver accepted`,
      source: 'collector',
    },
    {
      otelName: `otelcol_receiver_refused_${item}`,
      kind: 'counter',
      labels: ['receiver', 'transport'],
      unit: item,
      description: `${item} the receiver refused (memory limiter or a full pipeline)`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_sent_${item}`,
      kind: 'counter',
      labels: ['exporter'],
      unit: item,
      description: `${item} the exporter sent`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_send_failed_${item}`,
      kind: 'counter',
      labels: ['exporter'],
      unit: item,
      description: `${item} the exporter failed to send after retries`,
      source: 'collector',
    },
    {
      otelName: `otelcol_exporter_enqueue_failed_${item}`,
      kind: 'counter',
      labels: ['exporter'],
      unit: item,
      description: `${item} dropped because the sending queue was full`,
      source: 'collector',
    },
  ]),
  {
    otelName: 'otelcol_processor_incoming_items',
    kind: 'counter',
    labels: ['processor', 'otel_signal'],
    unit: 'items',
    description: 'items that entered a processor',
    source: 'collector',
  },
  {
    otelName: 'otelcol_processor_outgoing_items',
    kind: 'counter',
    labels: ['processor', 'otel_signal'],
    unit: 'items',
    description: 'items that left a processor (incoming minus outgoing: dropped or filtered)',
    source: 'collector',
  },
  {
    otelName: 'otelcol_exporter_queue_size',
    kind: 'gauge',
    labels: ['exporter'],
    unit: 'batches',
    description: 'items waiting in the sending queue',
    source: 'collector',
  },
  {
    otelName: 'otelcol_exporter_queue_capacity',
    kind: 'gauge',
    labels: ['exporter'],
    unit: 'batches',
    description: 'capacity of the sending queue',
    source: 'collector',
  },
];

/** The Prometheus series names a metric becomes in Mimir. */
export function prometheusSeriesNames(metric: CatalogueMetric): string[] {
  switch (metric.kind) {
    case 'counter':
      return [metric.otelName.endsWith('_total') ? metric.otelName : `${metric.otelName}_total`];
    case 'histogram':
      return ['_bucket', '_sum', '_count'].map((suffix) => `${metric.otelName}${suffix}`);
    case 'gauge':
      return [metric.otelName];
  }
}

/** Every series name any query may use, with the labels it carries. */
export function catalogueSeries(): ReadonlyMap<string, readonly string[]> {
  const series = new Map<string, readonly string[]>();
  for (const metric of METRIC_CATALOGUE) {
    for (const name of prometheusSeriesNames(metric)) {
      const labels = [...metric.labels, ...RESOURCE_LABELS, ...(name.endsWith('_bucket') ? ['le'] : [])];
      series.set(name, labels);
    }
  }
  return series;
}

/** `request_count` -> `request_count_total`: the one series name of a counter or gauge. */
export function seriesName(otelName: string): string {
  const metric = METRIC_CATALOGUE.find((candidate) => candidate.otelName === otelName);
  if (metric === undefined || metric.kind === 'histogram') {
    throw new Error(`${otelName} is not a counter or gauge of the metric catalogue (lib/metrics/catalogue.ts)`);
  }
  return prometheusSeriesNames(metric)[0];
}
