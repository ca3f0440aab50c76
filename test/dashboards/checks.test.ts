import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { checkDashboard, checkDashboards, formatDashboardProblem } from '../../lib/dashboards/checks';
import { SeriesNames } from '../../lib/metrics/series-names';
import { dashboardsJson, type Json } from './support';

const SERIES = new SeriesNames('UnderscoreEscapingWithSuffixes').all();

/** A fresh copy of the generated service-health dashboard, to break. */
function healthDashboard(): Json & { panels: Json[]; templating: { list: Json[] } } {
  return structuredClone(dashboardsJson()[0]) as never;
}

/** The parsed JSON, read as the SDK's type (as lib/dashboards/files.ts reads it). */
function asDashboards(json: readonly unknown[]): Dashboard[] {
  return json as Dashboard[];
}

function problemsOf(dashboard: unknown): string[] {
  return checkDashboard(dashboard as Dashboard, SERIES).map(formatDashboardProblem);
}

describe('the dashboard checks', () => {
  test('accepts every generated dashboard', () => {
    expect(checkDashboards(asDashboards(dashboardsJson()), SERIES).map(formatDashboardProblem)).toEqual([]);
  });

  test('rejects a panel without a unit, naming the panel', () => {
    const dashboard = healthDashboard();
    const panel = dashboard.panels[1] as { fieldConfig: { defaults: Json } };
    delete panel.fieldConfig.defaults.unit;
    expect(problemsOf(dashboard)).toEqual([
      'starmates-service-health, panel "Availability (time range)": has no unit (fieldConfig.defaults.unit)',
    ]);
  });

  test('rejects a target without a refId, and a PromQL target without a query', () => {
    const dashboard = healthDashboard();
    const targets = (dashboard.panels[2] as { targets: Json[] }).targets;
    delete targets[0].refId;
    delete targets[0].expr;
    expect(problemsOf(dashboard).sort()).toEqual([
      'starmates-service-health, panel "Requests per second", target #0: has no expr',
      'starmates-service-health, panel "Requests per second", target #0: refId must be one capital letter',
    ]);
  });

  test('rejects a data source given by a fixed uid instead of a datasource variable', () => {
    const dashboard = healthDashboard();
    (dashboard.panels[3] as { datasource: Json }).datasource = { type: 'prometheus', uid: 'grafanacloud-prom' };
    expect(problemsOf(dashboard)).toEqual([
      'starmates-service-health, panel "5xx share now": data source grafanacloud-prom is not a datasource variable of the dashboard',
      'starmates-service-health, panel "5xx share now", target A: queries a data source other than the panel\'s; mixed panels are not generated',
    ]);
  });

  test('rejects a dashboard without a uid, and a panel without a title', () => {
    const dashboard = healthDashboard();
    delete dashboard.uid;
    delete dashboard.panels[4].title;
    expect(problemsOf(dashboard)).toEqual([
      'Service health: uid undefined must be starmates-<lower-case name>, at most 40 characters',
      'Service health, panel "#4": has no title',
    ]);
  });

  test('rejects a panel that overflows the 24-column grid, and threshold steps out of order', () => {
    const dashboard = healthDashboard();
    (dashboard.panels[1] as { gridPos: Json }).gridPos = { x: 20, y: 1, w: 6, h: 5 };
    (dashboard.panels[3] as { fieldConfig: { defaults: { thresholds: Json } } }).fieldConfig.defaults.thresholds = {
      mode: 'absolute',
      steps: [
        { value: null, color: 'green' },
        { value: 10, color: 'red' },
        { value: 5, color: 'orange' },
      ],
    };
    expect(problemsOf(dashboard)).toEqual([
      'starmates-service-health, panel "Availability (time range)": gridPos x 20 + w 6 is wider than the 24-column grid',
      'starmates-service-health, panel "5xx share now": default thresholds: steps after the first must be numbers in ascending order',
    ]);
  });

  test('rejects two dashboards with the same uid', () => {
    const [first] = dashboardsJson();
    expect(checkDashboards(asDashboards([first, structuredClone(first)]), SERIES).map(formatDashboardProblem)).toEqual([
      'starmates-service-health: another dashboard has the same uid; uids must be unique',
    ]);
  });
});
