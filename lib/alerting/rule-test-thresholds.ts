/**
 * promtool cases of the threshold rules (error rate, p95 latency, collector losses, gateway
 * evictions): a rate or increase over a range, with `for` = the window. Each rule fires once its
 * window has passed just above the threshold, stays silent just under it, and stays silent on a
 * spike shorter than its window. Pure: no CDK.
 */
import { duration, number, type RuleSeries } from './rule-expressions';
import { type AlertCondition, COLLECTOR_TIERS } from './rule-model';
import {
  COLLECTOR_COMPONENT,
  counter,
  ENDPOINT,
  elsewhere,
  type InputSeries,
  JUST_ABOVE,
  JUST_UNDER,
  LEAD_IN_MINUTES,
  type Level,
  lasting,
  type Phase,
  REQUESTS_PER_MINUTE,
  type Scenario,
} from './rule-test-series';

// --- Threshold rules: a rate over a range, `for` = the window ------------------------------------

/** A signal driven by levels: its series for a sequence of phases, and the rule's condition. */
interface LevelledSignal {
  readonly series: (phases: readonly Phase<Level>[]) => InputSeries[];
  /** The rule's value while its whole range is `above`. */
  readonly aboveValue: number;
  /**
   * Whether the rule's condition holds when `breach` of the `intervals` sample intervals in its
   * range carry `level` and the others are healthy; undefined when too close to call.
   */
  readonly holds: (level: 'above' | 'spike', breach: number, intervals: number) => boolean | undefined;
}

export type ThresholdCondition = AlertCondition & {
  kind: 'errorRate' | 'latencyP95' | 'collector' | 'gatewayEvictions' | 'counterIncrease';
};

export function thresholdScenarios(
  environmentName: string,
  condition: ThresholdCondition,
  names: RuleSeries,
): Scenario[] {
  const range = condition.rangeMinutes;
  const window = condition.forMinutes;
  const start = LEAD_IN_MINUTES;
  const signal = levelledSignal(environmentName, condition, names);
  // promtool 2.42 reads a range [t - range, t]: its sample intervals end at t - range + 1 .. t.
  const intervals = (minute: number) => Math.min(minute, range);
  const breachIn = (minute: number, from: number, to: number) =>
    Math.max(0, Math.min(minute, to) - Math.max(from, minute - range));
  // The breach's sample intervals end at start + 1 onwards; the condition first holds at `holdsFrom`,
  // so the alert is pending from then and fires `window` later, to the minute.
  const checked = Array.from({ length: range + 1 }, (_, index) => start + index).map((minute) => ({
    minute,
    holds: signal.holds('above', breachIn(minute, start, Number.POSITIVE_INFINITY), intervals(minute)),
  }));
  const first = checked.findIndex((check) => check.holds === true);
  const exact = first > 0 && checked.slice(0, first).every((check) => check.holds === false);
  // Otherwise pending begins somewhere in start + 1 .. start + range.
  const holdsFrom = exact ? checked[first].minute : start + range;
  const fires: Scenario = {
    role: 'fires',
    title: `fires ${exact ? 'exactly' : 'once'} the window after it goes just above the threshold`,
    sampleMinutes: 1,
    series: (until) =>
      signal.series(
        lasting(until, [
          { minutes: start, level: 'healthy' },
          { minutes: 1, level: 'above' },
        ]),
      ),
    silentAt: [(exact ? holdsFrom : start + 1) + window - 1],
    pendingDuring: [holdsFrom, (exact ? holdsFrom : start + 1) + window - 1],
    firing: { at: holdsFrom + window, value: () => signal.aboveValue },
  };
  // A spike of window - range minutes keeps the condition true for at most window - 1
  // evaluations (start + 1 .. start + spike + range - 1), so `for` never runs out.
  const spikeMinutes = window - range;
  const spikeEnd = start + spikeMinutes;
  const spikeSeen = signal.holds('spike', breachIn(spikeEnd, start, spikeEnd), intervals(spikeEnd)) === true;
  return [
    fires,
    {
      role: 'under',
      title: 'stays silent just under the threshold, while another environment is above it',
      sampleMinutes: 1,
      series: (until) => [
        ...signal.series(lasting(until, [{ minutes: 1, level: 'under' }])),
        ...elsewhere(environmentName, fires.series(until)),
      ],
      silentAt: [start + range + window + 1],
    },
    {
      role: 'spike',
      title: `stays silent on a ${duration(spikeMinutes)} spike, shorter than the window`,
      sampleMinutes: 1,
      series: (until) =>
        signal.series(
          lasting(until, [
            { minutes: start, level: 'healthy' },
            { minutes: spikeMinutes, level: 'spike' },
            { minutes: 1, level: 'healthy' },
          ]),
        ),
      silentAt: [start + window - 1, start + window, start + window + 1],
      ...(spikeSeen ? { pendingDuring: [spikeEnd, spikeEnd] as const } : {}),
    },
  ];
}

/** true above the threshold, false at or under it, each with a 2 % margin; undefined between. */
function compared(value: number, threshold: number): boolean | undefined {
  if (value > threshold && value >= threshold * 1.02) return true;
  if (value <= threshold * 0.98) return false;
  return undefined;
}

function levelledSignal(environmentName: string, condition: ThresholdCondition, names: RuleSeries): LevelledSignal {
  const environment = { deployment_environment_name: environmentName };
  const range = condition.rangeMinutes;
  switch (condition.kind) {
    case 'errorRate': {
      const threshold = condition.thresholdPercent;
      // Percent of requests answered with a 5xx.
      const percent: Record<Level, number> = {
        healthy: 0,
        under: threshold * JUST_UNDER,
        above: Math.min(threshold * JUST_ABOVE, (threshold + 100) / 2),
        spike: 100,
      };
      const labels = { ...environment, service_name: condition.service, ...ENDPOINT };
      return {
        series: (phases) => [
          counter(names.requests, { ...labels, status_code: '200' }, phases, (level) => {
            return (REQUESTS_PER_MINUTE * (100 - percent[level])) / 100;
          }),
          counter(names.requests, { ...labels, status_code: '500' }, phases, (level) => {
            return (REQUESTS_PER_MINUTE * percent[level]) / 100;
          }),
        ],
        aboveValue: percent.above,
        holds: (level, breach, intervals) => compared((percent[level] * breach) / intervals, threshold),
      };
    }
    case 'latencyP95': {
      const threshold = condition.thresholdSeconds;
      // Every request in one bucket: (0, 0.9 t] healthy, (0.9 t, t] under, (t, 1.1 t] above.
      const bounds = [threshold * 0.9, threshold, threshold * 1.1, Number.POSITIVE_INFINITY];
      const firstBucketCounting: Record<Level, number> = { healthy: 0, under: 1, above: 2, spike: 2 };
      const labels = { ...environment, service_name: condition.service, ...ENDPOINT };
      return {
        series: (phases) =>
          bounds.map((bound, index) =>
            counter(
              names.durationBuckets,
              { ...labels, le: Number.isFinite(bound) ? number(bound) : '+Inf' },
              phases,
              (level) => (index >= firstBucketCounting[level] ? REQUESTS_PER_MINUTE : 0),
            ),
          ),
        // histogram_quantile interpolates linearly inside (t, 1.1 t]: t + 0.95 * 0.1 t.
        aboveValue: threshold * 1.095,
        // p95 passes t once more than 5 % of the range's requests are above it.
        holds: (_, breach, intervals) => compared(breach / intervals, 0.05),
      };
    }
    case 'collector': {
      // Every tier that reports the counter (sidecars, and the gateway where there is one) loses
      // the same items, so each must raise its own alert.
      const component = { [condition.check.component]: COLLECTOR_COMPONENT[condition.check.component] };
      return countedItems(condition, range, (phases, perMinute) =>
        condition.collectors.map((collector) =>
          counter(
            names.collector(condition.check, condition.items),
            { ...environment, ...component, service_name: collector },
            phases,
            perMinute,
          ),
        ),
      );
    }
    case 'counterIncrease':
      // A declared signal's counter, as the service reports it.
      return countedItems(condition, range, (phases, perMinute) => [
        counter(names.of(condition.counter), { ...environment, service_name: condition.service }, phases, perMinute),
      ]);
    case 'gatewayEvictions':
      return countedItems(condition, range, (phases, perMinute) => [
        counter(
          names.gatewayEvictions,
          { ...environment, service_name: COLLECTOR_TIERS.gateway, worker: '0' },
          phases,
          perMinute,
        ),
      ]);
  }
}

/** A counter of lost items against an item threshold: the collector and gateway-eviction rules. */
function countedItems(
  condition: ThresholdCondition & { kind: 'collector' | 'gatewayEvictions' | 'counterIncrease' },
  range: number,
  series: (phases: readonly Phase<Level>[], perMinute: (level: Level) => number) => InputSeries[],
): LevelledSignal {
  const threshold = condition.threshold;
  // Whole items per minute, so the increase over the range is exact; it is the rule's value.
  const perMinute: Record<Level, number> = {
    healthy: 0,
    under: Math.floor((threshold * JUST_UNDER) / range),
    above: Math.floor((threshold * JUST_ABOVE) / range) + 1,
    spike: Math.floor(threshold * 2) + 1,
  };
  return {
    series: (phases) => series(phases, (level) => perMinute[level]),
    aboveValue: perMinute.above * range,
    holds: (level, breach) => compared(perMinute[level] * breach, threshold),
  };
}
