/**
 * Checks a dashboard must pass before it is written. The shape is the foundation SDK's own
 * `dashboard.Dashboard` (the dashboards are built with its builders, and the JSON Grafana reads
 * back is that type); these checks add what our dashboards promise beyond it and what no type can
 * say. Every dashboard has a stable `starmates-` uid, a description, tags and a fixed time range;
 * every panel a title, a description, a known unit, grid coordinates and a data source given by a
 * `datasource` variable its targets share; every target a refId and the query field its data
 * source needs. PromQL parses with the Prometheus grammar and names only catalogued series with
 * labels they carry (`checkQuery`, after substituting representative values for Grafana
 * variables); every variable a query or link uses is declared; multi-value variables are matched
 * with `=~`; ids and refIds are unique, panels fit the 24-column grid, threshold steps ascend.
 */
import type * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  type DashboardLink,
  type DynamicConfigValue,
  type Panel,
  type RowPanel,
  type Threshold,
  type ThresholdsConfig,
  type VariableModel,
  type VariableOption,
  VariableType,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type * as loki from '@grafana/grafana-foundation-sdk/loki';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import type * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { checkQuery, formatProblem, metricNamesIn, type SeriesCatalogue } from '../alerting/promql';
import { UID_PREFIX } from './dashboard';
import { isBuiltIn, substituteVariables, variableReferences } from './template-variables';

/** A problem in one dashboard, at a panel and target where it has one. */
export interface DashboardProblem {
  /** The dashboard uid (or title when it has none). */
  readonly dashboard: string;
  /** The panel title, or `#<index>` for a panel without one. */
  readonly panel?: string;
  /** Where in the panel or dashboard: `target B`, `variable service_name`, `link "…"`. */
  readonly where?: string;
  readonly message: string;
}

export function formatDashboardProblem(problem: DashboardProblem): string {
  const at = [problem.panel === undefined ? undefined : `panel "${problem.panel}"`, problem.where].filter(
    (part): part is string => part !== undefined,
  );
  return `${problem.dashboard}${at.length > 0 ? `, ${at.join(', ')}` : ''}: ${problem.message}`;
}

/** Thrown by `assertDashboardsValid`; `message` lists every problem, one line each. */
export class DashboardCheckError extends Error {
  constructor(public readonly problems: readonly DashboardProblem[]) {
    super(
      [
        'Generated dashboards failed their checks (lib/dashboards/checks.ts):',
        ...problems.map((problem) => `  - ${formatDashboardProblem(problem)}`),
      ].join('\n'),
    );
    this.name = 'DashboardCheckError';
  }
}

/** @throws DashboardCheckError naming the dashboard, panel and problem of each failure */
export function assertDashboardsValid(dashboards: readonly Dashboard[], series: SeriesCatalogue): void {
  const problems = checkDashboards(dashboards, series);
  if (problems.length > 0) throw new DashboardCheckError(problems);
}

/** Every problem of several dashboards, including uids used twice. */
export function checkDashboards(dashboards: readonly Dashboard[], series: SeriesCatalogue): DashboardProblem[] {
  const problems = dashboards.flatMap((dashboard) => checkDashboard(dashboard, series));
  const uids = dashboards.map((dashboard) => dashboard.uid);
  uids.forEach((uid, index) => {
    if (uid !== undefined && uids.indexOf(uid) !== index) {
      problems.push({ dashboard: uid, message: 'another dashboard has the same uid; uids must be unique' });
    }
  });
  return problems;
}

/** Data source types a target may query, and the query field each needs. */
const TARGET_QUERY_PROBLEMS: Readonly<Record<string, (target: cog.Dataquery) => string | undefined>> = {
  prometheus: (target) => (nonEmpty((target as prometheus.Dataquery).expr) ? undefined : 'has no expr'),
  loki: (target) => (nonEmpty((target as loki.dataquery).expr) ? undefined : 'has no expr'),
  tempo: (target) => {
    const { queryType, query } = target as tempo.Dataquery;
    return queryType === 'traceql' && nonEmpty(query) ? undefined : 'needs queryType "traceql" and a query';
  },
  cloudwatch: (target) => {
    const query = target as cloudwatch.MetricsQuery;
    if (query.queryMode !== 'Metrics' || !nonEmpty(query.region)) return 'needs queryMode "Metrics" and a region';
    const byMetric = nonEmpty(query.namespace) && nonEmpty(query.metricName) && nonEmpty(query.statistic);
    return byMetric || nonEmpty(query.expression)
      ? undefined
      : 'needs namespace, metricName and statistic, or an expression';
  },
};

const VISUALIZATIONS: ReadonlySet<string> = new Set(['timeseries', 'stat', 'table']);
const UID = new RegExp(`^${UID_PREFIX}[a-z0-9-]+$`);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Every problem of one dashboard, as Grafana receives it (the JSON read back: a `Dashboard`
 * whose queries are plain objects); its queries may name the series of `series`, the
 * catalogue's names under the stacks' translation strategy.
 */
export function checkDashboard(dashboard: Dashboard, series: SeriesCatalogue): DashboardProblem[] {
  const name = String(dashboard.uid ?? dashboard.title ?? 'dashboard');
  const variables = dashboard.templating?.list ?? [];
  const values = representativeValues(variables);
  const problems: DashboardProblem[] = [
    ...frameProblems(dashboard).map((message) => ({ dashboard: name, message })),
    ...variables.flatMap((variable) =>
      variableProblems(variable, variables, values, series).map((problem) => ({ dashboard: name, ...problem })),
    ),
    ...dashboardLinkProblems(name, dashboard, variables),
  ];
  const ids = new Set<number>();
  (dashboard.panels ?? []).forEach((panel, index) => {
    const at = { dashboard: name, panel: nonEmpty(panel.title) ? panel.title : `#${index}` };
    const id = panel.id ?? 0;
    if (!Number.isInteger(id) || id < 1) problems.push({ ...at, message: `panel id ${panel.id} must be 1 or more` });
    else if (ids.has(id)) problems.push({ ...at, message: `panel id ${id} is used twice` });
    ids.add(id);
    const messages =
      panel.type === 'row' ? rowProblems(panel as RowPanel) : panelProblems(panel as Panel, variables, values, series);
    problems.push(...messages.map((problem) => ({ ...at, ...problem })));
  });
  return problems;
}

/** The dashboard's own fields: what the SDK leaves optional and Grafana's import needs or we promise. */
function frameProblems(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  if (dashboard.uid === undefined || !UID.test(dashboard.uid) || dashboard.uid.length > 40) {
    problems.push(`uid ${JSON.stringify(dashboard.uid)} must be ${UID_PREFIX}<lower-case name>, at most 40 characters`);
  }
  if (!nonEmpty(dashboard.title)) problems.push('has no title');
  if (!nonEmpty(dashboard.description)) problems.push('has no description');
  const tags = dashboard.tags ?? [];
  if (tags.length === 0 || new Set(tags).size !== tags.length) problems.push('needs tags, each once');
  if (!nonEmpty(dashboard.timezone)) problems.push('has no timezone');
  if (dashboard.editable === undefined) problems.push('does not say whether it is editable');
  if (!/^now-[0-9]+[mhdw]$/.test(dashboard.time?.from ?? '') || dashboard.time?.to !== 'now') {
    problems.push(`time ${JSON.stringify(dashboard.time)} must be from now-<n><m|h|d|w> to now`);
  }
  if (!/^[0-9]+[smhd]$/.test(dashboard.refresh ?? ''))
    problems.push(`refresh ${JSON.stringify(dashboard.refresh)} must be <n><s|m|h|d>`);
  if (!(dashboard.schemaVersion >= 39)) problems.push(`schemaVersion ${dashboard.schemaVersion} is older than 39`);
  // A dashboard in the POST body must not carry an instance id: Grafana matches on uid.
  if (dashboard.id !== undefined && dashboard.id !== null)
    problems.push('carries an instance id; Grafana matches on uid');
  if ((dashboard.panels ?? []).length === 0) problems.push('has no panels');
  return problems;
}

type PanelProblem = Omit<DashboardProblem, 'dashboard' | 'panel'>;

/** Expanded rows hold no panels: Grafana lays the following panels out under them. */
function rowProblems(row: RowPanel): PanelProblem[] {
  return [
    ...(nonEmpty(row.title) ? [] : ['has no title']),
    ...(row.collapsed === false && (row.panels ?? []).length === 0
      ? []
      : ['a row must be expanded and hold no panels']),
    ...gridProblems(row.gridPos),
  ].map((message) => ({ message }));
}

function gridProblems(gridPos: Panel['gridPos']): string[] {
  if (gridPos === undefined) return ['has no gridPos'];
  const { x, y, w, h } = gridPos;
  const integers = [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 && w >= 1 && h >= 1;
  if (!integers) return [`gridPos ${JSON.stringify(gridPos)} must be non-negative integers, w and h at least 1`];
  return x + w > 24 ? [`gridPos x ${x} + w ${w} is wider than the 24-column grid`] : [];
}

// --- Variables ---------------------------------------------------------------------------------

/**
 * The value each variable stands for in checks: its current value (the first, for several),
 * the "All" value for All, else its first option.
 */
export function representativeValues(variables: readonly VariableModel[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const variable of variables) {
    const current = first(variable.current?.value) ?? first(variable.options?.[0]?.value);
    if (current === '$__all') {
      values[variable.name] = variable.allValue ?? '.*';
    } else if (current !== undefined) {
      values[variable.name] = current;
    } else if (typeof variable.query === 'string' && variable.type === 'custom') {
      values[variable.name] = variable.query.split(',')[0];
    }
  }
  return values;
}

const VARIABLE_TYPES: ReadonlySet<string> = new Set([
  VariableType.Datasource,
  VariableType.Query,
  VariableType.Custom,
  VariableType.Textbox,
]);

/** What each kind of variable needs set, beyond the SDK's type: a label, and its query and options. */
function variableShapeProblems(variable: VariableModel): string[] {
  const problems: string[] = [];
  if (!VARIABLE_NAME.test(variable.name)) problems.push('its name must be letters, digits and _');
  if (!nonEmpty(variable.label)) problems.push('has no label');
  if (!VARIABLE_TYPES.has(variable.type))
    problems.push(`type ${variable.type} is not one of ${[...VARIABLE_TYPES].join(', ')}`);
  const query = typeof variable.query === 'string' && variable.query !== '';
  if (variable.type === VariableType.Datasource && !query) problems.push('has no query (the data source type)');
  if (variable.type === VariableType.Query && (!query || variable.datasource === undefined)) {
    problems.push('needs a query and a data source');
  }
  if (
    variable.type === VariableType.Custom &&
    (!query || (variable.options ?? []).length === 0 || variable.current === undefined)
  ) {
    problems.push('needs a query, options and a current value');
  }
  return problems;
}

const LABEL_VALUES = /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/s;

function variableProblems(
  variable: VariableModel,
  variables: readonly VariableModel[],
  values: Readonly<Record<string, string>>,
  series: SeriesCatalogue,
): Omit<DashboardProblem, 'dashboard'>[] {
  const where = `variable ${variable.name}`;
  const problems: Omit<DashboardProblem, 'dashboard'>[] = [];
  if (variables.filter((other) => other.name === variable.name).length > 1) {
    problems.push({ where, message: 'declared twice' });
  }
  problems.push(...variableShapeProblems(variable).map((message) => ({ where, message })));
  if (variable.type !== VariableType.Query || typeof variable.query !== 'string') return problems;
  problems.push(...dataSourceProblems(variable.datasource, variables).map((message) => ({ where, message })));
  const match = LABEL_VALUES.exec(variable.query);
  if (match === null) {
    return [
      ...problems,
      { where, message: `query "${variable.query}" is not label_values(<series selector>, <label>)` },
    ];
  }
  const [, seriesSelector, label] = match;
  problems.push(...promqlProblems(seriesSelector, variables, values, series).map((message) => ({ where, message })));
  const metric = metricNamesIn(substituteVariables(seriesSelector, values).text)[0];
  const labels = metric === undefined ? undefined : series.get(metric);
  if (labels !== undefined && !labels.includes(label)) {
    problems.push({
      where,
      message: `${metric} has no label ${label} to list values of (it has ${labels.join(', ')})`,
    });
  }
  return problems;
}

// --- Panels ------------------------------------------------------------------------------------

function panelProblems(
  panel: Panel,
  variables: readonly VariableModel[],
  values: Readonly<Record<string, string>>,
  series: SeriesCatalogue,
): PanelProblem[] {
  const problems: PanelProblem[] = [];
  const required = (present: boolean, message: string) => {
    if (!present) problems.push({ message });
  };
  required(VISUALIZATIONS.has(panel.type), `type ${panel.type} is not one of ${[...VISUALIZATIONS].join(', ')}`);
  required(nonEmpty(panel.title), 'has no title');
  required(nonEmpty(panel.description), 'has no description');
  problems.push(...gridProblems(panel.gridPos).map((message) => ({ message })));
  required(panel.options !== undefined, 'has no options');
  const unit = panel.fieldConfig?.defaults.unit;
  if (unit === undefined) {
    problems.push({ message: 'has no unit (fieldConfig.defaults.unit)' });
  } else if (!isKnownUnit(unit)) {
    problems.push({
      message: `unit "${unit}" is neither a Grafana unit nor a custom one (suffix:, prefix:, si:, count:, currency:, time:)`,
    });
  }
  problems.push(...dataSourceProblems(panel.datasource, variables).map((message) => ({ message })));
  const targets = panel.targets ?? [];
  required(targets.length > 0, 'has no targets');
  const refIds = new Set<string>();
  targets.forEach((target, index) => {
    const { refId, datasource } = target as cog.Dataquery & { refId?: string; datasource?: DataSourceRef };
    const where = refId === undefined ? `target #${index}` : `target ${refId}`;
    if (refId === undefined || !/^[A-Z]$/.test(refId))
      problems.push({ where, message: 'refId must be one capital letter' });
    else if (refIds.has(refId)) problems.push({ where, message: 'refId used twice in the panel' });
    if (refId !== undefined) refIds.add(refId);
    if (datasource?.type !== panel.datasource?.type || datasource?.uid !== panel.datasource?.uid) {
      problems.push({ where, message: "queries a data source other than the panel's; mixed panels are not generated" });
    }
    const queryProblem = TARGET_QUERY_PROBLEMS[datasource?.type ?? ''];
    if (queryProblem === undefined) {
      problems.push({
        where,
        message: `data source type ${datasource?.type} is not one of ${Object.keys(TARGET_QUERY_PROBLEMS).join(', ')}`,
      });
    } else {
      const message = queryProblem(target);
      if (message !== undefined) problems.push({ where, message });
    }
    const expr = (target as prometheus.Dataquery).expr;
    if (datasource?.type === 'prometheus' && nonEmpty(expr)) {
      problems.push(...promqlProblems(expr, variables, values, series).map((message) => ({ where, message })));
    }
    for (const text of targetTexts(target)) {
      problems.push(...undeclaredVariables(text, variables).map((message) => ({ where, message })));
    }
  });
  for (const link of panelLinks(panel)) {
    const where = `link "${link.title}"`;
    if (!nonEmpty(link.title) || !nonEmpty(link.url)) problems.push({ where, message: 'needs a title and a url' });
    problems.push(...undeclaredVariables(link.url ?? '', variables).map((message) => ({ where, message })));
  }
  problems.push(...thresholdProblems(panel).map((message) => ({ message })));
  problems.push(...overrideProblems(panel).map((message) => ({ message })));
  return problems;
}

/** Syntax, catalogue and variable problems of one PromQL expression, as Grafana would run it. */
export function promqlProblems(
  expr: string,
  variables: readonly VariableModel[],
  values: Readonly<Record<string, string>>,
  series: SeriesCatalogue,
): string[] {
  const problems = multiValueProblems(expr, variables);
  const { text, unknown } = substituteVariables(expr, values);
  if (unknown.length > 0) {
    return [
      ...problems,
      ...unknown.map((name) => `uses $${name}, which has no value: declare the variable or use a built-in`),
    ];
  }
  return [...problems, ...checkQuery(text, series).map((problem) => `${formatProblem(problem)} (in: ${text})`)];
}

/** A multi-value variable becomes `a|b` or the All regex: only a regex matcher reads that right. */
function multiValueProblems(expr: string, variables: readonly VariableModel[]): string[] {
  return variableReferences(expr)
    .filter((reference) => variables.find((variable) => variable.name === reference.name)?.multi === true)
    .filter((reference) => !/(?:=~|!~)\s*"[^"]*$/.test(expr.slice(0, reference.offset)))
    .map(
      (reference) => `multi-value variable ${reference.text} must be matched with =~ (or !~), not as one exact value`,
    );
}

function undeclaredVariables(text: string, variables: readonly VariableModel[]): string[] {
  const names = variableReferences(text).map((reference) => reference.name);
  return [...new Set(names)]
    .filter((name) => !isBuiltIn(name) && !variables.some((variable) => variable.name === name))
    .map((name) => `uses $${name}, which the dashboard does not declare`);
}

function dataSourceProblems(ref: DataSourceRef | undefined, variables: readonly VariableModel[]): string[] {
  if (ref === undefined) return ['has no data source'];
  const name = /^\$\{(\w+)\}$/.exec(ref.uid ?? '')?.[1];
  const variable = variables.find((candidate) => candidate.name === name);
  if (variable === undefined || variable.type !== VariableType.Datasource) {
    return [`data source ${ref.uid} is not a datasource variable of the dashboard`];
  }
  return variable.query === ref.type
    ? []
    : [`data source ${ref.uid} is a ${variable.query} variable, the query is ${ref.type}`];
}

/** Grafana colours a value by the last step at or below it: steps must start at null and ascend. */
function thresholdProblems(panel: Panel): string[] {
  const configs: { readonly where: string; readonly thresholds: ThresholdsConfig }[] = [];
  const defaults = panel.fieldConfig?.defaults.thresholds;
  if (defaults !== undefined) configs.push({ where: 'default thresholds', thresholds: defaults });
  for (const override of panel.fieldConfig?.overrides ?? []) {
    for (const property of override.properties) {
      if (property.id === 'thresholds') {
        configs.push({ where: `thresholds of ${override.matcher.options}`, thresholds: property.value });
      }
    }
  }
  return configs.flatMap(({ where, thresholds }) => {
    const steps: readonly Threshold[] = thresholds?.steps ?? [];
    if (!['absolute', 'percentage'].includes(thresholds?.mode))
      return [`${where}: mode must be absolute or percentage`];
    if (steps[0]?.value !== null) return [`${where}: the first step must have the value null (the base colour)`];
    const values = steps.slice(1).map((step) => step.value);
    const ascending = values.every(
      (value, index) => typeof value === 'number' && (index === 0 || value >= (values[index - 1] ?? 0)),
    );
    return ascending ? [] : [`${where}: steps after the first must be numbers in ascending order`];
  });
}

/** Overrides select series by name or by regular expression, and each sets something. */
function overrideProblems(panel: Panel): string[] {
  return (panel.fieldConfig?.overrides ?? []).flatMap(({ matcher, properties }) => {
    const problems: string[] = [];
    if (!['byName', 'byRegexp'].includes(matcher.id) || !nonEmpty(matcher.options)) {
      problems.push(`override ${JSON.stringify(matcher)}: matcher must be byName or byRegexp with a name or pattern`);
    }
    if (properties.length === 0 || !properties.every((property: DynamicConfigValue) => nonEmpty(property.id))) {
      problems.push(`override ${JSON.stringify(matcher.options)}: needs properties, each with an id`);
    }
    return problems;
  });
}

function dashboardLinkProblems(
  name: string,
  dashboard: Dashboard,
  variables: readonly VariableModel[],
): DashboardProblem[] {
  return (dashboard.links ?? []).flatMap((link) =>
    undeclaredVariables(link.url ?? '', variables).map((message) => ({
      dashboard: name,
      where: `dashboard link "${link.title}"`,
      message,
    })),
  );
}

/** The strings of a target Grafana interpolates variables into, besides PromQL. */
function targetTexts(target: cog.Dataquery): string[] {
  const { query } = target as tempo.Dataquery;
  const { expression, label, dimensions } = target as cloudwatch.MetricsQuery;
  const texts = [query, expression, label, ...Object.values(dimensions ?? {}).flat()];
  return texts.filter((text): text is string => typeof text === 'string');
}

/** A panel's data links: in the field defaults and in overrides that set `links`. */
function panelLinks(panel: Panel): DashboardLink[] {
  const overrideLinks = (panel.fieldConfig?.overrides ?? []).flatMap((override) =>
    override.properties.flatMap((property) => (property.id === 'links' ? (property.value as DashboardLink[]) : [])),
  );
  return [...(panel.fieldConfig?.defaults.links ?? []), ...overrideLinks];
}

const CUSTOM_UNIT = /^(suffix|prefix|si|count|currency|time):/;
const KNOWN_UNITS: ReadonlySet<string> = new Set<string>(Object.values(units));

function isKnownUnit(unit: string): boolean {
  return KNOWN_UNITS.has(unit) || CUSTOM_UNIT.test(unit);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function first(value: VariableOption['value'] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
