/**
 * The committed dashboards: `dashboards/<uid>.json`, one file per dashboard, each checked first.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { GeneratedFile } from '../generated-file';
import type { SeriesNames } from '../metrics/series-names';
import type { EnvironmentProfile } from '../profile/schema';
import { buildDashboards } from './all';
import { assertDashboardsValid } from './checks';
import { sharedSeriesNames } from './context';

/** The folder of the generated dashboards, relative to the repository root. */
export const DASHBOARDS_FOLDER = 'dashboards';

/** `dashboards/starmates-service-health.json`. */
export function dashboardPath(uid: string): string {
  return `${DASHBOARDS_FOLDER}/${uid}.json`;
}

/**
 * One file per dashboard, sorted by path.
 * @throws DashboardCheckError naming the dashboard, panel and problem when any check fails
 */
export function dashboardFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  return renderDashboardFiles(buildDashboards(profiles), sharedSeriesNames(profiles));
}

/**
 * Serialises, checks (the JSON as Grafana will read it, not the builders' objects) and returns
 * the files; deterministic: 2-space JSON with a trailing newline, keys in the builders' order.
 * @throws DashboardCheckError when any dashboard fails a check
 */
export function renderDashboardFiles(
  dashboards: readonly { readonly uid?: string }[],
  series: SeriesNames,
): GeneratedFile[] {
  const rendered = dashboards.map((dashboard) => `${JSON.stringify(dashboard, null, 2)}\n`);
  // The JSON read back is the SDK's Dashboard, its queries plain objects (JSON drops only the
  // SDK's marker method): the checks read what Grafana will read.
  const parsed = rendered.map((content) => JSON.parse(content) as Dashboard);
  assertDashboardsValid(parsed, series.all());
  return dashboards
    .map((dashboard, index) => ({ path: dashboardPath(dashboard.uid ?? ''), content: rendered[index] }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
