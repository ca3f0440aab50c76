/** Durations as operators type them: `90s`, `15m`, `1h`, `2d`, `1w`, or combined as in `1h30m`. */

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(?:\d+[smhdw])+$/;
const PART = /(\d+)([smhdw])/g;

/** Ten years: far beyond any log retention; a bound so a typo cannot ask for year 1700. */
export const MAX_DURATION_MS = 3_653 * UNIT_MS.d;

/**
 * `15m` -> 900000 (milliseconds).
 * @throws RangeError with a message that says what is accepted
 */
export function parseDuration(text: string): number {
  const compact = text.trim().toLowerCase();
  if (!DURATION.test(compact)) {
    throw new RangeError(
      `"${text}" is not a duration. Use a number and a unit s, m, h, d or w, e.g. 90s, 15m, 1h, 2d, 1w`,
    );
  }
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  if (total <= 0) throw new RangeError(`"${text}" is zero; give a duration longer than 0, e.g. 15m`);
  if (total > MAX_DURATION_MS) throw new RangeError(`"${text}" is longer than 10 years`);
  return total;
}

/** 900000 -> `15m`, 5400000 -> `1h30m`, 604800000 -> `1w`: the shortest exact form, for messages. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, seconds] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const amount = Math.floor(rest / seconds);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * seconds;
  }
  return parts.length === 0 ? '0s' : parts.join('');
}
