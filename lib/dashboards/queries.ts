/**
 * PromQL for the dashboards, built from the metric catalogue's names under the stacks' translation
 * strategy (`SeriesNames`, lib/metrics/series-names.ts) so a query can only name a series that
 * exists. Where a panel shows what an alert rule evaluates (error rate, p95 latency,
 * SLO bad ratios, hourly AI spend), the expression has the rule's shape, series, matchers and
 * range (lib/alerting/prometheus-rules.ts): the line an engineer sees crossing a threshold is the
 * value the rule compared. Only the grouping differs: panels keep the environment label, so a
 * series can be told apart by name and given its environment's threshold.
 */
import { duration, MAX_RATE_RANGE_MINUTES } from '../alerting/prometheus-rules';
import type { ServiceLevelObjective } from '../alerting/thresholds';
import { RESOURCE_LABELS } from '../metrics/catalogue';
import type { SeriesNames } from '../metrics/series-names';

export const ENVIRONMENT_LABEL = resourceLabel('deployment_environment_name');
export const SERVICE_LABEL = resourceLabel('service_name');

/** Template variables the queries use; checks substitute representative values for them. */
export const ENVIRONMENT_VARIABLE = 'environment';
export const SERVICE_VARIABLE = 'service_name';

/**
 * The rate range of the panels that carry alert thresholds: the range the rules use for windows
 * of 10 minutes or more (the default warnings). Critical rules with 5-minute windows rate over
 * 3 m, which reacts sooner but is noisier than a graph needs.
 */
export const ALERT_RATE_RANGE = duration(MAX_RATE_RANGE_MINUTES);

/** Panels without an alert counterpart: Grafana's range, at least four scrape intervals. */
export const RATE_INTERVAL = '$__rate_interval';

/** The labels a panel keeps per series when it draws per-deployment thresholds. */
export const BY_DEPLOYMENT: readonly string[] = [SERVICE_LABEL, ENVIRONMENT_LABEL];

/** `{{service_name}} ({{deployment_environment_name}})`: the legend threshold overrides match on. */
export function deploymentLegend(prefix = ''): string {
  return `${prefix}{{${SERVICE_LABEL}}} ({{${ENVIRONMENT_LABEL}}})`;
}

/** The display name Grafana gives a series with `deploymentLegend(prefix)`. */
export function deploymentSeriesName(service: string, environment: string, prefix = ''): string {
  return `${prefix}${service} (${environment})`;
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** `label="value"`; JSON's escapes are valid in a PromQL double-quoted string. */
export function matcher(label: string, operator: MatchOperator, value: string): string {
  return `${label}${operator}${JSON.stringify(value)}`;
}

export function selector(metric: string, matchers: readonly string[]): string {
  return `${metric}{${matchers.join(',')}}`;
}

/** `deployment_environment_name="$environment"`. */
export function inEnvironment(): string {
  return matcher(ENVIRONMENT_LABEL, '=', `$${ENVIRONMENT_VARIABLE}`);
}

/** `service_name="$service_name"`, or `=~` for a multi-value variable. */
export function ofService(multi = false): string {
  return matcher(SERVICE_LABEL, multi ? '=~' : '=', `$${SERVICE_VARIABLE}`);
}

/** `sum by (a, b) (inner)`, or `sum(inner)` without labels. */
export function sumBy(labels: readonly string[], inner: string): string {
  return labels.length === 0 ? `sum(${inner})` : `sum by (${labels.join(', ')}) (${inner})`;
}

/** `rate(metric{…}[range])`. */
export function rate(metric: string, matchers: readonly string[], range: string): string {
  return `rate(${selector(metric, matchers)}[${range}])`;
}

/** `increase(metric{…}[range])`. */
export function increase(metric: string, matchers: readonly string[], range: string): string {
  return `increase(${selector(metric, matchers)}[${range}])`;
}

const SERVER_ERROR = matcher('status_code', '=~', '5..');

/** Requests per second. */
export function requestRate(
  series: SeriesNames,
  matchers: readonly string[],
  by: readonly string[],
  range: string,
): string {
  return sumBy(by, rate(series.of('request_count'), matchers, range));
}

/** The 5xx share of requests in percent: HighErrorRate's and ElevatedErrorRate's left-hand side. */
export function errorRatioPercent(
  series: SeriesNames,
  matchers: readonly string[],
  by: readonly string[],
  range: string,
): string {
  return `100 * ${errorRatio(series, matchers, by, range)}`;
}

/** The 5xx share of requests (0..1): the availability SLO's bad ratio. */
export function errorRatio(
  series: SeriesNames,
  matchers: readonly string[],
  by: readonly string[],
  range: string,
): string {
  const requests = series.of('request_count');
  return `${sumBy(by, rate(requests, [...matchers, SERVER_ERROR], range))} / ${sumBy(by, rate(requests, matchers, range))}`;
}

/** A request-duration quantile: HighLatencyP95's left-hand side for 0.95. */
export function latencyQuantile(
  series: SeriesNames,
  quantile: number,
  matchers: readonly string[],
  by: readonly string[],
  range: string,
): string {
  const buckets = series.histogram('request_duration_seconds', '_bucket');
  return `histogram_quantile(${quantile}, ${sumBy(['le', ...by], rate(buckets, matchers, range))})`;
}

/** The share (0..1) of requests an SLO counts as bad, as the burn-rate rules compute it. */
export function sloBadRatio(
  series: SeriesNames,
  objective: ServiceLevelObjective,
  matchers: readonly string[],
  by: readonly string[],
  range: string,
): string {
  if (objective.name === 'availability') return errorRatio(series, matchers, by, range);
  const within = leMatcher(objective.latencyThresholdSeconds ?? 0);
  const fast = sumBy(by, rate(series.histogram('request_duration_seconds', '_bucket'), [...matchers, within], range));
  return `1 - ${fast} / ${sumBy(by, rate(series.histogram('request_duration_seconds', '_count'), matchers, range))}`;
}

/**
 * The bucket whose bound is an SLO's latency threshold, as the burn-rate rules match it: OTLP
 * conversion writes a bound of 2 as `le="2"`, Prometheus client libraries as `le="2.0"`.
 */
function leMatcher(seconds: number): string {
  const text = String(seconds);
  return Number.isInteger(seconds) ? matcher('le', '=~', `${text}|${text}\\.0`) : matcher('le', '=', text);
}

function resourceLabel(label: string): string {
  if (!RESOURCE_LABELS.includes(label)) throw new Error(`${label} is not a resource label of the metric catalogue`);
  return label;
}
