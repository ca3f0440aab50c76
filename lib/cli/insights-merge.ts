/**
 * Merging the rows of one Logs Insights query run over several batches of log groups (an
 * environment of more than 50 services, see MAX_LOG_GROUPS_PER_QUERY), and which queries allow it.
 *
 * A query that keeps records (`fields`, `filter`, `sort`, `limit`) decides each record on its own,
 * so running it per batch and then applying its last `sort` and `limit` to the union gives the rows
 * one query over every group would: each batch returns its own first `limit` rows by that order,
 * and the overall first `limit` are among them. A query that aggregates (`stats`) or drops
 * duplicates (`dedup`) does not merge exactly: `pct` and `count_distinct` cannot be combined from
 * partial results, and a `limit` after `stats` cuts each batch's groups before they could be
 * added up. Those are refused with the limit and the way round it, not answered approximately; so
 * is a `sort` without `asc` or `desc` (the query syntax reference does not say which is default).
 */

import type { InsightsRow } from './insights';

/** Insights' row count when a query has no `limit` (StartQuery `limit` default). */
export const DEFAULT_INSIGHTS_LIMIT = 1_000;

export interface RowOrder {
  readonly field: string;
  readonly descending: boolean;
}

export interface MergePlan {
  /** The last `sort`, if any: the order of the merged rows. */
  readonly order?: RowOrder;
  /** The last `limit`, else Insights' default. */
  readonly limit: number;
}

/** The commands of a query, one per `|`-continued line, without comments. */
export function queryCommands(queryString: string): string[] {
  return queryString
    .split(/\n\s*\|/)
    .map((command) => command.replace(/#.*$/gm, '').trim())
    .filter((command) => command !== '');
}

/**
 * How to merge the batches' rows of `queryString`, or undefined when its rows cannot be merged
 * exactly (it has `stats` or `dedup`, or a `sort` without a direction).
 */
export function mergePlan(queryString: string): MergePlan | undefined {
  const commands = queryCommands(queryString);
  const verb = (command: string) => command.split(/\s+/)[0].toLowerCase();
  if (commands.some((command) => verb(command) === 'stats' || verb(command) === 'dedup')) return undefined;
  const sort = commands.filter((command) => verb(command) === 'sort').pop();
  const limit = commands.filter((command) => verb(command) === 'limit').pop();
  const sortMatch = sort?.match(/^sort\s+(\S+)\s+(asc|desc)\s*$/i);
  if (sort !== undefined && !sortMatch) return undefined;
  return {
    order: sortMatch ? { field: sortMatch[1], descending: sortMatch[2].toLowerCase() === 'desc' } : undefined,
    limit: limit === undefined ? DEFAULT_INSIGHTS_LIMIT : Number(limit.split(/\s+/)[1]),
  };
}

/**
 * The batches' rows as one result: in the plan's order (numbers as numbers, rows without the field
 * last; equal rows keep batch order), at most `limit` of them.
 */
export function mergeRows(batches: readonly (readonly InsightsRow[])[], plan: MergePlan): InsightsRow[] {
  const rows = batches.flat();
  const { order } = plan;
  if (order !== undefined) {
    rows.sort((a, b) => {
      const x = a[order.field];
      const y = b[order.field];
      if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : 1) : -1;
      const difference = compareValues(x, y);
      return order.descending ? -difference : difference;
    });
  }
  return rows.slice(0, plan.limit);
}

/**
 * Ascending as Insights sorts (query syntax reference, `sort`): values that are only a number after
 * all others and by value; others by text, which for the fields our queries sort on (timestamps
 * `2025-01-31 10:30:45.123`, numbers) is the same as Insights' natural sort.
 */
function compareValues(x: string, y: string): number {
  const a = isNumber(x) ? Number(x) : undefined;
  const b = isNumber(y) ? Number(y) : undefined;
  if (a !== undefined && b !== undefined) return a - b;
  if (a !== undefined || b !== undefined) return a === undefined ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function isNumber(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value.trim());
}
