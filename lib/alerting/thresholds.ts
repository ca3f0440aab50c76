/**
 * The threshold model: the declared signals' defaults (lib/signals, the design's section 6.5),
 * overridden per environment and then per service by the profile. CloudWatch
 * alarms, Prometheus alert rules and dashboard threshold lines are all built from its output, so
 * they cannot disagree. Pure: no CDK.
 */
import type {
  AlertSignal,
  AlertThresholdOverrides,
  EnvironmentProfile,
  Severity,
  ThresholdOverride,
} from '../profile/schema';
import { ALERT_SIGNALS, SEVERITIES } from '../profile/schema';
import {
  SIGNAL_DECLARATIONS,
  type SignalDeclaration,
  type SignalId,
  type SignalThresholds,
  signalById,
  type ThresholdRange,
  thresholdSignals,
} from '../signals';

/** A signal's threshold model (declared in lib/signals/library.ts). */
export type SignalDefinition = SignalThresholds;
export type { ThresholdRange };

/** The threshold model of the profile's signals, from their declarations (lib/signals/library.ts). */
export const SIGNALS: Readonly<Record<AlertSignal, SignalDefinition>> = Object.fromEntries(
  ALERT_SIGNALS.map((id) => {
    const thresholds = signalById(id).thresholds;
    if (thresholds === undefined) throw new Error(`the declaration of ${id} has no thresholds`);
    return [id, thresholds];
  }),
) as Record<AlertSignal, SignalDefinition>;

/** One resolved threshold: what an alarm or an alert rule is built from. */
export interface Threshold {
  /** The signal's stable id: a key of the profile's alertThresholds, or a declared signal's id. */
  readonly signal: SignalId;
  readonly severity: Severity;
  readonly threshold: number;
  readonly windowMinutes: number;
  readonly comparison: 'above' | 'below';
  readonly unit: string;
  readonly description: string;
}

/**
 * The thresholds that apply to one service: defaults, then the environment's overrides, then the
 * service's. An override may change the threshold, the window, or both, and may add a severity
 * the defaults lack. Signals come from their declarations (`signals`, the library's by default);
 * only the profile's signals (ALERT_SIGNALS) can be overridden.
 */
export function resolveThresholds(
  profile: EnvironmentProfile,
  serviceName?: string,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): Threshold[] {
  const serviceOverrides = serviceName === undefined ? undefined : profile.services[serviceName]?.alertThresholds;
  return thresholdSignals(signals).flatMap(({ id: signal, thresholds: model }) =>
    SEVERITIES.flatMap((severity): Threshold[] => {
      const merged = {
        ...model.defaults[severity],
        ...overrideFor(profile.alertThresholds, signal, severity),
        ...overrideFor(serviceOverrides, signal, severity),
      };
      return thresholdFromModel(signal, severity, model, merged);
    }),
  );
}

/**
 * The threshold of `signal` at `severity` from its model and the merged settings: none without a
 * value; the window defaults to the model's critical window, else 5 minutes.
 */
export function thresholdFromModel(
  signal: SignalId,
  severity: Severity,
  model: SignalThresholds,
  merged: { readonly threshold?: number; readonly windowMinutes?: number },
): Threshold[] {
  if (merged.threshold === undefined) return [];
  return [
    {
      signal,
      severity,
      threshold: merged.threshold,
      windowMinutes: merged.windowMinutes ?? model.defaults.critical?.windowMinutes ?? 5,
      comparison: model.comparison,
      unit: model.unit,
      description: model.description,
    },
  ];
}

/** The threshold of one signal and severity for a service, or undefined when it has none. */
export function thresholdFor(
  thresholds: readonly Threshold[],
  signal: SignalId,
  severity: Severity,
): Threshold | undefined {
  return thresholds.find((candidate) => candidate.signal === signal && candidate.severity === severity);
}

function overrideFor(
  overrides: AlertThresholdOverrides | undefined,
  signal: SignalId,
  severity: Severity,
): Partial<ThresholdOverride> {
  if (!(ALERT_SIGNALS as readonly string[]).includes(signal)) return {};
  const override = overrides?.[signal as AlertSignal]?.[severity];
  return definedOnly(override);
}

/** The fields of an override that are set: an absent field must not hide the level below it. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** Service level objectives (design 6.5): availability and latency, over 30 days. */
export interface ServiceLevelObjective {
  readonly name: 'availability' | 'latency';
  /** The share of good events the objective promises, e.g. 0.999. */
  readonly objective: number;
  readonly description: string;
  /** For latency: the duration (s) a request must beat to count as good. */
  readonly latencyThresholdSeconds?: number;
}

export const SLO_PERIOD_DAYS = 30;

export const SERVICE_LEVEL_OBJECTIVES: readonly ServiceLevelObjective[] = [
  { name: 'availability', objective: 0.999, description: '99.9 % of requests answered without a 5xx status' },
  {
    name: 'latency',
    objective: 0.95,
    latencyThresholdSeconds: 2,
    description: '95 % of requests answered in under 2 s',
  },
];

/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, chapter 5): an alert fires when the
 * error budget burns faster than `burnRate` over both the long and the short window (the short one
 * makes it stop soon after the burn stops). Fast burns page; slow burns warn.
 */
export interface BurnRateWindow {
  readonly severity: Severity;
  readonly burnRate: number;
  readonly longWindowMinutes: number;
  readonly shortWindowMinutes: number;
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  // 2 % of a 30-day budget in 1 hour
  { severity: 'critical', burnRate: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5 },
  // 5 % in 6 hours
  { severity: 'critical', burnRate: 6, longWindowMinutes: 360, shortWindowMinutes: 30 },
  // 10 % in 1 day (the workbook's ticket tier; one day keeps it inside CloudWatch's evaluation limit)
  { severity: 'warning', burnRate: 3, longWindowMinutes: 1440, shortWindowMinutes: 120 },
];

/** The error rate (0..1) at which an SLO's budget burns at `burnRate`. */
export function burnRateThreshold(slo: ServiceLevelObjective, burnRate: number): number {
  // Rounded to 9 decimals: 14.4 * (1 - 0.999) is 0.014400000000000013 in floating point.
  return Math.round(burnRate * (1 - slo.objective) * 1e9) / 1e9;
}
