/**
 * Service health (design 6.5): is one service answering, how fast, and failing how — with the
 * alert thresholds drawn on the panels that alert, and links to the traces and logs behind a spike.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { SERVICE_LEVEL_OBJECTIVES } from '../alerting/thresholds';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { clickedServiceLinks, SLOW_OR_FAILED, SLOW_REQUEST_SECONDS, serviceSpans, traceIdColumnLinks } from './links';
import {
  dashedThresholdLines,
  FULL,
  links,
  overrides,
  promTarget,
  row,
  statPanel,
  tablePanel,
  thresholds,
  timeseriesPanel,
  traceSearchTarget,
} from './panels';
import {
  ALERT_RATE_RANGE,
  BY_DEPLOYMENT,
  deploymentLegend,
  deploymentSeriesName,
  ENVIRONMENT_VARIABLE,
  errorRatio,
  errorRatioPercent,
  inEnvironment,
  latencyQuantile,
  ofService,
  RATE_INTERVAL,
  rate,
  requestRate,
  SERVICE_VARIABLE,
  sumBy,
} from './queries';
import { withSignalPanels } from './signal-panels';
import { deploymentThresholds, type PanelThresholds, thresholdSteps, withoutThresholdLines } from './threshold-lines';
import { environmentVariable, serviceVariable } from './variables';

export const SERVICE_HEALTH_NAME = 'service-health';

const OF_SERVICE = [inEnvironment(), ofService()];
const P95 = 'p95 ';

export function serviceHealthDashboard(context: DashboardContext): Dashboard {
  return finishDashboard(
    withSignalPanels(
      dashboardFrame({
        name: SERVICE_HEALTH_NAME,
        title: 'Service health',
        summary:
          'One service in one environment: availability, traffic, 5xx share, latency percentiles and requests in flight, ' +
          'with the alert thresholds of the threshold model drawn as dashed lines. Start at the stats on top; from a spike, ' +
          'click the series for its failed or slow traces (Tempo) and error logs (Loki), or an exemplar diamond for one trace.',
        source: 'lib/dashboards/service-health.ts',
        tags: ['service', 'red'],
        from: 'now-3h',
        refresh: '1m',
      })
        .withVariable(dataSourceVariable('prometheus'))
        .withVariable(dataSourceVariable('traces'))
        .withVariable(dataSourceVariable('logs'))
        .withVariable(environmentVariable(context))
        .withVariable(serviceVariable(context, context.series.of('request_count')))
        .withRow(row('Now'))
        .withPanel(availabilityStat(context))
        .withPanel(requestRateStat(context))
        .withPanel(errorRateStat(context))
        .withPanel(latencyP95Stat(context))
        .withRow(row('Traffic and errors'))
        .withPanel(requestRatePanel(context))
        .withPanel(errorRatePanel(context))
        .withPanel(errorsByTypePanel(context))
        .withPanel(activeRequestsPanel(context))
        .withRow(row('Latency'))
        .withPanel(latencyPanel(context))
        .withPanel(latencyByEndpointPanel(context))
        .withRow(row('Traces'))
        .withPanel(slowOrFailedTracesPanel()),
      context,
    ),
  );
}

const AVAILABILITY = SERVICE_LEVEL_OBJECTIVES.find((objective) => objective.name === 'availability');

function availabilityStat(context: DashboardContext) {
  const objective = AVAILABILITY?.objective ?? 0.999;
  return statPanel({
    title: 'Availability (time range)',
    description:
      `Share of requests answered without a 5xx status over the selected time range. Red below the ${objective * 100} % ` +
      "availability objective. The design's uptime-from-health-checks is replaced by this request-based SLI, the one the SLO alerts burn.",
    unit: units.PercentUnit,
    source: 'prometheus',
  })
    .decimals(3)
    .thresholds(thresholds(thresholdSteps([{ severity: 'critical', threshold: objective, comparison: 'below' }])))
    .withTarget(
      promTarget(`1 - ${errorRatio(context.series, OF_SERVICE, BY_DEPLOYMENT, '$__range')}`, deploymentLegend(), {
        instant: true,
      }),
    );
}

function requestRateStat(context: DashboardContext) {
  return statPanel({
    title: 'Requests per second',
    description: `All requests of the service, averaged over the last ${ALERT_RATE_RANGE}.`,
    unit: units.RequestsPerSecond,
    source: 'prometheus',
  }).withTarget(
    promTarget(requestRate(context.series, OF_SERVICE, BY_DEPLOYMENT, ALERT_RATE_RANGE), deploymentLegend(), {
      instant: true,
    }),
  );
}

function errorRateStat(context: DashboardContext) {
  const lines = errorRateThresholds(context);
  return statPanel({
    title: '5xx share now',
    description: `5xx share of requests over the last ${ALERT_RATE_RANGE}, coloured by the error-rate alert thresholds of this service and environment.`,
    unit: units.Percent,
    source: 'prometheus',
  })
    .thresholds(thresholds(lines.defaults))
    .overrides(overrides(lines.overrides))
    .withTarget(
      promTarget(errorRatioPercent(context.series, OF_SERVICE, BY_DEPLOYMENT, ALERT_RATE_RANGE), deploymentLegend(), {
        instant: true,
      }),
    );
}

function latencyP95Stat(context: DashboardContext) {
  const lines = latencyThresholds(context, '');
  return statPanel({
    title: 'p95 latency now',
    description: `95th percentile of request duration over the last ${ALERT_RATE_RANGE}, coloured by the latency alert thresholds.`,
    unit: units.Seconds,
    source: 'prometheus',
  })
    .thresholds(thresholds(lines.defaults))
    .overrides(overrides(lines.overrides))
    .withTarget(
      promTarget(
        latencyQuantile(context.series, 0.95, OF_SERVICE, BY_DEPLOYMENT, ALERT_RATE_RANGE),
        deploymentLegend(),
        {
          instant: true,
        },
      ),
    );
}

function requestRatePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Request rate by endpoint',
    description: 'Requests per second by endpoint and status code.',
    unit: units.RequestsPerSecond,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      sumBy(['endpoint', 'status_code'], rate(context.series.of('request_count'), OF_SERVICE, RATE_INTERVAL)),
      '{{endpoint}} {{status_code}}',
    ),
  );
}

function errorRatePanel(context: DashboardContext) {
  const lines = errorRateThresholds(context);
  return timeseriesPanel({
    title: 'Error rate (5xx share of requests)',
    description:
      `100 × 5xx requests / all requests, over ${ALERT_RATE_RANGE}: the expression of the HighErrorRate and ElevatedErrorRate alerts. ` +
      'Dashed lines: the warning and critical thresholds of this service in this environment. Click the line for failed traces and error logs.',
    unit: units.Percent,
    source: 'prometheus',
  })
    .min(0)
    .thresholds(thresholds(lines.defaults))
    .overrides(overrides(lines.overrides))
    .thresholdsStyle(dashedThresholdLines())
    .dataLinks(links(clickedServiceLinks()))
    .withTarget(
      promTarget(errorRatioPercent(context.series, OF_SERVICE, BY_DEPLOYMENT, ALERT_RATE_RANGE), deploymentLegend(), {
        exemplar: true,
      }),
    );
}

function errorsByTypePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Errors by type',
    description: 'Failed requests per second by error type and status code (request_errors_total).',
    unit: units.RequestsPerSecond,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      sumBy(['error_type', 'status_code'], rate(context.series.of('request_errors_total'), OF_SERVICE, RATE_INTERVAL)),
      '{{error_type}} {{status_code}}',
    ),
  );
}

function activeRequestsPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Active requests',
    description:
      'Requests in flight by endpoint. Rising with flat traffic: requests queue, look at latency and the tasks.',
    unit: units.Short,
    source: 'prometheus',
  }).withTarget(
    promTarget(sumBy(['endpoint'], `${context.series.of('active_requests')}{${OF_SERVICE.join(',')}}`), '{{endpoint}}'),
  );
}

function latencyPanel(context: DashboardContext) {
  const quantile = (q: number, refId: string, exemplar: boolean) =>
    promTarget(
      latencyQuantile(context.series, q, OF_SERVICE, BY_DEPLOYMENT, ALERT_RATE_RANGE),
      deploymentLegend(`p${q * 100} `),
      {
        refId,
        exemplar,
      },
    );
  const lines = latencyThresholds(context, P95);
  return (
    timeseriesPanel({
      title: 'Latency p50 / p95 / p99',
      description:
        `Request-duration percentiles over ${ALERT_RATE_RANGE}; p95 is the expression of the latency alerts, and its dashed lines their thresholds. ` +
        `Click a line for traces slower than ${SLOW_REQUEST_SECONDS} s, or an exemplar diamond for one slow request.`,
      unit: units.Seconds,
      source: 'prometheus',
    })
      .min(0)
      .thresholds(thresholds(lines.defaults))
      // The lines belong to p95, the alerting percentile; p50 and p99 would repeat them.
      .overrides(overrides([withoutThresholdLines({ id: 'byRegexp', options: 'p(50|99) .*' }), ...lines.overrides]))
      .thresholdsStyle(dashedThresholdLines())
      .dataLinks(links(clickedServiceLinks()))
      .withTarget(quantile(0.5, 'A', false))
      .withTarget(quantile(0.95, 'B', true))
      .withTarget(quantile(0.99, 'C', false))
  );
}

function latencyByEndpointPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'p95 latency by endpoint',
    description: 'Which endpoints are slow: the 95th percentile per endpoint.',
    unit: units.Seconds,
    source: 'prometheus',
  }).withTarget(
    promTarget(latencyQuantile(context.series, 0.95, OF_SERVICE, ['endpoint'], RATE_INTERVAL), '{{endpoint}}'),
  );
}

/** The error-rate alert thresholds of every deployment, on series named `api-gateway (prod)`. */
function errorRateThresholds(context: DashboardContext): PanelThresholds {
  return deploymentThresholds(context, 'errorRate', deploymentSeriesName);
}

/** The p95 latency alert thresholds of every deployment, on series named `<prefix>api-gateway (prod)`. */
function latencyThresholds(context: DashboardContext, prefix: string): PanelThresholds {
  return deploymentThresholds(context, 'latencyP95', (service, environment) =>
    deploymentSeriesName(service, environment, prefix),
  );
}

function slowOrFailedTracesPanel() {
  return tablePanel({
    title: `Failed or slower than ${SLOW_REQUEST_SECONDS} s: latest traces`,
    description:
      'Traces of the service with an error or a span over the latency objective, newest first. Click a trace id for the trace, ' +
      'or for every log record of the request: its tracking_id is the trace id.',
    unit: units.NoUnit,
    source: 'traces',
    width: FULL,
  })
    .withOverride(traceIdColumnLinks())
    .withTarget(traceSearchTarget(serviceSpans(`$${SERVICE_VARIABLE}`, `$${ENVIRONMENT_VARIABLE}`, SLOW_OR_FAILED)));
}
