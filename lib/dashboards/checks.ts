/**
 * Checks a dashboard must pass before it is written: its JSON against the dashboard schema, then
 * what a schema cannot say. PromQL parses with the Prometheus grammar and names only catalogued
 * series with labels they carry (`checkQuery`, after substituting representative values for
 * Grafana variables); every variable a query or link uses is declared; multi-value variables are
 * matched with `=~`; every panel has a title, a known unit and a data source its targets share;
 * ids and refIds are unique, panels fit the 24-column grid, threshold steps ascend.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import Ajv, { type ErrorObject } from 'ajv';
import { checkQuery, formatProblem, metricNamesIn, type SeriesCatalogue } from '../alerting/promql';
import { DASHBOARD_SCHEMA } from './schema';
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
export function assertDashboardsValid(dashboards: readonly unknown[], series: SeriesCatalogue): void {
  const problems = checkDashboards(dashboards, series);
  if (problems.length > 0) throw new DashboardCheckError(problems);
}

/** Every problem of several dashboards, including uids used twice. */
export function checkDashboards(dashboards: readonly unknown[], series: SeriesCatalogue): DashboardProblem[] {
  const problems = dashboards.flatMap((dashboard) => checkDashboard(dashboard, series));
  const uids = dashboards.map((dashboard) => (isRecord(dashboard) ? dashboard.uid : undefined));
  uids.forEach((uid, index) => {
    if (typeof uid === 'string' && uids.indexOf(uid) !== index) {
      problems.push({ dashboard: uid, message: 'another dashboard has the same uid; uids must be unique' });
    }
  });
  return problems;
}

/**
 * Every problem of one dashboard (as JSON, the way Grafana receives it); its queries may name the
 * series of `series`, the catalogue's names under the stacks' translation strategy.
 */
export function checkDashboard(json: unknown, series: SeriesCatalogue): DashboardProblem[] {
  const name = isRecord(json) ? String(json.uid ?? json.title ?? 'dashboard') : 'dashboard';
  if (!validateSchema(json)) {
    // An `if` error only repeats the `then`/`else` errors under it.
    const errors = (validateSchema.errors ?? []).filter((error) => error.keyword !== 'if');
    return errors.map((error) => schemaProblem(name, json, error));
  }
  // The schema guarantees the shape the rest reads.
  const dashboard = json as DashboardJson;
  const variables = dashboard.templating.list;
  const values = representativeValues(variables);
  const problems: DashboardProblem[] = [
    ...variables.flatMap((variable) =>
      variableProblems(variable, variables, values, series).map((problem) => ({
        dashboard: dashboard.uid,
        ...problem,
      })),
    ),
    ...dashboardLinkProblems(dashboard, variables),
  ];
  const ids = new Set<number>();
  dashboard.panels.forEach((panel, index) => {
    const at = { dashboard: dashboard.uid, panel: panel.title ?? `#${index}` };
    if (ids.has(panel.id)) problems.push({ ...at, message: `panel id ${panel.id} is used twice` });
    ids.add(panel.id);
    if (panel.gridPos.x + panel.gridPos.w > 24) {
      problems.push({
        ...at,
        message: `gridPos x ${panel.gridPos.x} + w ${panel.gridPos.w} is wider than the 24-column grid`,
      });
    }
    if (panel.type !== 'row') {
      problems.push(...panelProblems(panel, variables, values, series).map((problem) => ({ ...at, ...problem })));
    }
  });
  return problems;
}

// --- Variables ---------------------------------------------------------------------------------

/**
 * The value each variable stands for in checks: its current value (the first, for several),
 * the "All" value for All, else its first option.
 */
export function representativeValues(variables: readonly VariableJson[]): Record<string, string> {
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

const LABEL_VALUES = /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/s;

function variableProblems(
  variable: VariableJson,
  variables: readonly VariableJson[],
  values: Readonly<Record<string, string>>,
  series: SeriesCatalogue,
): Omit<DashboardProblem, 'dashboard'>[] {
  const where = `variable ${variable.name}`;
  const problems: Omit<DashboardProblem, 'dashboard'>[] = [];
  if (variables.filter((other) => other.name === variable.name).length > 1) {
    problems.push({ where, message: 'declared twice' });
  }
  if (variable.type !== 'query' || typeof variable.query !== 'string') return problems;
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

type PanelProblem = Omit<DashboardProblem, 'dashboard' | 'panel'>;

function panelProblems(
  panel: PanelJson,
  variables: readonly VariableJson[],
  values: Readonly<Record<string, string>>,
  series: SeriesCatalogue,
): PanelProblem[] {
  const problems: PanelProblem[] = [];
  const unit = panel.fieldConfig?.defaults?.unit;
  if (unit !== undefined && !isKnownUnit(unit)) {
    problems.push({
      message: `unit "${unit}" is neither a Grafana unit nor a custom one (suffix:, prefix:, si:, count:, currency:, time:)`,
    });
  }
  problems.push(...dataSourceProblems(panel.datasource, variables).map((message) => ({ message })));
  const refIds = new Set<string>();
  for (const target of panel.targets ?? []) {
    const where = `target ${target.refId}`;
    if (refIds.has(target.refId)) problems.push({ where, message: 'refId used twice in the panel' });
    refIds.add(target.refId);
    if (target.datasource.type !== panel.datasource?.type || target.datasource.uid !== panel.datasource?.uid) {
      problems.push({ where, message: "queries a data source other than the panel's; mixed panels are not generated" });
    }
    if (target.datasource.type === 'prometheus' && typeof target.expr === 'string') {
      problems.push(...promqlProblems(target.expr, variables, values, series).map((message) => ({ where, message })));
    }
    for (const text of targetTexts(target)) {
      problems.push(...undeclaredVariables(text, variables).map((message) => ({ where, message })));
    }
  }
  for (const link of panelLinks(panel)) {
    problems.push(
      ...undeclaredVariables(link.url, variables).map((message) => ({ where: `link "${link.title}"`, message })),
    );
  }
  problems.push(...thresholdProblems(panel).map((message) => ({ message })));
  return problems;
}

/** Syntax, catalogue and variable problems of one PromQL expression, as Grafana would run it. */
export function promqlProblems(
  expr: string,
  variables: readonly VariableJson[],
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
function multiValueProblems(expr: string, variables: readonly VariableJson[]): string[] {
  return variableReferences(expr)
    .filter((reference) => variables.find((variable) => variable.name === reference.name)?.multi === true)
    .filter((reference) => !/(?:=~|!~)\s*"[^"]*$/.test(expr.slice(0, reference.offset)))
    .map(
      (reference) => `multi-value variable ${reference.text} must be matched with =~ (or !~), not as one exact value`,
    );
}

function undeclaredVariables(text: string, variables: readonly VariableJson[]): string[] {
  const names = variableReferences(text).map((reference) => reference.name);
  return [...new Set(names)]
    .filter((name) => !isBuiltIn(name) && !variables.some((variable) => variable.name === name))
    .map((name) => `uses $${name}, which the dashboard does not declare`);
}

function dataSourceProblems(ref: DataSourceRefJson | undefined, variables: readonly VariableJson[]): string[] {
  if (ref === undefined) return ['has no data source'];
  const name = /^\$\{(\w+)\}$/.exec(ref.uid)?.[1];
  const variable = variables.find((candidate) => candidate.name === name);
  if (variable === undefined || variable.type !== 'datasource') {
    return [`data source ${ref.uid} is not a datasource variable of the dashboard`];
  }
  return variable.query === ref.type
    ? []
    : [`data source ${ref.uid} is a ${variable.query} variable, the query is ${ref.type}`];
}

/** Grafana colours a value by the last step at or below it: steps must start at null and ascend. */
function thresholdProblems(panel: PanelJson): string[] {
  const configs: { readonly where: string; readonly steps: readonly ThresholdStepJson[] }[] = [];
  const defaults = panel.fieldConfig?.defaults?.thresholds;
  if (defaults !== undefined) configs.push({ where: 'default thresholds', steps: defaults.steps });
  for (const override of panel.fieldConfig?.overrides ?? []) {
    for (const property of override.properties) {
      if (property.id === 'thresholds' && isThresholds(property.value)) {
        configs.push({ where: `thresholds of ${override.matcher.options}`, steps: property.value.steps });
      }
    }
  }
  return configs.flatMap(({ where, steps }) => {
    const values = steps.slice(1).map((step) => step.value);
    if (steps[0].value !== null) return [`${where}: the first step must have the value null (the base colour)`];
    const ascending = values.every(
      (value, index) => typeof value === 'number' && (index === 0 || value >= (values[index - 1] ?? 0)),
    );
    return ascending ? [] : [`${where}: steps after the first must be numbers in ascending order`];
  });
}

function dashboardLinkProblems(dashboard: DashboardJson, variables: readonly VariableJson[]): DashboardProblem[] {
  return (dashboard.links ?? []).flatMap((link) =>
    typeof link.url === 'string'
      ? undeclaredVariables(link.url, variables).map((message) => ({
          dashboard: dashboard.uid,
          where: `dashboard link "${link.title}"`,
          message,
        }))
      : [],
  );
}

/** The strings of a target Grafana interpolates variables into, besides PromQL. */
function targetTexts(target: TargetJson): string[] {
  const texts = [target.query, target.expression, target.label, ...Object.values(target.dimensions ?? {})];
  return texts.filter((text): text is string => typeof text === 'string');
}

function panelLinks(panel: PanelJson): DataLinkJson[] {
  const overrideLinks = (panel.fieldConfig?.overrides ?? []).flatMap((override) =>
    override.properties.flatMap((property) =>
      property.id === 'links' && Array.isArray(property.value) ? property.value : [],
    ),
  );
  return [...(panel.fieldConfig?.defaults?.links ?? []), ...overrideLinks.filter(isDataLink)];
}

const CUSTOM_UNIT = /^(suffix|prefix|si|count|currency|time):/;
const KNOWN_UNITS: ReadonlySet<string> = new Set<string>(Object.values(units));

function isKnownUnit(unit: string): boolean {
  return KNOWN_UNITS.has(unit) || CUSTOM_UNIT.test(unit);
}

// --- Schema ------------------------------------------------------------------------------------

// Union types (a threshold value is a number or null) are part of the schema on purpose.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(DASHBOARD_SCHEMA);

function schemaProblem(dashboard: string, json: unknown, error: ErrorObject): DashboardProblem {
  const panelIndex = /^\/panels\/(\d+)(.*)$/.exec(error.instancePath);
  const detail =
    error.keyword === 'required' ? `missing ${String(error.params.missingProperty)}` : (error.message ?? error.keyword);
  if (panelIndex === null) {
    return {
      dashboard,
      where: error.instancePath === '' ? 'dashboard' : error.instancePath,
      message: `schema: ${detail}`,
    };
  }
  const panels = isRecord(json) && Array.isArray(json.panels) ? json.panels : [];
  const panel = panels[Number(panelIndex[1])];
  const title =
    isRecord(panel) && typeof panel.title === 'string' && panel.title !== '' ? panel.title : `#${panelIndex[1]}`;
  return {
    dashboard,
    panel: title,
    where: panelIndex[2] === '' ? undefined : panelIndex[2],
    message: `schema: ${detail}`,
  };
}

// --- The JSON shape the schema guarantees -------------------------------------------------------

export interface DataSourceRefJson {
  readonly type: string;
  readonly uid: string;
}

interface OptionJson {
  readonly value: string | readonly string[];
}

export interface VariableJson {
  readonly type: string;
  readonly name: string;
  readonly query?: unknown;
  readonly datasource?: DataSourceRefJson;
  readonly current?: OptionJson;
  readonly options?: readonly OptionJson[];
  readonly multi?: boolean;
  readonly allValue?: string;
}

interface ThresholdStepJson {
  readonly value: number | null;
  readonly color: string;
}

interface DataLinkJson {
  readonly title: string;
  readonly url: string;
}

interface TargetJson {
  readonly refId: string;
  readonly datasource: DataSourceRefJson;
  readonly expr?: unknown;
  readonly query?: unknown;
  readonly expression?: unknown;
  readonly label?: unknown;
  readonly dimensions?: Readonly<Record<string, unknown>>;
}

interface PanelJson {
  readonly type: string;
  readonly id: number;
  readonly title?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: DataSourceRefJson;
  readonly targets?: readonly TargetJson[];
  readonly fieldConfig?: {
    readonly defaults?: {
      readonly unit?: string;
      readonly thresholds?: { readonly steps: readonly ThresholdStepJson[] };
      readonly links?: readonly DataLinkJson[];
    };
    readonly overrides?: readonly {
      readonly matcher: { readonly id: string; readonly options: string };
      readonly properties: readonly { readonly id: string; readonly value?: unknown }[];
    }[];
  };
}

interface DashboardJson {
  readonly uid: string;
  readonly templating: { readonly list: readonly VariableJson[] };
  readonly panels: readonly PanelJson[];
  readonly links?: readonly { readonly title?: string; readonly url?: unknown }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isThresholds(value: unknown): value is { readonly steps: readonly ThresholdStepJson[] } {
  return isRecord(value) && Array.isArray(value.steps) && value.steps.length > 0;
}

function isDataLink(value: unknown): value is DataLinkJson {
  return isRecord(value) && typeof value.title === 'string' && typeof value.url === 'string';
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
