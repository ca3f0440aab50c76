/**
 * The threshold model: one definition per signal and severity, with the design's defaults
 * (section 6.5), overridden per environment and then per service by the profile. CloudWatch
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

export interface SignalDefinition {
  /** What the threshold is measured in. */
  readonly unit: string;
  /** Whether the alert fires above or below the threshold. */
  readonly comparison: 'above' | 'below';
  readonly description: string;
  /** Defaults by severity; a severity without a default can still be turned on by an override. */
  readonly defaults: Partial<Record<Severity, Required<ThresholdOverride>>>;
  /**
   * The thresholds that can fire and can also stop firing: outside it an alarm never fires (an
   * error rate above 100 %) or never clears (a latency above 0 s). The profile rules refuse the rest.
   */
  readonly validRange: ThresholdRange;
}

/** A range of thresholds; `min` and `max` are inclusive unless marked exclusive. */
export interface ThresholdRange {
  readonly min: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** Counts: "above 2.5 restarts" is "above 2", so only whole numbers are meaningful. */
  readonly integer?: boolean;
  /** Why the range is what it is, quoted in the error. */
  readonly reason: string;
}

/** The design's thresholds (section 6.5). */
export const SIGNALS: Readonly<Record<AlertSignal, SignalDefinition>> = {
  serviceDown: {
    unit: 'healthy tasks',
    comparison: 'below',
    description: 'fewer healthy tasks than this, for the whole window: the service is down',
    defaults: { critical: { threshold: 1, windowMinutes: 2 } },
    validRange: {
      min: 1,
      integer: true,
      reason: 'no task count is below 0, and the threshold may not exceed desiredCount',
    },
  },
  errorRate: {
    unit: '%',
    comparison: 'above',
    description: 'share of requests answered with a 5xx status',
    defaults: { critical: { threshold: 10, windowMinutes: 5 }, warning: { threshold: 5, windowMinutes: 10 } },
    validRange: {
      min: 0,
      minExclusive: true,
      max: 100,
      maxExclusive: true,
      reason: 'a share of requests: above 0 fires on any single error, and no rate is above 100 %',
    },
  },
  latencyP95: {
    unit: 's',
    comparison: 'above',
    description: '95th percentile of request duration',
    defaults: { critical: { threshold: 5, windowMinutes: 5 }, warning: { threshold: 2, windowMinutes: 10 } },
    validRange: {
      min: 0,
      minExclusive: true,
      max: 300,
      reason:
        'every request takes more than 0 s, and a p95 above 5 minutes is a hung request, which serviceDown and the health check catch',
    },
  },
  taskRestarts: {
    unit: 'restarts',
    comparison: 'above',
    description: 'tasks that stopped (and were replaced) within the window',
    defaults: { critical: { threshold: 3, windowMinutes: 10 } },
    validRange: { min: 0, integer: true, reason: 'a count of stopped tasks' },
  },
  aiCostPerHour: {
    unit: 'USD/h',
    comparison: 'above',
    description: 'AI spend over the last hour',
    defaults: { warning: { threshold: 10, windowMinutes: 60 } },
    validRange: { min: 0, minExclusive: true, reason: 'above 0 USD/h fires whenever the service uses AI at all' },
  },
  logGroupGrowth: {
    unit: '% of the daily log quota',
    comparison: 'above',
    description: "log ingestion over the window, as a share of the window's part of the daily quota",
    defaults: { warning: { threshold: 80, windowMinutes: 60 } },
    validRange: { min: 0, minExclusive: true, reason: 'above 0 % fires on any log line' },
  },
  collectorHealth: {
    unit: 'items',
    comparison: 'above',
    description: 'spans, metric points or log records the collector failed to send, refused or dropped',
    defaults: { warning: { threshold: 0, windowMinutes: 5 } },
    validRange: { min: 0, integer: true, reason: 'a count of items; 0 fires on the first lost item' },
  },
};

/** One resolved threshold: what an alarm or an alert rule is built from. */
export interface Threshold {
  readonly signal: AlertSignal;
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
 * the defaults lack.
 */
export function resolveThresholds(profile: EnvironmentProfile, serviceName?: string): Threshold[] {
  const serviceOverrides = serviceName === undefined ? undefined : profile.services[serviceName]?.alertThresholds;
  return ALERT_SIGNALS.flatMap((signal) =>
    SEVERITIES.flatMap((severity): Threshold[] => {
      const merged = {
        ...SIGNALS[signal].defaults[severity],
        ...overrideFor(profile.alertThresholds, signal, severity),
        ...overrideFor(serviceOverrides, signal, severity),
      };
      if (merged.threshold === undefined) return [];
      return [
        {
          signal,
          severity,
          threshold: merged.threshold,
          windowMinutes: merged.windowMinutes ?? SIGNALS[signal].defaults.critical?.windowMinutes ?? 5,
          comparison: SIGNALS[signal].comparison,
          unit: SIGNALS[signal].unit,
          description: SIGNALS[signal].description,
        },
      ];
    }),
  );
}

/** The threshold of one signal and severity for a service, or undefined when it has none. */
export function thresholdFor(
  thresholds: readonly Threshold[],
  signal: AlertSignal,
  severity: Severity,
): Threshold | undefined {
  return thresholds.find((candidate) => candidate.signal === signal && candidate.severity === severity);
}

function overrideFor(
  overrides: AlertThresholdOverrides | undefined,
  signal: AlertSignal,
  severity: Severity,
): Partial<ThresholdOverride> {
  const override = overrides?.[signal]?.[severity];
  if (override === undefined) return {};
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined));
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
