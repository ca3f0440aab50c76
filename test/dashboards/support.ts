import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboards } from '../../lib/dashboards/all';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';

import { exampleEnvironments } from '../support/example-app';

/** A deep copy of the example app's `environments` (test/fixtures/example-app), to mutate in a test. */
export function environments(): Record<string, Record<string, unknown>> {
  return exampleEnvironments();
}

export function profiles(changed = environments()): Record<string, EnvironmentProfile> {
  return loadEnvironmentProfiles(changed);
}

/** JSON as Grafana receives it. */
export type Json = Record<string, unknown>;

export interface PanelJson extends Json {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource: { readonly type: string; readonly uid: string };
  readonly targets: readonly (Json & { readonly refId: string })[];
  readonly fieldConfig: {
    readonly defaults: Json & {
      readonly unit: string;
      readonly thresholds?: ThresholdsJson;
      readonly links?: readonly { readonly title: string; readonly url: string }[];
    };
    readonly overrides: readonly {
      readonly matcher: { readonly id: string; readonly options: string };
      readonly properties: readonly { readonly id: string; readonly value: unknown }[];
    }[];
  };
}

export interface ThresholdsJson {
  readonly mode: string;
  readonly steps: readonly { readonly value: number | null; readonly color: string }[];
}

export interface DashboardJson extends Json {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly panels: readonly PanelJson[];
  readonly templating: { readonly list: readonly (Json & VariableModel)[] };
}

/** The dashboards built from these profiles, serialised and parsed back. */
export function dashboardsJson(from = profiles()): DashboardJson[] {
  return buildDashboards(from).map((dashboard) => JSON.parse(JSON.stringify(dashboard)) as DashboardJson);
}

export function dashboardByUid(dashboards: readonly DashboardJson[], uid: string): DashboardJson {
  const dashboard = dashboards.find((candidate) => candidate.uid === uid);
  if (dashboard === undefined) throw new Error(`no dashboard ${uid}`);
  return dashboard;
}

export function panelByTitle(dashboard: DashboardJson, title: string): PanelJson {
  const panel = dashboard.panels.find((candidate) => candidate.title === title);
  if (panel === undefined) throw new Error(`${dashboard.uid} has no panel "${title}"`);
  return panel;
}

/** Panels that show data (rows are headings). */
export function visualizations(dashboard: DashboardJson): PanelJson[] {
  return dashboard.panels.filter((panel) => panel.type !== 'row');
}

/**
 * The thresholds Grafana applies to the series with this display name: the last override that
 * matches it (byName, or byRegexp anchored as Grafana anchors it), else the panel defaults.
 */
export function effectiveThresholds(panel: PanelJson, seriesName: string): ThresholdsJson | undefined {
  let thresholds = panel.fieldConfig.defaults.thresholds;
  for (const override of panel.fieldConfig.overrides) {
    const { id, options } = override.matcher;
    const matches = id === 'byName' ? options === seriesName : new RegExp(`^${options}$`).test(seriesName);
    const property = override.properties.find((candidate) => candidate.id === 'thresholds');
    if (matches && property !== undefined) thresholds = property.value as ThresholdsJson;
  }
  return thresholds;
}

/** The threshold values of the steps after the base colour. */
export function lineValues(thresholds: ThresholdsJson | undefined): (number | null)[] {
  return (thresholds?.steps ?? []).slice(1).map((step) => step.value);
}

/** A Grafana Explore link's query, decoded (variables stay as written). */
export function exploreQuery(url: string): Json {
  const panes = new URL(url, 'https://grafana.example').searchParams.get('panes');
  if (panes === null) throw new Error(`not an Explore link: ${url}`);
  const parsed = JSON.parse(panes) as { a: { queries: Json[] } };
  return parsed.a.queries[0];
}
