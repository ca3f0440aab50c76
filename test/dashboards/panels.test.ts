// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Grafana variables (${name}), which Grafana fills in, not JavaScript templates
import * as units from '@grafana/grafana-foundation-sdk/units';
import { VARIABLE_PATTERN } from '../../lib/dashboards/template-variables';
import { dashboardByUid, dashboardsJson, exploreQuery, type PanelJson, panelByTitle, visualizations } from './support';

const dashboards = dashboardsJson();
const health = dashboardByUid(dashboards, 'starmates-service-health');
const knownUnits = new Set<string>(Object.values(units));

describe('every panel', () => {
  const panels = dashboards.flatMap((dashboard) =>
    visualizations(dashboard).map((panel) => [`${dashboard.uid} / ${panel.title}`, panel] as const),
  );

  test.each(panels)('%s has a title, a description, a unit and a data source', (_, panel) => {
    expect(panel.title.trim()).not.toBe('');
    expect(String(panel.description).trim()).not.toBe('');
    expect(knownUnits.has(panel.fieldConfig.defaults.unit) || /^suffix:/.test(panel.fieldConfig.defaults.unit)).toBe(
      true,
    );
    expect(panel.datasource).toEqual({ type: expect.any(String), uid: expect.stringMatching(/^\$\{\w+\}$/) });
    for (const target of panel.targets) expect(target.datasource).toEqual(panel.datasource);
  });

  test('rows are headings only: full width and holding no panels', () => {
    for (const dashboard of dashboards) {
      for (const row of dashboard.panels.filter((panel) => panel.type === 'row')) {
        expect(row).toMatchObject({ collapsed: false, panels: [], gridPos: { x: 0, w: 24, h: 1 } });
      }
    }
  });
});

describe('links from a spike to its traces and logs', () => {
  const linkedPanels = ['Error rate (5xx share of requests)', 'Latency p50 / p95 / p99'].map((title) =>
    panelByTitle(health, title),
  );

  test.each(linkedPanels.map((panel) => [panel.title, panel] as const))(
    '%s links each series to its failed and slow traces in Tempo and its error logs in Loki',
    (_, panel) => {
      const links = panel.fieldConfig.defaults.links ?? [];
      const queries = links.map((link) => ({ title: link.title, query: exploreQuery(link.url) }));
      expect(queries).toEqual([
        {
          title: expect.stringContaining('Failed traces'),
          query: expect.objectContaining({
            datasource: { type: 'tempo', uid: '${traces}' },
            query: expect.stringMatching(
              /resource\.service\.name = "\$\{__field\.labels\.service_name\}".*resource\.deployment\.environment\.name = "\$\{__field\.labels\.deployment_environment_name\}".*status = error/,
            ),
          }),
        },
        {
          title: expect.stringContaining('slower than 2 s'),
          query: expect.objectContaining({ query: expect.stringContaining('duration > 2s') }),
        },
        {
          title: expect.stringContaining('Error logs'),
          query: expect.objectContaining({
            datasource: { type: 'loki', uid: '${logs}' },
            expr: expect.stringContaining('{service_name="${__field.labels.service_name}"}'),
          }),
        },
      ]);
    },
  );

  test.each(linkedPanels.map((panel) => [panel.title, panel] as const))(
    '%s asks for exemplars, whose trace ids open the trace in one click',
    (_, panel) => {
      expect(panel.targets.some((target) => target.exemplar === true)).toBe(true);
    },
  );

  test('a trace id in a trace table opens the trace and every log record carrying it as tracking_id', () => {
    const tables = dashboards.flatMap((dashboard) =>
      visualizations(dashboard).filter((panel) => panel.type === 'table'),
    );
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const table of tables) {
      const links = traceIdLinks(table);
      expect(links.map((link) => exploreQuery(link.url))).toEqual([
        expect.objectContaining({ datasource: { type: 'tempo', uid: '${traces}' }, query: '${__value.raw}' }),
        expect.objectContaining({
          datasource: { type: 'loki', uid: '${logs}' },
          expr: '{service_name=~".+"} | tracking_id="${__value.raw}" or trace_id="${__value.raw}"',
        }),
      ]);
    }
  });

  test('links keep Grafana variables literal for Grafana to fill in, and encode the rest', () => {
    const [link] = panelByTitle(health, 'Error rate (5xx share of requests)').fieldConfig.defaults.links ?? [];
    expect(link.url).toMatch(/^\/explore\?schemaVersion=1&orgId=\$\{__org\}&panes=%7B/);
    expect(link.url).toContain('${__field.labels.service_name}');
    expect(link.url).toContain('${__from}');
    expect(link.url.replace(VARIABLE_PATTERN, '')).not.toMatch(/[ "{}|]/);
  });
});

function traceIdLinks(table: PanelJson): { title: string; url: string }[] {
  const override = table.fieldConfig.overrides.find((candidate) => candidate.matcher.options === 'traceID');
  const property = override?.properties.find((candidate) => candidate.id === 'links');
  return (property?.value ?? []) as { title: string; url: string }[];
}
