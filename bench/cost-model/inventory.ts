/**
 * What a set of synthesized CloudFormation templates will be billed for in CloudWatch: alarm
 * metrics by resolution, composite alarms, dashboards with their metric counts, metric filters,
 * saved queries and log groups. Pure: templates in, counts out.
 */

/** The part of a CloudFormation template the inventory reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  /** `StarmatesAlarm: {signal, severity, strategy}` on every alarm AlarmFactory makes. */
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** Where an alarm sits: in a service's stack (one per service) or in the environment's platform stack. */
export type AlarmScope = 'service' | 'environment';

/**
 * How CloudWatch bills an alarm: a metric alarm per metric it reads (standard or high resolution;
 * an anomaly-detection band counts 3), a Metrics Insights query alarm per metric its query
 * analyses, a PromQL alarm per alarm, a composite alarm per alarm.
 */
export type AlarmKind = 'standard' | 'highResolution' | 'anomalyDetection' | 'metricsInsights' | 'promql' | 'composite';

export interface AlarmInventory {
  readonly logicalId: string;
  readonly scope: AlarmScope;
  /** `StarmatesAlarm.signal`; `(none)` for an alarm AlarmFactory did not make (a benchmark peer's). */
  readonly signal: string;
  readonly severity?: string;
  readonly kind: AlarmKind;
  /**
   * Alarm metrics the template fixes: metrics read (math inputs included; an anomaly band 3) for a
   * metric alarm, 1 for a composite or PromQL alarm, and the number of queries for a Metrics
   * Insights alarm, whose metrics analysed depend on the data (priced in estimate.ts).
   */
  readonly metrics: number;
}

export interface DashboardInventory {
  readonly name: string;
  readonly widgets: number;
  /** Metrics shown (math expressions excluded): what the free tier's 50-metric bound counts. */
  readonly metrics: number;
}

export interface MetricFilterInventory {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension names; each distinct value set becomes its own custom metric. */
  readonly dimensions: readonly string[];
}

export interface LogGroupInventory {
  /** The literal name, or the logical id when the name is generated. */
  readonly name: string;
  readonly retentionDays?: number;
}

export interface CloudWatchInventory {
  readonly metricAlarms: number;
  /** Metrics evaluated by standard-resolution alarms (a math alarm counts each metric it reads). */
  readonly standardAlarmMetrics: number;
  /** Metrics evaluated by alarms with a period under 60 s. */
  readonly highResolutionAlarmMetrics: number;
  readonly compositeAlarms: number;
  /** Every alarm with its placement, signal and billing kind. */
  readonly alarms: readonly AlarmInventory[];
  readonly dashboards: readonly DashboardInventory[];
  readonly metricFilters: readonly MetricFilterInventory[];
  readonly queryDefinitions: number;
  readonly logGroups: readonly LogGroupInventory[];
}

/** An alarm whose period is below this is a high-resolution alarm (billed at the higher rate). */
const HIGH_RESOLUTION_BELOW_SECONDS = 60;

/** An anomaly-detection band is billed as three metrics: the metric and the band's two bounds. */
const ANOMALY_BAND_METRICS = 3;

/**
 * What `templates` are billed for. `scopes` says which template is an environment's (its platform
 * stack) and which a service's, index by index.
 * @default scopes - the first template is the environment's, every other one a service's (the default app's order)
 */
export function templateInventory(
  templates: readonly CfnTemplate[],
  scopes?: readonly AlarmScope[],
): CloudWatchInventory {
  const scopeOf = (index: number): AlarmScope => scopes?.[index] ?? (index === 0 ? 'environment' : 'service');
  const resources = templates.flatMap((template) => Object.entries(template.Resources ?? {}));
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const alarms = templates.flatMap((template, index) =>
    Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) =>
      alarmInventory(logicalId, resource, scopeOf(index)),
    ),
  );
  const metricAlarms = alarms.filter(
    (a) => a.kind !== 'composite' && a.kind !== 'metricsInsights' && a.kind !== 'promql',
  );
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return {
    metricAlarms: metricAlarms.length,
    standardAlarmMetrics: sum(metricAlarms.filter((a) => a.kind !== 'highResolution').map((a) => a.metrics)),
    highResolutionAlarmMetrics: sum(metricAlarms.filter((a) => a.kind === 'highResolution').map((a) => a.metrics)),
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    alarms,
    dashboards: ofType('AWS::CloudWatch::Dashboard').map(([id, dashboard]) => dashboardInventory(id, dashboard)),
    metricFilters: ofType('AWS::Logs::MetricFilter').flatMap(([, filter]) => metricFilterInventory(filter)),
    queryDefinitions: ofType('AWS::Logs::QueryDefinition').length,
    logGroups: ofType('AWS::Logs::LogGroup').map(([id, group]) => ({
      name: typeof group.Properties?.LogGroupName === 'string' ? group.Properties.LogGroupName : id,
      retentionDays:
        typeof group.Properties?.RetentionInDays === 'number' ? group.Properties.RetentionInDays : undefined,
    })),
  };
}

/** One alarm resource's placement, signal and billing kind; nothing for any other resource. */
export function alarmInventory(logicalId: string, resource: CfnResource, scope: AlarmScope): AlarmInventory[] {
  if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm') return [];
  const metadata = (resource.Metadata?.StarmatesAlarm ?? {}) as { signal?: unknown; severity?: unknown };
  const identity = {
    logicalId,
    scope,
    signal: typeof metadata.signal === 'string' ? metadata.signal : '(none)',
    severity: typeof metadata.severity === 'string' ? metadata.severity : undefined,
  };
  if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') return [{ ...identity, kind: 'composite', metrics: 1 }];
  const properties = resource.Properties ?? {};
  if ((properties.EvaluationCriteria as { PromQLCriteria?: unknown } | undefined)?.PromQLCriteria !== undefined) {
    return [{ ...identity, kind: 'promql', metrics: 1 }];
  }
  const queries = Array.isArray(properties.Metrics) ? (properties.Metrics as readonly MetricDataQuery[]) : [];
  const insights = queries.filter((query) => /^\s*SELECT\s/i.test(query.Expression ?? '')).length;
  if (insights > 0) return [{ ...identity, kind: 'metricsInsights', metrics: insights }];
  const { metrics, highResolution } = alarmMetrics(properties);
  const anomaly = queries.some((query) => query.Expression?.trim().startsWith('ANOMALY_DETECTION_BAND'));
  const kind = highResolution ? 'highResolution' : anomaly ? 'anomalyDetection' : 'standard';
  return [{ ...identity, kind, metrics }];
}

interface AlarmMetrics {
  readonly metrics: number;
  readonly highResolution: boolean;
}

interface MetricDataQuery {
  readonly Expression?: string;
  readonly MetricStat?: { readonly Period?: number };
  readonly Period?: number;
}

/** How many metrics one `AWS::CloudWatch::Alarm` is billed for, and at which resolution. */
export function alarmMetrics(properties: Readonly<Record<string, unknown>>): AlarmMetrics {
  const queries = Array.isArray(properties.Metrics) ? (properties.Metrics as readonly MetricDataQuery[]) : undefined;
  if (queries === undefined) {
    const period = typeof properties.Period === 'number' ? properties.Period : HIGH_RESOLUTION_BELOW_SECONDS;
    return { metrics: 1, highResolution: period < HIGH_RESOLUTION_BELOW_SECONDS };
  }
  const read = queries.filter((query) => query.MetricStat !== undefined).length;
  const bands = queries.filter((query) => query.Expression?.trim().startsWith('ANOMALY_DETECTION_BAND')).length;
  const periods = queries
    .map((query) => query.MetricStat?.Period ?? query.Period)
    .filter((period): period is number => typeof period === 'number');
  return {
    metrics: read + bands * (ANOMALY_BAND_METRICS - 1),
    highResolution: periods.some((period) => period < HIGH_RESOLUTION_BELOW_SECONDS),
  };
}

function metricFilterInventory(filter: CfnResource): MetricFilterInventory[] {
  const transformations = filter.Properties?.MetricTransformations;
  if (!Array.isArray(transformations)) return [];
  return transformations.map((transformation: Record<string, unknown>) => ({
    namespace: String(transformation.MetricNamespace),
    metricName: String(transformation.MetricName),
    dimensions: Array.isArray(transformation.Dimensions)
      ? transformation.Dimensions.map((dimension: { Key?: unknown }) => String(dimension.Key))
      : [],
  }));
}

function dashboardInventory(logicalId: string, dashboard: CfnResource): DashboardInventory {
  const properties = dashboard.Properties ?? {};
  const name = typeof properties.DashboardName === 'string' ? properties.DashboardName : logicalId;
  const body = JSON.parse(flattenIntrinsic(properties.DashboardBody)) as { widgets?: readonly Widget[] };
  const widgets = body.widgets ?? [];
  return {
    name,
    widgets: widgets.length,
    metrics: widgets.reduce((total, widget) => total + widgetMetrics(widget), 0),
  };
}

interface Widget {
  readonly type?: string;
  readonly properties?: { readonly metrics?: readonly (readonly unknown[])[] };
}

/** A metric widget's `metrics` rows: `[namespace, name, dim, value, …, {options}]`, or `[{expression}]` for math. */
function widgetMetrics(widget: Widget): number {
  if (widget.type !== 'metric') return 0;
  return (widget.properties?.metrics ?? []).filter((row) => typeof row[0] === 'string').length;
}

/**
 * A dashboard body as JSON text: a plain string, or CDK's `Fn::Join` of strings and references
 * (which sit inside JSON strings, so a placeholder keeps the text parseable).
 */
export function flattenIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'Fn::Join' in value) {
    const [separator, parts] = (value as { 'Fn::Join': [string, readonly unknown[]] })['Fn::Join'];
    return parts.map((part) => (typeof part === 'string' ? part : 'REFERENCE')).join(separator);
  }
  throw new Error(`a dashboard body must be a string or an Fn::Join, got ${JSON.stringify(value)}`);
}
