/**
 * A service's alarm values from the environment's settings and the service's own overrides: the
 * same results `resolveThresholds` and `anomalyBandFor` give from a profile (a test holds them
 * equal for every service of every profile), without one. Pure: no CDK.
 */
import { type Threshold, thresholdFromModel } from '../alerting/thresholds';
import {
  anomalyBandForm,
  TRAFFIC_ANOMALY_DEFAULTS,
  TRAFFIC_SIGNALS,
  type TrafficAnomaly,
  type TrafficBand,
} from '../alerting/traffic-anomaly';
import { ALERT_SIGNALS, SEVERITIES } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration, thresholdSignals } from '../signals';
import type { ThresholdSetting, TrafficAnomalySetting, TrafficBandSetting } from './settings';

/** A threshold override: the value, the window, or both. */
export interface ThresholdOverrideProps {
  /** The value the signal must cross, in the signal's unit. */
  readonly threshold: number;
  /**
   * How long the signal must stay past it, in minutes.
   * @default - the environment's window for the signal and severity
   */
  readonly windowMinutes?: number;
}

/** Overrides of one signal, per severity. */
export interface SeverityOverrideProps {
  /** @default - the environment's critical threshold */
  readonly critical?: ThresholdOverrideProps;
  /** @default - the environment's warning threshold */
  readonly warning?: ThresholdOverrideProps;
  /** @default - the environment's info threshold */
  readonly info?: ThresholdOverrideProps;
}

/** A service's overrides of the environment's alert thresholds, by signal (the profile's `alertThresholds`). */
export interface ServiceAlertThresholds {
  /** @default - the environment's */
  readonly serviceDown?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly errorRate?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly latencyP95?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly taskRestarts?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly aiCostPerHour?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly logGroupGrowth?: SeverityOverrideProps;
  /** @default - the environment's */
  readonly collectorHealth?: SeverityOverrideProps;
}

// Every overridable signal of the profile has its field above, and no other: a new signal fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyAlertSignal: Same<keyof ServiceAlertThresholds, (typeof ALERT_SIGNALS)[number]> = true;
void _everyAlertSignal;

/**
 * The thresholds of one service: the environment's (`settings.alarms.thresholds`), then the
 * service's overrides. A signal the profile cannot override (a declared one) keeps its defaults.
 */
export function serviceThresholds(
  environment: readonly ThresholdSetting[],
  overrides: ServiceAlertThresholds | undefined,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): Threshold[] {
  return thresholdSignals(signals).flatMap(({ id: signal, thresholds: model }) =>
    SEVERITIES.flatMap((severity): Threshold[] => {
      const overridable = (ALERT_SIGNALS as readonly string[]).includes(signal);
      const base = overridable
        ? environment.find((entry) => entry.signal === signal && entry.severity === severity)
        : model.defaults[severity];
      const override = overridable ? definedOnly(overrides?.[signal as keyof ServiceAlertThresholds]?.[severity]) : {};
      const merged = { threshold: base?.threshold, windowMinutes: base?.windowMinutes, ...override };
      return thresholdFromModel(signal, severity, model, merged);
    }),
  );
}

/**
 * A service's traffic anomaly bands: defaults, then the environment's setting, then the service's;
 * undefined where it is turned off (the service's word winning) or the service sends no request
 * metrics (no instrumentation).
 */
export function serviceTrafficAnomaly(
  environment: TrafficAnomalySetting | undefined,
  own: TrafficAnomalySetting | undefined,
  instrumentation: boolean,
): TrafficAnomaly | undefined {
  if (!instrumentation) return undefined;
  if ((own?.enabled ?? environment?.enabled ?? true) === false) return undefined;
  const side = (name: keyof TrafficAnomaly): TrafficBand => ({
    ...TRAFFIC_ANOMALY_DEFAULTS[name],
    ...definedOnly<TrafficBandSetting>(environment?.[name]),
    ...definedOnly<TrafficBandSetting>(own?.[name]),
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
  if (side !== undefined) return traffic?.[side];
  return { bandWidth: form.standardDeviations, windowMinutes: form.evaluation.periods * form.periodMinutes };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
