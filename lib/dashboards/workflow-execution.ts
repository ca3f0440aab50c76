/**
 * Workflow execution (design 6.5): how many workflows run, how many succeed, how long they take,
 * and where the time goes by node type.
 *
 * Gaps, stated rather than papered over: the catalogue has no "workflow started" metric (every
 * workflow metric is recorded when an execution ends), no node-level metric, and the threshold
 * model has no workflow objective (the design's 95 % simple / 85 % complex success SLO), so these
 * panels draw no alert lines. Time per node type comes from traces (`execute_node[…]` spans with
 * `node.type`, design 6.5) through TraceQL metrics.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { traceIdColumnLinks } from './links';
import {
  FULL,
  HALF,
  promTarget,
  QUARTER,
  row,
  statPanel,
  tablePanel,
  timeseriesPanel,
  traceMetricsTarget,
  traceSearchTarget,
} from './panels';
import { ENVIRONMENT_VARIABLE, increase, inEnvironment, matcher, RATE_INTERVAL, rate, sumBy } from './queries';
import { environmentVariable, labelValuesVariable } from './variables';

export const WORKFLOW_EXECUTION_NAME = 'workflow-execution';

const WORKFLOW_TYPE = 'workflow_type';
const OF_WORKFLOWS = [inEnvironment(), matcher(WORKFLOW_TYPE, '=~', `$${WORKFLOW_TYPE}`)];
/** One observation per finished execution: 1 success, 0 failure. Its count is the execution count. */

export function workflowExecutionDashboard(context: DashboardContext): Dashboard {
  return finishDashboard(
    dashboardFrame({
      name: WORKFLOW_EXECUTION_NAME,
      title: 'Workflow execution',
      summary:
        'Workflows of one environment: executions, success rate by workflow type and complexity, duration percentiles, ' +
        'failures by error category, and the time spent per node type (from traces). Start at the success rate; for a ' +
        'drop, open the failed workflow traces at the bottom.',
      source: 'lib/dashboards/workflow-execution.ts',
      tags: ['workflow'],
      from: 'now-6h',
      refresh: '1m',
    })
      .withVariable(dataSourceVariable('prometheus'))
      .withVariable(dataSourceVariable('traces'))
      .withVariable(dataSourceVariable('logs'))
      .withVariable(environmentVariable(context))
      .withVariable(
        labelValuesVariable({
          name: WORKFLOW_TYPE,
          label: 'Workflow type',
          series: context.series.histogram('workflow_success_rate', '_count'),
          valuesOf: WORKFLOW_TYPE,
          multi: true,
        }),
      )
      .withRow(row('Over the time range'))
      .withPanel(executionsStat(context))
      .withPanel(successRateStat(context))
      .withPanel(failuresStat(context))
      .withPanel(p95DurationStat(context))
      .withRow(row('Executions and success'))
      .withPanel(executionRatePanel(context))
      .withPanel(successRatePanel(context))
      .withPanel(failuresPanel(context))
      .withPanel(durationPanel(context))
      .withRow(row('Nodes and traces'))
      .withPanel(nodeDurationPanel())
      .withPanel(nodeRatePanel())
      .withPanel(failedWorkflowTracesPanel()),
  );
}

function executionsStat(context: DashboardContext) {
  return statPanel({
    title: 'Executions',
    description: 'Workflow executions that finished in the time range, successful or not.',
    unit: units.Short,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(0)
    .withTarget(
      promTarget(
        sumBy([], increase(context.series.histogram('workflow_success_rate', '_count'), OF_WORKFLOWS, '$__range')),
        'executions',
        { instant: true },
      ),
    );
}

function successRateStat(context: DashboardContext) {
  return statPanel({
    title: 'Success rate',
    description:
      'Successful share of the executions that finished in the time range (the mean of workflow_success_rate). ' +
      'No threshold: the threshold model has no workflow objective yet.',
    unit: units.PercentUnit,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(1)
    .withTarget(
      promTarget(
        `${sumBy([], rate(context.series.histogram('workflow_success_rate', '_sum'), OF_WORKFLOWS, '$__range'))} / ${sumBy([], rate(context.series.histogram('workflow_success_rate', '_count'), OF_WORKFLOWS, '$__range'))}`,
        'success rate',
        { instant: true },
      ),
    );
}

function failuresStat(context: DashboardContext) {
  return statPanel({
    title: 'Failures',
    description: 'Failed executions in the time range (workflow_failures_total).',
    unit: units.Short,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(0)
    .withTarget(
      promTarget(
        sumBy([], increase(context.series.of('workflow_failures_total'), OF_WORKFLOWS, '$__range')),
        'failures',
        { instant: true },
      ),
    );
}

function p95DurationStat(context: DashboardContext) {
  return statPanel({
    title: 'p95 duration',
    description: 'The 95th percentile of end-to-end execution time over the time range, all selected workflow types.',
    unit: units.Seconds,
    source: 'prometheus',
    width: QUARTER,
  }).withTarget(
    promTarget(
      `histogram_quantile(0.95, ${sumBy(['le'], rate(context.series.histogram('workflow_execution_duration', '_bucket'), OF_WORKFLOWS, '$__range'))})`,
      'p95',
      {
        instant: true,
      },
    ),
  );
}

function executionRatePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Executions per minute by workflow type',
    description:
      'Finished executions per minute. The catalogue has no "started" metric: a workflow shows here when it ends, ' +
      'so a stuck workflow shows as a drop, not as a start without an end.',
    unit: units.OpsPerMinute,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      `60 * ${sumBy([WORKFLOW_TYPE], rate(context.series.histogram('workflow_success_rate', '_count'), OF_WORKFLOWS, RATE_INTERVAL))}`,
      '{{workflow_type}}',
    ),
  );
}

function successRatePanel(context: DashboardContext) {
  const by = [WORKFLOW_TYPE, 'complexity_level'];
  return timeseriesPanel({
    title: 'Success rate by workflow type and complexity',
    description:
      "Successful share of finished executions. The design's objective (95 % simple, 85 % complex) is not in the threshold model, so no line is drawn.",
    unit: units.PercentUnit,
    source: 'prometheus',
  })
    .min(0)
    .max(1)
    .withTarget(
      promTarget(
        `${sumBy(by, rate(context.series.histogram('workflow_success_rate', '_sum'), OF_WORKFLOWS, RATE_INTERVAL))} / ${sumBy(by, rate(context.series.histogram('workflow_success_rate', '_count'), OF_WORKFLOWS, RATE_INTERVAL))}`,
        '{{workflow_type}} {{complexity_level}}',
      ),
    );
}

function failuresPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Failures per minute by error category',
    description: 'Failed executions per minute by workflow type and error category.',
    unit: units.OpsPerMinute,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      `60 * ${sumBy([WORKFLOW_TYPE, 'error_category'], rate(context.series.of('workflow_failures_total'), OF_WORKFLOWS, RATE_INTERVAL))}`,
      '{{workflow_type}} {{error_category}}',
    ),
  );
}

function durationPanel(context: DashboardContext) {
  const quantile = (q: number, refId: string) =>
    promTarget(
      `histogram_quantile(${q}, ${sumBy(['le', WORKFLOW_TYPE], rate(context.series.histogram('workflow_execution_duration', '_bucket'), OF_WORKFLOWS, RATE_INTERVAL))})`,
      `p${q * 100} {{workflow_type}}`,
      { refId, exemplar: q === 0.95 },
    );
  return timeseriesPanel({
    title: 'Execution duration p50 / p95 / p99 by workflow type',
    description: 'End-to-end execution time percentiles (workflow_execution_duration). Exemplar diamonds open a trace.',
    unit: units.Seconds,
    source: 'prometheus',
  })
    .min(0)
    .withTarget(quantile(0.5, 'A'))
    .withTarget(quantile(0.95, 'B'))
    .withTarget(quantile(0.99, 'C'));
}

/** TraceQL: the node spans of the environment (span attribute `node.type`, design 6.5). */
const NODE_SPANS = `{ resource.deployment.environment.name = "$${ENVIRONMENT_VARIABLE}" && span.node.type != nil }`;

function nodeDurationPanel() {
  return timeseriesPanel({
    title: 'Node duration p50 / p95 by node type (traces)',
    description:
      'Time per node execution by node.type, from the execute_node spans (TraceQL metrics; no node metric exists in the catalogue). ' +
      'Sampled traces: tail sampling keeps every slow trace, so percentiles lean high; compare node types with each other.',
    unit: units.Seconds,
    source: 'traces',
    width: HALF,
  }).withTarget(traceMetricsTarget(`${NODE_SPANS} | quantile_over_time(duration, .5, .95) by (span.node.type)`));
}

function nodeRatePanel() {
  return timeseriesPanel({
    title: 'Node executions per second by node type (traces)',
    description:
      'How often each node type runs, from sampled traces: relative, not absolute, because head sampling keeps a share of traces.',
    unit: units.OpsPerSecond,
    source: 'traces',
    width: HALF,
  }).withTarget(traceMetricsTarget(`${NODE_SPANS} | rate() by (span.node.type)`));
}

function failedWorkflowTracesPanel() {
  return tablePanel({
    title: 'Failed workflow executions: latest traces',
    description:
      'workflow_execution spans with an error status, newest first. Click a trace id for the trace, or for every log record of the workflow (tracking_id = trace id).',
    unit: units.NoUnit,
    source: 'traces',
    width: FULL,
  })
    .withOverride(traceIdColumnLinks())
    .withTarget(
      traceSearchTarget(
        `{ resource.deployment.environment.name = "$${ENVIRONMENT_VARIABLE}" && name = "workflow_execution" && status = error }`,
      ),
    );
}
