/**
 * promtool unit tests of the generated alert rules. For every rule, three kinds of case (burn
 * rates: one firing case per tier): it fires above the threshold once its window has passed, it
 * stays silent just under the threshold (while another environment is above it), and it stays
 * silent on a spike shorter than its window (and is seen pending meanwhile, where it has a `for`).
 *
 * Each rule is driven by series built from its own threshold and window, so a per-service
 * override is tested like the defaults; expected annotations are the rule's templates expanded
 * with the value the data produce. The same case of all rules of one alert name (one per service,
 * or per collector signal) forms a unit; units whose rules read different series share a test
 * group, because promtool evaluates every rule at every step of every group.
 */
import { humanize, humanizePercentage } from './humanize';
import {
  type AlertCondition,
  type AlertDefinition,
  COLLECTOR_TIERS,
  duration,
  EVALUATION_INTERVAL_MINUTES,
  ruleAnnotations,
  ruleSeries,
} from './prometheus-rules';
import { metricNamesIn } from './promql';
import { COLLECTOR_COMPONENT, ceilTo, type Scenario, type ScenarioRole } from './rule-test-series';
import { thresholdScenarios } from './rule-test-thresholds';
import { aiCostScenarios, burnRateScenarios, silenceScenarios } from './rule-test-windows';

// The promtool cases of each kind of rule and their input series live in their own files.
export { type InputSeries, type Scenario, type ScenarioRole, sampleValues } from './rule-test-series';

/** A promtool test file of an environment: the rules it tests and how often it evaluates them. */
export interface TestSuite {
  /** The file name after the environment's: `test.yaml` -> `alerts/tests/dev.test.yaml`. */
  readonly fileSuffix: string;
  readonly evaluationMinutes: number;
  readonly covers: (condition: AlertCondition) => boolean;
}

export const TEST_SUITES: readonly TestSuite[] = [
  // Rules with `for` are evaluated every minute, as the ruler does, so pending time counts exactly.
  { fileSuffix: 'test.yaml', evaluationMinutes: EVALUATION_INTERVAL_MINUTES, covers: (condition) => hasFor(condition) },
  // Rules over windows of up to a day have no `for`, so a coarser evaluation changes only when a
  // test looks, not what it sees; a day at one-minute steps would keep promtool busy for minutes.
  { fileSuffix: 'long-windows.test.yaml', evaluationMinutes: 30, covers: (condition) => !hasFor(condition) },
];

function hasFor(condition: AlertCondition): boolean {
  return 'forMinutes' in condition;
}

/**
 * The promtool test file (as data) of one suite for the rules of one environment, or undefined
 * when the suite covers none of them.
 */
export function promtoolTestFile(
  definitions: readonly AlertDefinition[],
  ruleFile: string,
  suite: TestSuite,
): Record<string, unknown> | undefined {
  const covered = definitions.filter((definition) => suite.covers(definition.condition));
  if (covered.length === 0) return undefined;
  const alerts = [...new Set(covered.map((definition) => definition.rule.alert))];
  const cases = alerts.flatMap((alert): AlertCase[] => {
    const sameName = covered.filter((definition) => definition.rule.alert === alert);
    const perRule = sameName.map((definition) => scenarios(definition, suite.evaluationMinutes));
    const metrics = new Set(sameName.flatMap((definition) => metricNamesIn(definition.rule.expr)));
    return perRule[0].map((_, index) => ({
      alert,
      definitions: sameName,
      scenarios: perRule.map((list) => list[index]),
      metrics,
    }));
  });
  const tests = ROLES.flatMap((role) =>
    packTogether(cases.filter((item) => item.scenarios[0].role === role)).map((group) =>
      testGroup(group, suite.evaluationMinutes),
    ),
  );
  return { rule_files: [ruleFile], evaluation_interval: duration(suite.evaluationMinutes), tests };
}

const ROLES: readonly ScenarioRole[] = ['fires', 'under', 'spike'];

/** One case of one alert name: the same scenario for each of its rules. */
interface AlertCase {
  readonly alert: string;
  readonly definitions: readonly AlertDefinition[];
  readonly scenarios: readonly Scenario[];
  /** The series its rules read. */
  readonly metrics: ReadonlySet<string>;
}

/**
 * Cases share a promtool test group when their rules read different series: one case's data
 * cannot move another's rules, and promtool evaluates every rule at every step of every group,
 * so fewer groups make the tests run several times faster.
 */
function packTogether(cases: readonly AlertCase[]): AlertCase[][] {
  const groups: AlertCase[][] = [];
  for (const item of cases) {
    const fits = groups.find((group) =>
      group.every(
        (member) =>
          member.scenarios[0].sampleMinutes === item.scenarios[0].sampleMinutes &&
          [...member.metrics].every((metric) => !item.metrics.has(metric)),
      ),
    );
    if (fits === undefined) groups.push([item]);
    else fits.push(item);
  }
  return groups;
}

/**
 * The cases of one rule, always in the same order: firing case(s), just under, spike. Check
 * times are multiples of `evaluationMinutes`.
 */
export function scenarios(definition: AlertDefinition, evaluationMinutes: number): Scenario[] {
  const { condition, environmentName } = definition;
  // The series names of the environment's stack: the input series are named as Mimir stores them.
  const names = ruleSeries(definition.series);
  switch (condition.kind) {
    case 'silence':
      return silenceScenarios(environmentName, condition, names);
    case 'errorRate':
    case 'latencyP95':
    case 'collector':
    case 'gatewayEvictions':
    case 'counterIncrease':
      return thresholdScenarios(environmentName, condition, names);
    case 'aiCost':
      return aiCostScenarios(environmentName, condition, evaluationMinutes, names);
    case 'burnRate':
      return burnRateScenarios(environmentName, condition, evaluationMinutes, names);
  }
}

// --- Test groups -------------------------------------------------------------------------------

/** One promtool test group: the input series of its cases and the checks of each alert. */
function testGroup(cases: readonly AlertCase[], evaluationMinutes: number): object {
  const checks = cases.map((item) => alertChecks(item, evaluationMinutes));
  const step = cases[0].scenarios[0].sampleMinutes;
  const until = ceilTo(Math.max(...checks.map((check) => check.lastMinute)) + 1, step);
  const expressionTests = checks.flatMap((check) => check.expressionTests);
  return {
    name: cases.map((item) => `${item.alert} ${item.scenarios[0].title}`).join('; '),
    interval: duration(step),
    input_series: cases.flatMap((item) =>
      item.scenarios.flatMap((scenario) =>
        scenario.series(until).map((series) => ({
          series: seriesSelector(series.metric, series.labels),
          values: series.values,
        })),
      ),
    ),
    alert_rule_test: checks.flatMap((check) => check.alertTests),
    ...(expressionTests.length > 0 ? { promql_expr_test: expressionTests } : {}),
  };
}

/**
 * The checks of one case across the rules of an alert name: silent where every rule is silent,
 * firing where every rule fires, pending where every rule is pending.
 */
function alertChecks(
  item: AlertCase,
  evaluationMinutes: number,
): { alertTests: object[]; expressionTests: object[]; lastMinute: number } {
  const { alert, definitions, scenarios: cases } = item;
  const firesAt =
    cases[0].firing === undefined ? undefined : Math.max(...cases.map((scenario) => scenario.firing?.at ?? 0));
  // A firing case is silent up to its own last silentAt: check all rules at the earliest of those.
  const silentTimes =
    firesAt === undefined
      ? cases.flatMap((scenario) => scenario.silentAt)
      : cases.every((scenario) => scenario.silentAt.length > 0)
        ? [Math.min(...cases.map((scenario) => Math.max(...scenario.silentAt)))]
        : [];
  const pending = pendingCheck(alert, definitions, cases);
  const times = [...silentTimes, firesAt ?? 0, pending?.at ?? 0];
  if (times.some((time) => time % evaluationMinutes !== 0)) {
    throw new Error(`${alert}: test times ${times.join(', ')} must be multiples of ${evaluationMinutes} m`);
  }
  const silentChecks = [...new Set(silentTimes)].map((time) => ({ time, alerts: [] as object[] }));
  const firingChecks =
    firesAt === undefined
      ? []
      : [
          {
            time: firesAt,
            alerts: definitions.flatMap((definition, index) => firingAlerts(definition, cases[index], firesAt)),
          },
        ];
  return {
    alertTests: [...silentChecks, ...firingChecks]
      .sort((a, b) => a.time - b.time)
      .map((check) => ({ eval_time: duration(check.time), alertname: alert, exp_alerts: check.alerts })),
    expressionTests: pending === undefined ? [] : [pending.test],
    lastMinute: Math.max(...times),
  };
}

/** Where every rule's pending interval overlaps, ALERTS shows each of them pending. */
function pendingCheck(
  alert: string,
  definitions: readonly AlertDefinition[],
  cases: readonly Scenario[],
): { at: number; test: object } | undefined {
  const intervals = cases.flatMap((item) => (item.pendingDuring === undefined ? [] : [item.pendingDuring]));
  if (intervals.length < cases.length) return undefined;
  const from = Math.max(...intervals.map(([start]) => start));
  const to = Math.min(...intervals.map(([, end]) => end));
  if (from > to) return undefined;
  return {
    at: to,
    test: {
      expr: seriesSelector('ALERTS', { alertname: alert, alertstate: 'pending' }),
      eval_time: duration(to),
      exp_samples: definitions.flatMap((definition) =>
        alertLabels(definition).map((labels) => ({
          labels: seriesSelector('ALERTS', { alertname: alert, alertstate: 'pending', ...labels }),
          value: 1,
        })),
      ),
    },
  };
}

function firingAlerts(definition: AlertDefinition, scenario: Scenario, minute: number): object[] {
  const value = scenario.firing?.value(minute) ?? 0;
  const formats = { humanize, humanizePercentage };
  const { environmentName, severity, condition, rule, series } = definition;
  return alertLabels(definition).map((labels) => ({
    exp_labels: labels,
    exp_annotations: ruleAnnotations(
      environmentName,
      rule.alert,
      severity,
      condition,
      { value: (format) => formats[format](value), label: (name) => labels[name] ?? '' },
      series,
    ),
  }));
}

/** The labels of the alerts a rule raises: the query result's labels, overridden by the rule's. */
export function alertLabels(definition: AlertDefinition): Readonly<Record<string, string>>[] {
  const { condition, environmentName } = definition;
  const labelled = (result: Record<string, string>) => ({ ...result, ...definition.rule.labels });
  switch (condition.kind) {
    case 'silence':
      // absent_over_time() returns the equality matchers of its selector.
      return [labelled({ deployment_environment_name: environmentName })];
    case 'collector':
      // One alert per tier: the rule sums by service_name and component.
      return condition.collectors.map((collector) =>
        labelled({
          service_name: collector,
          [condition.check.component]: COLLECTOR_COMPONENT[condition.check.component],
        }),
      );
    case 'gatewayEvictions':
      return [labelled({ service_name: COLLECTOR_TIERS.gateway })];
    case 'burnRate':
      return condition.services.map((service) => labelled({ service_name: service }));
    default:
      return [labelled({})];
  }
}

function seriesSelector(metric: string, labels: Readonly<Record<string, string>>): string {
  return `${metric}{${Object.entries(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(',')}}`;
}
