/**
 * SLOs (design 6.5): for each objective of the threshold model, per service, the SLI and the error
 * budget left over the SLO period, and the burn rate over each alerting window pair, with the
 * burn rate that pages or warns drawn as a line. The burn-rate rules fire when the bad ratio is
 * above `burnRateThreshold(slo, burnRate)` over both windows; these panels divide that ratio by the
 * budget (1 - objective), so the line sits at the burn rate itself: the same comparison, readable.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { duration, number } from '../alerting/prometheus-rules';
import {
  BURN_RATE_WINDOWS,
  type BurnRateWindow,
  SERVICE_LEVEL_OBJECTIVES,
  type ServiceLevelObjective,
  SLO_PERIOD_DAYS,
} from '../alerting/thresholds';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { dashedThresholdLines, HALF, promTarget, row, statPanel, THIRD, thresholds, timeseriesPanel } from './panels';
import { inEnvironment, ofService, SERVICE_LABEL, SERVICE_VARIABLE, sloBadRatio } from './queries';
import { thresholdSteps } from './threshold-lines';
import { environmentVariable, labelValuesVariable } from './variables';

export const SLOS_NAME = 'slos';

const OF_SERVICES = [inEnvironment(), ofService(true)];
const BY_SERVICE = [SERVICE_LABEL];
const PERIOD = duration(SLO_PERIOD_DAYS * 24 * 60);
/** Burn rates are multiples of the budget rate; Grafana has no unit for "times". */
const TIMES = 'suffix:×';

export function sloDashboard(context: DashboardContext): Dashboard {
  const dashboard = dashboardFrame({
    name: SLOS_NAME,
    title: 'Service level objectives',
    summary:
      `Per service: each objective's SLI and error budget left over the last ${SLO_PERIOD_DAYS} days, and how fast the budget burns ` +
      'over the windows of the burn-rate alerts (Google SRE workbook, multi-window, multi-burn-rate). Start at "Error budget remaining": ' +
      'below zero the objective is missed; then the burn-rate panels show whether it is burning now.',
    source: 'lib/dashboards/slos.ts',
    tags: ['slo'],
    from: 'now-7d',
    refresh: '5m',
  })
    .withVariable(dataSourceVariable('prometheus'))
    .withVariable(environmentVariable(context))
    .withVariable(
      labelValuesVariable({
        name: SERVICE_VARIABLE,
        label: 'Service',
        series: context.series.of('request_count'),
        valuesOf: SERVICE_LABEL,
        multi: true,
      }),
    );
  for (const objective of SERVICE_LEVEL_OBJECTIVES) {
    dashboard
      .withRow(row(`${title(objective)}: ${objective.description}`))
      .withPanel(sliStat(context, objective))
      .withPanel(budgetRemainingStat(context, objective));
    for (const window of BURN_RATE_WINDOWS) dashboard.withPanel(burnRatePanel(context, objective, window));
  }
  return finishDashboard(dashboard);
}

function sliStat(context: DashboardContext, objective: ServiceLevelObjective) {
  return statPanel({
    title: `${title(objective)} SLI, last ${SLO_PERIOD_DAYS} days`,
    description: `Share of good requests over ${PERIOD} per service. Red below the ${percent(objective.objective)} objective.`,
    unit: units.PercentUnit,
    source: 'prometheus',
    width: HALF,
  })
    .decimals(3)
    .thresholds(
      thresholds(thresholdSteps([{ severity: 'critical', threshold: objective.objective, comparison: 'below' }])),
    )
    .withTarget(
      promTarget(
        `1 - (${sloBadRatio(context.series, objective, OF_SERVICES, BY_SERVICE, PERIOD)})`,
        '{{service_name}}',
        {
          instant: true,
        },
      ),
    );
}

function budgetRemainingStat(context: DashboardContext, objective: ServiceLevelObjective) {
  return statPanel({
    title: `${title(objective)} error budget remaining`,
    description: `1 - (bad share over ${PERIOD}) / (1 - ${number(objective.objective)}): 100 % untouched, 0 % spent, below 0 the objective is missed.`,
    unit: units.PercentUnit,
    source: 'prometheus',
    width: HALF,
  })
    .decimals(1)
    .thresholds(thresholds(thresholdSteps([{ severity: 'critical', threshold: 0, comparison: 'below' }])))
    .withTarget(
      promTarget(
        `1 - (${sloBadRatio(context.series, objective, OF_SERVICES, BY_SERVICE, PERIOD)}) / ${budget(objective)}`,
        '{{service_name}}',
        {
          instant: true,
        },
      ),
    );
}

function burnRatePanel(context: DashboardContext, objective: ServiceLevelObjective, window: BurnRateWindow) {
  const long = duration(window.longWindowMinutes);
  const short = duration(window.shortWindowMinutes);
  const burnRate = (range: string) =>
    `(${sloBadRatio(context.series, objective, OF_SERVICES, BY_SERVICE, range)}) / ${budget(objective)}`;
  const action = window.severity === 'critical' ? 'pages' : 'warns';
  return timeseriesPanel({
    title: `${title(objective)} burn rate over ${long} and ${short} (${action} above ${number(window.burnRate)}×)`,
    description:
      `How many times faster than sustainable the ${title(objective).toLowerCase()} budget burns, over ${long} and over ${short}. ` +
      `The ${window.severity} alert fires while both are above the dashed line at ${number(window.burnRate)}× ` +
      `(a bad share of ${number(window.burnRate * (1 - objective.objective) * 100)} %).`,
    unit: TIMES,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .thresholds(
      thresholds(thresholdSteps([{ severity: window.severity, threshold: window.burnRate, comparison: 'above' }])),
    )
    .thresholdsStyle(dashedThresholdLines())
    .withTarget(promTarget(burnRate(long), `{{service_name}} ${long}`, { refId: 'A' }))
    .withTarget(promTarget(burnRate(short), `{{service_name}} ${short}`, { refId: 'B' }));
}

function title(objective: ServiceLevelObjective): string {
  return objective.name === 'availability' ? 'Availability' : 'Latency';
}

/** The error budget as a ratio, without float noise: 0.001, not 0.0010000000000000009. */
function budget(objective: ServiceLevelObjective): string {
  return number(1 - objective.objective);
}

function percent(ratio: number): string {
  return `${number(ratio * 100)} %`;
}
