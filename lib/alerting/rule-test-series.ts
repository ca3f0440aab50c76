/**
 * The input series of the promtool tests: phases of a level, counters that grow by a level's
 * increment per minute, promtool's expanding notation, and the shared figures (request volume,
 * lead-in, the shares "just under" and "just above" a threshold). Pure: no CDK.
 */
import { number } from './rule-expressions';

export interface InputSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** promtool's expanding notation, one sample per step from minute 0. */
  readonly values: string;
}

export const REQUESTS_PER_MINUTE = 10_000;
/** Healthy minutes before a breach begins. */
export const LEAD_IN_MINUTES = 2;
/** Shares of the threshold for "just under" and "just above": the tests pin each threshold to 5 %. */
export const JUST_UNDER = 0.95;
export const JUST_ABOVE = 1.05;
export const ENDPOINT = { endpoint: '/v1/workflows', method: 'POST' } as const;
export const COLLECTOR_COMPONENT = { exporter: 'otlp_http/grafana_cloud', receiver: 'otlp' } as const;

/** Above the threshold after the window; just under it; a spike shorter than the window. */
export type ScenarioRole = 'fires' | 'under' | 'spike';

/** The expected behaviour of one rule in one case. */
export interface Scenario {
  readonly role: ScenarioRole;
  readonly title: string;
  /** Minutes between samples. */
  readonly sampleMinutes: number;
  /** The input, with samples up to at least minute `until` where the case needs data to go on. */
  readonly series: (until: number) => InputSeries[];
  /** Minutes at which the alert must not fire (for a firing case: every minute up to the last of these). */
  readonly silentAt: readonly number[];
  /** Minutes (from, to) throughout which the alert is pending: above the threshold, waiting for `for`. */
  readonly pendingDuring?: readonly [number, number];
  /** The minute from which it fires, and the value its annotations show at a minute from then on. */
  readonly firing?: { readonly at: number; readonly value: (minute: number) => number };
}

export type Level = 'healthy' | 'under' | 'above' | 'spike';

export interface Phase<L> {
  readonly minutes: number;
  readonly level: L;
}

export type Segment =
  | { readonly minutes: number; readonly perMinute: number }
  | { readonly minutes: number; readonly missing: true };

/** The phases, the last one lengthened so that samples reach minute `until`. */
export function lasting<L>(until: number, phases: readonly Phase<L>[]): Phase<L>[] {
  const covered = phases.reduce((sum, phase) => sum + phase.minutes, 0);
  return phases.map((phase, index) =>
    index === phases.length - 1 ? { ...phase, minutes: phase.minutes + Math.max(0, until - covered) } : phase,
  );
}

export function ceilTo(minutes: number, step: number): number {
  return Math.ceil(minutes / step) * step;
}

export function floorTo(minutes: number, step: number): number {
  return Math.floor(minutes / step) * step;
}

export function perMinute(phase: Phase<number>): Segment {
  return { minutes: phase.minutes, perMinute: phase.level };
}

export function counter(
  metric: string,
  labels: Readonly<Record<string, string>>,
  phases: readonly Phase<Level>[],
  increment: (level: Level) => number,
): InputSeries {
  return {
    metric,
    labels,
    values: sampleValues(
      phases.map((phase) => ({ minutes: phase.minutes, perMinute: increment(phase.level) })),
      1,
    ),
  };
}

/**
 * promtool's notation for a series that is 0 at minute 0 and then, segment by segment, grows by
 * `perMinute` each minute or skips samples, with a sample every `step` minutes: `0 5+5x9 _x3 55+5x4`.
 */
export function sampleValues(segments: readonly Segment[], step: number): string {
  const tokens = ['0'];
  let value = 0;
  for (const segment of segments) {
    const samples = segment.minutes / step;
    if (!Number.isInteger(samples))
      throw new Error(`a ${segment.minutes} m segment is not a whole number of ${step} m samples`);
    if (samples <= 0) continue;
    if ('missing' in segment) {
      tokens.push(`_x${samples}`);
      continue;
    }
    const increment = segment.perMinute * step;
    tokens.push(`${number(value + increment)}+${number(increment)}x${samples - 1}`);
    value += increment * samples;
  }
  return tokens.join(' ');
}

/** The same series in another environment: a rule must not see them. */
export function elsewhere(environmentName: string, series: readonly InputSeries[]): InputSeries[] {
  return series.map((item) => ({
    ...item,
    labels: { ...item.labels, deployment_environment_name: `${environmentName}-elsewhere` },
  }));
}
