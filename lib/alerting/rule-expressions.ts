/**
 * The PromQL of each alert condition, and the duration and number formats rules and tests share.
 * Every query filters by the environment's `deployment_environment_name` label and names only
 * series of the metric catalogue, in the environment's series names. Pure: no CDK.
 */
import { RESOURCE_LABELS, TAIL_SAMPLING_DROPPED_METRIC } from '../metrics/catalogue';
import type { SeriesNames } from '../metrics/series-names';
import type { AlertCondition, CollectorCheck, CollectorItems } from './rule-model';
import type { ServiceLevelObjective } from './thresholds';

export const ENVIRONMENT_LABEL = resourceLabel('deployment_environment_name');
export const SERVICE_LABEL = resourceLabel('service_name');

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
    /** A catalogue metric by OTel name: the counter a declared signal's rule watches. */
    of: (otelName: string) => series.of(otelName),
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
    case 'counterIncrease': {
      const of = [inEnvironment, matcher(SERVICE_LABEL, '=', condition.service)];
      return `sum by (${SERVICE_LABEL}) (increase(${selector(series.of(condition.counter), of)}[${duration(condition.rangeMinutes)}])) > ${number(condition.threshold)}`;
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

export function round(value: number): number {
  return Number(value.toPrecision(12));
}
