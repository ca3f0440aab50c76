/**
 * Grafana Cloud active series of an environment, estimated from the metric catalogue and stated
 * cardinality assumptions. An upper bound: every label is assumed to combine with every other.
 */
import { type CatalogueMetric, METRIC_CATALOGUE, RESOURCE_LABELS } from '../../lib/metrics/catalogue';

export interface SeriesAssumptions {
  /** Values a data-point label takes within a 20-minute window (Grafana Cloud's "active"). */
  readonly labelValues: Readonly<Record<string, number>>;
  /** Buckets a histogram series fills (`_bucket` series per label set, besides `_sum` and `_count`). */
  readonly histogramBuckets: number;
  /** How many services of an environment emit a group of metrics; `all` for every service. */
  readonly emitters: Readonly<Record<MetricGroup, number | 'all'>>;
}

export type MetricGroup = 'http' | 'business' | 'workflow' | 'ai' | 'collector';

/**
 * The estimate's assumptions, stated so they can be argued with. Resource labels (service_name,
 * service_namespace, deployment_environment_name, job) are constant per service; `instance` is
 * one per task, so series scale with tasks.
 */
export const DEFAULT_SERIES_ASSUMPTIONS: SeriesAssumptions = {
  labelValues: {
    endpoint: 10,
    method: 2,
    status_code: 4,
    api_version: 1,
    error_type: 3,
    api_key_id: 10,
    client_name: 5,
    success: 2,
    user_segment: 3,
    // Unbounded in principle: active users in 20 minutes, one session each.
    user_id: 50,
    session_id: 1,
    activity_type: 5,
    workflow_type: 5,
    complexity_level: 3,
    error_category: 4,
    model: 3,
    provider: 2,
    environment: 1,
    token_type: 2,
    receiver: 1,
    transport: 2,
    exporter: 2,
    processor: 8,
    otel_signal: 3,
  },
  histogramBuckets: 10,
  emitters: { http: 'all', business: 1, workflow: 1, ai: 1, collector: 'all' },
};

/** Which group a catalogue metric belongs to, by its name. */
export function metricGroup(metric: CatalogueMetric): MetricGroup {
  if (metric.source === 'collector') return 'collector';
  if (/^(request_|active_requests)/.test(metric.otelName)) return 'http';
  if (metric.otelName.startsWith('workflow_')) return 'workflow';
  if (metric.otelName.startsWith('ai_')) return 'ai';
  return 'business';
}

export interface SeriesService {
  readonly tasks: number;
  readonly instrumented: boolean;
}

export interface MetricSeries {
  readonly metric: string;
  readonly group: MetricGroup;
  /** Series of one task (one `instance`). */
  readonly perTask: number;
  readonly series: number;
}

/** Active series per catalogue metric for an environment's services. */
export function activeSeries(
  services: readonly SeriesService[],
  assumptions: SeriesAssumptions = DEFAULT_SERIES_ASSUMPTIONS,
  catalogue: readonly CatalogueMetric[] = METRIC_CATALOGUE,
): MetricSeries[] {
  // Tasks per emitting service, largest services first: a metric emitted by one service is assumed
  // to come from the biggest one.
  const taskCounts = services
    .filter((service) => service.instrumented)
    .map((service) => service.tasks)
    .sort((a, b) => b - a);
  return catalogue.map((metric) => {
    const group = metricGroup(metric);
    const emitters = assumptions.emitters[group];
    const tasks = taskCounts.slice(0, emitters === 'all' ? taskCounts.length : emitters).reduce((a, b) => a + b, 0);
    const labelSets = metric.labels
      .filter((label) => !RESOURCE_LABELS.includes(label))
      .reduce((product, label) => product * labelCardinality(assumptions, label, metric.otelName), 1);
    // A histogram is `_bucket` series (one per bucket) plus `_sum` and `_count`, whatever the names.
    const perTask = (metric.kind === 'histogram' ? assumptions.histogramBuckets + 2 : 1) * labelSets;
    return { metric: metric.otelName, group, perTask, series: perTask * tasks };
  });
}

function labelCardinality(assumptions: SeriesAssumptions, label: string, metric: string): number {
  const values = assumptions.labelValues[label];
  if (values === undefined) {
    throw new Error(`no cardinality assumption for label "${label}" of ${metric} (bench/cost-model/grafana-series.ts)`);
  }
  return values;
}
