/** `obsctl query`: runs one of the environment's saved Logs Insights queries and prints its rows. */
import { type SavedQuery, savedQueries, savedQueryFolder, TRACKING_ID_PLACEHOLDER } from '../../logs/queries';
import { serviceLogGroupPrefix } from '../../naming';
import type { EnvironmentProfile } from '../../profile/schema';
import { viewedServices, viewGroups } from '../../profile-loader/scale';
import { CliError } from '../errors';
import { type InsightsOptions, type InsightsRow, MAX_LOG_GROUPS_PER_QUERY, runBatchedInsightsQuery } from '../insights';
import { mergePlan, mergeRows } from '../insights-merge';
import { didYouMeanPhrase } from '../suggest';
import { renderTable, type TableOptions } from '../table';
import type { RunContext } from './context';
import { serviceLogGroups } from './log-groups';

/**
 * The saved query named by its title (`Top error types`) or full name
 * (`starmates-ai-team/prod/Top error types`), ignoring case.
 * @throws CliError listing the names when none matches
 */
export function findSavedQuery(project: string, environmentName: string, name: string): SavedQuery {
  return findQuery(savedQueries(project, environmentName), environmentName, name);
}

/** A saved query and the services it runs over. */
export interface SavedQueryTarget {
  readonly query: SavedQuery;
  /** Every service of the environment for a title; one view group's for a group's full name. */
  readonly services: readonly string[];
}

/**
 * The saved query named by its title, which runs over every service of the environment (its
 * `services` and `externalServices`), or by the full name of one view group's copy
 * (`starmates-ai-team/prod/services-51-100/Top error types`), which runs over that group's services.
 * @throws CliError listing the names when none matches
 */
export function findSavedQueryTarget(
  profile: EnvironmentProfile,
  environmentName: string,
  name: string,
): SavedQueryTarget {
  const wanted = name.trim().toLowerCase();
  for (const group of viewGroups(profile).slice(1)) {
    const queries = savedQueries(profile.project, environmentName, undefined, undefined, group.label);
    const inGroup = queries.find((query) => query.name.toLowerCase() === wanted);
    if (inGroup !== undefined) {
      return { query: findQuery(queries, environmentName, inGroup.name), services: group.services };
    }
  }
  return { query: findSavedQuery(profile.project, environmentName, name), services: viewedServices(profile) };
}

function findQuery(queries: readonly SavedQuery[], environmentName: string, name: string): SavedQuery {
  const wanted = name.trim().toLowerCase();
  const found = queries.find((query) => query.title.toLowerCase() === wanted || query.name.toLowerCase() === wanted);
  if (found === undefined) {
    const titles = queries.map((query) => query.title);
    throw new CliError(
      `No saved query "${name}".${didYouMeanPhrase(name, titles)} Saved queries: ${titles.map((title) => `"${title}"`).join(', ')} ` +
        `(with their descriptions: obsctl query list --env ${environmentName})`,
      'unknown-query',
    );
  }
  if (needsTrackingId(found)) {
    throw new CliError(
      `"${found.title}" needs a tracking id; run: obsctl trace <tracking-id> --env ${environmentName}`,
      'unknown-query',
    );
  }
  return found;
}

/** The queries that look for one tracking id: `obsctl trace` runs those. */
function needsTrackingId(query: SavedQuery): boolean {
  return query.queryString.includes(TRACKING_ID_PLACEHOLDER);
}

/** `query list`: each saved query's title and what it answers. */
export function formatSavedQueryList(queries: readonly SavedQuery[], options: TableOptions = {}): string {
  return renderTable(
    ['TITLE', 'DESCRIPTION'],
    queries.map((query) => [
      query.title,
      needsTrackingId(query) ? `${query.description} (run with obsctl trace <tracking-id>)` : query.description,
    ]),
    options,
  );
}

/** `query list --json`. */
export function savedQueryListJson(environment: string, queries: readonly SavedQuery[]): string {
  return `${JSON.stringify(
    {
      environment,
      queries: queries.map((query) => ({
        title: query.title,
        name: query.name,
        description: query.description,
        command: needsTrackingId(query) ? 'trace' : 'query',
      })),
    },
    null,
    2,
  )}\n`;
}

export interface QueryResult {
  readonly query: SavedQuery;
  readonly environment: string;
  readonly from: number;
  readonly to: number;
  readonly logGroups: readonly string[];
  readonly missingLogGroups: readonly string[];
  readonly rows: readonly InsightsRow[];
}

export interface QueryOptions {
  readonly name: string;
  readonly sinceMs: number;
  readonly insights: InsightsOptions;
}

export async function runSavedQuery(run: RunContext, options: QueryOptions): Promise<QueryResult> {
  const { query, services } = findSavedQueryTarget(run.profile, run.environmentName, options.name);
  const groups = await serviceLogGroups(run, services);
  const batched = groups.existing.length > MAX_LOG_GROUPS_PER_QUERY;
  // Over 50 groups the query runs per batch; only record-keeping queries merge exactly (see
  // insights-merge.ts). Checked before any query starts, so a refusal costs nothing.
  const plan = mergePlan(query.queryString);
  if (batched && plan === undefined) throw notMergeable(run, query, groups.existing.length);
  const to = options.insights.clock.now();
  const from = to - options.sinceMs;
  const batches = await runBatchedInsightsQuery(
    run.clients.logs,
    { logGroupNames: groups.existing, queryString: query.queryString, startTime: from, endTime: to },
    options.insights,
  );
  const rows =
    batched && plan !== undefined
      ? mergeRows(
          batches.map((batch) => batch.rows),
          plan,
        )
      : batches[0].rows;
  return {
    query,
    environment: run.environmentName,
    from,
    to,
    logGroups: groups.existing,
    missingLogGroups: groups.missing,
    rows,
  };
}

function notMergeable(run: RunContext, query: SavedQuery, groupCount: number): CliError {
  const prefix = `${serviceLogGroupPrefix(run.profile.project, run.environmentName)}/`;
  return new CliError(
    `"${query.title}" cannot run over ${groupCount} service log groups: Logs Insights reads at most ` +
      `${MAX_LOG_GROUPS_PER_QUERY} log groups per query (StartQuery logGroupNames), and this query aggregates ` +
      '(stats or dedup), so results of several queries do not add up. Run it in the CloudWatch console on at most ' +
      `${MAX_LOG_GROUPS_PER_QUERY} of the service log groups, or with aws logs start-query and a query string that starts ` +
      `SOURCE logGroups(namePrefix: ["${prefix}"]) | (that prefix also holds the collectors' log groups); ` +
      `or run the copy saved for 50 of them, e.g. obsctl query "${savedQueryFolder(run.profile.project, run.environmentName)}/services-51-100/${query.title}" --env ${run.environmentName}`,
    'query-too-wide',
  );
}

/** The columns of the rows, in the order they first appear. */
export function rowColumns(rows: readonly InsightsRow[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const field of Object.keys(row)) columns.add(field);
  return [...columns];
}

export function formatQueryResult(result: QueryResult, options: TableOptions = {}): string {
  if (result.rows.length === 0) return `No rows: "${result.query.title}" matched nothing in the searched window.\n`;
  const columns = rowColumns(result.rows);
  return renderTable(
    columns,
    result.rows.map((row) => columns.map((column) => row[column] ?? '')),
    options,
  );
}

export function queryJson(result: QueryResult): string {
  return `${JSON.stringify(
    {
      query: { title: result.query.title, name: result.query.name },
      environment: result.environment,
      from: new Date(result.from).toISOString(),
      to: new Date(result.to).toISOString(),
      logGroups: result.logGroups,
      rows: result.rows,
    },
    null,
    2,
  )}\n`;
}
