/**
 * promtool cases of the rules that are not plain thresholds: ServiceDown (absent_over_time over a
 * range, `for` = the window), HighAICost (spend over the window, no `for`) and the SLO burn rates
 * (the long AND the short window of each tier). Pure: no CDK.
 */
import { duration, number, type RuleSeries } from './rule-expressions';
import type { AlertCondition, BurnRateTier } from './rule-model';
import {
  ceilTo,
  ENDPOINT,
  elsewhere,
  floorTo,
  type InputSeries,
  JUST_ABOVE,
  JUST_UNDER,
  lasting,
  type Phase,
  perMinute,
  REQUESTS_PER_MINUTE,
  type Scenario,
  type Segment,
  sampleValues,
} from './rule-test-series';

// --- ServiceDown: absent_over_time over a range, `for` = the window -----------------------------

export function silenceScenarios(
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

export function aiCostScenarios(
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

export function burnRateScenarios(
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
