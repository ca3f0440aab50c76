import { queryableSeries, TAIL_SAMPLING_METRICS, tailSamplingSeries } from '../../lib/alerting/gateway-metrics';
import { checkQuery } from '../../lib/alerting/promql';
import { TAIL_SAMPLING_DROPPED_METRIC } from '../../lib/collector/cloudwatch';
import { catalogueSeries, METRIC_CATALOGUE } from '../../lib/metrics/catalogue';

describe('the gateway tail-sampling metrics', () => {
  test('are named as Mimir receives the gateway self-telemetry: otelcol_ prefix, _total on counters', () => {
    expect(tailSamplingSeries(TAIL_SAMPLING_DROPPED_METRIC)).toBe(
      'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total',
    );
    expect(tailSamplingSeries('otelcol_processor_tail_sampling_global_count_traces_sampled')).toBe(
      'otelcol_processor_tail_sampling_global_count_traces_sampled_total',
    );
    // A gauge keeps its name.
    expect(tailSamplingSeries('otelcol_processor_tail_sampling_sampling_traces_on_memory')).toBe(
      'otelcol_processor_tail_sampling_sampling_traces_on_memory',
    );
    expect(() => tailSamplingSeries('otelcol_processor_tail_sampling_unknown')).toThrow(/not a tail-sampling metric/);
  });

  test('are queryable with their upstream attributes and the resource labels, besides the catalogue', () => {
    const series = queryableSeries();
    for (const [name, labels] of catalogueSeries()) expect(series.get(name)).toEqual(labels);
    expect(series.get('otelcol_processor_tail_sampling_global_count_traces_sampled_total')).toEqual(
      expect.arrayContaining(['sampled', 'decision', 'worker', 'service_name', 'deployment_environment_name']),
    );
    expect(
      checkQuery(
        'sum by (decision) (rate(otelcol_processor_tail_sampling_global_count_traces_sampled_total{deployment_environment_name="prod",service_name="otel-gateway"}[5m]))',
      ),
    ).toEqual([]);
    expect(
      checkQuery('otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total{policy="errors"}').map(
        (problem) => problem.message,
      ),
    ).toEqual([expect.stringContaining('has no label policy')]);
  });

  test('stay out of the metric catalogue, whose series the cost estimate prices per instrumented task', () => {
    const catalogued = new Set(METRIC_CATALOGUE.map((metric) => metric.otelName));
    for (const metric of TAIL_SAMPLING_METRICS) expect(catalogued.has(metric.otelName)).toBe(false);
  });
});
