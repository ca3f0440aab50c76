/**
 * The Prometheus series names of the metric catalogue under one translation strategy: the names
 * Grafana Cloud's Mimir stores the OTLP metrics under, and so the only names a rule, a rule test,
 * a dashboard or a doc query may use. Pure.
 */
import type { GeneratedStrategy } from '../profile/metric-name-translation';
import { ALL_METRICS, type CatalogueMetric, type InstrumentKind, RESOURCE_LABELS } from './catalogue';
import {
  buildMetricName,
  metricNamerOptions,
  type PrometheusMetricType,
  type TranslationStrategy,
} from './otlp-translator';

export type HistogramSeries = '_bucket' | '_sum' | '_count';
const HISTOGRAM_SERIES: readonly HistogramSeries[] = ['_bucket', '_sum', '_count'];

/** How the translator sees a catalogue instrument: an OTLP Sum is a monotonic counter when monotonic. */
export function prometheusType(kind: InstrumentKind): PrometheusMetricType {
  switch (kind) {
    case 'counter':
      return 'monotonic-counter';
    case 'updowncounter':
      return 'non-monotonic-counter';
    case 'gauge':
      return 'gauge';
    case 'histogram':
      return 'histogram';
  }
}

/** The metric family name (a histogram's series add `_bucket`, `_sum`, `_count`). */
export function familyName(metric: CatalogueMetric, strategy: TranslationStrategy): string {
  return buildMetricName(
    { name: metric.otelName, unit: metric.unit, type: prometheusType(metric.kind) },
    metricNamerOptions(strategy),
  );
}

/** Every series name a metric becomes. */
export function prometheusSeriesNames(metric: CatalogueMetric, strategy: TranslationStrategy): string[] {
  const family = familyName(metric, strategy);
  return metric.kind === 'histogram' ? HISTOGRAM_SERIES.map((suffix) => `${family}${suffix}`) : [family];
}

/**
 * The catalogue's series under one strategy. Only the escaping strategies: with UTF-8 names the
 * resource attributes stay `service.name`, `deployment.environment.name` as labels, and every
 * generated matcher and `by` clause names the escaped labels (RESOURCE_LABELS).
 */
export class SeriesNames {
  private readonly families: ReadonlyMap<string, string>;

  constructor(
    readonly strategy: GeneratedStrategy,
    private readonly catalogue: readonly CatalogueMetric[] = ALL_METRICS,
  ) {
    this.families = new Map(catalogue.map((metric) => [metric.otelName, familyName(metric, strategy)]));
  }

  /** The one series of a counter, up-down counter or gauge: `request_count` -> `request_count_total`. */
  of(otelName: string): string {
    const metric = this.metric(otelName);
    if (metric.kind === 'histogram') {
      throw new Error(`${otelName} is a histogram: name one of its series with histogram(name, '_bucket')`);
    }
    return this.family(otelName);
  }

  /** A series of a histogram: `histogram('ai_model_duration', '_bucket')` -> `ai_model_duration_seconds_bucket`. */
  histogram(otelName: string, series: HistogramSeries): string {
    if (this.metric(otelName).kind !== 'histogram') throw new Error(`${otelName} is not a histogram of the catalogue`);
    return `${this.family(otelName)}${series}`;
  }

  /** Every series name any query may use, with the labels it carries. */
  all(): ReadonlyMap<string, readonly string[]> {
    const series = new Map<string, readonly string[]>();
    for (const metric of this.catalogue) {
      for (const name of prometheusSeriesNames(metric, this.strategy)) {
        series.set(name, [...metric.labels, ...RESOURCE_LABELS, ...(name.endsWith('_bucket') ? ['le'] : [])]);
      }
    }
    return series;
  }

  private family(otelName: string): string {
    this.metric(otelName);
    return this.families.get(otelName) as string;
  }

  private metric(otelName: string): CatalogueMetric {
    const metric = this.catalogue.find((candidate) => candidate.otelName === otelName);
    if (metric === undefined) throw new Error(`${otelName} is not in the metric catalogue (lib/metrics/catalogue.ts)`);
    return metric;
  }
}
