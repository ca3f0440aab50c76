/**
 * promtool unit tests of the traffic rules (lib/alerting/traffic-anomaly.ts): three weeks of a
 * normal day shape (a quiet night, a morning ramp, a busy day) and a last day that keeps the shape,
 * collapses, falls to nothing or spikes; a service with less history than the rules compare with;
 * and one below the usual-rate floor. Written for the first service of the environment with the
 * signal on (the rules of the others differ only in the service label), and run by
 * test/alerting/traffic-anomaly-promtool.test.ts against the traffic group of the committed rule
 * file alone: three weeks of every other rule of the file would keep promtool busy for minutes.
 * Pure: no CDK.
 */
import type { SeriesNames } from '../metrics/series-names';
import type { EnvironmentProfile } from '../profile/schema';
import { duration, ruleSeries } from './prometheus-rules';
import {
  TRAFFIC_HISTORY_WEEKS,
  TRAFFIC_PERIOD_MINUTES,
  TRAFFIC_RATE_RANGE_MINUTES,
  type TrafficRule,
  trafficRules,
  trafficServices,
} from './traffic-anomaly';

const STEP = TRAFFIC_PERIOD_MINUTES;
/**
 * promtool evaluates every rule at every step from minute 0, and three weeks at 5-minute steps keep
 * it busy for half a minute a case: the rules are evaluated every 30 minutes, the series sampled
 * every 5 (what a rate over 10 minutes needs). `for` then counts in 30-minute steps.
 */
const EVALUATION = 30;
const MINUTES_PER_DAY = 24 * 60;
/** The last day, after the history the rules compare with: the day each case plays out. */
const LAST_DAY = TRAFFIC_HISTORY_WEEKS * 7;
/** When the last day's event starts: noon, in the busy part of the day. */
const EVENT_MINUTE = LAST_DAY * MINUTES_PER_DAY + 12 * 60;

/** Requests per second of the normal day shape at a minute of the day. */
function usualRate(minuteOfDay: number, scale: number): number {
  if (minuteOfDay < 6 * 60) return 2 * scale;
  if (minuteOfDay < 8 * 60) return 6 * scale;
  return 10 * scale;
}

type Shape = (minute: number) => number | undefined;

const normal =
  (scale = 1): Shape =>
  (minute) =>
    usualRate(minute % MINUTES_PER_DAY, scale);

/** The normal shape until the event, then `after` (requests per second, or undefined: no sample). */
const eventAt =
  (after: (usual: number) => number | undefined, scale = 1): Shape =>
  (minute) => {
    const usual = usualRate(minute % MINUTES_PER_DAY, scale);
    return minute <= EVENT_MINUTE ? usual : after(usual);
  };

/** A counter following `shape` up to `untilMinute`, in promtool's expanding notation. */
export function counterValues(shape: Shape, untilMinute: number, fromMinute = 0): string {
  const values: (number | undefined)[] = [];
  let total = 0;
  for (let minute = 0; minute <= untilMinute; minute += STEP) {
    const rate = minute < fromMinute ? undefined : shape(minute);
    if (rate !== undefined) total += Math.round(rate * STEP * 60);
    values.push(rate === undefined ? undefined : total);
  }
  return expand(values);
}

/** Runs of equal steps as `a+bxn`, gaps as `_xn`, trailing gaps dropped (the series just stops). */
function expand(values: readonly (number | undefined)[]): string {
  const end = values.length - [...values].reverse().findIndex((value) => value !== undefined);
  const parts: string[] = [];
  let index = 0;
  while (index < end) {
    const start = values[index];
    if (start === undefined) {
      let gap = 0;
      while (values[index + gap] === undefined) gap++;
      parts.push(`_x${gap}`);
      index += gap;
      continue;
    }
    const step = (values[index + 1] ?? start) - start;
    let length = 0;
    while (index + length + 1 < end && values[index + length + 1] !== undefined) {
      if ((values[index + length + 1] as number) - (values[index + length] as number) !== step) break;
      length++;
    }
    parts.push(`${start}+${step}x${length}`);
    index += length + 1;
  }
  return parts.join(' ');
}

interface TrafficCase {
  readonly name: string;
  readonly shape: Shape;
  /** The first minute with samples (a service younger than the history). */
  readonly fromMinute?: number;
  /** Minutes (from the event) at which drop and spike are checked, and what fires then. */
  readonly checks: readonly { readonly minute: number; readonly fires: readonly ('TrafficDrop' | 'TrafficSpike')[] }[];
}

/** The first evaluation after the event whose rate range holds only the event: the alert is pending. */
const PENDING_AT = EVALUATION * Math.ceil(TRAFFIC_RATE_RANGE_MINUTES / EVALUATION);

/** The evaluation (minutes after the event) at which a side with this window fires. */
function firesAt(window: number): number {
  return PENDING_AT + EVALUATION * Math.ceil(window / EVALUATION);
}

function cases(dropWindow: number, spikeWindow: number): TrafficCase[] {
  const quietNight = -8 * 60; // 04:00 of the last day: the night trough
  const ramp = -5 * 60 - 30; // 06:30, the ramp from night to morning
  const day = -3 * 60 - 30; // 08:30, after the step to the busy day
  return [
    {
      name: 'the normal day shape (a quiet night, a ramp, a busy day) fires neither alert',
      shape: normal(),
      checks: [quietNight, ramp, day, 0, firesAt(Math.max(dropWindow, spikeWindow))].map((minute) => ({
        minute,
        fires: [],
      })),
    },
    {
      name: 'a collapse to a tenth of the usual rate at noon pages TrafficDrop after the window',
      shape: eventAt((usual) => usual / 10),
      checks: [
        { minute: PENDING_AT, fires: [] },
        { minute: firesAt(dropWindow), fires: ['TrafficDrop'] },
      ],
    },
    {
      name: 'traffic falling to nothing (no series at all) pages TrafficDrop',
      shape: eventAt(() => undefined),
      checks: [{ minute: firesAt(dropWindow), fires: ['TrafficDrop'] }],
    },
    {
      name: 'five times the usual rate warns TrafficSpike after the window',
      shape: eventAt((usual) => usual * 5),
      checks: [
        { minute: PENDING_AT, fires: [] },
        { minute: firesAt(spikeWindow), fires: ['TrafficSpike'] },
      ],
    },
    {
      name: 'a service with less history than the rules compare with stays silent through a collapse',
      shape: eventAt((usual) => usual / 10),
      fromMinute: (LAST_DAY - 7 * (TRAFFIC_HISTORY_WEEKS - 1) + 1) * MINUTES_PER_DAY,
      checks: [{ minute: firesAt(dropWindow), fires: [] }],
    },
    {
      name: 'a service whose usual rate is under the floor stays silent when it falls to nothing',
      shape: eventAt(() => undefined, 0.004),
      checks: [{ minute: firesAt(dropWindow), fires: [] }],
    },
  ];
}

/**
 * The promtool test file of an environment's traffic rules, or undefined when no service has the
 * signal on. `ruleFile` is relative to the test file's folder.
 */
export function trafficTestFile(
  environmentName: string,
  profile: EnvironmentProfile,
  series: SeriesNames,
  ruleFile: string,
): Record<string, unknown> | undefined {
  const [first] = trafficServices(profile);
  if (first === undefined) return undefined;
  const [service, settings] = first;
  const rules = trafficRules(environmentName, profile, series).filter((rule) => rule.labels.service_name === service);
  const labels = `{deployment_environment_name=${JSON.stringify(environmentName)},service_name=${JSON.stringify(service)}}`;
  const metric = `${ruleSeries(series).requests}${labels}`;
  return {
    rule_files: [ruleFile],
    evaluation_interval: duration(EVALUATION),
    tests: cases(settings.drop.windowMinutes, settings.spike.windowMinutes).map((testCase) => {
      const lastMinute = EVENT_MINUTE + Math.max(...testCase.checks.map((check) => check.minute));
      return {
        name: testCase.name,
        interval: duration(STEP),
        input_series: [{ series: metric, values: counterValues(testCase.shape, lastMinute, testCase.fromMinute) }],
        alert_rule_test: testCase.checks.flatMap((check) =>
          rules.map((rule) => ({
            eval_time: duration(EVENT_MINUTE + check.minute),
            alertname: rule.alert,
            exp_alerts: check.fires.includes(rule.alert as 'TrafficDrop' | 'TrafficSpike') ? [expected(rule)] : [],
          })),
        ),
      };
    }),
  };
}

function expected(rule: TrafficRule): Record<string, unknown> {
  return { exp_labels: rule.labels, exp_annotations: rule.annotations };
}
