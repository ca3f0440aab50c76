/**
 * The saved CloudWatch Logs Insights queries of an environment, as data. The design's four (5.2)
 * come first, corrected for how Logs Insights reads our JSON; the rest answer the questions of
 * issue 5. Every field they name is checked against the log schema by test/logs.
 *
 * Corrections to the design's queries, and why:
 * - `@level`, `@message` and `@timestamp` of our JSON are not the fields of those names: Logs
 *   Insights keeps `@` names for its system fields and queries a JSON key `@level` as `@@level`.
 *   Filters use the plain `level` (the schema makes it equal to `@level`); the human message is
 *   `@@message` (`@message` is the whole raw line); ordering uses `@timestamp`, CloudWatch's event
 *   time.
 * - Aggregates that are sorted on are named with `as` (`stats count(*) as operations … | sort
 *   operations desc`), the documented way to sort on a `stats` result.
 * - `fields` before `stats` is dropped: `stats` only returns its aggregates and groups.
 */

/** One saved query. `name` is foldered: the console shows each `/` as a folder. */
export interface SavedQuery {
  /** The query's own name, e.g. `Top error types`. */
  readonly title: string;
  /** `<project>/<env>/<title>`, at most 255 characters. */
  readonly name: string;
  /** What the query answers, for people; CloudFormation has no description property. */
  readonly description: string;
  readonly queryString: string;
}

/** The value the request-by-tracking-id query looks for until someone pastes a real one. */
export const TRACKING_ID_PLACEHOLDER = 'REPLACE_WITH_TRACKING_ID';

/** Insights queries are one command per line, continued with `|`. */
const query = (...commands: readonly string[]): string => commands.join('\n| ');

interface QueryTemplate {
  readonly title: string;
  readonly description: string;
  readonly queryString: string;
}

const QUERIES: readonly QueryTemplate[] = [
  // Design query 1.
  {
    title: 'Tracking ID correlation',
    description:
      'The latest 100 records that carry a tracking id, with their service and level: pick a tracking id here, then open "Request by tracking ID".',
    queryString: query(
      'fields @timestamp, service, level, tracking_id, @@message',
      'filter ispresent(tracking_id)',
      'sort @timestamp desc',
      'limit 100',
    ),
  },
  // Design query 2.
  {
    title: 'Errors with trace context',
    description:
      'The latest 50 ERROR records that have a tracking id, with the error, the exception class and the trace and span ids to open the trace in Grafana.',
    queryString: query(
      'fields @timestamp, service, tracking_id, error.type, error.code, error.message, exception.class, tracing.trace_id, tracing.span_id',
      'filter level = "ERROR" and ispresent(tracking_id)',
      'sort @timestamp desc',
      'limit 50',
    ),
  },
  // Design query 3. `request.duration` is in seconds.
  {
    title: 'Requests slower than 1 s',
    description: 'The 50 slowest requests that took longer than 1 second, slowest first.',
    queryString: query(
      'fields @timestamp, service, tracking_id, request.method, request.path, request.duration, response.status',
      'filter request.duration > 1',
      'sort request.duration desc',
      'limit 50',
    ),
  },
  // Design query 4.
  {
    title: 'User activity',
    description: 'How many operations each user ran, by operation, most active first.',
    queryString: query(
      'filter ispresent(user.id)',
      'stats count(*) as operations by user.id, user.segment, operation.name',
      'sort operations desc',
      'limit 100',
    ),
  },
  {
    title: 'Request by tracking ID',
    description:
      `Every record of one request across all services, in order. Saved queries take no arguments: replace ${TRACKING_ID_PLACEHOLDER} ` +
      'with the X-Tracking-ID response header (or a trace id from Grafana) before running it.',
    queryString: query(
      'fields @timestamp, service, level, @@message, source.function, request.method, request.path, response.status, request.duration, error.type, tracing.span_id',
      `filter tracking_id = "${TRACKING_ID_PLACEHOLDER}" # paste the X-Tracking-ID header value here`,
      'sort @timestamp asc',
      'limit 1000',
    ),
  },
  {
    title: 'Error count by service',
    description: 'ERROR records per service in 5-minute bins; shown as a line chart per service.',
    queryString: query('filter level = "ERROR"', 'stats count(*) as errors by service, bin(5m)'),
  },
  {
    title: 'Request duration percentiles by endpoint',
    description:
      'p50, p95 and p99 request duration in seconds per service, method and path, slowest p95 first. Paths that embed ids show up as separate endpoints.',
    queryString: query(
      'filter ispresent(request.duration)',
      'stats pct(request.duration, 50) as p50, pct(request.duration, 95) as p95, pct(request.duration, 99) as p99, count(*) as requests by service, request.method, request.path',
      'sort p95 desc',
      'limit 50',
    ),
  },
  {
    title: 'Top error types',
    description: 'The 20 most frequent error types, by category and service.',
    queryString: query(
      'filter ispresent(error.type)',
      'stats count(*) as occurrences by error.type, error.category, service',
      'sort occurrences desc',
      'limit 20',
    ),
  },
  {
    title: 'Workflow executions by status',
    description:
      'Distinct workflow executions per type and status (an execution that logged running and completed counts in both). count_distinct is approximate for very many executions.',
    queryString: query(
      'filter ispresent(workflow.status)',
      'stats count_distinct(workflow.id) as executions by workflow.type, workflow.status',
      'sort executions desc',
    ),
  },
  {
    title: 'AI cost and tokens by model',
    description:
      'AI calls, input and output tokens and cost in US dollars per provider and model, most expensive first. Needs the ai.* log fields (an extension of the design).',
    queryString: query(
      'filter ispresent(ai.model)',
      'stats sum(ai.cost_usd) as cost_usd, sum(ai.tokens.input) as input_tokens, sum(ai.tokens.output) as output_tokens, count(*) as calls by ai.provider, ai.model',
      'sort cost_usd desc',
    ),
  },
];

/** The titles of the design's four queries (5.2), in the design's order. */
export const DESIGN_QUERY_TITLES = [
  'Tracking ID correlation',
  'Errors with trace context',
  'Requests slower than 1 s',
  'User activity',
] as const;

/**
 * The folder of an environment's queries: `<project>/<env>`; of a tenant's,
 * `<project>/<env>/tenants/<tenant>`; of one view group after the first (at most 50 services,
 * see lib/profile-loader/scale.ts), `<project>/<env>/<group>`, e.g. `<project>/<env>/services-51-100`.
 */
export function savedQueryFolder(
  project: string,
  environmentName: string,
  tenant?: string,
  serviceName?: string,
  group?: string,
): string {
  const base =
    tenant === undefined ? `${project}/${environmentName}` : `${project}/${environmentName}/tenants/${tenant}`;
  // A service the profile does not list (observed from another repository) saves its own queries.
  if (serviceName !== undefined) return `${base}/services/${serviceName}`;
  return group === undefined ? base : `${base}/${group}`;
}

/** CloudWatch's limit on a query definition name. */
export const MAX_QUERY_NAME_LENGTH = 255;

/**
 * The saved queries of one environment, named `<project>/<env>/<title>`, or of one tenant of it,
 * named `<project>/<env>/tenants/<tenant>/<title>`, or of one view group of it, named
 * `<project>/<env>/<group>/<title>`.
 * @throws Error when a name would be longer than CloudWatch accepts.
 */
export function savedQueries(
  project: string,
  environmentName: string,
  tenant?: string,
  serviceName?: string,
  group?: string,
): SavedQuery[] {
  const folder = savedQueryFolder(project, environmentName, tenant, serviceName, group);
  return QUERIES.map(({ title, description, queryString }) => {
    const name = `${folder}/${title}`;
    if (name.length > MAX_QUERY_NAME_LENGTH) {
      throw new Error(`Saved query name "${name}" is longer than ${MAX_QUERY_NAME_LENGTH} characters`);
    }
    return { title, name, description, queryString };
  });
}
