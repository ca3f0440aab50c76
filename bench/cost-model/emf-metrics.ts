/**
 * The CloudWatch custom metrics a generated collector config creates through awsemf: every metric
 * a declaration selects, once per dimension set and per value of those dimensions. Pure.
 */
import type { CollectorConfig } from '../../lib/collector/model';

export interface EmfMetricCount {
  readonly metricName: string;
  /** Dimension sets, after awsemf's roll-up option. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Custom metrics: one per dimension set and value combination. */
  readonly metrics: number;
}

/**
 * How many values a dimension takes for a metric, e.g. `service.name`: one per instrumented
 * service for service metrics, one (`otelcol-contrib`) for the collector's own.
 */
export type DimensionValues = (metricName: string, dimension: string) => number;

interface MetricDeclaration {
  readonly dimensions?: readonly (readonly string[])[];
  readonly metric_name_selectors?: readonly string[];
}

/**
 * Custom metrics of every awsemf exporter of `config`, for the metric names that can reach it
 * (`candidates`: the names the collector passes to its CloudWatch pipeline).
 */
export function emfCustomMetrics(
  config: CollectorConfig,
  candidates: readonly string[],
  dimensionValues: DimensionValues,
): EmfMetricCount[] {
  return Object.entries(config.exporters)
    .filter(([id]) => id.split('/')[0] === 'awsemf')
    .flatMap(([, settings]) => {
      const declarations = (settings.metric_declarations ?? []) as readonly MetricDeclaration[];
      const rollup =
        typeof settings.dimension_rollup_option === 'string' ? settings.dimension_rollup_option : undefined;
      return candidates.flatMap((metricName) => {
        const declared = declarations
          .filter((declaration) => (declaration.metric_name_selectors ?? []).some((s) => selects(s, metricName)))
          .flatMap((declaration) => declaration.dimensions ?? []);
        if (declared.length === 0) return [];
        const dimensionSets = withRollup(declared, rollup);
        const metrics = dimensionSets
          .map((set) => set.reduce((product, dimension) => product * dimensionValues(metricName, dimension), 1))
          .reduce((a, b) => a + b, 0);
        return [{ metricName, dimensionSets, metrics }];
      });
    });
}

/** A selector as the collector reads it: `$$` is its escape for a literal `$`. */
function selects(selector: string, metricName: string): boolean {
  return new RegExp(selector.replace(/\$\$/g, '$')).test(metricName);
}

/**
 * awsemf's `dimension_rollup_option`: besides the declared sets it also publishes each metric
 * without dimensions (ZeroAndSingleDimensionRollup, its default) and per single dimension.
 */
function withRollup(declared: readonly (readonly string[])[], rollup: string | undefined): (readonly string[])[] {
  const sets = new Map(declared.map((set) => [JSON.stringify([...set].sort()), set]));
  const add = (set: readonly string[]) => sets.set(JSON.stringify([...set].sort()), set);
  const option = rollup ?? 'ZeroAndSingleDimensionRollup';
  if (option === 'ZeroAndSingleDimensionRollup') add([]);
  if (option === 'ZeroAndSingleDimensionRollup' || option === 'SingleDimensionRollupOnly') {
    for (const dimension of new Set(declared.flat())) add([dimension]);
  }
  return [...sets.values()];
}
