/**
 * Small builders shared by the dashboards: panels with this package's defaults (unit, data source,
 * legend, size) and targets with a refId and data source. Each dashboard module composes them into
 * named panel functions, so a dashboard reads like its table of contents.
 */

import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type DashboardLinkBuilder,
  RowBuilder,
  type ThresholdsConfig,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { type DataSourceKind, dataSource } from './datasources';
import type { FieldOverride } from './threshold-lines';

/** Grid width is 24 columns; these are the widths the dashboards use. */
export const FULL = 24;
export const HALF = 12;
export const THIRD = 8;
export const QUARTER = 6;

export interface PanelBasics {
  readonly title: string;
  /** What the panel shows and how to read it: Grafana shows it on the (i) of the panel. */
  readonly description: string;
  /** A Grafana unit id (`reqps`, `s`, `percent`, …) or a custom `suffix:…`. */
  readonly unit: string;
  readonly source: DataSourceKind;
  readonly width?: number;
  readonly height?: number;
}

/** A time series panel: legend with last and max, shared tooltip, no threshold lines unless an override adds them. */
export function timeseriesPanel(basics: PanelBasics): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(basics.title)
    .description(basics.description)
    .unit(basics.unit)
    .datasource(dataSource(basics.source))
    .span(basics.width ?? HALF)
    .height(basics.height ?? 8)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(VisibilityMode.Never)
    .spanNulls(false)
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Off));
}

/** A stat panel of the last value, coloured by its thresholds. */
export function statPanel(basics: PanelBasics): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(basics.title)
    .description(basics.description)
    .unit(basics.unit)
    .datasource(dataSource(basics.source))
    .span(basics.width ?? QUARTER)
    .height(basics.height ?? 5)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Value)
    .graphMode(BigValueGraphMode.Area)
    .textMode(BigValueTextMode.ValueAndName);
}

/** A table panel, e.g. a trace search. */
export function tablePanel(basics: PanelBasics): table.PanelBuilder {
  return new table.PanelBuilder()
    .title(basics.title)
    .description(basics.description)
    .unit(basics.unit)
    .datasource(dataSource(basics.source))
    .span(basics.width ?? FULL)
    .height(basics.height ?? 8);
}

/** Draws the panel's thresholds as dashed lines (for thresholds that apply to every series). */
export function dashedThresholdLines(): GraphThresholdsStyleConfigBuilder {
  return new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed);
}

/** A full-width row heading. */
export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

/** A builder for a value that is already built (threshold configs from the threshold model). */
export function fixed<T>(value: T): cog.Builder<T> {
  return { build: () => value };
}

/** Threshold steps as a builder, for `.thresholds(…)`. */
export function thresholds(config: ThresholdsConfig): cog.Builder<ThresholdsConfig> {
  return fixed(config);
}

/** Overrides as the panel builders take them. */
export function overrides(list: readonly FieldOverride[]): FieldOverride[] {
  return [...list];
}

/** Links as the panel builders take them. */
export function links(list: readonly DashboardLinkBuilder[]): DashboardLinkBuilder[] {
  return [...list];
}

export interface PromTargetOptions {
  readonly refId?: string;
  /** An instant query: one value per series, for stats. */
  readonly instant?: boolean;
  /** Ask for exemplars: the trace ids the SDK attached to histogram and counter points. */
  readonly exemplar?: boolean;
}

/** A PromQL query against the `${prometheus}` data source. */
export function promTarget(expr: string, legend: string, options: PromTargetOptions = {}): prometheus.DataqueryBuilder {
  const target = new prometheus.DataqueryBuilder()
    .refId(options.refId ?? 'A')
    .datasource(dataSource('prometheus'))
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(expr)
    .legendFormat(legend);
  if (options.exemplar) target.exemplar(true);
  return options.instant ? target.instant() : target.range();
}

/** A TraceQL search against `${traces}`, listing traces. */
export function traceSearchTarget(traceql: string, limit = 20, refId = 'A'): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .refId(refId)
    .datasource(dataSource('traces'))
    .queryType('traceql')
    .query(traceql)
    .limit(limit)
    .tableType(tempo.SearchTableType.Traces);
}

/** A TraceQL metrics query (`… | quantile_over_time(…)`) against `${traces}`, as time series. */
export function traceMetricsTarget(traceql: string, refId = 'A'): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .refId(refId)
    .datasource(dataSource('traces'))
    .queryType('traceql')
    .query(traceql)
    .metricsQueryType(tempo.MetricsQueryType.Range);
}

export interface CloudWatchMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  /** The series name; may use dynamic labels such as `${PROP('Dim.ServiceName')}`. */
  readonly label: string;
  readonly refId?: string;
}

/** A CloudWatch metric query against `${cloudwatch}`, in the data source's default region. */
export function cloudWatchTarget(metric: CloudWatchMetric): cloudwatch.MetricsQueryBuilder {
  return new cloudwatch.MetricsQueryBuilder()
    .refId(metric.refId ?? 'A')
    .datasource(dataSource('cloudwatch'))
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
    .region('default')
    .namespace(metric.namespace)
    .metricName(metric.metricName)
    .dimensions({ ...metric.dimensions })
    .matchExact(true)
    .statistic(metric.statistic)
    .period('')
    .label(metric.label);
}

/** A CloudWatch search or math expression against `${cloudwatch}` (code mode), in the default region. */
export function cloudWatchSearchTarget(expression: string, label: string, refId = 'A'): cloudwatch.MetricsQueryBuilder {
  return new cloudwatch.MetricsQueryBuilder()
    .refId(refId)
    .datasource(dataSource('cloudwatch'))
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Code)
    .region('default')
    .id(`q${refId.toLowerCase()}`)
    .expression(expression)
    .label(label);
}
