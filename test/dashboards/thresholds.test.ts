import { BURN_RATE_WINDOWS, resolveThresholds, SERVICE_LEVEL_OBJECTIVES } from '../../lib/alerting/thresholds';
import { clusterName } from '../../lib/dashboards/context';
import { thresholdSteps } from '../../lib/dashboards/threshold-lines';
import type { AlertSignal } from '../../lib/profile/schema';
import {
  dashboardByUid,
  dashboardsJson,
  effectiveThresholds,
  environments,
  lineValues,
  type PanelJson,
  panelByTitle,
  profiles,
} from './support';

const cdkProfiles = profiles();
const dashboards = dashboardsJson(cdkProfiles);
const health = dashboardByUid(dashboards, 'starmates-service-health');
const deployments = Object.entries(cdkProfiles).flatMap(([environment, profile]) =>
  Object.keys(profile.services).map((service) => ({ environment, service })),
);

/** The threshold values the model resolves for a signal of a deployment, ascending. */
function modelValues(environment: string, signal: AlertSignal, service?: string): number[] {
  return resolveThresholds(cdkProfiles[environment], service)
    .filter((threshold) => threshold.signal === signal)
    .map((threshold) => threshold.threshold)
    .sort((a, b) => a - b);
}

/** Which panel series carries which signal's thresholds, by series display name. */
const ALERTING_PANELS: readonly {
  readonly dashboard: string;
  readonly title: string;
  readonly signal: AlertSignal;
  readonly series: (service: string, environment: string) => string;
}[] = [
  {
    dashboard: 'starmates-service-health',
    title: 'Error rate (5xx share of requests)',
    signal: 'errorRate',
    series: (s, e) => `${s} (${e})`,
  },
  {
    dashboard: 'starmates-service-health',
    title: '5xx share now',
    signal: 'errorRate',
    series: (s, e) => `${s} (${e})`,
  },
  {
    dashboard: 'starmates-service-health',
    title: 'Latency p50 / p95 / p99',
    signal: 'latencyP95',
    series: (s, e) => `p95 ${s} (${e})`,
  },
  {
    dashboard: 'starmates-service-health',
    title: 'p95 latency now',
    signal: 'latencyP95',
    series: (s, e) => `${s} (${e})`,
  },
  {
    dashboard: 'starmates-infrastructure',
    title: 'Running tasks',
    signal: 'serviceDown',
    series: (s, e) => `${s} (${clusterName(cdkProfiles[e], e)})`,
  },
];

describe('threshold lines come from the threshold model', () => {
  test.each(ALERTING_PANELS.map((entry) => [entry.title, entry] as const))(
    '%s: every service in every environment gets exactly its resolved thresholds',
    (_, { dashboard, title, signal, series }) => {
      const panel = panelByTitle(dashboardByUid(dashboards, dashboard), title);
      expect(deployments.length).toBeGreaterThan(0);
      expect(
        deployments.map(({ environment, service }) => ({
          environment,
          service,
          lines: lineValues(effectiveThresholds(panel, series(service, environment))),
        })),
      ).toEqual(
        deployments.map(({ environment, service }) => ({
          environment,
          service,
          lines: modelValues(environment, signal, service),
        })),
      );
    },
  );

  test("prod's error-rate warning override (3 %) is drawn on prod's series only", () => {
    const panel = panelByTitle(health, 'Error rate (5xx share of requests)');
    expect(lineValues(effectiveThresholds(panel, 'api-gateway (prod)'))).toEqual([3, 10]);
    expect(lineValues(effectiveThresholds(panel, 'api-gateway (dev)'))).toEqual([5, 10]);
  });

  test('changing a service override in the profile moves that service’s line, and only it', () => {
    const changed = environments();
    const services = changed.prod.services as Record<string, Record<string, unknown>>;
    services['workflow-engine'].alertThresholds = {
      errorRate: { critical: { threshold: 12 } },
      latencyP95: { warning: { threshold: 1.5 } },
    };
    const moved = dashboardByUid(dashboardsJson(profiles(changed)), 'starmates-service-health');
    const errors = panelByTitle(moved, 'Error rate (5xx share of requests)');
    const latency = panelByTitle(moved, 'Latency p50 / p95 / p99');
    expect(lineValues(effectiveThresholds(errors, 'workflow-engine (prod)'))).toEqual([3, 12]);
    expect(lineValues(effectiveThresholds(errors, 'api-gateway (prod)'))).toEqual([3, 10]);
    expect(lineValues(effectiveThresholds(latency, 'p95 workflow-engine (prod)'))).toEqual([1.5, 5]);
    expect(lineValues(effectiveThresholds(latency, 'p95 workflow-engine (staging)'))).toEqual([2, 5]);
  });

  test('lines are dashed on the alerting series and off on p50 and p99', () => {
    const latency = panelByTitle(health, 'Latency p50 / p95 / p99');
    expect(latency.fieldConfig.defaults).toMatchObject({ custom: { thresholdsStyle: { mode: 'dashed' } } });
    expect(latency.fieldConfig.overrides[0]).toEqual({
      matcher: { id: 'byRegexp', options: 'p(50|99) .*' },
      properties: [{ id: 'custom.thresholdsStyle', value: { mode: 'off' } }],
    });
  });

  test('warnings are orange, criticals red, and the colours ascend with the values', () => {
    expect(
      thresholdSteps([
        { severity: 'critical', threshold: 10, comparison: 'above' },
        { severity: 'warning', threshold: 5, comparison: 'above' },
      ]).steps,
    ).toEqual([
      { value: null, color: 'green' },
      { value: 5, color: 'orange' },
      { value: 10, color: 'red' },
    ]);
    // serviceDown fires below its threshold: red under it, green from it.
    expect(thresholdSteps([{ severity: 'critical', threshold: 1, comparison: 'below' }]).steps).toEqual([
      { value: null, color: 'red' },
      { value: 1, color: 'green' },
    ]);
  });

  test("the hourly AI spend carries each environment's budget", () => {
    const ai = dashboardByUid(dashboards, 'starmates-ai-usage');
    const environments = Object.keys(cdkProfiles);
    const drawn = (environment: string) => ({
      lastHour: lineValues(effectiveThresholds(panelByTitle(ai, 'Spend, last hour'), environment)),
      byModel: lineValues(
        effectiveThresholds(panelByTitle(ai, 'Spend per hour by model'), `all models (${environment})`),
      ),
    });
    const budget = (environment: string) => modelValues(environment, 'aiCostPerHour');
    expect(Object.fromEntries(environments.map((environment) => [environment, drawn(environment)]))).toEqual(
      Object.fromEntries(
        environments.map((environment) => [
          environment,
          { lastHour: budget(environment), byModel: budget(environment) },
        ]),
      ),
    );
  });

  test("the collector alert view carries each environment's collector-health threshold", () => {
    const panel = dashboardByUid(dashboards, 'starmates-collector-health').panels.find((candidate) =>
      candidate.title.startsWith('Telemetry lost'),
    ) as PanelJson;
    const environments = Object.keys(cdkProfiles);
    expect(
      Object.fromEntries(
        environments.map((environment) => [
          environment,
          lineValues(effectiveThresholds(panel, `otel-gateway: refused spans at otlp (${environment})`)),
        ]),
      ),
    ).toEqual(
      Object.fromEntries(environments.map((environment) => [environment, modelValues(environment, 'collectorHealth')])),
    );
  });

  test('each burn-rate panel draws the burn rate of its alert tier, for both objectives', () => {
    const slos = dashboardByUid(dashboards, 'starmates-slos');
    const burnPanels = slos.panels.filter((panel) => panel.title.includes('burn rate'));
    expect(burnPanels).toHaveLength(SERVICE_LEVEL_OBJECTIVES.length * BURN_RATE_WINDOWS.length);
    const windowOf = (index: number) => BURN_RATE_WINDOWS[index % BURN_RATE_WINDOWS.length];
    expect(
      burnPanels.map((panel) => ({ lines: lineValues(panel.fieldConfig.defaults.thresholds), title: panel.title })),
    ).toEqual(
      burnPanels.map((_, index) => ({
        lines: [windowOf(index).burnRate],
        title: expect.stringContaining(`${windowOf(index).burnRate}×`),
      })),
    );
  });

  test('the SLI stats turn red below each objective', () => {
    const slos = dashboardByUid(dashboards, 'starmates-slos');
    const sliSteps = (objective: (typeof SERVICE_LEVEL_OBJECTIVES)[number]) =>
      (
        slos.panels.find(
          (panel) =>
            panel.title.includes('SLI') &&
            panel.title.startsWith(objective.name === 'availability' ? 'Availability' : 'Latency'),
        ) as PanelJson | undefined
      )?.fieldConfig.defaults.thresholds?.steps;
    expect(SERVICE_LEVEL_OBJECTIVES.map(sliSteps)).toEqual(
      SERVICE_LEVEL_OBJECTIVES.map((objective) => [
        { value: null, color: 'red' },
        { value: objective.objective, color: 'green' },
      ]),
    );
  });
});
