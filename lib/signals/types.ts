/**
 * What a signal declaration says: one record per signal, from which the Prometheus rules, their
 * promtool tests, the CloudWatch alarms, the dashboards' threshold lines and the runbooks are built
 * (docs/design.md, "Signals"). Pure: no CDK; the constructs turn the CloudWatch form into alarms.
 */
import type { Severity, ThresholdOverride } from '../profile/schema';

/**
 * The stable id of a signal: the profile's `alertThresholds` key, the `signal` of every alarm's
 * metadata, and the part of its alarm name and construct id that names the signal. Never derived
 * from display text, so renaming a title replaces no alarm.
 */
export type SignalId = string;

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

/** The threshold model of a signal: defaults per severity, overridden by the profile. */
export interface SignalThresholds {
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

/** Where a signal's data comes from. */
export type MetricReference =
  /** A metric of the catalogue (lib/metrics/catalogue.ts), by its OTel name. */
  | { readonly source: 'catalogue'; readonly otelName: string }
  /** A metric AWS writes (Container Insights, the load balancer, CloudWatch Logs, our metric filters). */
  | { readonly source: 'aws'; readonly namespace: string; readonly metricName: string };

/** CloudWatch's TreatMissingData, by its CloudFormation value. */
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

/**
 * How many data points make an alarm: every one-minute point of the window (evaluationPeriods =
 * datapointsToAlarm = window minutes), or one point whose period is the window.
 */
export type Evaluation = 'everyMinuteOfWindow' | 'oneWindowPeriod' | { readonly periods: number };

interface CloudWatchFormBase {
  /** TreatMissingData, and why: silence is either a quiet service or the fault itself. */
  readonly missingData: MissingData;
  readonly missingDataReason: string;
  /** What the alarm's description calls the value it compares, e.g. `error rate (%)`. */
  readonly describes: string;
}

/** One metric and the statistic an alarm reads of it. */
export interface MetricStatistic {
  readonly metric: MetricReference;
  /** A CloudWatch statistic: `Sum`, `Maximum`, `p95`. */
  readonly statistic: string;
}

/**
 * The CloudWatch form of a signal: a discriminated union, so a new form (an anomaly band) is one
 * more member, not a rewrite of the others.
 */
export type CloudWatchForm =
  | (CloudWatchFormBase &
      MetricStatistic & {
        readonly kind: 'metric';
        readonly evaluation: Evaluation;
      })
  | (CloudWatchFormBase & {
      readonly kind: 'metricMath';
      /** The expression over `using`, e.g. `100 * errors / requests`. */
      readonly expression: string;
      readonly using: Readonly<Record<string, MetricStatistic>>;
      readonly evaluation: Evaluation;
    })
  | (CloudWatchFormBase &
      MetricStatistic & {
        /** CloudWatch `ANOMALY_DETECTION_BAND(m, stddevs)`: fires outside the band the model learned. */
        readonly kind: 'anomalyBand';
        /** The metric's period, in minutes: the band is learned and compared per period. */
        readonly periodMinutes: number;
        /** The metric's label in the alarm's graph. */
        readonly label: string;
        /** The band's width in standard deviations, unless the profile sets another. */
        readonly standardDeviations: number;
        /** Which side of the band fires, per severity (a drop pages, a spike warns). */
        readonly sides: Partial<Record<Severity, 'below' | 'above' | 'outside'>>;
        /** Periods past the band that make the alarm (all of them), unless the profile sets another window. */
        readonly evaluation: { readonly periods: number };
      })
  | {
      /** Alarms over other alarms, e.g. a burn rate's long AND short window. */
      readonly kind: 'composite';
      readonly rule: string;
      readonly reason: string;
    };

/**
 * The Prometheus form of a signal. `rule` names the hand-written conditions of lib/alerting (their
 * PromQL and promtool cases are generated there); `counterIncrease` is the generic form a new signal
 * takes: the increase of a catalogue counter per service over the rate range, with `for` = window.
 */
export type PromqlForm =
  | { readonly kind: 'none'; readonly reason: string }
  | {
      readonly kind: 'rule';
      readonly rule:
        | 'silence'
        | 'errorRate'
        | 'latencyP95'
        | 'burnRate'
        | 'aiCost'
        | 'collector'
        | 'gatewayEvictions'
        | 'traffic';
      /** Alert names by severity (the runbook sections of the same names). */
      readonly alerts: Partial<Record<Severity, string>>;
      /** The expression's shape, for readers; the exact PromQL is lib/alerting/rule-expressions.ts. */
      readonly shape: string;
    }
  | {
      readonly kind: 'counterIncrease';
      readonly alerts: Partial<Record<Severity, string>>;
      /** The catalogue counter, by OTel name. */
      readonly counter: string;
      /** What the counted items are, plural: `rejected jobs`. */
      readonly items: string;
    };

/** The dashboard panel that shows a signal, and how its threshold lines are drawn. */
export type DashboardForm =
  | { readonly kind: 'none'; readonly reason: string }
  | {
      /** A panel written by hand in lib/dashboards, which draws the lines from the threshold model. */
      readonly kind: 'panel';
      readonly dashboard: string;
      readonly panel: string;
      readonly thresholdLines: 'perDeployment' | 'perEnvironment' | 'none';
    }
  | {
      /** A panel generated from the declaration on the service health dashboard, with per-deployment lines. */
      readonly kind: 'signalPanel';
      readonly title: string;
      /** A Grafana unit id. */
      readonly unit: string;
    };

/** A runbook: what the alert means, the first three checks, the mitigation. */
export interface RunbookText {
  readonly meaning: string;
  readonly checks: readonly [string, string, string];
  readonly mitigation: string;
}

/** The runbook sections a signal's alerts and alarms link to. */
export type RunbookForm =
  /** Sections of lib/alerting/runbooks.ts, by name. */
  | { readonly kind: 'sections'; readonly sections: readonly string[] }
  /** The text itself, one section per alert name of the signal's Prometheus form. */
  | { readonly kind: 'text'; readonly text: RunbookText };

/** Where one severity of a signal alarms in CloudWatch. */
export type CloudWatchPlacement = 'serviceAlarm' | 'environmentAlarm' | 'gatewayAlarm' | 'prometheusOnly';

/**
 * Where a signal alarms and why (issue 23; docs/design.md, "Alarm placement"):
 * - `serviceAlarm`: a CloudWatch alarm per service; a critical one is a member of the service's
 *   `Page` composite (`compositeMember`), which pages once for all of them;
 * - `environmentAlarm`: one CloudWatch alarm for the environment, which pages by itself;
 * - `gatewayAlarm`: alarms of the collector gateway, where the profile has one;
 * - `prometheusOnly`: no CloudWatch alarm, the Grafana Cloud rule alone.
 * The rule: CloudWatch holds what pages (it must page while Grafana Cloud is down); a warning with
 * a Prometheus rule of the same meaning is Prometheus only; a CloudWatch-only signal keeps its alarm.
 */
export interface Placement {
  /** The placement of every severity not named in `severities`. */
  readonly cloudWatch: CloudWatchPlacement;
  /** Severities placed apart from `cloudWatch`, e.g. a warning left to its Prometheus rule. */
  readonly severities?: Partial<Record<Severity, CloudWatchPlacement>>;
  readonly compositeMember: boolean;
  /** Whether Grafana Cloud has a rule for it, per service or per environment. */
  readonly prometheus: 'perService' | 'perEnvironment' | 'none';
  readonly reason: string;
}

/** One signal: everything every generator needs to alert on it. */
export interface SignalDeclaration {
  readonly id: SignalId;
  /** Display text; free to change, it names no resource. */
  readonly title: string;
  readonly meaning: string;
  readonly metric: MetricReference;
  /** The threshold model, or undefined for a signal whose thresholds are fixed by its form (SLOs, heartbeat). */
  readonly thresholds?: SignalThresholds;
  readonly cloudWatch: readonly CloudWatchForm[];
  readonly promql: PromqlForm;
  /** The edge cases its promtool tests pin (generated in lib/alerting/rule-test-*.ts). */
  readonly ruleTests: readonly string[];
  readonly dashboard: DashboardForm;
  readonly runbook: RunbookForm;
  readonly placement: Placement;
}
