/**
 * `obsctl trace`: every log record of one request, across all services, in time order (design
 * 6.5, incident investigation step 3), and the link to the same trace in Grafana Tempo (step 2).
 */

import { type InsightsOptions, type InsightsRow, runBatchedInsightsQuery } from '../insights';
import { renderTable, type TableOptions } from '../table';
import { tempoTraceUrl } from '../tempo';
import type { RunContext } from './context';
import { serviceLogGroups } from './log-groups';

/** Logs Insights returns at most 10,000 rows. */
export const MAX_TRACE_EVENTS = 10_000;

export interface TraceEvent {
  /** ISO 8601 UTC, or the raw value when Insights returned something unparseable. */
  readonly time: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly spanId: string;
}

export interface TraceResult {
  readonly trackingId: string;
  readonly environment: string;
  /** Epoch milliseconds of the searched window. */
  readonly from: number;
  readonly to: number;
  readonly logGroups: readonly string[];
  readonly missingLogGroups: readonly string[];
  readonly events: readonly TraceEvent[];
  readonly tempoUrl: string;
}

export interface TraceOptions {
  /** Lower case, validated. */
  readonly trackingId: string;
  /** How far back to search, in milliseconds. */
  readonly sinceMs: number;
  readonly insights: InsightsOptions;
}

/** The Insights query for one tracking id. `@log` names the group, for records without `service`. */
export function traceQueryString(trackingId: string): string {
  return [
    'fields @timestamp, @log, service, level, @@message, tracing.span_id',
    `filter tracking_id = "${trackingId}"`,
    'sort @timestamp asc',
    `limit ${MAX_TRACE_EVENTS}`,
  ].join('\n| ');
}

export async function runTrace(run: RunContext, options: TraceOptions): Promise<TraceResult> {
  const groups = await serviceLogGroups(run);
  const to = options.insights.clock.now();
  const from = to - options.sinceMs;
  // More than 50 service log groups are queried in batches (MAX_LOG_GROUPS_PER_QUERY) and merged:
  // each batch returns its earliest MAX_TRACE_EVENTS records, so the earliest of the union are the
  // earliest overall. Batches of names rather than `SOURCE logGroups(namePrefix: ...)`: the
  // environment's prefix also holds the collectors', task events', flow and audit log groups,
  // which a prefix query would scan (and bill) too; see docs/guide.md, "obsctl at scale".
  const batches = await runBatchedInsightsQuery(
    run.clients.logs,
    { logGroupNames: groups.existing, queryString: traceQueryString(options.trackingId), startTime: from, endTime: to },
    options.insights,
  );
  const rows = batches.flatMap((batch) => batch.rows);
  return {
    trackingId: options.trackingId,
    environment: run.environmentName,
    from,
    to,
    logGroups: groups.existing,
    missingLogGroups: groups.missing,
    events: orderEvents(rows.map(toEvent)).slice(0, MAX_TRACE_EVENTS),
    tempoUrl: tempoTraceUrl(run.profile.grafanaCloud.stackUrl, options.trackingId, { from, to }),
  };
}

/**
 * Insights writes `@timestamp` as `2025-01-31 10:30:45.123` (UTC). Returns epoch milliseconds, or
 * NaN when the value has another form.
 */
export function insightsTimestampMs(value: string): number {
  const match = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?$/);
  return match ? Date.parse(`${match[1]}T${match[2]}Z`) : Number.NaN;
}

function toEvent(row: InsightsRow): TraceEvent & { readonly ms: number } {
  const ms = insightsTimestampMs(row['@timestamp'] ?? '');
  // `@log` is `<account>:<log group>`; the group's last segment is the service.
  const fromLogGroup = row['@log']?.split('/').pop() ?? '';
  return {
    ms,
    time: Number.isNaN(ms) ? (row['@timestamp'] ?? '') : new Date(ms).toISOString(),
    service: row.service ?? fromLogGroup,
    level: row.level ?? '',
    message: row['@@message'] ?? '',
    spanId: row['tracing.span_id'] ?? '',
  };
}

/** Time order across services; records of the same millisecond keep the order Insights gave. */
export function orderEvents(events: readonly (TraceEvent & { readonly ms: number })[]): TraceEvent[] {
  return [...events]
    .sort((a, b) => (Number.isNaN(a.ms) ? 1 : Number.isNaN(b.ms) ? -1 : a.ms - b.ms))
    .map(({ ms: _ms, ...event }) => event);
}

/**
 * The aligned table of events, then the Tempo link. Within a width the messages wrap and the span
 * id is left out (the Tempo link shows the spans); without one (`--wide`) it is a column.
 */
export function formatTrace(result: TraceResult, options: TableOptions = {}): string {
  const table =
    options.width === undefined
      ? renderTable(
          ['TIME', 'SERVICE', 'LEVEL', 'SPAN', 'MESSAGE'],
          result.events.map((event) => [event.time, event.service, event.level, event.spanId, event.message]),
        )
      : renderTable(
          ['TIME', 'SERVICE', 'LEVEL', 'MESSAGE'],
          result.events.map((event) => [event.time, event.service, event.level, event.message]),
          options,
        );
  return `${table}\nTrace in Grafana Tempo:\n  ${result.tempoUrl}\n`;
}

/** `--json`: the events and the link, nothing else. */
export function traceJson(result: TraceResult): string {
  return `${JSON.stringify(
    {
      trackingId: result.trackingId,
      environment: result.environment,
      from: new Date(result.from).toISOString(),
      to: new Date(result.to).toISOString(),
      logGroups: result.logGroups,
      events: result.events,
      tempoUrl: result.tempoUrl,
    },
    null,
    2,
  )}\n`;
}
