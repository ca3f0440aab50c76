/** "Did you mean": the nearest known name, when it is near enough to be a typo. */
import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate `input` most likely mistypes: within a third of its length in edits (at least 2),
 * or one a prefix of the other (`production` for `prod`). Undefined when none is that close, so
 * `qa` suggests nothing rather than `dev`.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const wanted = input.trim().toLowerCase();
  const lower = candidates.map((candidate) => candidate.toLowerCase());
  const nearest = closest(wanted, lower);
  const prefix = lower.find(
    (candidate) =>
      Math.min(candidate.length, wanted.length) >= 3 && (candidate.startsWith(wanted) || wanted.startsWith(candidate)),
  );
  const match = distance(wanted, nearest) <= Math.max(2, Math.floor(wanted.length / 3)) ? nearest : prefix;
  return match === undefined ? undefined : candidates[lower.indexOf(match)];
}

/** ` Did you mean "prod"?` or nothing. */
export function didYouMeanPhrase(input: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(input, candidates);
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}
