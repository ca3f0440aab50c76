/**
 * promtool unit tests of the generated alert rules. For every rule, three kinds of case (burn
 * rates: one firing case per tier): it fires above the threshold once its window has passed, it
 * stays silent just under the threshold (while another environment is above it), and it stays
 * silent on a spike shorter than its window (and is seen pending meanwhile, where it has a `for`).
 *
 * Each rule is driven by series built from its own threshold and window, so a per-service
 * override is tested like the defaults; expected annotations are the rule's templates expanded
 * with the value the data produce. The same case of all rules of one alert name (one per service,
 * or per collector signal) forms a unit; units whose rules read different series share a test
 * group, because promtool evaluates every rule at every step of every group.
 */
import { humanize, humanizePercentage } from './humanize';
import {
  type AlertCondition,
  type AlertDefinition,
  type BurnRateTier,
  COLLECTOR_TIERS,
  duration,
  EVALUATION_INTERVAL_MINUTES,
  number,
  type RuleSeries,
  ruleAnnotations,
  ruleSeries,
} from './prometheus-rules';
import { metricNamesIn } from './promql';

export interface InputSeries {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  /** promtool's expanding notation, one sample per step from minute 0. */
  readonly values: string;
}

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

/** A promtool test file of an environment: the rules it tests and how often it evaluates them. */
export interface TestSuite {
  /** The file name after the environment's: `test.yaml` -> `alerts/tests/dev.test.yaml`. */
  readonly fileSuffix: string;
  readonly evaluationMinutes: number;
  readonly covers: (condition: AlertCondition) => boolean;
}

export const TEST_SUITES: readonly TestSuite[] = [
  // Rules with `for` are evaluated every minute, as the ruler does, so pending time counts exactly.
  { fileSuffix: 'test.yaml', evaluationMinutes: EVALUATION_INTERVAL_MINUTES, covers: (condition) => hasFor(condition) },
  // Rules over windows of up to a day have no `for`, so a coarser evaluation changes only when a
  // test looks, not what it sees; a day at one-minute steps would keep promtool busy for minutes.
  { fileSuffix: 'long-windows.test.yaml', evaluationMinutes: 30, covers: (condition) => !hasFor(condition) },
];

function hasFor(condition: AlertCondition): boolean {
  return 'forMinutes' in condition;
}

const REQUESTS_PER_MINUTE = 10_000;
/** Healthy minutes before a breach begins. */
const LEAD_IN_MINUTES = 2;
/** Shares of the threshold for "just under" and "just above": the tests pin each threshold to 5 %. */
const JUST_UNDER = 0.95;
const JUST_ABOVE = 1.05;
const ENDPOINT = { endpoint: '/v1/workflows', method: 'POST' } as const;
const COLLECTOR_COMPONENT = { exporter: 'otlp_http/grafana_cloud', receiver: 'otlp' } as const;

/**
 * The promtool test file (as data) of one suite for the rules of one environment, or undefined
 * when the suite covers none of them.
 */
export function promtoolTestFile(
  definitions: readonly AlertDefinition[],
  ruleFile: string,
  suite: TestSuite,
): Record<string, unknown> | undefined {
  const covered = definitions.filter((definition) => suite.covers(definition.condition));
  if (covered.length === 0) return undefined;
  const alerts = [...new Set(covered.map((definition) => definition.rule.alert))];
  const cases = alerts.flatMap((alert): AlertCase[] => {
    const sameName = covered.filter((definition) => definition.rule.alert === alert);
    const perRule = sameName.map((definition) => scenarios(definition, suite.evaluationMinutes));
    const metrics = new Set(sameName.flatMap((definition) => metricNamesIn(definition.rule.expr)));
    return perRule[0].map((_, index) => ({
      alert,
      definitions: sameName,
      scenarios: perRule.map((list) => list[index]),
      metrics,
    }));
  });
  const tests = ROLES.flatMap((role) =>
    packTogether(cases.filter((item) => item.scenarios[0].role === role)).map((group) =>
      testGroup(group, suite.evaluationMinutes),
    ),
  );
  return { rule_files: [ruleFile], evaluation_interval: duration(suite.evaluationMinutes), tests };
}

const ROLES: readonly ScenarioRole[] = ['fires', 'under', 'spike'];

/** One case of one alert name: the same scenario for each of its rules. */
interface AlertCase {
  readonly alert: string;
  readonly definitions: readonly AlertDefinition[];
  readonly scenarios: readonly Scenario[];
  /** The series its rules read. */
  readonly metrics: ReadonlySet<string>;
}

/**
 * Cases share a promtool test group when their rules read different series: one case's data
 * cannot move another's rules, and promtool evaluates every rule at every step of every group,
 * so fewer groups make the tests run several times faster.
 */
function packTogether(cases: readonly AlertCase[]): AlertCase[][] {
  const groups: AlertCase[][] = [];
  for (const item of cases) {
    const fits = groups.find((group) =>
      group.every(
        (member) =>
          member.scenarios[0].sampleMinutes === item.scenarios[0].sampleMinutes &&
          [...member.metrics].every((metric) => !item.metrics.has(metric)),
      ),
    );
    if (fits === undefined) groups.push([item]);
    else fits.push(item);
  }
  return groups;
}

/**
 * The cases of one rule, always in the same order: firing case(s), just under, spike. Check
 * times are multiples of `evaluationMinutes`.
 */
export function scenarios(definition: AlertDefinition, evaluationMinutes: number): Scenario[] {
  const { condition, environmentName } = definition;
  // The series names of the environment's stack: the input series are named as Mimir stores them.
  const names = ruleSeries(definition.series);
  switch (condition.kind) {
    case 'silence':
      return silenceScenarios(environmentName, condition, names);
    case 'errorRate':
    case 'latencyP95':
    case 'collector':
    case 'gatewayEvictions':
      return thresholdScenarios(environmentName, condition, names);
    case 'aiCost':
      return aiCostScenarios(environmentName, condition, evaluationMinutes, names);
    case 'burnRate':
      return burnRateScenarios(environmentName, condition, evaluationMinutes, names);
  }
}

// --- Threshold rules: a rate over a range, `for` = the window ------------------------------------

type Level = 'healthy' | 'under' | 'above' | 'spike';

interface Phase<L> {
  readonly minutes: number;
  readonly level: L;
}

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

type ThresholdCondition = AlertCondition & { kind: 'errorRate' | 'latencyP95' | 'collector' | 'gatewayEvictions' };

function thresholdScenarios(environmentName: string, condition: ThresholdCondition, names: RuleSeries): Scenario[] {
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
  condition: ThresholdCondition & { kind: 'collector' | 'gatewayEvictions' },
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

// --- ServiceDown: absent_over_time over a range, `for` = the window -----------------------------

function silenceScenarios(
  environmentName: string,
  condition: AlertCondition & { kind: 'silence' },
  names: RuleSeries,
): Scenario[] {
  const range = condition.rangeMinutes;
  const window = condition.forMinutes;
  const labels = { deployment_environment_name: environmentName, service_name: condition.service };
  // The heartbeat: the in-flight gauge (0 when idle) and the request counter, pushed together.
  const heartbeat = (segments: readonly Segment[]): InputSeries[] => [
    {
      metric: names.inFlight,
      labels: { ...labels, endpoint: ENDPOINT.endpoint },
      values: sampleValues(segments, 1),
    },
    {
      metric: names.requests,
      labels: { ...labels, ...ENDPOINT, status_code: '200' },
      values: sampleValues(
        segments.map((segment) => ('missing' in segment ? segment : { ...segment, perMinute: 2 })),
        1,
      ),
    },
  ];
  const lastPush = 10;
  // Absent from lastPush + range + 1 on (no sample in [t - range, t]); fires `window` later.
  const absentFrom = lastPush + range + 1;
  // Resuming at lastPush + range + window keeps it absent for window - 1 evaluations only.
  const resume = lastPush + range + window;
  return [
    {
      role: 'fires',
      title: 'fires exactly the window after the range has passed without a push',
      sampleMinutes: 1,
      series: () => heartbeat([{ minutes: lastPush, perMinute: 0 }]),
      silentAt: [absentFrom + window - 1],
      pendingDuring: [absentFrom, absentFrom + window - 1],
      firing: { at: absentFrom + window, value: () => 1 },
    },
    {
      role: 'under',
      title: `stays silent when pushes arrive only every ${duration(range)}, just often enough`,
      sampleMinutes: 1,
      series: (until) =>
        heartbeat(
          Array.from({ length: Math.ceil(until / range) }, (): Segment[] => [
            { minutes: range - 1, missing: true },
            { minutes: 1, perMinute: 0 },
          ]).flat(),
        ),
      silentAt: [absentFrom + window + 1],
    },
    {
      role: 'spike',
      title: `stays silent when ${resume - lastPush - 1} pushes in a row are missing, fewer than range plus window`,
      sampleMinutes: 1,
      series: (until) =>
        heartbeat([
          { minutes: lastPush, perMinute: 0 },
          { minutes: resume - lastPush - 1, missing: true },
          { minutes: Math.max(1, until - resume + 1), perMinute: 0 },
        ]),
      silentAt: [resume - 1, resume, resume + 1],
      ...(resume - 1 >= absentFrom ? { pendingDuring: [absentFrom, resume - 1] as const } : {}),
    },
  ];
}

// --- HighAICost: spend over the window, no `for` -------------------------------------------------

function aiCostScenarios(
  environmentName: string,
  condition: AlertCondition & { kind: 'aiCost' },
  evaluationMinutes: number,
  names: RuleSeries,
): Scenario[] {
  const window = condition.windowMinutes;
  const budget = condition.thresholdUsd;
  const labels = { deployment_environment_name: environmentName, model: 'example-model' };
  // USD per minute: just above the budget's pace, and twice it.
  const justAbovePace = (JUST_ABOVE * budget) / window;
  const twicePace = (2 * budget) / window;
  const spend = (phases: readonly Phase<number>[]): InputSeries[] => [
    { metric: names.aiCost, labels, values: sampleValues(phases.map(perMinute), 1) },
  ];
  const start = evaluationMinutes;
  // Just above the pace, the window's spend passes the budget only when the window is nearly full.
  const quiet = floorTo((window * 0.98) / JUST_ABOVE, evaluationMinutes);
  // Twice the pace for 40 % of the window spends 80 % of the budget.
  const burst = Math.max(1, Math.floor(window * 0.4));
  const afterBurst = start + ceilTo(burst, evaluationMinutes);
  const fires: Scenario = {
    role: 'fires',
    title: 'fires when the spend over the window passes the budget',
    sampleMinutes: 1,
    series: (until) =>
      spend(
        lasting(until, [
          { minutes: start, level: 0 },
          { minutes: 1, level: justAbovePace },
        ]),
      ),
    silentAt: quiet > 0 ? [start + quiet] : [],
    firing: {
      at: start + ceilTo(window, evaluationMinutes),
      value: (minute) => justAbovePace * Math.min(minute - start, window),
    },
  };
  return [
    fires,
    {
      role: 'under',
      title: 'stays silent just under the budget, while another environment spends more',
      sampleMinutes: 1,
      series: (until) => [
        ...spend(lasting(until, [{ minutes: 1, level: (budget * JUST_UNDER) / window }])),
        ...elsewhere(environmentName, fires.series(until)),
      ],
      silentAt: [ceilTo(window + 1, evaluationMinutes)],
    },
    {
      role: 'spike',
      title: `stays silent on a ${duration(burst)} burst at twice the pace, shorter than the window`,
      sampleMinutes: 1,
      series: (until) =>
        spend(
          lasting(until, [
            { minutes: start, level: 0 },
            { minutes: burst, level: twicePace },
            { minutes: 1, level: 0 },
          ]),
        ),
      silentAt: [afterBurst, afterBurst + evaluationMinutes],
    },
  ];
}

// --- SLO burn rates: the long AND the short window of each tier ---------------------------------

function burnRateScenarios(
  environmentName: string,
  condition: AlertCondition & { kind: 'burnRate' },
  evaluationMinutes: number,
  names: RuleSeries,
): Scenario[] {
  const { tiers } = condition;
  const longest = Math.max(...tiers.map((tier) => tier.longWindowMinutes));
  const shortest = Math.min(...tiers.map((tier) => tier.shortWindowMinutes));
  const thresholds = tiers.map((tier) => tier.errorRatio);
  const highest = Math.max(...thresholds);
  const lowest = Math.min(...thresholds);
  // The coarsest sampling that still puts four samples in the shortest window.
  const step =
    [10, 5, 2, 1].find(
      (candidate) =>
        evaluationMinutes % candidate === 0 &&
        candidate * 4 <= shortest &&
        tiers.every((tier) => tier.longWindowMinutes % candidate === 0 && tier.shortWindowMinutes % candidate === 0),
    ) ?? 1;
  const outcomes = (phases: readonly Phase<number>[]) =>
    requestOutcomes(environmentName, condition, phases, step, names);
  // With one tier the requests are bad from the start. With several, healthy traffic fills the
  // longest window first, so the check can catch the minute this tier is true and the others
  // are not: each tier's own threshold and windows are then what the test sees.
  const healthyFirst = tiers.length > 1 ? ceilTo(longest, evaluationMinutes) : 0;
  const firing = tiers.map((tier): Scenario => {
    // Just above this tier's threshold and below any higher one, so this tier is the one that fires.
    const higher = thresholds.filter((threshold) => threshold > tier.errorRatio);
    const ratio = Math.min(JUST_ABOVE * tier.errorRatio, (tier.errorRatio + Math.min(1, ...higher)) / 2);
    // A window's bad share `minutes` into the burn.
    const share = (window: number, minutes: number) =>
      healthyFirst === 0 ? ratio : (ratio * Math.min(window, minutes)) / window;
    // Clear of the threshold either way, so float rounding cannot decide a check.
    const fires = (other: BurnRateTier, minutes: number) =>
      share(other.longWindowMinutes, minutes) > other.errorRatio * 1.02 &&
      share(other.shortWindowMinutes, minutes) > other.errorRatio * 1.02;
    const quiet = (other: BurnRateTier, minutes: number) =>
      share(other.longWindowMinutes, minutes) < other.errorRatio * 0.98 ||
      share(other.shortWindowMinutes, minutes) < other.errorRatio * 0.98;
    const minutes = Array.from({ length: ceilTo(longest, evaluationMinutes) / evaluationMinutes + 1 }, (_, index) => {
      return (index + 1) * evaluationMinutes;
    });
    const others = tiers.filter((other) => other !== tier);
    const firesFrom =
      minutes.find((minute) => fires(tier, minute) && others.every((other) => quiet(other, minute))) ??
      minutes.find((minute) => fires(tier, minute)) ??
      longest;
    const silentUntil = minutes
      .filter((minute) => minute < firesFrom && tiers.every((other) => quiet(other, minute)))
      .pop();
    // `tier1 or tier2 …` shows the long-window share of the first tier that is true.
    const value = (minute: number) => {
      const first = tiers.find((other) => fires(other, minute - healthyFirst)) ?? tier;
      return share(first.longWindowMinutes, minute - healthyFirst);
    };
    return {
      role: 'fires',
      title: `fires at ${number(ratio * 100)} % bad requests, just above the ${number(tier.burnRate)}x burn threshold over ${windows(tier)}`,
      sampleMinutes: step,
      series: (until) =>
        outcomes(
          lasting(until, [
            { minutes: healthyFirst, level: 0 },
            { minutes: step, level: ratio },
          ]),
        ),
      silentAt: silentUntil === undefined ? [] : [healthyFirst + silentUntil],
      firing: { at: healthyFirst + firesFrom, value },
    };
  });
  // A burst above every threshold, short enough that no long window's ratio reaches its
  // threshold: the short windows see it, the long ones keep the alert silent. Healthy traffic
  // before it fills the longest window, which ends with the burst.
  const burstRatio = Math.min(2 * highest, (highest + 1) / 2);
  const longestBurst = 0.8 * Math.min(...tiers.map((tier) => (tier.longWindowMinutes * tier.errorRatio) / burstRatio));
  const burst = Math.max(step, floorTo(longestBurst, longestBurst >= evaluationMinutes ? evaluationMinutes : step));
  const burstEnd = ceilTo(longest, evaluationMinutes);
  return [
    ...firing,
    {
      role: 'under',
      title: `stays silent at ${number(lowest * JUST_UNDER * 100)} % bad requests, just under every burn threshold, while another environment is above`,
      sampleMinutes: step,
      series: (until) => [
        ...outcomes(lasting(until, [{ minutes: step, level: lowest * JUST_UNDER }])),
        ...elsewhere(environmentName, firing[0].series(until)),
      ],
      silentAt: [ceilTo(Math.max(...tiers.map((tier) => tier.shortWindowMinutes)) + step, evaluationMinutes)],
    },
    {
      role: 'spike',
      title: `stays silent on a ${duration(burst)} burst of ${number(burstRatio * 100)} % bad requests, shorter than the long windows`,
      sampleMinutes: step,
      series: (until) =>
        outcomes(
          lasting(until, [
            { minutes: burstEnd - burst, level: 0 },
            { minutes: burst, level: burstRatio },
            { minutes: step, level: 0 },
          ]),
        ),
      silentAt: [burstEnd, burstEnd + evaluationMinutes],
    },
  ];
}

function windows(tier: BurnRateTier): string {
  return `${duration(tier.longWindowMinutes)} and ${duration(tier.shortWindowMinutes)}`;
}

/** Requests of every service, a given share of them bad for the SLO, phase by phase. */
function requestOutcomes(
  environmentName: string,
  condition: AlertCondition & { kind: 'burnRate' },
  phases: readonly Phase<number>[],
  step: number,
  names: RuleSeries,
): InputSeries[] {
  const share = (of: (badRatio: number) => number) =>
    sampleValues(
      phases.map((phase) => ({ minutes: phase.minutes, perMinute: REQUESTS_PER_MINUTE * of(phase.level) })),
      step,
    );
  const within = number(condition.objective.latencyThresholdSeconds ?? 0);
  return condition.services.flatMap((service): InputSeries[] => {
    const labels = { deployment_environment_name: environmentName, service_name: service, ...ENDPOINT };
    if (condition.objective.name === 'availability') {
      return [
        { metric: names.requests, labels: { ...labels, status_code: '200' }, values: share((bad) => 1 - bad) },
        { metric: names.requests, labels: { ...labels, status_code: '500' }, values: share((bad) => bad) },
      ];
    }
    return [
      { metric: names.durationBuckets, labels: { ...labels, le: within }, values: share((bad) => 1 - bad) },
      { metric: names.durationBuckets, labels: { ...labels, le: '+Inf' }, values: share(() => 1) },
      { metric: names.durationCount, labels, values: share(() => 1) },
    ];
  });
}

// --- Series ------------------------------------------------------------------------------------

type Segment =
  | { readonly minutes: number; readonly perMinute: number }
  | { readonly minutes: number; readonly missing: true };

/** The phases, the last one lengthened so that samples reach minute `until`. */
function lasting<L>(until: number, phases: readonly Phase<L>[]): Phase<L>[] {
  const covered = phases.reduce((sum, phase) => sum + phase.minutes, 0);
  return phases.map((phase, index) =>
    index === phases.length - 1 ? { ...phase, minutes: phase.minutes + Math.max(0, until - covered) } : phase,
  );
}

function ceilTo(minutes: number, step: number): number {
  return Math.ceil(minutes / step) * step;
}

function floorTo(minutes: number, step: number): number {
  return Math.floor(minutes / step) * step;
}

function perMinute(phase: Phase<number>): Segment {
  return { minutes: phase.minutes, perMinute: phase.level };
}

function counter(
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
function elsewhere(environmentName: string, series: readonly InputSeries[]): InputSeries[] {
  return series.map((item) => ({
    ...item,
    labels: { ...item.labels, deployment_environment_name: `${environmentName}-elsewhere` },
  }));
}

// --- Test groups -------------------------------------------------------------------------------

/** One promtool test group: the input series of its cases and the checks of each alert. */
function testGroup(cases: readonly AlertCase[], evaluationMinutes: number): object {
  const checks = cases.map((item) => alertChecks(item, evaluationMinutes));
  const step = cases[0].scenarios[0].sampleMinutes;
  const until = ceilTo(Math.max(...checks.map((check) => check.lastMinute)) + 1, step);
  const expressionTests = checks.flatMap((check) => check.expressionTests);
  return {
    name: cases.map((item) => `${item.alert} ${item.scenarios[0].title}`).join('; '),
    interval: duration(step),
    input_series: cases.flatMap((item) =>
      item.scenarios.flatMap((scenario) =>
        scenario.series(until).map((series) => ({
          series: seriesSelector(series.metric, series.labels),
          values: series.values,
        })),
      ),
    ),
    alert_rule_test: checks.flatMap((check) => check.alertTests),
    ...(expressionTests.length > 0 ? { promql_expr_test: expressionTests } : {}),
  };
}

/**
 * The checks of one case across the rules of an alert name: silent where every rule is silent,
 * firing where every rule fires, pending where every rule is pending.
 */
function alertChecks(
  item: AlertCase,
  evaluationMinutes: number,
): { alertTests: object[]; expressionTests: object[]; lastMinute: number } {
  const { alert, definitions, scenarios: cases } = item;
  const firesAt =
    cases[0].firing === undefined ? undefined : Math.max(...cases.map((scenario) => scenario.firing?.at ?? 0));
  // A firing case is silent up to its own last silentAt: check all rules at the earliest of those.
  const silentTimes =
    firesAt === undefined
      ? cases.flatMap((scenario) => scenario.silentAt)
      : cases.every((scenario) => scenario.silentAt.length > 0)
        ? [Math.min(...cases.map((scenario) => Math.max(...scenario.silentAt)))]
        : [];
  const pending = pendingCheck(alert, definitions, cases);
  const times = [...silentTimes, firesAt ?? 0, pending?.at ?? 0];
  if (times.some((time) => time % evaluationMinutes !== 0)) {
    throw new Error(`${alert}: test times ${times.join(', ')} must be multiples of ${evaluationMinutes} m`);
  }
  const silentChecks = [...new Set(silentTimes)].map((time) => ({ time, alerts: [] as object[] }));
  const firingChecks =
    firesAt === undefined
      ? []
      : [
          {
            time: firesAt,
            alerts: definitions.flatMap((definition, index) => firingAlerts(definition, cases[index], firesAt)),
          },
        ];
  return {
    alertTests: [...silentChecks, ...firingChecks]
      .sort((a, b) => a.time - b.time)
      .map((check) => ({ eval_time: duration(check.time), alertname: alert, exp_alerts: check.alerts })),
    expressionTests: pending === undefined ? [] : [pending.test],
    lastMinute: Math.max(...times),
  };
}

/** Where every rule's pending interval overlaps, ALERTS shows each of them pending. */
function pendingCheck(
  alert: string,
  definitions: readonly AlertDefinition[],
  cases: readonly Scenario[],
): { at: number; test: object } | undefined {
  const intervals = cases.flatMap((item) => (item.pendingDuring === undefined ? [] : [item.pendingDuring]));
  if (intervals.length < cases.length) return undefined;
  const from = Math.max(...intervals.map(([start]) => start));
  const to = Math.min(...intervals.map(([, end]) => end));
  if (from > to) return undefined;
  return {
    at: to,
    test: {
      expr: seriesSelector('ALERTS', { alertname: alert, alertstate: 'pending' }),
      eval_time: duration(to),
      exp_samples: definitions.flatMap((definition) =>
        alertLabels(definition).map((labels) => ({
          labels: seriesSelector('ALERTS', { alertname: alert, alertstate: 'pending', ...labels }),
          value: 1,
        })),
      ),
    },
  };
}

function firingAlerts(definition: AlertDefinition, scenario: Scenario, minute: number): object[] {
  const value = scenario.firing?.value(minute) ?? 0;
  const formats = { humanize, humanizePercentage };
  const { environmentName, severity, condition, rule, series } = definition;
  return alertLabels(definition).map((labels) => ({
    exp_labels: labels,
    exp_annotations: ruleAnnotations(
      environmentName,
      rule.alert,
      severity,
      condition,
      { value: (format) => formats[format](value), label: (name) => labels[name] ?? '' },
      series,
    ),
  }));
}

/** The labels of the alerts a rule raises: the query result's labels, overridden by the rule's. */
export function alertLabels(definition: AlertDefinition): Readonly<Record<string, string>>[] {
  const { condition, environmentName } = definition;
  const labelled = (result: Record<string, string>) => ({ ...result, ...definition.rule.labels });
  switch (condition.kind) {
    case 'silence':
      // absent_over_time() returns the equality matchers of its selector.
      return [labelled({ deployment_environment_name: environmentName })];
    case 'collector':
      // One alert per tier: the rule sums by service_name and component.
      return condition.collectors.map((collector) =>
        labelled({
          service_name: collector,
          [condition.check.component]: COLLECTOR_COMPONENT[condition.check.component],
        }),
      );
    case 'gatewayEvictions':
      return [labelled({ service_name: COLLECTOR_TIERS.gateway })];
    case 'burnRate':
      return condition.services.map((service) => labelled({ service_name: service }));
    default:
      return [labelled({})];
  }
}

function seriesSelector(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;
}
