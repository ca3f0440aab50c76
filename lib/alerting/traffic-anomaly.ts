/**
 * The traffic anomaly signal: a service's request rate against its usual band, which no static
 * threshold can express (the usual rate at 03:00 is a collapse at 11:00). Far below the band pages
 * (`trafficDrop`, critical: callers cannot reach the service, a client or an upstream broke); far
 * above it warns (`trafficSpike`: a retry storm, a crawler, a launch). Both sides are declared in
 * lib/signals/library.ts (their anomaly-band CloudWatch form, default band, placement, missing
 * data, alert and runbook names); ServiceAlarms makes their alarms from those declarations. Pure:
 * the band parameters from the profile, the Prometheus rules and their promtool tests. The
 * runbooks are lib/alerting/traffic-anomaly-runbooks.ts; the reasons for every number below are in
 * docs/design.md ("Traffic anomaly").
 *
 * Two forms of one signal, each sound on its own side:
 * - CloudWatch: anomaly detection (`ANOMALY_DETECTION_BAND(m1, k)`) over the EMF `request_count`
 *   summed per 5 minutes. CloudWatch trains the model on up to two weeks of the metric, with its
 *   daily and weekly seasonality; `k` (bandWidth) is the band's width in standard deviations.
 * - Prometheus has no trained model, so its counterpart compares the rate with the same moment of
 *   each of the last three weeks (`offset 1w`, `2w`, `3w`): a drop is below half of every one of
 *   them, a spike above three times every one. It needs three weeks of history, as CloudWatch
 *   needs its training: until then a rule has no answer and stays silent. Unlike the CloudWatch
 *   alarm, it sees a fall to nothing (`or 0 * …`): with delta temporality an idle service sends no
 *   request counts at all, which CloudWatch can only treat as missing data.
 */
import type { SeriesNames } from '../metrics/series-names';
import type { EnvironmentProfile, Severity } from '../profile/schema';
import { type CloudWatchForm, SIGNAL_DECLARATIONS, type SignalDeclaration, signalById } from '../signals';
import {
  duration,
  EVALUATION_INTERVAL_MINUTES,
  number,
  type PrometheusRuleGroup,
  ruleSeries,
} from './prometheus-rules';
import { SIGNAL_LABEL } from './routing';
import { type AlertName, runbookUrl } from './runbooks';
import { definedOnly } from './thresholds';

/** A signal's anomaly-band CloudWatch form, if it declares one. */
export function anomalyBandForm(
  signal: SignalDeclaration,
): (CloudWatchForm & { readonly kind: 'anomalyBand' }) | undefined {
  return signal.cloudWatch.find(
    (form): form is CloudWatchForm & { kind: 'anomalyBand' } => form.kind === 'anomalyBand',
  );
}

/** The side of the traffic band a declaration watches: its one severity, side and alert name. */
function trafficSide(id: 'trafficDrop' | 'trafficSpike') {
  const signal = signalById(id, SIGNAL_DECLARATIONS);
  const form = anomalyBandForm(signal);
  const [severity] = Object.keys(form?.sides ?? {}) as Severity[];
  if (form === undefined || severity === undefined || signal.promql.kind === 'none') {
    throw new Error(
      `signal ${id} must declare an anomaly-band form with one side and its alert (lib/signals/library.ts)`,
    );
  }
  return { signal: id, severity, alert: signal.promql.alerts[severity] as AlertName, form };
}

const DROP = trafficSide('trafficDrop');
const SPIKE = trafficSide('trafficSpike');

/** The CloudWatch period of the request sum and the step of the Prometheus tests, in minutes. */
export const TRAFFIC_PERIOD_MINUTES = DROP.form.periodMinutes;

/** One side of the band: its width and how long traffic must stay past it. */
export interface TrafficBand {
  /** Width of the CloudWatch band, in standard deviations of the model (`ANOMALY_DETECTION_BAND(m1, k)`). */
  readonly bandWidth: number;
  /** How long traffic must stay past the band: CloudWatch periods x 5 min, the Prometheus `for`. */
  readonly windowMinutes: number;
}

/** The traffic anomaly signal of one service. */
export interface TrafficAnomaly {
  readonly drop: TrafficBand;
  readonly spike: TrafficBand;
}

/**
 * Defaults: 3 standard deviations, 3 of 3 five-minute periods, on both sides. Three deviations keep
 * the page for collapses, not for a slow Monday; three periods in a row (15 min) let a deployment's
 * task swap or one late EMF batch pass, yet page well within an hour of lost traffic.
 */
export const TRAFFIC_ANOMALY_DEFAULTS: TrafficAnomaly = {
  drop: declaredBand(DROP.form),
  spike: declaredBand(SPIKE.form),
};

function declaredBand(form: CloudWatchForm & { readonly kind: 'anomalyBand' }): TrafficBand {
  return { bandWidth: form.standardDeviations, windowMinutes: form.evaluation.periods * form.periodMinutes };
}

/** What each side of the band is, as alarms, rules and runbooks name it: from its declaration. */
export const TRAFFIC_SIGNALS: Readonly<
  Record<keyof TrafficAnomaly, { readonly signal: string; readonly severity: Severity; readonly alert: AlertName }>
> = {
  drop: { signal: DROP.signal, severity: DROP.severity, alert: DROP.alert },
  spike: { signal: SPIKE.signal, severity: SPIKE.severity, alert: SPIKE.alert },
};

/** The Prometheus rules' range: two of the SDKs' 60 s pushes at least, and smooth enough to compare weeks. */
export const TRAFFIC_RATE_RANGE_MINUTES = 10;
/** A drop is a rate below this share of the same moment of each past week. */
export const TRAFFIC_DROP_RATIO = 0.5;
/** A spike is a rate above this multiple of the same moment of each past week. */
export const TRAFFIC_SPIKE_RATIO = 3;
/** The weeks a Prometheus rule compares with; it stays silent until the service has this much history. */
export const TRAFFIC_HISTORY_WEEKS = 3;
/**
 * Below this usual rate (requests per second at the same moment of a past week) the rules stay
 * silent: at a few requests a minute, half or thrice is chance, not an anomaly.
 */
export const TRAFFIC_MIN_USUAL_RATE = 0.1;

/** A traffic-anomaly setting of an environment or a service, as the profile and the platform settings hold it. */
export interface TrafficAnomalySettingValues {
  readonly enabled?: boolean;
  readonly drop?: Partial<TrafficBand>;
  readonly spike?: Partial<TrafficBand>;
}

/**
 * A service's traffic anomaly bands: defaults, then the environment's setting, then the service's;
 * undefined where it is turned off (`enabled: false`, the service's word winning) or the service
 * sends no request metrics (no instrumentation).
 */
export function serviceTrafficAnomaly(
  environment: TrafficAnomalySettingValues | undefined,
  own: TrafficAnomalySettingValues | undefined,
  instrumentation: boolean,
): TrafficAnomaly | undefined {
  if (!instrumentation) return undefined;
  if ((own?.enabled ?? environment?.enabled ?? true) === false) return undefined;
  const side = (name: keyof TrafficAnomaly): TrafficBand => ({
    ...TRAFFIC_ANOMALY_DEFAULTS[name],
    ...definedOnly(environment?.[name]),
    ...definedOnly(own?.[name]),
  });
  return { drop: side('drop'), spike: side('spike') };
}

/**
 * The band of a signal with an anomaly-band form: a traffic side's from the service's bands
 * (undefined where they are off), any other signal's as declared.
 */
export function serviceAnomalyBand(
  signal: SignalDeclaration,
  traffic: TrafficAnomaly | undefined,
): TrafficBand | undefined {
  const form = anomalyBandForm(signal);
  if (form === undefined) return undefined;
  const side = (Object.keys(TRAFFIC_SIGNALS) as (keyof TrafficAnomaly)[]).find(
    (name) => TRAFFIC_SIGNALS[name].signal === signal.id,
  );
  return side === undefined ? declaredBand(form) : traffic?.[side];
}

/** `serviceTrafficAnomaly` of a service from the profile; one the profile does not list takes the environment's. */
export function trafficAnomalyFor(profile: EnvironmentProfile, serviceName: string): TrafficAnomaly | undefined {
  const service = profile.services[serviceName] as EnvironmentProfile['services'][string] | undefined;
  return serviceTrafficAnomaly(profile.trafficAnomaly, service?.trafficAnomaly, service?.instrumentation !== false);
}

/** `serviceAnomalyBand` of a service from the profile. */
export function anomalyBandFor(
  profile: EnvironmentProfile,
  serviceName: string,
  signal: SignalDeclaration,
): TrafficBand | undefined {
  return serviceAnomalyBand(signal, trafficAnomalyFor(profile, serviceName));
}

// --- Prometheus ------------------------------------------------------------------------------

export interface TrafficRule {
  readonly alert: AlertName;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The label the rules' `sum by` keeps, and the environment's. */
const SERVICE_LABEL = 'service_name';
const ENVIRONMENT_LABEL = 'deployment_environment_name';
/** The rules' `alert_signal`: drop and spike of one signal (the Alertmanager's inhibition key). */
const TRAFFIC_SIGNAL_LABEL_VALUE = 'traffic';

/** The group of the traffic rules of an environment. */
export function trafficRuleGroupName(environmentName: string): string {
  return `${environmentName}-traffic`;
}

/** The services of the environment with the signal on, sorted, with their settings. */
export function trafficServices(profile: EnvironmentProfile): [string, TrafficAnomaly][] {
  return Object.keys(profile.services)
    .sort()
    .flatMap((service): [string, TrafficAnomaly][] => {
      const settings = trafficAnomalyFor(profile, service);
      return settings === undefined ? [] : [[service, settings]];
    });
}

/** The environment's traffic rule group, evaluated every minute like the others; none without a service. */
export function trafficRuleGroups(
  environmentName: string,
  profile: EnvironmentProfile,
  series: SeriesNames,
): PrometheusRuleGroup[] {
  const rules = trafficRules(environmentName, profile, series);
  if (rules.length === 0) return [];
  return [{ name: trafficRuleGroupName(environmentName), interval: duration(EVALUATION_INTERVAL_MINUTES), rules }];
}

/** The TrafficDrop and TrafficSpike rules of every service with the signal on. */
export function trafficRules(environmentName: string, profile: EnvironmentProfile, series: SeriesNames): TrafficRule[] {
  return trafficServices(profile).flatMap(([service, settings]) =>
    (['drop', 'spike'] as const).map((side) => trafficRule(environmentName, service, side, settings[side], series)),
  );
}

function trafficRule(
  environmentName: string,
  service: string,
  side: keyof TrafficAnomaly,
  band: TrafficBand,
  series: SeriesNames,
): TrafficRule {
  const { alert, severity } = TRAFFIC_SIGNALS[side];
  return {
    alert,
    expr: trafficExpression(environmentName, service, side, series),
    for: duration(band.windowMinutes),
    labels: {
      severity,
      environment: environmentName,
      [SIGNAL_LABEL]: TRAFFIC_SIGNAL_LABEL_VALUE,
      [SERVICE_LABEL]: service,
    },
    annotations: trafficAnnotations(environmentName, service, side, band),
  };
}

/**
 * The rule's PromQL. Drop: the rate (0 when no request arrives at all) below half of the rate at
 * the same moment of each of the last three weeks, each of which must be above the usual-rate floor.
 * Spike: above three times each of them. A week without data has no answer, so the rule is silent.
 */
export function trafficExpression(
  environmentName: string,
  service: string,
  side: keyof TrafficAnomaly,
  series: SeriesNames,
): string {
  const selector = `${ruleSeries(series).requests}{${ENVIRONMENT_LABEL}=${JSON.stringify(environmentName)},${SERVICE_LABEL}=${JSON.stringify(service)}}`;
  const range = duration(TRAFFIC_RATE_RANGE_MINUTES);
  const rate = (offset: string) => `sum by (${SERVICE_LABEL}) (rate(${selector}[${range}]${offset}))`;
  const week = (n: number) => `(${rate(` offset ${n}w`)} > ${number(TRAFFIC_MIN_USUAL_RATE)})`;
  const weeks = Array.from({ length: TRAFFIC_HISTORY_WEEKS }, (_, index) => index + 1);
  const now =
    side === 'drop'
      ? // No series at all is no traffic: with delta temporality an idle service sends nothing.
        `(${rate('')} or 0 * ${rate(' offset 1w')})`
      : rate('');
  const compare = side === 'drop' ? `< ${number(TRAFFIC_DROP_RATIO)}` : `> ${number(TRAFFIC_SPIKE_RATIO)}`;
  return weeks.map((n) => `${now}\n  ${compare} * ${week(n)}`).join('\nand\n');
}

function trafficAnnotations(
  environmentName: string,
  service: string,
  side: keyof TrafficAnomaly,
  band: TrafficBand,
): Readonly<Record<string, string>> {
  const { alert } = TRAFFIC_SIGNALS[side];
  const usual = `the rate at the same time of each of the last ${TRAFFIC_HISTORY_WEEKS} weeks`;
  const forText = `over ${duration(TRAFFIC_RATE_RANGE_MINUTES)}, for ${duration(band.windowMinutes)}`;
  const floor = `(where that usual rate is above ${number(TRAFFIC_MIN_USUAL_RATE)} requests/s)`;
  return side === 'drop'
    ? {
        summary: `${service} in ${environmentName}: request rate far below its usual rate`,
        description: `The request rate of ${service} in ${environmentName} has stayed below ${number(TRAFFIC_DROP_RATIO * 100)} % of ${usual} ${floor}, ${forText}: callers are not reaching it.`,
        runbook_url: runbookUrl(alert),
      }
    : {
        summary: `${service} in ${environmentName}: request rate far above its usual rate`,
        description: `The request rate of ${service} in ${environmentName} has stayed above ${number(TRAFFIC_SPIKE_RATIO)} times ${usual} ${floor}, ${forText}.`,
        runbook_url: runbookUrl(alert),
      };
}
