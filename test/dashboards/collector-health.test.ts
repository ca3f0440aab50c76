import { alertDefinitions, COLLECTOR_TIERS } from '../../lib/alerting/prometheus-rules';
import { vectorSelectorsIn } from '../../lib/alerting/promql';
import { resolveThresholds } from '../../lib/alerting/thresholds';
import { gatewaySizing } from '../../lib/collector/gateway-sizing';
import { substituteVariables } from '../../lib/dashboards/template-variables';
import {
  dashboardByUid,
  dashboardsJson,
  effectiveThresholds,
  environments,
  lineValues,
  type PanelJson,
  panelByTitle,
  profiles,
  visualizations,
} from './support';

const cdkProfiles = profiles();
const collectorHealth = dashboardByUid(dashboardsJson(cdkProfiles), 'starmates-collector-health');
const GATEWAY_PANELS = [
  'Spans through the gateway',
  'Traces sampled vs not sampled',
  'Gateway exporter failures',
  'Traces evicted before their decision, per gateway task',
  'Traces held per gateway task vs num_traces',
];

function exprs(panel: PanelJson): string[] {
  return panel.targets.map((target) => String(target.expr));
}

/** The service_name matchers of a query's selectors ('' for a selector without one). */
function tiersSelected(expr: string): string[] {
  return vectorSelectorsIn(expr).map(
    (selector) => selector.matchers.find((matcher) => matcher.label === 'service_name')?.value ?? '',
  );
}

describe('collector health and the gateway tier', () => {
  test('a gateway row follows the sidecars when a profile declares a gateway', () => {
    const titles = collectorHealth.panels.map((panel) => panel.title);
    expect(titles.slice(titles.indexOf('Gateway (tail sampling)'), titles.indexOf('Queues and memory'))).toEqual([
      'Gateway (tail sampling)',
      ...GATEWAY_PANELS,
    ]);
  });

  test('without any gateway there is no gateway row and no eviction query', () => {
    const raw = environments();
    for (const environment of Object.values(raw)) delete environment.gateway;
    const dashboard = dashboardByUid(dashboardsJson(profiles(raw)), 'starmates-collector-health');
    const titles = dashboard.panels.map((panel) => panel.title);
    expect(titles.filter((title) => ['Gateway (tail sampling)', ...GATEWAY_PANELS].includes(title))).toEqual([]);
    expect(JSON.stringify(dashboard)).not.toContain('tail_sampling');
  });

  test('gateway panels select the gateway, per-signal panels the sidecars, the rest every tier', () => {
    // Each panel's queries with the tiers they select, and the same queries selecting only `tier`.
    const selections = (titles: readonly string[]) =>
      titles.flatMap((title) =>
        exprs(panelByTitle(collectorHealth, title)).map((expr) => ({ title, expr, tiers: tiersSelected(expr) })),
      );
    const only = (titles: readonly string[], tier: string) =>
      selections(titles).map((selection) => ({ ...selection, tiers: selection.tiers.map(() => tier) }));
    const gatewayQueries = selections(GATEWAY_PANELS);
    expect(gatewayQueries.length).toBeGreaterThanOrEqual(GATEWAY_PANELS.length);
    expect(gatewayQueries).toEqual(only(GATEWAY_PANELS, COLLECTOR_TIERS.gateway));
    const perSignal = ['Spans (traces)', 'Metric points (metrics)', 'Log records (logs)'];
    expect(selections(perSignal).length).toBeGreaterThanOrEqual(perSignal.length);
    expect(selections(perSignal)).toEqual(only(perSignal, COLLECTOR_TIERS.sidecar));
    // Alert view, queues and memory limiter: no tier filter, and service_name kept per series.
    const everyTier = visualizations(collectorHealth).filter(
      (panel) =>
        panel.title.startsWith('Telemetry lost') ||
        [
          'Sending queue size vs capacity',
          'Fullest sending queue (share of capacity)',
          'Memory limiter refusals',
        ].includes(panel.title),
    );
    expect(everyTier).toHaveLength(4);
    const everyTierQueries = everyTier.flatMap((panel) => exprs(panel));
    expect(everyTierQueries.map((expr) => ({ expr, tiers: tiersSelected(expr) }))).toEqual(
      everyTierQueries.map((expr) => ({
        expr: expect.stringMatching(/ by \([^)]*service_name/),
        tiers: tiersSelected(expr).map(() => ''),
      })),
    );
  });

  test('the alert view reads what GatewayTracesEvicted reads, under the collectorHealth threshold', () => {
    const panel = visualizations(collectorHealth).find((candidate) => candidate.title.startsWith('Telemetry lost'));
    if (panel === undefined) throw new Error('no alert view');
    const evictions = exprs(panel).find((expr) => expr.includes('dropped_too_early'));
    if (evictions === undefined) throw new Error('no query of dropped_too_early in the alert view');
    const rule = alertDefinitions('prod', cdkProfiles.prod).find(
      (definition) => definition.rule.alert === 'GatewayTracesEvicted',
    );
    const reads = (expr: string) =>
      vectorSelectorsIn(substituteVariables(expr, { environment: 'prod' }).text).map(
        (selector) => `${selector.metricName}${JSON.stringify(selector.matchers)}`,
      );
    expect(reads(evictions)).toEqual(reads(String(rule?.rule.expr)));
    expect(evictions).toContain('[3m]');
    expect(lineValues(effectiveThresholds(panel, 'otel-gateway: evicted traces before their decision (prod)'))).toEqual(
      resolveThresholds(cdkProfiles.prod)
        .filter((threshold) => threshold.signal === 'collectorHealth')
        .map((threshold) => threshold.threshold),
    );
  });

  test("the sizing lines are each environment's num_traces and expected traces per second", () => {
    const cache = panelByTitle(collectorHealth, 'Traces held per gateway task vs num_traces');
    const arrivals = panelByTitle(collectorHealth, 'Traces sampled vs not sampled');
    const environments = Object.entries(cdkProfiles);
    // Each environment's line values; undefined where the series has no thresholds (no gateway).
    const lines = (panel: Parameters<typeof effectiveThresholds>[0], series: (environment: string) => string) =>
      Object.fromEntries(
        environments.map(([environment]) => {
          const thresholds = effectiveThresholds(panel, series(environment));
          return [environment, thresholds && lineValues(thresholds)];
        }),
      );
    expect(lines(cache, (environment) => `task-1 (${environment})`)).toEqual(
      Object.fromEntries(
        environments.map(([environment, { gateway }]) => [
          environment,
          gateway === undefined ? undefined : [gatewaySizing(gateway).numTraces],
        ]),
      ),
    );
    expect(lines(arrivals, (environment) => `new traces (${environment})`)).toEqual(
      Object.fromEntries(
        environments.map(([environment, { gateway }]) => [environment, gateway && [gateway.expectedTracesPerSecond]]),
      ),
    );
  });
});
