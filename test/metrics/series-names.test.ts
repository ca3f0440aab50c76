import { checkQuery } from '../../lib/alerting/promql';
import {
  ALL_METRICS,
  type CatalogueMetric,
  GATEWAY_METRICS,
  METRIC_CATALOGUE,
  TAIL_SAMPLING_DROPPED_METRIC,
} from '../../lib/metrics/catalogue';
import { prometheusSeriesNames, SeriesNames } from '../../lib/metrics/series-names';

const WITH_SUFFIXES = new SeriesNames('UnderscoreEscapingWithSuffixes');
const WITHOUT_SUFFIXES = new SeriesNames('UnderscoreEscapingWithoutSuffixes');

describe('series names with suffixes (Grafana Cloud)', () => {
  test('a histogram of unit s gains _seconds before its series suffixes', () => {
    expect(WITH_SUFFIXES.histogram('workflow_execution_duration', '_bucket')).toBe(
      'workflow_execution_duration_seconds_bucket',
    );
    expect(WITH_SUFFIXES.histogram('ai_model_duration', '_count')).toBe('ai_model_duration_seconds_count');
  });

  test('a name that already holds the unit word keeps it once', () => {
    expect(WITH_SUFFIXES.histogram('request_duration_seconds', '_bucket')).toBe('request_duration_seconds_bucket');
  });

  test('a counter gains _total once; a unit in braces adds nothing', () => {
    expect(WITH_SUFFIXES.of('request_count')).toBe('request_count_total');
    expect(WITH_SUFFIXES.of('ai_cost_total')).toBe('ai_cost_total');
    expect(WITH_SUFFIXES.of(TAIL_SAMPLING_DROPPED_METRIC)).toBe(
      'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total',
    );
  });

  test('an up-down counter and a gauge keep their names', () => {
    expect(WITH_SUFFIXES.of('active_requests')).toBe('active_requests');
    expect(WITH_SUFFIXES.of('otelcol_processor_tail_sampling_sampling_traces_on_memory')).toBe(
      'otelcol_processor_tail_sampling_sampling_traces_on_memory',
    );
  });

  test('a histogram is not one series, and a name outside the catalogue is refused', () => {
    expect(() => WITH_SUFFIXES.of('ai_model_duration')).toThrow(/is a histogram/);
    expect(() => WITH_SUFFIXES.of('otelcol_processor_tail_sampling_unknown')).toThrow(/not in the metric catalogue/);
  });
});

describe('series names without suffixes (open-source Mimir)', () => {
  test('a counter keeps its OTel name, and a duration gains no unit', () => {
    expect(WITHOUT_SUFFIXES.of('request_count')).toBe('request_count');
    expect(WITHOUT_SUFFIXES.of('otelcol_exporter_send_failed_spans')).toBe('otelcol_exporter_send_failed_spans');
    expect(WITHOUT_SUFFIXES.histogram('workflow_execution_duration', '_bucket')).toBe(
      'workflow_execution_duration_bucket',
    );
  });
});

describe('the catalogue', () => {
  test('states every unit in UCUM: a known unit or an annotation in braces', () => {
    const ucum = /^(s|ms|By|1|\{[a-zA-Z_]+\})$/;
    expect(ALL_METRICS.filter((metric) => !ucum.test(metric.unit)).map((metric) => metric.otelName)).toEqual([]);
  });

  test('changing a unit changes the series names the queries get', () => {
    const [duration] = METRIC_CATALOGUE.filter((metric) => metric.otelName === 'workflow_execution_duration');
    const inMilliseconds: CatalogueMetric = { ...duration, unit: 'ms' };
    expect(prometheusSeriesNames(inMilliseconds, 'UnderscoreEscapingWithSuffixes')).toEqual([
      'workflow_execution_duration_milliseconds_bucket',
      'workflow_execution_duration_milliseconds_sum',
      'workflow_execution_duration_milliseconds_count',
    ]);
    const names = new SeriesNames('UnderscoreEscapingWithSuffixes', [inMilliseconds]);
    expect(names.histogram('workflow_execution_duration', '_bucket')).toBe(
      'workflow_execution_duration_milliseconds_bucket',
    );
  });

  test('gives every series its data-point labels and the resource labels; buckets add le', () => {
    const series = WITH_SUFFIXES.all();
    expect(series.get('otelcol_processor_tail_sampling_global_count_traces_sampled_total')).toEqual(
      expect.arrayContaining(['sampled', 'decision', 'worker', 'service_name', 'deployment_environment_name']),
    );
    expect(series.get('ai_model_duration_seconds_bucket')).toContain('le');
    expect(series.get('ai_model_duration_seconds_count')).not.toContain('le');
  });

  test('lets a query name the gateway metrics with their labels, and no other label', () => {
    const catalogue = WITH_SUFFIXES.all();
    expect(
      checkQuery(
        'sum by (decision) (rate(otelcol_processor_tail_sampling_global_count_traces_sampled_total{deployment_environment_name="prod",service_name="otel-gateway"}[5m]))',
        catalogue,
      ),
    ).toEqual([]);
    expect(
      checkQuery(
        'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total{policy="errors"}',
        catalogue,
      ).map((problem) => problem.message),
    ).toEqual([expect.stringContaining('has no label policy')]);
  });

  test('keeps the gateway metrics out of METRIC_CATALOGUE, whose series the cost estimate prices per task', () => {
    const catalogued = new Set(METRIC_CATALOGUE.map((metric) => metric.otelName));
    expect(GATEWAY_METRICS.filter((metric) => catalogued.has(metric.otelName))).toEqual([]);
  });
});
