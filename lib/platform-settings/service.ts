/**
 * A service's alarm values from the environment's settings and the service's own overrides: the
 * same results `resolveThresholds` and `anomalyBandFor` give from a profile (a test holds them
 * equal for every service of every profile), without one. Pure: no CDK.
 */
import { definedOnly, type Threshold, thresholdFromModel } from '../alerting/thresholds';

import { ALERT_SIGNALS, SEVERITIES } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration, thresholdSignals } from '../signals';

// The same bands from a profile or from the settings: one implementation, beside the rules it feeds.
export { serviceAnomalyBand, serviceTrafficAnomaly } from '../alerting/traffic-anomaly';

import type { ThresholdSetting } from './settings';

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
