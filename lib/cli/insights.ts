/**
 * Runs one Logs Insights query: StartQuery, then GetQueryResults until it ends, backing off from
 * 200 ms to 1 s between polls, and StopQuery when the deadline passes (a query left running keeps
 * using the account's concurrent-query quota).
 */
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  type QueryStatistics,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { formatDuration } from './duration';
import { awsCall, CliError } from './errors';
import type { Clock, Progress } from './io';

/** One result row: field name -> value, without Insights' `@ptr`. */
export type InsightsRow = Readonly<Record<string, string>>;

export interface InsightsQuery {
  readonly logGroupNames: readonly string[];
  readonly queryString: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  /** Epoch milliseconds. */
  readonly endTime: number;
}

export interface InsightsOptions {
  readonly clock: Clock;
  /** Give up (and stop the query) after this long. */
  readonly timeoutMs: number;
  readonly progress: Progress;
}

export interface InsightsResult {
  readonly queryId: string;
  readonly rows: readonly InsightsRow[];
  readonly statistics?: QueryStatistics;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * StartQuery names at most 50 log groups (`logGroupNames`, CloudWatch Logs API reference). An
 * environment with more services is queried in batches of this many, one StartQuery each.
 */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

/**
 * Batches queried at once. Insights runs at most 100 queries per account at a time (30 in older
 * documentation), shared with dashboards and scheduled queries: 500 services are 10 batches, and
 * 4 at a time leaves the rest of the quota to everyone else.
 */
export const MAX_PARALLEL_QUERIES = 4;
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 1_000;

const RUNNING = new Set(['Scheduled', 'Running']);

export async function runInsightsQuery(
  logs: CloudWatchLogsClient,
  query: InsightsQuery,
  options: InsightsOptions,
): Promise<InsightsResult> {
  const { clock, progress } = options;
  const started = await awsCall('logs:StartQuery', () =>
    logs.send(
      new StartQueryCommand({
        logGroupNames: [...query.logGroupNames],
        queryString: query.queryString,
        // Insights takes seconds; round outwards so no record of the window is missed.
        startTime: Math.floor(query.startTime / 1_000),
        endTime: Math.ceil(query.endTime / 1_000),
      }),
    ),
  );
  const queryId = started.queryId;
  if (queryId === undefined)
    throw new CliError('Logs Insights started no query (no query id returned).', 'query-failed');
  const startedAt = clock.now();
  const deadline = startedAt + options.timeoutMs;
  const groups = `${query.logGroupNames.length} log group${query.logGroupNames.length === 1 ? '' : 's'}`;
  // Every sleep but the last is at least FIRST_POLL_MS, so this many polls always reach the deadline.
  const maxPolls = Math.ceil(options.timeoutMs / FIRST_POLL_MS) + 2;
  try {
    for (let poll = 0; poll < maxPolls; poll++) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      await clock.sleep(Math.min(FIRST_POLL_MS * 2 ** poll, MAX_POLL_MS, remaining));
      const output = await awsCall('logs:GetQueryResults', () => logs.send(new GetQueryResultsCommand({ queryId })));
      const status = output.status ?? 'Unknown';
      if (status === 'Complete') {
        const rows = (output.results ?? []).map((fields) =>
          Object.fromEntries(
            fields
              .filter((field) => field.field !== undefined && field.field !== '@ptr')
              .map((field) => [field.field as string, field.value ?? '']),
          ),
        );
        return { queryId, rows, statistics: output.statistics };
      }
      if (!RUNNING.has(status)) {
        throw new CliError(
          `Logs Insights query ${queryId} ended with status ${status}${status === 'Timeout' ? ' (CloudWatch gave up on it: search a shorter window)' : ''}.`,
          'query-failed',
        );
      }
      const scanned = output.statistics?.recordsScanned;
      const elapsed = Math.round((clock.now() - startedAt) / 1_000);
      progress.update(
        `Querying ${groups}: ${status.toLowerCase()}, ${elapsed} s${scanned === undefined ? '' : `, ${scanned} records scanned`}`,
      );
    }
    await stopQuietly(logs, queryId);
    throw new CliError(
      `Logs Insights query ${queryId} did not finish within ${formatDuration(options.timeoutMs)}; it was stopped. ` +
        'Search a shorter window (--since) or allow longer (--timeout).',
      'query-timeout',
    );
  } finally {
    progress.stop();
  }
}

export interface BatchedInsightsQuery extends Omit<InsightsQuery, 'logGroupNames'> {
  /** Any number: split into batches of MAX_LOG_GROUPS_PER_QUERY. */
  readonly logGroupNames: readonly string[];
}

/** `names` in consecutive batches of at most `size`, in their order. */
export function logGroupBatches(names: readonly string[], size = MAX_LOG_GROUPS_PER_QUERY): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < names.length; start += size) batches.push(names.slice(start, start + size));
  return batches;
}

/**
 * The same query over every batch of log groups, MAX_PARALLEL_QUERIES at a time; one result per
 * batch, in batch order. With at most 50 groups it is exactly one runInsightsQuery. Each batch has
 * the full timeout; the first failure fails the whole (queries already running finish or time out
 * on their own).
 */
export async function runBatchedInsightsQuery(
  logs: CloudWatchLogsClient,
  query: BatchedInsightsQuery,
  options: InsightsOptions,
): Promise<readonly InsightsResult[]> {
  const batches = logGroupBatches(query.logGroupNames);
  const results: InsightsResult[] = new Array(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const index = next++;
      results[index] = await runInsightsQuery(logs, { ...query, logGroupNames: batches[index] }, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_QUERIES, batches.length) }, worker));
  return results;
}

async function stopQuietly(logs: CloudWatchLogsClient, queryId: string): Promise<void> {
  try {
    await logs.send(new StopQueryCommand({ queryId }));
  } catch {
    // Already finished, or no permission to stop: either way the timeout is what the operator needs to hear.
  }
}
