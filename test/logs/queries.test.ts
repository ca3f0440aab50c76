import { logFieldPaths } from '../../lib/logs/log-schema';
import {
  DESIGN_QUERY_TITLES,
  MAX_QUERY_NAME_LENGTH,
  savedQueries,
  TRACKING_ID_PLACEHOLDER,
} from '../../lib/logs/queries';
import { fieldsUsedBy, unknownFields } from '../../lib/logs/query-fields';

const queries = savedQueries('starmates-ai-team', 'prod');
const schemaFields = logFieldPaths();

describe('the saved Logs Insights queries', () => {
  test.each(queries.map((query) => [query.title, query.queryString]))(
    '"%s" uses only fields of the log schema',
    (_, queryString) => {
      expect(fieldsUsedBy(queryString).length).toBeGreaterThan(0);
      expect(unknownFields(queryString, schemaFields)).toEqual([]);
    },
  );

  test('the field check catches a misspelt field', () => {
    const misspelt = 'fields request.path, request.durration | filter request.durration > 1';
    expect(unknownFields(misspelt, schemaFields)).toEqual(['request.durration']);
  });

  test("the field check catches the design's @level, which Logs Insights names @@level in our JSON", () => {
    const designErrorQuery =
      'fields @timestamp, @message, tracking_id, service, error.type, error.message | filter @level = "ERROR"';
    expect(unknownFields(designErrorQuery, schemaFields)).toEqual(['@level']);
  });

  test('are named <project>/<env>/<title>, each name unique and within 255 characters', () => {
    for (const query of queries) {
      expect(query.name).toBe(`starmates-ai-team/prod/${query.title}`);
      expect(query.name.length).toBeLessThanOrEqual(MAX_QUERY_NAME_LENGTH);
    }
    expect(new Set(queries.map((query) => query.name)).size).toBe(queries.length);
  });

  test("include the design's four queries", () => {
    expect(queries.map((query) => query.title)).toEqual(expect.arrayContaining([...DESIGN_QUERY_TITLES]));
    expect(DESIGN_QUERY_TITLES).toHaveLength(4);
  });

  test('include the queries the issue asks for', () => {
    expect(queries.map((query) => query.title)).toEqual(
      expect.arrayContaining([
        'Request by tracking ID',
        'Error count by service',
        'Request duration percentiles by endpoint',
        'Top error types',
        'Workflow executions by status',
        'AI cost and tokens by model',
      ]),
    );
  });

  test('look up one request by a tracking id placeholder the user replaces', () => {
    const byTrackingId = queries.find((query) => query.title === 'Request by tracking ID');
    expect(byTrackingId?.queryString).toContain(`filter tracking_id = "${TRACKING_ID_PLACEHOLDER}"`);
    expect(byTrackingId?.description).toContain(TRACKING_ID_PLACEHOLDER);
  });

  test('count errors by service in 5-minute bins and take p50, p95 and p99 of request.duration', () => {
    const text = (title: string) => queries.find((query) => query.title === title)?.queryString ?? '';
    expect(text('Error count by service')).toContain('stats count(*) as errors by service, bin(5m)');
    for (const percentile of [50, 95, 99]) {
      expect(text('Request duration percentiles by endpoint')).toContain(`pct(request.duration, ${percentile})`);
    }
  });

  test('fit the 10,000 characters CloudWatch allows a query string', () => {
    for (const query of queries) expect(query.queryString.length).toBeLessThanOrEqual(10_000);
  });

  test('refuse a project and environment that would make a name longer than CloudWatch accepts', () => {
    expect(() => savedQueries('p'.repeat(250), 'prod')).toThrow(/longer than 255/);
  });
});
