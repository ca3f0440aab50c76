import { checkPromQL, checkQuery, formatProblem, metricNamesIn, vectorSelectorsIn } from '../../lib/alerting/promql';
import { SeriesNames } from '../../lib/metrics/series-names';

describe('checkPromQL', () => {
  test('accepts a valid query', () => {
    expect(
      checkPromQL('histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket{le!=""}[5m]))) > 2'),
    ).toEqual([]);
  });

  test('reports an unclosed call at the end of the expression, with line and column', () => {
    const [problem, ...rest] = checkPromQL('sum(rate(request_count_total[5m])');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ offset: 33, line: 1, column: 34 });
    expect(problem.message).toMatch(/unexpected end/);
  });

  test('reports a missing matcher value where it is, on the right line of a multi-line expression', () => {
    const problems = checkPromQL(
      'sum(rate(request_count_total[5m]))\n  / sum(rate(request_count_total{status_code=}[5m]))',
    );
    expect(problems.map(formatProblem)).toEqual(['2:46: syntax error near "}[5m]))"']);
  });

  test('rejects an empty expression', () => {
    expect(checkPromQL('  ').map((problem) => problem.message)).toEqual(['empty expression']);
  });
});

describe('metricNamesIn', () => {
  test('finds every metric a query selects, once each, sorted', () => {
    expect(
      metricNamesIn(
        'sum(rate(request_count_total{status_code=~"5.."}[5m])) / sum(rate(request_count_total[5m])) or absent(active_requests)',
      ),
    ).toEqual(['active_requests', 'request_count_total']);
  });

  test('reads a name from a __name__ matcher and from a quoted name', () => {
    expect(metricNamesIn('{__name__="ai_cost_total", model="x"} + {"active_requests"}')).toEqual([
      'active_requests',
      'ai_cost_total',
    ]);
  });

  test('keeps the other matchers of a selector apart from its name', () => {
    expect(vectorSelectorsIn('request_count_total{service_name="api-gateway",status_code=~"5.."}')).toEqual([
      {
        metricName: 'request_count_total',
        matchers: [
          { label: 'service_name', operator: '=', value: 'api-gateway' },
          { label: 'status_code', operator: '=~', value: '5..' },
        ],
        offset: 0,
      },
    ]);
  });
});

describe('checkQuery', () => {
  const catalogue = new SeriesNames('UnderscoreEscapingWithSuffixes').all();

  test('accepts a query over catalogue series and their labels', () => {
    expect(
      checkQuery('sum by (service_name) (rate(request_count_total{deployment_environment_name="dev"}[5m]))', catalogue),
    ).toEqual([]);
  });

  test('rejects a metric outside the catalogue, naming it', () => {
    expect(checkQuery('rate(http_requests_total[5m])', catalogue).map((problem) => problem.message)).toEqual([
      "metric http_requests_total is not a series of the metric catalogue (lib/metrics/catalogue.ts) as the stack's translation strategy names it",
    ]);
  });

  test('rejects a matcher on a label the series does not carry', () => {
    expect(checkQuery('request_count_total{status="500"}', catalogue).map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^request_count_total has no label status \(it has .*status_code/),
    ]);
  });

  test('rejects a selector that names no metric exactly', () => {
    expect(checkQuery('{__name__=~"request_.*"}', catalogue).map((problem) => problem.message)).toEqual([
      'selector without an exact metric name: name the metric',
    ]);
  });

  test('reports syntax errors before anything else', () => {
    expect(checkQuery('rate(unknown_metric[5m]', catalogue).map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^syntax error/),
    ]);
  });
});
