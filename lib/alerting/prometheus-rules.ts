/**
 * Prometheus alerting rules from the threshold model, for Grafana Cloud's Mimir ruler: one rule
 * per alert and service (so a per-service override changes that service's rule only), SLO
 * burn-rate rules per environment summed by service (the objectives are the same for every
 * service), and the environment-wide AI cost and collector rules. Every query filters by the
 * environment's `deployment_environment_name` label and names only series of the metric
 * catalogue, as the environment's Grafana Cloud stack names them (its `metricNameTranslation`,
 * lib/metrics/series-names.ts). Pure: no CDK.
 *
 * Collectors. An environment has two collector tiers where its profile declares `gateway`: the
 * sidecars (self-telemetry `service.name` otelcol-contrib) and the tail-sampling gateway
 * (otel-gateway), both pushing their own counters to the same Mimir. The collector rules select
 * by environment only, never by `service_name`, so a tier added or renamed later is watched too;
 * they sum by `service_name` and component, so each tier alerts on its own and the alert says
 * which one lost data. GatewayTracesEvicted watches the gateway's trace cache, and exists only
 * where the profile has a gateway.
 *
 * Windows. The SDKs and the sidecar collectors push metrics every 60 s (the OpenTelemetry default),
 * so a range must hold two pushes, even when they drift, for rate() to have an answer.
 * - Threshold rules (error rate, p95 latency, collector health, gateway evictions): `rate(…[R])`
 *   or `increase(…[R])` with R = half the threshold's window, at least 3 m (two pushes despite
 *   drift) and at most 5 m, and `for` = the window. A breach that lasts fires within window + R;
 *   a spike of at most window - R never fires, whatever its height, because the range forgets it
 *   before `for` runs out. Windows under 4 m cannot tell the two apart and are rejected.
 * - ServiceDown: `absent_over_time(…[2m])`, two push intervals (one late or lost push never empties
 *   it), with `for` = the window.
 * - HighAICost: the spend over the whole window (`increase(…[1h])`); the range is the window, so
 *   there is no `for`: a burst fires only if it spends the hour's budget.
 * - SLO burn rates: the error ratio above `burnRateThreshold` over the long AND the short window
 *   of each tier of BURN_RATE_WINDOWS; the long window does the job of `for`, the short one ends
 *   the alert soon after the burn stops.
 */
import { COLLECTOR_SERVICE_NAME } from '../collector/cloudwatch';
import { gatewaySizing } from '../collector/gateway-sizing';
import { GATEWAY_TELEMETRY_SERVICE_NAME } from '../collector/generate';
import { RESOURCE_LABELS, TAIL_SAMPLING_DROPPED_METRIC } from '../metrics/catalogue';
import { SeriesNames } from '../metrics/series-names';
import type { AlertSignal, EnvironmentProfile, Severity } from '../profile/schema';
import { SIGNAL_LABEL } from './routing';
import { type AlertName, runbookUrl } from './runbooks';
import {
  BURN_RATE_WINDOWS,
  burnRateThreshold,
  resolveThresholds,
  SERVICE_LEVEL_OBJECTIVES,
  type ServiceLevelObjective,
  type Threshold,
} from './thresholds';

/** The rule as Prometheus and the Mimir ruler read it. */
export interface PrometheusAlertRule {
  readonly alert: AlertName;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly PrometheusAlertRule[];
}

/** The rules' evaluation interval: one push interval. */
export const EVALUATION_INTERVAL_MINUTES = 1;
export const SILENCE_RANGE_MINUTES = 2;
export const MIN_RATE_RANGE_MINUTES = 3;
export const MAX_RATE_RANGE_MINUTES = 5;
/** The shortest window a threshold rule accepts: the range plus one minute of `for` beyond it. */
export const MIN_WINDOW_MINUTES = MIN_RATE_RANGE_MINUTES + 1;

/** The rate range of a threshold rule with this window (see the module comment). */
export function rateRangeMinutes(windowMinutes: number): number {
  return Math.min(MAX_RATE_RANGE_MINUTES, Math.max(MIN_RATE_RANGE_MINUTES, Math.floor(windowMinutes / 2)));
}

/** One tier of a burn-rate alert, with its error-ratio threshold worked out. */
export interface BurnRateTier {
  readonly burnRate: number;
  /** The error ratio (0..1) that burns the budget at `burnRate`. */
  readonly errorRatio: number;
  readonly longWindowMinutes: number;
  readonly shortWindowMinutes: number;
}

export type CollectorItems = 'spans' | 'metric_points' | 'log_records';

/** What a rule watches, with the numbers its promtool tests need to drive it. */
export type AlertCondition =
  | {
      readonly kind: 'silence';
      readonly service: string;
      readonly rangeMinutes: number;
      readonly forMinutes: number;
    }
  | {
      readonly kind: 'errorRate';
      readonly service: string;
      readonly thresholdPercent: number;
      readonly rangeMinutes: number;
      readonly forMinutes: number;
    }
  | {
      readonly kind: 'latencyP95';
      readonly service: string;
      readonly thresholdSeconds: number;
      readonly rangeMinutes: number;
      readonly forMinutes: number;
    }
  | {
      readonly kind: 'burnRate';
      /** The services it watches, each alerting on its own (`by (service_name)`). */
      readonly services: readonly string[];
      readonly objective: ServiceLevelObjective;
      readonly tiers: readonly BurnRateTier[];
    }
  | { readonly kind: 'aiCost'; readonly thresholdUsd: number; readonly windowMinutes: number }
  | {
      readonly kind: 'collector';
      readonly check: CollectorCheck;
      readonly items: CollectorItems;
      /**
       * The `service_name`s of the collector tiers that report this counter: the sidecars, and the
       * gateway where there is one and it runs the signal's pipeline. Informative (annotations,
       * tests): the query does not filter by it.
       */
      readonly collectors: readonly string[];
      readonly threshold: number;
      readonly rangeMinutes: number;
      readonly forMinutes: number;
    }
  | {
      readonly kind: 'gatewayEvictions';
      /** tail_sampling `num_traces` of each gateway task: the trace cache that overflowed. */
      readonly numTraces: number;
      readonly threshold: number;
      readonly rangeMinutes: number;
      readonly forMinutes: number;
    };

export interface AlertDefinition {
  readonly environmentName: string;
  readonly group: string;
  readonly severity: Severity;
  readonly condition: AlertCondition;
  readonly rule: PrometheusAlertRule;
  /** The series names of the environment's stack, which the rule and its tests use. */
  readonly series: SeriesNames;
}

/** A definition before its rule is written in the environment's series names. */
interface AlertDraft {
  readonly environmentName: string;
  readonly group: string;
  readonly alert: AlertName;
  readonly severity: Severity;
  readonly condition: AlertCondition;
}

/** A rule that cannot be generated or fails a check; the message names the alert and the problem. */
export class AlertRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertRuleError';
  }
}

/** Rule names per signal and severity; a severity an override adds must be named here first. */
export const SERVICE_ALERTS: Readonly<Partial<Record<AlertSignal, Partial<Record<Severity, AlertName>>>>> = {
  serviceDown: { critical: 'ServiceDown' },
  errorRate: { critical: 'HighErrorRate', warning: 'ElevatedErrorRate' },
  latencyP95: { critical: 'HighLatencyP95', warning: 'ElevatedLatencyP95' },
};

/**
 * Environment-wide signals: AI spend is a budget of the environment, and the collectors report
 * under their own service name, not the application's. Per-service overrides of these signals
 * apply to CloudWatch alarms only.
 */
const ENVIRONMENT_SIGNALS: readonly AlertSignal[] = ['aiCostPerHour', 'collectorHealth'];

/** ECS task restarts and CloudWatch log ingestion never reach Mimir: CloudWatch alarms cover them. */
const CLOUDWATCH_ONLY_SIGNALS: readonly AlertSignal[] = ['taskRestarts', 'logGroupGrowth'];

export const BURN_RATE_ALERTS: Readonly<Record<ServiceLevelObjective['name'], Partial<Record<Severity, AlertName>>>> = {
  availability: { critical: 'AvailabilitySLOFastBurn', warning: 'AvailabilitySLOSlowBurn' },
  latency: { critical: 'LatencySLOFastBurn', warning: 'LatencySLOSlowBurn' },
};

export interface CollectorCheck {
  readonly alert: AlertName;
  /** The counter's name for an item kind, as the collector names it. */
  readonly metric: (items: CollectorItems) => string;
  /** The component label the failures are summed by. */
  readonly component: 'exporter' | 'receiver';
  /** What happened to the items, for the annotations. */
  readonly verb: string;
}

export const COLLECTOR_CHECKS: readonly CollectorCheck[] = [
  {
    alert: 'CollectorExportFailures',
    metric: (items) => `otelcol_exporter_send_failed_${items}`,
    component: 'exporter',
    verb: 'failed to send',
  },
  {
    alert: 'CollectorRefusedData',
    metric: (items) => `otelcol_receiver_refused_${items}`,
    component: 'receiver',
    verb: 'refused',
  },
  {
    alert: 'CollectorDroppedData',
    metric: (items) => `otelcol_exporter_enqueue_failed_${items}`,
    component: 'exporter',
    verb: 'dropped (sending queue full)',
  },
];

/** Item kind -> the OpenTelemetry signal, as the `otel_signal` label of collector alerts. */
export const COLLECTOR_ITEMS: Readonly<Record<CollectorItems, string>> = {
  spans: 'traces',
  metric_points: 'metrics',
  log_records: 'logs',
};

/** The `service_name` of the sidecars' and of the gateway's self-telemetry, as Mimir labels them. */
export const COLLECTOR_TIERS = { sidecar: COLLECTOR_SERVICE_NAME, gateway: GATEWAY_TELEMETRY_SERVICE_NAME } as const;

/** Item kinds the gateway has a pipeline for: traces (tail sampling) and its own metrics; no logs. */
const GATEWAY_ITEMS: readonly CollectorItems[] = ['spans', 'metric_points'];

/** The collector tiers of an environment that report counters of this item kind. */
export function collectorsReporting(profile: EnvironmentProfile, items: CollectorItems): string[] {
  return profile.gateway !== undefined && GATEWAY_ITEMS.includes(items)
    ? [COLLECTOR_TIERS.sidecar, COLLECTOR_TIERS.gateway]
    : [COLLECTOR_TIERS.sidecar];
}

/**
 * The alert rules of one environment: per instrumented service (sorted by name) ServiceDown, error
 * rate and latency; then the SLO burn rates, AI cost and collector health of the environment.
 * @throws AlertRuleError for a threshold no rule can express (a window under 4 m, a severity
 *   without a rule name, an error-rate threshold of 100 % or more, a latency threshold of 0)
 */
export function alertDefinitions(environmentName: string, profile: EnvironmentProfile): AlertDefinition[] {
  // A service with instrumentation off sends nothing: ServiceDown would fire for ever.
  const services = Object.keys(profile.services)
    .filter((service) => profile.services[service].instrumentation !== false)
    .sort();
  const series = new SeriesNames(profile.grafanaCloud.metricNameTranslation);
  return [
    ...services.flatMap((service) => serviceDefinitions(environmentName, profile, service)),
    ...burnRateDefinitions(environmentName, services),
    ...environmentDefinitions(environmentName, profile),
  ].map((draft) => defineRule(draft, series));
}

/** Definitions -> rule groups, in the order the groups first appear. */
export function prometheusRuleGroups(definitions: readonly AlertDefinition[]): PrometheusRuleGroup[] {
  const names = [...new Set(definitions.map((definition) => definition.group))];
  return names.map((name) => ({
    name,
    interval: duration(EVALUATION_INTERVAL_MINUTES),
    rules: definitions.filter((definition) => definition.group === name).map((definition) => definition.rule),
  }));
}

function serviceDefinitions(environmentName: string, profile: EnvironmentProfile, service: string): AlertDraft[] {
  const thresholds = resolveThresholds(profile, service).filter(
    (threshold) =>
      !CLOUDWATCH_ONLY_SIGNALS.includes(threshold.signal) && !ENVIRONMENT_SIGNALS.includes(threshold.signal),
  );
  return thresholds.map((threshold) => {
    const alert = SERVICE_ALERTS[threshold.signal]?.[threshold.severity];
    if (alert === undefined) throw unnamedAlert(environmentName, threshold, service);
    return define(
      environmentName,
      `${environmentName}-${service}`,
      alert,
      threshold.severity,
      serviceCondition(environmentName, alert, threshold, service),
    );
  });
}

/**
 * The SLO burn-rate rules: one per objective and severity for the whole environment, summed by
 * service_name so each service alerts on its own. The objectives are the same for every service,
 * and one rule instead of one per service keeps the ruler's day-long queries few.
 */
function burnRateDefinitions(environmentName: string, services: readonly string[]): AlertDraft[] {
  if (services.length === 0) return [];
  return SERVICE_LEVEL_OBJECTIVES.flatMap((objective) =>
    burnRateSeverities().map((severity) => {
      const alert = BURN_RATE_ALERTS[objective.name][severity];
      if (alert === undefined) {
        throw new AlertRuleError(
          `No ${objective.name} SLO alert is named for ${severity} burn rates: add one to BURN_RATE_ALERTS (lib/alerting/prometheus-rules.ts) and its runbook (lib/alerting/runbooks.ts).`,
        );
      }
      const tiers = BURN_RATE_WINDOWS.filter((window) => window.severity === severity).map(
        (window): BurnRateTier => ({
          burnRate: window.burnRate,
          errorRatio: round(burnRateThreshold(objective, window.burnRate)),
          longWindowMinutes: window.longWindowMinutes,
          shortWindowMinutes: window.shortWindowMinutes,
        }),
      );
      const unreachable = tiers.find((tier) => tier.errorRatio >= 1);
      if (unreachable !== undefined) {
        throw new AlertRuleError(
          `${alert}: a ${unreachable.burnRate}x burn of the ${objective.objective} ${objective.name} objective needs more than 100 % bad requests; lower the burn rate in BURN_RATE_WINDOWS.`,
        );
      }
      return define(environmentName, `${environmentName}-slo`, alert, severity, {
        kind: 'burnRate',
        services,
        objective,
        tiers,
      });
    }),
  );
}

function serviceCondition(
  environmentName: string,
  alert: AlertName,
  threshold: Threshold,
  service: string,
): AlertCondition {
  if (threshold.signal === 'serviceDown') {
    // The threshold (healthy tasks) has no Prometheus counterpart: series carry no task identity,
    // so the rule detects the threshold-1 case, a service of which no task reports at all.
    return { kind: 'silence', service, rangeMinutes: SILENCE_RANGE_MINUTES, forMinutes: threshold.windowMinutes };
  }
  const windows = rateWindows(environmentName, alert, threshold, service);
  if (threshold.signal === 'errorRate') {
    if (threshold.threshold >= 100) {
      throw new AlertRuleError(
        `${alert} for ${service} in ${environmentName}: an error-rate threshold of ${threshold.threshold} % can never be exceeded; set it below 100.`,
      );
    }
    return { kind: 'errorRate', service, thresholdPercent: threshold.threshold, ...windows };
  }
  if (threshold.threshold <= 0) {
    throw new AlertRuleError(
      `${alert} for ${service} in ${environmentName}: a p95 latency threshold of 0 s always fires; set it above 0.`,
    );
  }
  return { kind: 'latencyP95', service, thresholdSeconds: threshold.threshold, ...windows };
}

function environmentDefinitions(environmentName: string, profile: EnvironmentProfile): AlertDraft[] {
  return resolveThresholds(profile)
    .filter((threshold) => ENVIRONMENT_SIGNALS.includes(threshold.signal))
    .flatMap((threshold): AlertDraft[] => {
      if (threshold.signal === 'aiCostPerHour' && threshold.severity === 'warning') {
        checkWindow(environmentName, 'HighAICost', threshold);
        return [
          define(environmentName, `${environmentName}-ai-cost`, 'HighAICost', threshold.severity, {
            kind: 'aiCost',
            thresholdUsd: threshold.threshold,
            windowMinutes: threshold.windowMinutes,
          }),
        ];
      }
      if (threshold.signal === 'collectorHealth' && threshold.severity === 'warning') {
        const collectorRules = COLLECTOR_CHECKS.flatMap((check) => {
          const windows = rateWindows(environmentName, check.alert, threshold);
          return (Object.keys(COLLECTOR_ITEMS) as CollectorItems[]).map((items) =>
            define(environmentName, `${environmentName}-collector`, check.alert, threshold.severity, {
              kind: 'collector',
              check,
              items,
              collectors: collectorsReporting(profile, items),
              threshold: threshold.threshold,
              ...windows,
            }),
          );
        });
        return [...collectorRules, ...gatewayEvictionDefinitions(environmentName, profile, threshold)];
      }
      throw unnamedAlert(environmentName, threshold);
    });
}

/**
 * GatewayTracesEvicted, where the profile has a gateway. Traces the tail sampler evicts before
 * their decision are lost telemetry like a failed export, so the rule takes the collectorHealth
 * threshold and severity (warning: any item lost over 5 min by default), as the gateway's
 * CloudWatch alarm counts them among its lost items (lib/constructs/collector-gateway.ts). Not
 * critical: the services are unaffected and most evicted traces would not have been kept, but
 * errors and slow traces are among them, so it must not wait for a ticket.
 */
function gatewayEvictionDefinitions(
  environmentName: string,
  profile: EnvironmentProfile,
  threshold: Threshold,
): AlertDraft[] {
  if (profile.gateway === undefined) return [];
  const alert: AlertName = 'GatewayTracesEvicted';
  return [
    define(environmentName, `${environmentName}-collector`, alert, threshold.severity, {
      kind: 'gatewayEvictions',
      numTraces: gatewaySizing(profile.gateway).numTraces,
      threshold: threshold.threshold,
      ...rateWindows(environmentName, alert, threshold),
    }),
  ];
}

function rateWindows(
  environmentName: string,
  alert: AlertName,
  threshold: Threshold,
  service?: string,
): { readonly rangeMinutes: number; readonly forMinutes: number } {
  checkWindow(environmentName, alert, threshold, service);
  return { rangeMinutes: rateRangeMinutes(threshold.windowMinutes), forMinutes: threshold.windowMinutes };
}

/** @throws AlertRuleError for a window too short to hold the pushes a rate needs and outlast them */
function checkWindow(environmentName: string, alert: AlertName, threshold: Threshold, service?: string): void {
  if (threshold.windowMinutes >= MIN_WINDOW_MINUTES) return;
  const where = service === undefined ? environmentName : `${service} in ${environmentName}`;
  throw new AlertRuleError(
    `${alert} for ${where}: the ${threshold.signal} window of ${threshold.windowMinutes} m is too short for a Prometheus rule; ` +
      `use at least ${MIN_WINDOW_MINUTES} m (a rate over 60 s pushes needs ${MIN_RATE_RANGE_MINUTES} m, and the window must outlast it to tell a breach from a spike).`,
  );
}

function unnamedAlert(environmentName: string, threshold: Threshold, service?: string): AlertRuleError {
  const where = service === undefined ? `environments.${environmentName}` : `${service} in ${environmentName}`;
  return new AlertRuleError(
    `${where}: ${threshold.signal}.${threshold.severity} has no Prometheus alert rule. Name one in lib/alerting/prometheus-rules.ts and add its runbook to lib/alerting/runbooks.ts.`,
  );
}

function burnRateSeverities(): Severity[] {
  return [...new Set(BURN_RATE_WINDOWS.map((window) => window.severity))];
}

function define(
  environmentName: string,
  group: string,
  alert: AlertName,
  severity: Severity,
  condition: AlertCondition,
): AlertDraft {
  return { environmentName, group, alert, severity, condition };
}

function defineRule(draft: AlertDraft, series: SeriesNames): AlertDefinition {
  const { environmentName, group, alert, severity, condition } = draft;
  const pending = 'forMinutes' in condition ? condition.forMinutes : undefined;
  const rule: PrometheusAlertRule = {
    alert,
    expr: ruleExpression(environmentName, condition, series),
    ...(pending === undefined ? {} : { for: duration(pending) }),
    labels: ruleLabels(environmentName, severity, condition),
    annotations: ruleAnnotations(environmentName, alert, severity, condition, RULE_TEMPLATES, series),
  };
  return { environmentName, group, severity, condition, rule, series };
}

/** The rule's static labels: severity, environment, and the service or collector signal it concerns. */
export function ruleLabels(
  environmentName: string,
  severity: Severity,
  condition: AlertCondition,
): Readonly<Record<string, string>> {
  const labels: Record<string, string> = {
    severity,
    environment: environmentName,
    [SIGNAL_LABEL]: conditionSignal(condition),
  };
  if ('service' in condition) labels.service_name = condition.service;
  if (condition.kind === 'collector') labels.otel_signal = COLLECTOR_ITEMS[condition.items];
  if (condition.kind === 'gatewayEvictions') labels.otel_signal = 'traces';
  return labels;
}

/**
 * What the rule watches, the same for its critical and warning forms: the profile's alert signal
 * (alertThresholds.<signal>), or the SLO for burn rates. The Alertmanager inhibits a warning while
 * the critical alert of the same signal and service fires (lib/alerting/alertmanager.ts).
 */
export function conditionSignal(condition: AlertCondition): string {
  switch (condition.kind) {
    case 'silence':
      return 'serviceDown';
    case 'errorRate':
    case 'latencyP95':
      return condition.kind;
    case 'burnRate':
      return `${condition.objective.name}SLO`;
    case 'aiCost':
      return 'aiCostPerHour';
    case 'collector':
    case 'gatewayEvictions':
      return 'collectorHealth';
  }
}

// --- Expressions -----------------------------------------------------------------------------

const ENVIRONMENT_LABEL = resourceLabel('deployment_environment_name');
const SERVICE_LABEL = resourceLabel('service_name');

/** The series the rules query, in a stack's names. */
export function ruleSeries(series: SeriesNames) {
  return {
    requests: series.of('request_count'),
    inFlight: series.of('active_requests'),
    aiCost: series.of('ai_cost_total'),
    durationBuckets: series.histogram('request_duration_seconds', '_bucket'),
    durationCount: series.histogram('request_duration_seconds', '_count'),
    /** The counter GatewayTracesEvicted watches. */
    gatewayEvictions: series.of(TAIL_SAMPLING_DROPPED_METRIC),
    /** The counter a collector rule watches. */
    collector: (check: CollectorCheck, items: CollectorItems) => collectorSeries(check, items, series),
  } as const;
}

export type RuleSeries = ReturnType<typeof ruleSeries>;

/** The counter a collector rule watches: `otelcol_exporter_send_failed_spans_total`. */
export function collectorSeries(check: CollectorCheck, items: CollectorItems, series: SeriesNames): string {
  return series.of(check.metric(items));
}

/** The PromQL of a condition; multi-line where that reads better. */
export function ruleExpression(environmentName: string, condition: AlertCondition, series: SeriesNames): string {
  const names = ruleSeries(series);
  const inEnvironment = matcher(ENVIRONMENT_LABEL, '=', environmentName);
  switch (condition.kind) {
    case 'silence': {
      // Push-based OTLP has no `up` series and an idle service sends no request counts (delta
      // temporality), so `rate == 0` cannot see a dead service: its series simply stop. The
      // in-flight gauge (an UpDownCounter, exported cumulatively every interval even when idle)
      // and the request counter together are the service's heartbeat: down = neither arrives.
      const of = [inEnvironment, matcher(SERVICE_LABEL, '=', condition.service)];
      const range = duration(condition.rangeMinutes);
      return [
        `absent_over_time(${selector(names.inFlight, of)}[${range}])`,
        `and`,
        `absent_over_time(${selector(names.requests, of)}[${range}])`,
      ].join('\n');
    }
    case 'errorRate': {
      const of = [inEnvironment, matcher(SERVICE_LABEL, '=', condition.service)];
      const { errors, all } = errorRatioParts(of, duration(condition.rangeMinutes), names);
      return [`100 * ${errors}`, `  / ${all}`, `> ${number(condition.thresholdPercent)}`].join('\n');
    }
    case 'latencyP95': {
      const of = [inEnvironment, matcher(SERVICE_LABEL, '=', condition.service)];
      return [
        `histogram_quantile(0.95, sum by (le, ${SERVICE_LABEL}) (rate(${selector(names.durationBuckets, of)}[${duration(condition.rangeMinutes)}])))`,
        `> ${number(condition.thresholdSeconds)}`,
      ].join('\n');
    }
    case 'burnRate':
      return condition.tiers
        .map((tier) => {
          const over = (minutes: number) => badRatio(inEnvironment, condition.objective, minutes, names);
          const threshold = number(tier.errorRatio);
          return [
            '(',
            `  ${over(tier.longWindowMinutes)}`,
            `  > ${threshold}`,
            'and',
            `  ${over(tier.shortWindowMinutes)}`,
            `  > ${threshold}`,
            ')',
          ].join('\n');
        })
        .join('\nor\n');
    case 'aiCost':
      return `sum(increase(${selector(names.aiCost, [inEnvironment])}[${duration(condition.windowMinutes)}])) > ${number(condition.thresholdUsd)}`;
    case 'collector': {
      // By tier (service_name) and component: a gateway's losses alert apart from the sidecars'.
      const counter = collectorSeries(condition.check, condition.items, series);
      return `sum by (${SERVICE_LABEL}, ${condition.check.component}) (increase(${selector(counter, [inEnvironment])}[${duration(condition.rangeMinutes)}])) > ${number(condition.threshold)}`;
    }
    case 'gatewayEvictions':
      return `sum by (${SERVICE_LABEL}) (increase(${selector(names.gatewayEvictions, [inEnvironment])}[${duration(condition.rangeMinutes)}])) > ${number(condition.threshold)}`;
  }
}

/** The share (0..1) of each service's requests that an SLO counts as bad, over a window. */
function badRatio(inEnvironment: string, objective: ServiceLevelObjective, minutes: number, names: RuleSeries): string {
  const range = duration(minutes);
  if (objective.name === 'availability') {
    const { errors, all } = errorRatioParts([inEnvironment], range, names);
    return `${errors} / ${all}`;
  }
  const within = leMatcher(objective.latencyThresholdSeconds ?? 0);
  const fast = `sum by (${SERVICE_LABEL}) (rate(${selector(names.durationBuckets, [inEnvironment, within])}[${range}]))`;
  const all = `sum by (${SERVICE_LABEL}) (rate(${selector(names.durationCount, [inEnvironment])}[${range}]))`;
  return `1 - ${fast} / ${all}`;
}

/** 5xx responses and all responses per second, by service, over a range. */
function errorRatioParts(of: readonly string[], range: string, names: RuleSeries): { errors: string; all: string } {
  return {
    errors: `sum by (${SERVICE_LABEL}) (rate(${selector(names.requests, [...of, matcher('status_code', '=~', '5..')])}[${range}]))`,
    all: `sum by (${SERVICE_LABEL}) (rate(${selector(names.requests, of)}[${range}]))`,
  };
}

/**
 * The bucket whose bound is the SLO's latency threshold. OTLP conversion writes a bound of 2 as
 * `le="2"`, Prometheus client libraries as `le="2.0"`: accept both for whole numbers. The
 * services' histograms must have a bucket boundary at exactly this value.
 */
function leMatcher(seconds: number): string {
  const text = number(seconds);
  return Number.isInteger(seconds) ? matcher('le', '=~', `${text}|${text}\\.0`) : matcher('le', '=', text);
}

function selector(metric: string, matchers: readonly string[]): string {
  return `${metric}{${matchers.join(',')}}`;
}

function matcher(label: string, operator: '=' | '=~', value: string): string {
  // JSON's escapes are valid in a PromQL double-quoted string.
  return `${label}${operator}${JSON.stringify(value)}`;
}

function resourceLabel(label: string): string {
  if (!RESOURCE_LABELS.includes(label)) throw new Error(`${label} is not a resource label of the metric catalogue`);
  return label;
}

// --- Annotations -----------------------------------------------------------------------------

export type ValueFormat = 'humanize' | 'humanizePercentage';

/**
 * How annotation text shows the query's value and result labels: Go templates in the rules,
 * the expanded text in promtool tests.
 */
export interface AnnotationValues {
  readonly value: (format: ValueFormat) => string;
  readonly label: (name: string) => string;
}

const RULE_TEMPLATES: AnnotationValues = {
  value: (format) => `{{ $value | ${format} }}`,
  label: (name) => `{{ $labels.${name} }}`,
};

/** summary, description and runbook_url of a rule. */
export function ruleAnnotations(
  environmentName: string,
  alert: AlertName,
  severity: Severity,
  condition: AlertCondition,
  values: AnnotationValues,
  series: SeriesNames,
): Readonly<Record<string, string>> {
  const { summary, description } = annotationText(environmentName, severity, condition, values, ruleSeries(series));
  return { summary, description, runbook_url: runbookUrl(alert) };
}

function annotationText(
  environmentName: string,
  severity: Severity,
  condition: AlertCondition,
  values: AnnotationValues,
  names: RuleSeries,
): { summary: string; description: string } {
  const env = environmentName;
  switch (condition.kind) {
    case 'silence':
      // The value is always 1 (absent), so the text does not show it.
      return {
        summary: `${condition.service} in ${env} sends no telemetry`,
        description:
          `Neither ${names.requests} nor ${names.inFlight} has arrived from ${condition.service} in ${env} for ` +
          `${duration(condition.rangeMinutes)}, continuously for ${duration(condition.forMinutes)}: its tasks are down or its telemetry path is broken.`,
      };
    case 'errorRate':
      return {
        summary: `${condition.service} in ${env}: 5xx share above ${number(condition.thresholdPercent)} %`,
        description:
          `${values.value('humanize')} % of the requests of ${condition.service} in ${env} were answered with a 5xx status over the last ` +
          `${duration(condition.rangeMinutes)}, above ${number(condition.thresholdPercent)} % for ${duration(condition.forMinutes)}.`,
      };
    case 'latencyP95':
      return {
        summary: `${condition.service} in ${env}: p95 latency above ${number(condition.thresholdSeconds)} s`,
        description:
          `The 95th percentile of request duration of ${condition.service} in ${env} is ${values.value('humanize')} s over the last ` +
          `${duration(condition.rangeMinutes)}, above ${number(condition.thresholdSeconds)} s for ${duration(condition.forMinutes)}.`,
      };
    case 'burnRate': {
      const { objective, tiers } = condition;
      const service = values.label(SERVICE_LABEL);
      const bad =
        objective.name === 'availability'
          ? 'answered with a 5xx status'
          : `slower than ${number(objective.latencyThresholdSeconds ?? 0)} s`;
      const windows = tiers
        .map(
          (tier) =>
            `${number(tier.burnRate)}x over ${duration(tier.longWindowMinutes)} and ${duration(tier.shortWindowMinutes)} (above ${number(round(tier.errorRatio * 100))} %)`,
        )
        .join(', or ');
      return {
        summary: `${service} in ${env} burns its ${objective.name} error budget ${severity === 'critical' ? 'fast' : 'steadily'}`,
        description:
          `${values.value('humanizePercentage')} of the requests of ${service} in ${env} were ${bad} over the long window: ` +
          `the ${number(round(objective.objective * 100))} % ${objective.name} objective's 30-day error budget burns at ${windows}.`,
      };
    }
    case 'aiCost':
      return {
        summary: `AI spend in ${env} above ${number(condition.thresholdUsd)} USD per ${duration(condition.windowMinutes)}`,
        description: `AI spend (${names.aiCost}, all models and services) in ${env} was ${values.value('humanize')} USD over the last ${duration(condition.windowMinutes)}; the budget is ${number(condition.thresholdUsd)} USD.`,
      };
    case 'collector': {
      const { check } = condition;
      const items = condition.items.replace('_', ' ');
      const collectors = values.label(SERVICE_LABEL);
      return {
        summary: `Collectors in ${env} ${check.verb} ${items} (${collectors})`,
        description:
          `Collectors in ${env} reporting as ${collectors} (${COLLECTOR_TIERS.sidecar}: the sidecars; ${COLLECTOR_TIERS.gateway}: the gateway) ` +
          `${check.verb} ${values.value('humanize')} ${items} at ${check.component} ${values.label(check.component)} ` +
          `in the last ${duration(condition.rangeMinutes)}, above ${number(condition.threshold)} for ${duration(condition.forMinutes)}.`,
      };
    }
    case 'gatewayEvictions':
      return {
        summary: `The collector gateway in ${env} evicted traces before their sampling decision`,
        description:
          `The tail-sampling gateway (${values.label(SERVICE_LABEL)}) in ${env} evicted ${values.value('humanize')} traces before their sampling decision ` +
          `in the last ${duration(condition.rangeMinutes)}, above ${number(condition.threshold)} for ${duration(condition.forMinutes)}: ` +
          `its trace cache (num_traces ${number(condition.numTraces)} per task) was full, and those traces are lost, errors and slow ones included.`,
      };
  }
}

// --- Formatting ------------------------------------------------------------------------------

/** A Prometheus duration from whole minutes: 5m, 1h, 6h30m, 1d. */
export function duration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`${minutes} is not a whole number of minutes`);
  if (minutes === 0) return '0m';
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count}${unit}`)
    .join('');
}

/** A number as rules and tests write it, without float noise (0.0144, not 0.014400000000000013). */
export function number(value: number): string {
  return String(round(value));
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
