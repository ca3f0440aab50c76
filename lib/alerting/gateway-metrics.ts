/**
 * The collector gateway's tail-sampling metrics, as they arrive in Grafana Cloud's Mimir, and the
 * series every generated query may name: the metric catalogue's plus these.
 *
 * Names and attributes are upstream's (opentelemetry-collector-contrib
 * processor/tailsamplingprocessor/documentation.md, otelcol-contrib v0.159.0): the gateway's
 * self-telemetry prefixes them with `otelcol_`, and OTLP-to-Prometheus conversion adds `_total` to
 * the monotonic sums (their units, `{traces}`, add no suffix), as it does for the collector
 * counters of the catalogue.
 *
 * They are kept apart from METRIC_CATALOGUE (lib/metrics/catalogue.ts) because that list also
 * prices every environment's active series (lib/cost/grafana-series.ts), which assumes each of
 * its metrics comes from every instrumented task; these come from the gateway tasks only, and
 * from no task where the profile has no gateway.
 */
import { TAIL_SAMPLING_DROPPED_METRIC } from '../collector/cloudwatch';
import { type CatalogueMetric, catalogueSeries, prometheusSeriesNames, RESOURCE_LABELS } from '../metrics/catalogue';

/** The sampler's worker (0 .. num_workers), on every tail_sampling metric. */
const WORKER = 'worker';

export const TAIL_SAMPLING_METRICS: readonly CatalogueMetric[] = [
  {
    otelName: TAIL_SAMPLING_DROPPED_METRIC,
    kind: 'counter',
    labels: [WORKER],
    unit: 'traces',
    description: 'traces evicted from the trace cache (num_traces full) before their sampling decision: lost',
    source: 'collector',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_global_count_traces_sampled',
    kind: 'counter',
    // sampled: true or false; decision: sampled, not_sampled or dropped (by a drop policy).
    labels: ['sampled', 'decision', WORKER],
    unit: 'traces',
    description: 'traces decided, by the final decision over all policies',
    source: 'collector',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_new_trace_id_received',
    kind: 'counter',
    labels: [WORKER],
    unit: 'traces',
    description: 'traces whose first span reached the sampler',
    source: 'collector',
  },
  {
    otelName: 'otelcol_processor_tail_sampling_sampling_traces_on_memory',
    kind: 'gauge',
    labels: [WORKER],
    unit: 'traces',
    description: 'traces held in the trace cache, waiting for their decision',
    source: 'collector',
  },
];

/** `otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total`. */
export function tailSamplingSeries(otelName: string): string {
  const metric = TAIL_SAMPLING_METRICS.find((candidate) => candidate.otelName === otelName);
  if (metric === undefined)
    throw new Error(`${otelName} is not a tail-sampling metric (lib/alerting/gateway-metrics.ts)`);
  return prometheusSeriesNames(metric)[0];
}

/** Every series a generated query may name, with its labels: the catalogue's and the gateway's. */
export function queryableSeries(): ReadonlyMap<string, readonly string[]> {
  const series = new Map(catalogueSeries());
  for (const metric of TAIL_SAMPLING_METRICS) {
    for (const name of prometheusSeriesNames(metric)) series.set(name, [...metric.labels, ...RESOURCE_LABELS]);
  }
  return series;
}
