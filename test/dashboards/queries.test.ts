import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertDefinitions } from '../../lib/alerting/prometheus-rules';
import { checkQuery, metricNamesIn, vectorSelectorsIn } from '../../lib/alerting/promql';
import { checkDashboard, DashboardCheckError, representativeValues } from '../../lib/dashboards/checks';
import { dashboardContext } from '../../lib/dashboards/context';
import { dashboardFrame, finishDashboard } from '../../lib/dashboards/dashboard';
import { dataSourceVariable } from '../../lib/dashboards/datasources';
import { renderDashboardFiles } from '../../lib/dashboards/files';
import { promTarget, timeseriesPanel } from '../../lib/dashboards/panels';
import { substituteVariables } from '../../lib/dashboards/template-variables';
import { environmentVariable, labelValuesVariable } from '../../lib/dashboards/variables';
import {
  type DashboardJson,
  dashboardByUid,
  dashboardsJson,
  type PanelJson,
  panelByTitle,
  profiles,
  visualizations,
} from './support';

const dashboards = dashboardsJson();
const context = dashboardContext(profiles());

/** Every PromQL expression of the dashboards, with where it is and the variable values to run it with. */
function promqlOf(dashboard: DashboardJson): { where: string; expr: string; values: Record<string, string> }[] {
  const values = representativeValues(dashboard.templating.list);
  return visualizations(dashboard).flatMap((panel) =>
    panel.targets
      .filter((target) => typeof target.expr === 'string' && panel.datasource.type === 'prometheus')
      .map((target) => ({
        where: `${dashboard.uid} / ${panel.title} / ${target.refId}`,
        expr: String(target.expr),
        values,
      })),
  );
}

/** A one-panel dashboard built with the same helpers as the real ones. */
function dashboardWith(expr: string, title = 'Request rate'): Dashboard {
  return finishDashboard(
    dashboardFrame({
      name: 'test',
      title: 'Test',
      summary: 'test',
      source: 'test',
      tags: [],
      from: 'now-1h',
      refresh: '1m',
    })
      .withVariable(dataSourceVariable('prometheus'))
      .withVariable(environmentVariable(context))
      .withPanel(
        timeseriesPanel({ title, description: 'test', unit: 'reqps', source: 'prometheus' }).withTarget(
          promTarget(expr, '{{endpoint}}'),
        ),
      ),
  );
}

describe('dashboard queries', () => {
  const queries = dashboards.flatMap(promqlOf);

  test('there are PromQL queries on five of the six dashboards (infrastructure is CloudWatch)', () => {
    const uids = new Set(queries.map((query) => query.where.split(' / ')[0]));
    expect([...uids].sort()).toEqual([
      'starmates-ai-usage',
      'starmates-collector-health',
      'starmates-service-health',
      'starmates-slos',
      'starmates-workflow-execution',
    ]);
  });

  test('every query parses and names only catalogued series and labels, once variables are substituted', () => {
    const problems = queries.flatMap(({ where, expr, values }) => {
      const { text, unknown } = substituteVariables(expr, values);
      return [
        ...unknown.map((name) => `${where}: $${name} has no value`),
        ...checkQuery(text, context.series.all()).map((p) => `${where}: ${p.message}`),
      ];
    });
    expect(problems).toEqual([]);
    const catalogue = context.series.all();
    for (const { expr, values } of queries) {
      for (const name of metricNamesIn(substituteVariables(expr, values).text)) expect(catalogue.has(name)).toBe(true);
    }
  });

  test('every query filters by the environment variable', () => {
    for (const { where, expr } of queries) {
      expect({ where, filtered: expr.includes('deployment_environment_name="$environment"') }).toEqual({
        where,
        filtered: true,
      });
    }
  });

  test('a dashboard with a misspelled metric is rejected, naming the dashboard, panel and metric', () => {
    const dashboard = dashboardWith('sum(rate(request_cnt_total{deployment_environment_name="$environment"}[5m]))');
    expect(() => renderDashboardFiles([dashboard], context.series)).toThrow(DashboardCheckError);
    expect(() => renderDashboardFiles([dashboard], context.series)).toThrow(
      /starmates-test, panel "Request rate", target A: .*metric request_cnt_total is not a series of the metric catalogue/,
    );
  });

  test('a label the series does not carry is rejected', () => {
    const problems = checkDashboard(
      JSON.parse(
        JSON.stringify(dashboardWith('sum(rate(request_count_total{deployment_environment="$environment"}[5m]))')),
      ),
      context.series.all(),
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('request_count_total has no label deployment_environment'),
    ]);
  });

  test('a variable the dashboard does not declare is rejected', () => {
    const problems = checkDashboard(
      JSON.parse(JSON.stringify(dashboardWith('sum(rate(request_count_total{service_name="$service"}[5m]))'))),
      context.series.all(),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        panel: 'Request rate',
        message: expect.stringContaining('uses $service, which has no value'),
      }),
    ]);
  });

  test('a multi-value variable matched with = instead of =~ is rejected', () => {
    const dashboard = finishDashboard(
      dashboardFrame({
        name: 'test',
        title: 'Test',
        summary: 't',
        source: 't',
        tags: [],
        from: 'now-1h',
        refresh: '1m',
      })
        .withVariable(dataSourceVariable('prometheus'))
        .withVariable(environmentVariable(context))
        .withVariable(
          labelValuesVariable({
            name: 'model',
            label: 'Model',
            series: 'ai_requests_total',
            valuesOf: 'model',
            multi: true,
          }),
        )
        .withPanel(
          timeseriesPanel({ title: 'Calls', description: 't', unit: 'reqps', source: 'prometheus' }).withTarget(
            promTarget('sum(rate(ai_requests_total{model="$model"}[5m]))', '{{model}}'),
          ),
        ),
    );
    expect(
      checkDashboard(JSON.parse(JSON.stringify(dashboard)), context.series.all()).map((problem) => problem.message),
    ).toEqual([expect.stringContaining('multi-value variable $model must be matched with =~')]);
  });

  test('a label_values variable over a label the series lacks is rejected', () => {
    const dashboard = finishDashboard(
      dashboardFrame({
        name: 'test',
        title: 'Test',
        summary: 't',
        source: 't',
        tags: [],
        from: 'now-1h',
        refresh: '1m',
      })
        .withVariable(dataSourceVariable('prometheus'))
        .withVariable(environmentVariable(context))
        .withVariable(
          labelValuesVariable({ name: 'model', label: 'Model', series: 'ai_cost_total', valuesOf: 'provider' }),
        )
        .withPanel(
          timeseriesPanel({ title: 'Spend', description: 't', unit: 'currencyUSD', source: 'prometheus' }).withTarget(
            promTarget('sum(increase(ai_cost_total[1h]))', 'spend'),
          ),
        ),
    );
    expect(checkDashboard(JSON.parse(JSON.stringify(dashboard)), context.series.all())).toEqual([
      expect.objectContaining({
        where: 'variable model',
        message: expect.stringContaining('ai_cost_total has no label provider'),
      }),
    ]);
  });
});

describe('panels that show what an alert evaluates query it the same way', () => {
  const health = dashboardByUid(dashboards, 'starmates-service-health');
  const rules = alertDefinitions('prod', profiles().prod).filter(
    (definition) => 'service' in definition.condition && definition.condition.service === 'api-gateway',
  );
  const values = { environment: 'prod', service_name: 'api-gateway' };

  /** Selectors (metric and matchers) and ranges: what an expression reads, whatever its grouping. */
  function reads(expr: string): { selectors: string[]; ranges: string[] } {
    const selectors = vectorSelectorsIn(expr).map(
      (selector) =>
        `${selector.metricName}{${selector.matchers
          .map((matcher) => `${matcher.label}${matcher.operator}${matcher.value}`)
          .sort()
          .join(',')}}`,
    );
    return { selectors: selectors.sort(), ranges: [...expr.matchAll(/\[(\w+)\]/g)].map((match) => match[1]).sort() };
  }

  function panelExpr(panel: PanelJson, refId = 'A'): string {
    const target = panel.targets.find((candidate) => candidate.refId === refId);
    return substituteVariables(String(target?.expr), values).text;
  }

  test('the error-rate panel reads what ElevatedErrorRate reads', () => {
    const rule = rules.find((definition) => definition.rule.alert === 'ElevatedErrorRate');
    expect(reads(panelExpr(panelByTitle(health, 'Error rate (5xx share of requests)')))).toEqual(
      reads(String(rule?.rule.expr)),
    );
  });

  test('the p95 line reads what ElevatedLatencyP95 reads', () => {
    const rule = rules.find((definition) => definition.rule.alert === 'ElevatedLatencyP95');
    const p95 = panelExpr(panelByTitle(health, 'Latency p50 / p95 / p99'), 'B');
    expect(p95).toMatch(/^histogram_quantile\(0\.95,/);
    expect(reads(p95)).toEqual(reads(String(rule?.rule.expr)));
  });
});
