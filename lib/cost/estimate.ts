/**
 * The monthly cost of each environment's observability: CloudWatch alarms, dashboards, custom
 * metrics and logs, priced from the synthesized templates, the generated collector config and the
 * profile's declared log volumes; and Grafana Cloud free-tier use. Pure: inputs in, line items out.
 */
import { CLOUDWATCH_METRICS, COLLECTOR_FAILURE_METRIC_NAMES, COLLECTOR_SERVICE_NAME } from '../collector/cloudwatch';
import type { CollectorConfig } from '../collector/model';
import { emfCustomMetrics } from './emf-metrics';
import { activeSeries, type MetricGroup, type SeriesAssumptions } from './grafana-series';
import { type CfnTemplate, type CloudWatchInventory, type LogGroupInventory, templateInventory } from './inventory';
import type { LogKind, LogVolume } from './log-volume';
import type { Prices } from './prices';

export interface ServiceUsage {
  readonly name: string;
  readonly tasks: number;
  readonly instrumented: boolean;
}

export interface EnvironmentCostInput {
  readonly environmentName: string;
  /** The AWS account: CloudWatch's free tier is per account. */
  readonly account: string;
  /** The Grafana Cloud stack the environment writes to: its free tier is per stack. */
  readonly grafanaStack: string;
  /** Every template of the environment. */
  readonly templates: readonly CfnTemplate[];
  /** The sidecar config; undefined when no service runs a collector. */
  readonly collectorConfig?: CollectorConfig;
  readonly services: readonly ServiceUsage[];
  /** Expected ingestion per log group, matched to the templates' log groups by name. */
  readonly logVolumes: readonly LogVolume[];
  readonly seriesAssumptions?: SeriesAssumptions;
}

export type CostCategory = 'alarms' | 'dashboards' | 'custom metrics' | 'logs' | 'free tier' | 'free';

export interface LineItem {
  readonly category: CostCategory;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  /** USD per unit and month. */
  readonly unitPrice: number;
  readonly monthlyUsd: number;
  readonly note?: string;
}

export interface GrafanaUsage {
  readonly stack: string;
  readonly activeSeries: number;
  readonly byGroup: Readonly<Record<MetricGroup, number>>;
  /** Series of every environment writing to the same stack, against its free tier. */
  readonly stackActiveSeries: number;
  readonly freeActiveSeries: number;
}

export interface EnvironmentEstimate {
  readonly environmentName: string;
  readonly account: string;
  readonly inventory: CloudWatchInventory;
  readonly lines: readonly LineItem[];
  readonly monthlyUsd: number;
  readonly grafana: GrafanaUsage;
  /** What the estimate leaves out, in words. */
  readonly notEstimated: readonly string[];
}

/** Average days in a month, as AWS prorates. */
const DAYS_PER_MONTH = 30.4;

/** A log group without a retention keeps everything: counted at ten years, CloudWatch's longest retention. */
const NEVER_EXPIRES_DAYS = 3653;

/** Estimates for several environments: free tiers go to the first environment of each account and stack. */
export function estimateEnvironments(inputs: readonly EnvironmentCostInput[], prices: Prices): EnvironmentEstimate[] {
  const seriesByStack = new Map<string, number>();
  const series = inputs.map((input) => activeSeries(input.services, input.seriesAssumptions));
  inputs.forEach((input, index) => {
    const total = series[index].reduce((a, s) => a + s.series, 0);
    seriesByStack.set(input.grafanaStack, (seriesByStack.get(input.grafanaStack) ?? 0) + total);
  });
  const accountsSeen = new Set<string>();
  return inputs.map((input, index) => {
    const firstInAccount = !accountsSeen.has(input.account);
    accountsSeen.add(input.account);
    const byGroup = { http: 0, business: 0, workflow: 0, ai: 0, collector: 0 };
    for (const metric of series[index]) byGroup[metric.group] += metric.series;
    const estimate = estimateEnvironment(input, prices, firstInAccount);
    return {
      ...estimate,
      grafana: {
        stack: input.grafanaStack,
        activeSeries: Object.values(byGroup).reduce((a, b) => a + b, 0),
        byGroup,
        stackActiveSeries: seriesByStack.get(input.grafanaStack) ?? 0,
        freeActiveSeries: prices.grafanaCloudFree.activeSeries,
      },
    };
  });
}

function estimateEnvironment(
  input: EnvironmentCostInput,
  prices: Prices,
  withFreeTier: boolean,
): Omit<EnvironmentEstimate, 'grafana'> {
  const cw = prices.cloudWatch;
  const inventory = templateInventory(input.templates);
  const line = (
    category: CostCategory,
    item: string,
    quantity: number,
    unit: string,
    unitPrice: number,
    note?: string,
  ): LineItem => ({ category, item, quantity, unit, unitPrice, monthlyUsd: quantity * unitPrice, note });

  const instrumented = input.services.filter((service) => service.instrumented).length;
  const emf =
    input.collectorConfig === undefined
      ? []
      : emfCustomMetrics(
          input.collectorConfig,
          CLOUDWATCH_METRICS.map((metric) => metric.name),
          (metricName, dimension) => serviceNameValues(metricName, dimension, instrumented),
        );
  const emfOf = (collector: boolean) =>
    emf
      .filter((metric) => COLLECTOR_FAILURE_METRIC_NAMES.includes(metric.metricName) === collector)
      .reduce((total, metric) => total + metric.metrics, 0);
  // A metric filter with dimensions makes one metric per dimension value: ours counts per service.
  const filterMetrics = inventory.metricFilters.reduce(
    (total, filter) => total + (filter.dimensions.length === 0 ? 1 : input.services.length),
    0,
  );

  const volumes = new Map(input.logVolumes.map((volume) => [volume.logGroupName, volume]));
  const priced = inventory.logGroups.filter((group) => volumes.has(group.name));
  const ingestedGB =
    priced.reduce((total, group) => total + (volumes.get(group.name)?.gibPerDay ?? 0), 0) * DAYS_PER_MONTH;
  // Steady state: each group holds `retention` days of its daily volume.
  const storedGB = priced.reduce(
    (total, group) => total + (volumes.get(group.name)?.gibPerDay ?? 0) * (group.retentionDays ?? NEVER_EXPIRES_DAYS),
    0,
  );
  const unpriced = inventory.logGroups.filter((group) => !volumes.has(group.name)).map((group) => group.name);

  const dashboardMetrics = inventory.dashboards.map((d) => `${d.name}: ${d.widgets} widgets, ${d.metrics} metrics`);
  const billed: LineItem[] = [
    line(
      'alarms',
      'Metric alarms, standard resolution',
      inventory.standardAlarmMetrics,
      'alarm metrics',
      cw.standardAlarmMetricPerMonth,
      `${inventory.metricAlarms} alarms; a metric math alarm is billed per metric it reads`,
    ),
    line(
      'alarms',
      'Metric alarms, high resolution',
      inventory.highResolutionAlarmMetrics,
      'alarm metrics',
      cw.highResolutionAlarmMetricPerMonth,
    ),
    line('alarms', 'Composite alarms', inventory.compositeAlarms, 'alarms', cw.compositeAlarmPerMonth),
    line(
      'dashboards',
      'Dashboards',
      inventory.dashboards.length,
      'dashboards',
      cw.dashboardPerMonth,
      dashboardMetrics.join('; '),
    ),
    line(
      'custom metrics',
      'Service metrics (awsemf)',
      emfOf(false),
      'metrics',
      cw.customMetricPerMonth,
      `${emf.filter((m) => !COLLECTOR_FAILURE_METRIC_NAMES.includes(m.metricName)).length} metric names × dimension sets × ${instrumented} instrumented services`,
    ),
    line(
      'custom metrics',
      'Collector failure metrics (awsemf)',
      emfOf(true),
      'metrics',
      cw.customMetricPerMonth,
      `one ${COLLECTOR_SERVICE_NAME} dimension value for all sidecars; billed only in hours when telemetry is lost`,
    ),
    line(
      'custom metrics',
      'Metric filter metrics (task failures)',
      filterMetrics,
      'metrics',
      cw.customMetricPerMonth,
      'one per service at most; billed only in hours when a task fails',
    ),
    ...ingestionLines(priced, volumes, cw.logsIngestionPerGB),
    line(
      'logs',
      'Logs storage (steady state at the retention)',
      round(storedGB),
      'GB-month',
      cw.logsStoragePerGBMonth,
      'ingested size; AWS bills the compressed size, so this is an upper bound',
    ),
    line(
      'free',
      'Saved Logs Insights queries',
      inventory.queryDefinitions,
      'queries',
      0,
      'free; running one is billed per GB scanned',
    ),
    line(
      'free',
      'SNS alarm notifications',
      0,
      '-',
      0,
      'negligible: a few e-mail and HTTPS deliveries a month, within the SNS free tier',
    ),
  ];
  const lines = withFreeTier ? [...billed, ...freeTier(billed, inventory, prices, ingestedGB)] : billed;
  return {
    environmentName: input.environmentName,
    account: input.account,
    inventory,
    lines,
    monthlyUsd: lines.reduce((total, item) => total + item.monthlyUsd, 0),
    notEstimated: [
      ...(unpriced.length > 0 ? [`ingestion of log groups without a known volume: ${unpriced.join(', ')}`] : []),
      'Container Insights (enhanced observability) metrics of the cluster, which the service-down alarm reads',
      'Logs Insights scans and GetMetricData calls (usage: dashboards viewed, queries run)',
      'Grafana Cloud logs and traces (volume depends on the SDKs and sampling)',
    ],
  };
}

function freeTier(
  lines: readonly LineItem[],
  inventory: CloudWatchInventory,
  prices: Prices,
  ingestedGB: number,
): LineItem[] {
  const free = prices.cloudWatchFreeTier;
  const cw = prices.cloudWatch;
  const customMetrics = lines.filter((l) => l.category === 'custom metrics').reduce((a, l) => a + l.quantity, 0);
  const freeDashboards = Math.min(
    free.dashboards,
    inventory.dashboards.filter((d) => d.metrics <= free.metricsPerFreeDashboard).length,
  );
  const credit = (item: string, quantity: number, unit: string, unitPrice: number): LineItem => ({
    category: 'free tier',
    item,
    quantity,
    unit,
    unitPrice,
    monthlyUsd: -quantity * unitPrice,
    note: 'once per account',
  });
  return [
    credit(
      'Free alarm metrics',
      Math.min(free.standardAlarmMetrics, inventory.standardAlarmMetrics),
      'alarm metrics',
      cw.standardAlarmMetricPerMonth,
    ),
    credit('Free custom metrics', Math.min(free.customMetrics, customMetrics), 'metrics', cw.customMetricPerMonth),
    credit(
      `Free dashboards (up to ${free.metricsPerFreeDashboard} metrics each)`,
      freeDashboards,
      'dashboards',
      cw.dashboardPerMonth,
    ),
    credit('Free logs', round(Math.min(free.logsGB, ingestedGB)), 'GB', cw.logsIngestionPerGB),
  ].filter((item) => item.quantity > 0);
}

/** One ingestion line per kind of log (application, collector, EMF, task events), with its basis. */
function ingestionLines(
  groups: readonly LogGroupInventory[],
  volumes: ReadonlyMap<string, LogVolume>,
  pricePerGB: number,
): LineItem[] {
  const kinds = new Map<LogKind, { gibPerDay: number; groups: number; bases: Set<string> }>();
  for (const group of groups) {
    const volume = volumes.get(group.name);
    if (volume === undefined) continue;
    const entry = kinds.get(volume.kind) ?? { gibPerDay: 0, groups: 0, bases: new Set<string>() };
    entry.gibPerDay += volume.gibPerDay;
    entry.groups += 1;
    entry.bases.add(volume.basis);
    kinds.set(volume.kind, entry);
  }
  const order: readonly LogKind[] = ['application', 'collector', 'EMF metrics', 'task events'];
  return [...kinds.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([kind, entry]) => {
      const gb = round(entry.gibPerDay * DAYS_PER_MONTH);
      return {
        category: 'logs',
        item: `Logs ingestion: ${kind}`,
        quantity: gb,
        unit: 'GB',
        unitPrice: pricePerGB,
        monthlyUsd: gb * pricePerGB,
        note: `${entry.groups} log group${entry.groups === 1 ? '' : 's'}; ${[...entry.bases].join('; ')}`,
      };
    });
}

/** Values of an awsemf dimension: `service.name` is the collector's one name for its own metrics, else the service's. */
function serviceNameValues(metricName: string, dimension: string, instrumentedServices: number): number {
  if (dimension !== 'service.name') {
    throw new Error(`the cost estimate does not know how many values dimension "${dimension}" of ${metricName} takes`);
  }
  return COLLECTOR_FAILURE_METRIC_NAMES.includes(metricName) ? 1 : instrumentedServices;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
