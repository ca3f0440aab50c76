/**
 * The monthly cost of each environment's observability: CloudWatch alarms, dashboards, custom
 * metrics and logs, priced from the synthesized templates, the generated collector configs and the
 * profile's declared log volumes; the collector gateway tier (Fargate tasks, Cloud Map namespace)
 * where the profile declares one; and Grafana Cloud free-tier use. Pure: inputs in, line items out.
 */
import {
  CLOUDWATCH_METRICS,
  COLLECTOR_FAILURE_METRIC_NAMES,
  COLLECTOR_HEARTBEAT_METRIC,
  COLLECTOR_SERVICE_NAME,
  GATEWAY_CLOUDWATCH_METRICS,
  HEARTBEAT_DIMENSION,
  SOURCE_TOKEN_DIMENSION,
} from '../../lib/collector/cloudwatch';
import type { CollectorConfig } from '../../lib/collector/model';
import { GATEWAY_SERVICE_NAME } from '../../lib/naming';
import type { CollectorGatewayProfile } from '../../lib/profile/schema';
import { emfCustomMetrics } from './emf-metrics';
import { activeSeries, type MetricGroup, type SeriesAssumptions } from './grafana-series';
import {
  type AlarmInventory,
  type AlarmKind,
  type AlarmScope,
  type CfnTemplate,
  type CloudWatchInventory,
  type LogGroupInventory,
  templateInventory,
} from './inventory';
import type { LogKind, LogVolume } from './log-volume';
import type { FargateRates, Prices } from './prices';

export interface ServiceUsage {
  readonly name: string;
  readonly tasks: number;
  readonly instrumented: boolean;
}

/** What the cost estimate needs of an environment's collector gateway tier. */
export interface GatewayCostInput {
  /** The profile's `gateway`: task size and task count bounds. */
  readonly sizing: Pick<CollectorGatewayProfile, 'cpu' | 'memoryMiB' | 'minTasks' | 'maxTasks'>;
  /** The gateway's generated config (`generateCollectorConfig(env, profile, 'gateway')`): its awsemf metrics. */
  readonly config: CollectorConfig;
}

export interface EnvironmentCostInput {
  readonly environmentName: string;
  /** The AWS account: CloudWatch's free tier is per account. */
  readonly account: string;
  /** The AWS region the environment deploys to: Fargate rates are per region. */
  readonly region: string;
  /** The Grafana Cloud stack the environment writes to: its free tier is per stack. */
  readonly grafanaStack: string;
  /** Every template of the environment. */
  readonly templates: readonly CfnTemplate[];
  /**
   * Whose each template is, index by index: the environment's (platform stack) or a service's.
   * @default - the first is the environment's, the others services' (the default app's order)
   */
  readonly templateScopes?: readonly AlarmScope[];
  /** The sidecar config; undefined when no service runs a collector. */
  readonly collectorConfig?: CollectorConfig;
  /** The tail-sampling gateway tier; undefined when the profile declares none. */
  readonly gateway?: GatewayCostInput;
  readonly services: readonly ServiceUsage[];
  /** Expected ingestion per log group, matched to the templates' log groups by name. */
  readonly logVolumes: readonly LogVolume[];
  readonly seriesAssumptions?: SeriesAssumptions;
}

export type CostCategory =
  | 'alarms'
  | 'dashboards'
  | 'custom metrics'
  | 'logs'
  | 'compute'
  | 'service discovery'
  | 'free tier'
  | 'free';

/** The categories CloudWatch bills (the rest: Fargate, Cloud Map and Route 53, free tiers, free items). */
export const CLOUDWATCH_CATEGORIES: readonly CostCategory[] = ['alarms', 'dashboards', 'custom metrics', 'logs'];

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

/** The alarms of one signal, placement and billing kind, and what they cost a month. */
export interface AlarmPriceRow {
  readonly scope: AlarmScope;
  readonly signal: string;
  readonly kind: AlarmKind;
  /** Alarms of the environment (for scope `service`: of every service stack together). */
  readonly alarms: number;
  /** Billed units: alarm metrics, metrics analysed, or alarms (composite, PromQL). */
  readonly units: number;
  readonly unitPrice: number;
  readonly monthlyUsd: number;
}

/** The alarm bill by signal and placement, and what one service adds (gross: no free tier). */
export interface AlarmPrices {
  readonly rows: readonly AlarmPriceRow[];
  /** Templates of scope `service`: the service stacks the per-service figures divide by. */
  readonly serviceStacks: number;
  readonly perService: { readonly alarms: number; readonly monthlyUsd: number };
  readonly environment: { readonly alarms: number; readonly monthlyUsd: number };
}

export interface EnvironmentEstimate {
  readonly environmentName: string;
  readonly account: string;
  readonly inventory: CloudWatchInventory;
  readonly alarmPrices: AlarmPrices;
  readonly lines: readonly LineItem[];
  readonly monthlyUsd: number;
  readonly grafana: GrafanaUsage;
  /** What the estimate leaves out, in words. */
  readonly notEstimated: readonly string[];
}

/** Average days in a month, as AWS prorates. */
const DAYS_PER_MONTH = 30.4;
const HOURS_PER_MONTH = DAYS_PER_MONTH * 24;
export const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;

/** Fargate cpu units per vCPU, and MiB per GB of memory as Fargate bills it. */
const CPU_UNITS_PER_VCPU = 1024;
const MIB_PER_GB = 1024;

/** The aws_cloud_map resolver's poll interval when its config sets none (loadbalancingexporter's default). */
const DEFAULT_CLOUD_MAP_INTERVAL_SECONDS = 30;

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
  const inventory = templateInventory(input.templates, input.templateScopes);
  const alarmPrices = priceAlarms(inventory.alarms, input, prices);
  const ofKind = (kind: AlarmKind) => alarmPrices.rows.filter((row) => row.kind === kind);
  const unitsOf = (kind: AlarmKind) => ofKind(kind).reduce((total, row) => total + row.units, 0);
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
  // The gateway names its own telemetry: one service.name value for all its tasks.
  const gatewayEmf =
    input.gateway === undefined
      ? []
      : emfCustomMetrics(
          input.gateway.config,
          GATEWAY_CLOUDWATCH_METRICS.map((metric) => metric.name),
          (metricName, dimension) => gatewayServiceNameValues(metricName, dimension),
        );
  // The heartbeat's one dimension is the task family: one value per instrumented service, one for the gateway.
  const heartbeats = [
    ...(input.collectorConfig === undefined
      ? []
      : emfCustomMetrics(input.collectorConfig, [COLLECTOR_HEARTBEAT_METRIC.name], (metricName, dimension) =>
          heartbeatDimensionValues(metricName, dimension, instrumented),
        )),
    ...(input.gateway === undefined
      ? []
      : emfCustomMetrics(input.gateway.config, [COLLECTOR_HEARTBEAT_METRIC.name], (metricName, dimension) =>
          heartbeatDimensionValues(metricName, dimension, 1),
        )),
  ];
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
    ...(ofKind('metricsInsights').length === 0
      ? []
      : [
          line(
            'alarms',
            'Metrics Insights query alarms',
            unitsOf('metricsInsights'),
            'metrics analysed',
            cw.metricsInsightsAlarmMetricAnalysedPerMonth,
            `${ofKind('metricsInsights').reduce((total, row) => total + row.alarms, 0)} alarms; ` +
              `each query grouped by service taken to analyse one metric per service (${input.services.length}); no free tier`,
          ),
        ]),
    ...(ofKind('promql').length === 0
      ? []
      : [
          line(
            'alarms',
            'PromQL alarms',
            unitsOf('promql'),
            'alarms',
            cw.promqlAlarmPerMonth,
            'public preview price; re-check bench/cost-model/prices.json before quoting',
          ),
        ]),
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
    ...(input.gateway === undefined
      ? []
      : [
          line(
            'custom metrics',
            'Collector gateway failure metrics (awsemf)',
            gatewayEmf.reduce((total, metric) => total + metric.metrics, 0),
            'metrics',
            cw.customMetricPerMonth,
            `${gatewayEmf.length} metric names × one ${GATEWAY_SERVICE_NAME} dimension value for all gateway tasks; ` +
              'billed only in hours when the gateway loses telemetry',
          ),
        ]),
    line(
      'custom metrics',
      'Collector heartbeat (awsemf)',
      heartbeats.reduce((total, metric) => total + metric.metrics, 0),
      'metrics',
      cw.customMetricPerMonth,
      'one per task family (each instrumented service, the gateway); written every minute, so billed every hour',
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
    ...(input.gateway === undefined ? [] : gatewayLines(input, input.gateway, prices)),
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
    alarmPrices,
    lines,
    monthlyUsd: lines.reduce((total, item) => total + item.monthlyUsd, 0),
    notEstimated: [
      ...(unpriced.length > 0 ? [`ingestion of log groups without a known volume: ${unpriced.join(', ')}`] : []),
      'Container Insights (enhanced observability) metrics of the cluster, which the service-down alarm reads',
      'Logs Insights scans and GetMetricData calls (usage: dashboards viewed, queries run)',
      'Grafana Cloud logs and traces (volume depends on the SDKs and sampling)',
      ...(input.gateway === undefined ? [] : gatewayNotEstimated(input.gateway, prices)),
    ],
  };
}

/** The unit price and billed units of one alarm, by its kind. */
function alarmUnits(
  alarm: AlarmInventory,
  services: number,
  prices: Prices,
): { readonly units: number; readonly unitPrice: number } {
  const cw = prices.cloudWatch;
  switch (alarm.kind) {
    case 'standard':
    case 'anomalyDetection':
      return { units: alarm.metrics, unitPrice: cw.standardAlarmMetricPerMonth };
    case 'highResolution':
      return { units: alarm.metrics, unitPrice: cw.highResolutionAlarmMetricPerMonth };
    case 'metricsInsights':
      // A query grouped by service analyses one metric per service (upper bound: a series without data is not analysed).
      return { units: alarm.metrics * services, unitPrice: cw.metricsInsightsAlarmMetricAnalysedPerMonth };
    case 'promql':
      return { units: 1, unitPrice: cw.promqlAlarmPerMonth };
    case 'composite':
      return { units: 1, unitPrice: cw.compositeAlarmPerMonth };
  }
}

const SCOPE_ORDER: readonly AlarmScope[] = ['service', 'environment'];

/** The alarm bill grouped by placement, signal and kind, in template order within each placement. */
export function priceAlarms(
  alarms: readonly AlarmInventory[],
  input: Pick<EnvironmentCostInput, 'templates' | 'templateScopes' | 'services'>,
  prices: Prices,
): AlarmPrices {
  const rows = new Map<string, AlarmPriceRow>();
  for (const alarm of alarms) {
    const { units, unitPrice } = alarmUnits(alarm, input.services.length, prices);
    const key = `${alarm.scope}|${alarm.signal}|${alarm.kind}`;
    const row = rows.get(key);
    rows.set(key, {
      scope: alarm.scope,
      signal: alarm.signal,
      kind: alarm.kind,
      alarms: (row?.alarms ?? 0) + 1,
      units: (row?.units ?? 0) + units,
      unitPrice,
      monthlyUsd: (row?.monthlyUsd ?? 0) + units * unitPrice,
    });
  }
  const sorted = [...rows.values()].sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
  const serviceStacks = input.templates.filter(
    (_, index) => (input.templateScopes?.[index] ?? (index === 0 ? 'environment' : 'service')) === 'service',
  ).length;
  const total = (scope: AlarmScope) => {
    const inScope = sorted.filter((row) => row.scope === scope);
    return {
      alarms: inScope.reduce((sum, row) => sum + row.alarms, 0),
      monthlyUsd: inScope.reduce((sum, row) => sum + row.monthlyUsd, 0),
    };
  };
  const services = total('service');
  const perStack = (value: number) => (serviceStacks === 0 ? 0 : value / serviceStacks);
  return {
    rows: sorted,
    serviceStacks,
    perService: { alarms: perStack(services.alarms), monthlyUsd: perStack(services.monthlyUsd) },
    environment: total('environment'),
  };
}

function line(
  category: CostCategory,
  item: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  note?: string,
): LineItem {
  return { category, item, quantity, unit, unitPrice, monthlyUsd: quantity * unitPrice, note };
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

/**
 * The gateway tier: its Fargate tasks at `minTasks` (steady state; the note gives the `maxTasks`
 * ceiling), the Cloud Map namespace's hosted zone, and the sidecars' DiscoverInstances calls.
 */
function gatewayLines(input: EnvironmentCostInput, gateway: GatewayCostInput, prices: Prices): LineItem[] {
  const { sizing } = gateway;
  const { rates, basis } = fargateRates(prices, input.region);
  const vCpu = sizing.cpu / CPU_UNITS_PER_VCPU;
  const memoryGB = sizing.memoryMiB / MIB_PER_GB;
  const taskMonth = (tasks: number) => tasks * HOURS_PER_MONTH * (vCpu * rates.vCpuHour + memoryGB * rates.gbHour);
  const tasks = (count: number) => `${count} task${count === 1 ? '' : 's'}`;
  const steadyState = `${tasks(sizing.minTasks)} (minTasks, steady state)`;
  const hours = `${round(HOURS_PER_MONTH)} h`;
  const minutes = `${Math.round(MINUTES_PER_MONTH).toLocaleString('en-US')} min`;
  const platform = `${prices.fargate.platform}, ${basis}`;
  const ceiling =
    `at maxTasks (${tasks(sizing.maxTasks)}) the gateway's vCPU and memory cost ` +
    `${usd(taskMonth(sizing.maxTasks))} a month`;

  const sidecarTasks = input.services
    .filter((service) => service.instrumented)
    .reduce((total, service) => total + service.tasks, 0);
  const resolvers = input.collectorConfig === undefined ? [] : cloudMapResolvers(input.collectorConfig);
  const callsPerTaskMinute = resolvers.reduce((total, resolver) => total + 60 / resolver.intervalSeconds, 0);
  const discoveryCalls = sidecarTasks * callsPerTaskMinute * MINUTES_PER_MONTH;
  const intervals = [...new Set(resolvers.map((resolver) => `${resolver.intervalSeconds} s`))].join(', ');

  return [
    line(
      'compute',
      'Collector gateway: Fargate vCPU',
      round(sizing.minTasks * vCpu * HOURS_PER_MONTH),
      'vCPU-hours',
      rates.vCpuHour,
      `${steadyState} × ${vCpu} vCPU (cpu ${sizing.cpu}) × ${hours}; ${platform}; ${ceiling}`,
    ),
    line(
      'compute',
      'Collector gateway: Fargate memory',
      round(sizing.minTasks * memoryGB * HOURS_PER_MONTH),
      'GB-hours',
      rates.gbHour,
      `${steadyState} × ${memoryGB} GB (memoryMiB ${sizing.memoryMiB}) × ${hours}; ${platform}`,
    ),
    line(
      'service discovery',
      'Collector gateway: Cloud Map namespace (Route 53 private hosted zone)',
      1,
      'hosted zones',
      prices.route53.hostedZonePerMonth,
      'the private DNS namespace the gateway tasks register in; Route 53 bills its hosted zone ' +
        '(first 25 of the account)',
    ),
    line(
      'service discovery',
      'Collector gateway: Cloud Map DiscoverInstances calls',
      round(discoveryCalls / 1e6),
      'million calls',
      prices.cloudMap.discoveryCallsPerMillion,
      `${sidecarTasks} instrumented sidecar tasks × ${round(callsPerTaskMinute)} calls a minute ` +
        `(load_balancing resolver every ${intervals || '-'}) × ${minutes}`,
    ),
  ];
}

/** What the gateway tier costs that the estimate leaves out, in words. */
function gatewayNotEstimated(gateway: GatewayCostInput, prices: Prices): string[] {
  const registered = gateway.sizing.minTasks * prices.cloudMap.registeredResourcePerMonth;
  return [
    "registering the gateway tasks in Cloud Map: Amazon ECS's service-discovery pricing names only the hosted zone " +
      `and discovery calls (at Cloud Map's list price per registered resource, ${usd(registered)} a month at minTasks)`,
    'DNS queries to the gateway namespace (the sidecars discover the tasks by API; DNS is a fallback for people)',
    'data transfer from sidecars to gateway tasks in other availability zones ' +
      '(each trace goes to the task its trace id hashes to)',
  ];
}

/** The Fargate rates of `region`, or the price file's own region's when it records none, with the basis in words. */
function fargateRates(prices: Prices, region: string): { rates: FargateRates; basis: string } {
  const own = prices.fargate.byRegion[region];
  if (own !== undefined) return { rates: own, basis: `${region} rates` };
  const fallback = prices.fargate.byRegion[prices.region];
  if (fallback === undefined) {
    throw new Error(
      `bench/cost-model/prices.json has no Fargate rates for ${region} nor for its own region ${prices.region}`,
    );
  }
  return { rates: fallback, basis: `${prices.region} rates (bench/cost-model/prices.json records none for ${region})` };
}

export interface CloudMapResolver {
  readonly exporterId: string;
  readonly intervalSeconds: number;
}

/** The load_balancing exporters of a sidecar config that list the gateway tasks through Cloud Map's API. */
export function cloudMapResolvers(config: CollectorConfig): CloudMapResolver[] {
  return Object.entries(config.exporters).flatMap(([exporterId, settings]) => {
    if (exporterId.split('/')[0] !== 'load_balancing') return [];
    const resolver = (settings.resolver ?? {}) as { aws_cloud_map?: { interval?: unknown } };
    if (resolver.aws_cloud_map === undefined) return [];
    const interval = resolver.aws_cloud_map.interval;
    return [
      {
        exporterId,
        intervalSeconds:
          interval === undefined ? DEFAULT_CLOUD_MAP_INTERVAL_SECONDS : durationSeconds(String(interval), exporterId),
      },
    ];
  });
}

/** A Go duration as the collector reads it (`15s`, `1m30s`, `500ms`), in seconds. */
function durationSeconds(text: string, where: string): number {
  const units: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  const seconds = parts.reduce((total, [, value, unit]) => total + Number(value) * units[unit], 0);
  if (parts.map(([part]) => part).join('') !== text || seconds <= 0) {
    throw new Error(`${where}: the resolver interval "${text}" is not a positive duration such as 15s`);
  }
  return seconds;
}

/**
 * Values of an awsemf dimension of the gateway's metrics: `service.name` is its one name for all
 * tasks; `source_token` is the environment's one token.
 */
function gatewayServiceNameValues(metricName: string, dimension: string): number {
  if (dimension === SOURCE_TOKEN_DIMENSION) return 1;
  if (dimension !== 'service.name') {
    throw new Error(`the cost estimate does not know how many values dimension "${dimension}" of ${metricName} takes`);
  }
  return 1;
}

/**
 * Values of an awsemf dimension: `service.name` is the collector's one name for its own metrics,
 * else the service's; `source_token` is the environment's one token, so it adds no series.
 */
function serviceNameValues(metricName: string, dimension: string, instrumentedServices: number): number {
  if (dimension === SOURCE_TOKEN_DIMENSION) return 1;
  if (dimension !== 'service.name') {
    throw new Error(`the cost estimate does not know how many values dimension "${dimension}" of ${metricName} takes`);
  }
  return COLLECTOR_FAILURE_METRIC_NAMES.includes(metricName) ? 1 : instrumentedServices;
}

/** Values of a heartbeat dimension: one task family per collector's service, and the environment's one token. */
function heartbeatDimensionValues(metricName: string, dimension: string, families: number): number {
  if (dimension === SOURCE_TOKEN_DIMENSION) return 1;
  if (dimension !== HEARTBEAT_DIMENSION) {
    throw new Error(`the cost estimate does not know how many values dimension "${dimension}" of ${metricName} takes`);
  }
  return families;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
