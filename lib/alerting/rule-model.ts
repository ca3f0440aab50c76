/**
 * The vocabulary of the Prometheus alert rules: the rule and group shapes, the conditions a rule
 * watches (with the numbers its promtool tests need), the rule names per signal and severity, and
 * the collector checks and tiers. Conventions (windows, ranges) in lib/alerting/prometheus-rules.ts.
 * Pure: no CDK.
 */
import { COLLECTOR_SERVICE_NAME } from '../collector/cloudwatch';
import { GATEWAY_TELEMETRY_SERVICE_NAME } from '../collector/generate';
import type { SeriesNames } from '../metrics/series-names';
import type { AlertSignal, EnvironmentProfile, Severity } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration, type SignalId } from '../signals';
import type { AlertName } from './runbooks';
import type { ServiceLevelObjective } from './thresholds';

/** An alert name a signal declaration gives (lib/signals), checked only to be non-empty. */
export type DeclaredAlertName = string & {};

/** The rule as Prometheus and the Mimir ruler read it. */
export interface PrometheusAlertRule {
  /** A library alert, or the alert name a signal declared outside the library gives itself. */
  readonly alert: AlertName | DeclaredAlertName;
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
      /** A declared signal's generic form: the increase of a catalogue counter per service. */
      readonly kind: 'counterIncrease';
      readonly signal: SignalId;
      readonly service: string;
      /** The catalogue counter, by OTel name. */
      readonly counter: string;
      readonly items: string;
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

/** A rule that cannot be generated or fails a check; the message names the alert and the problem. */
export class AlertRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertRuleError';
  }
}

/** A declaration's alert names by severity (its Prometheus form's), empty for a signal without a rule. */
export function declaredAlerts(signal: SignalDeclaration): Partial<Record<Severity, AlertName | DeclaredAlertName>> {
  return signal.promql.kind === 'none' ? {} : signal.promql.alerts;
}

/**
 * Rule names per signal and severity of the per-service rules, from the declarations
 * (lib/signals/library.ts); a severity an override adds must be named there first.
 */
export const SERVICE_ALERTS: Readonly<Partial<Record<AlertSignal, Partial<Record<Severity, AlertName>>>>> =
  Object.fromEntries(
    SIGNAL_DECLARATIONS.filter((signal) => signal.placement.prometheus === 'perService').map((signal) => [
      signal.id,
      declaredAlerts(signal),
    ]),
  );

/** Burn-rate rule names per objective and severity, from the `sloBurn:<objective>` declarations. */
export const BURN_RATE_ALERTS: Readonly<Record<ServiceLevelObjective['name'], Partial<Record<Severity, AlertName>>>> = {
  availability: sloAlerts('availability'),
  latency: sloAlerts('latency'),
};

function sloAlerts(objective: ServiceLevelObjective['name']): Partial<Record<Severity, AlertName>> {
  const declaration = SIGNAL_DECLARATIONS.find((signal) => signal.id === `sloBurn:${objective}`);
  return declaration === undefined ? {} : (declaredAlerts(declaration) as Partial<Record<Severity, AlertName>>);
}

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
