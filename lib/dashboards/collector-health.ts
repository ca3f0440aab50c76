/**
 * Collector health: whether the sidecar collectors deliver what the services send. Per signal, the
 * items received, refused, dropped, exported and failed; the sending queues against their capacity;
 * the memory limiter's refusals; and the alert view, which is the collector alert rules' own
 * expressions (COLLECTOR_CHECKS of lib/alerting/prometheus-rules.ts) with their threshold drawn.
 *
 * The collectors report under their own service name (otelcol-contrib), so the view is per
 * environment, not per service; `instance` tells the sidecars apart.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  COLLECTOR_CHECKS,
  COLLECTOR_ITEMS,
  type CollectorItems,
  duration,
  rateRangeMinutes,
} from '../alerting/prometheus-rules';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { FULL, overrides, promTarget, row, THIRD, timeseriesPanel } from './panels';
import { ENVIRONMENT_LABEL, inEnvironment, matcher, RATE_INTERVAL, rate, selector, seriesOf, sumBy } from './queries';
import { byEnvironmentSuffix, environmentThresholdOverrides, signalThresholds } from './threshold-lines';
import { environmentVariable } from './variables';

export const COLLECTOR_HEALTH_NAME = 'collector-health';

const IN_ENVIRONMENT = [inEnvironment()];
const ITEM_KINDS = Object.keys(COLLECTOR_ITEMS) as CollectorItems[];
const ITEM_UNITS: Readonly<Record<CollectorItems, string>> = {
  spans: 'suffix: spans/s',
  metric_points: 'suffix: points/s',
  log_records: 'suffix: records/s',
};
/** refIds for up to 26 queries of a panel. */
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function collectorHealthDashboard(context: DashboardContext): Dashboard {
  const dashboard = dashboardFrame({
    name: COLLECTOR_HEALTH_NAME,
    title: 'Collector health',
    summary:
      'The OpenTelemetry sidecar collectors of one environment: items received, refused, dropped and exported per signal, ' +
      'sending queues, memory limiter refusals, and the alert view with the collector alerts’ threshold. ' +
      'Start at "Telemetry lost": any line above the dashed threshold is an alert and means missing traces, metrics or logs.',
    source: 'lib/dashboards/collector-health.ts',
    tags: ['collector', 'opentelemetry'],
    from: 'now-3h',
    refresh: '1m',
  })
    .withVariable(dataSourceVariable('prometheus'))
    .withVariable(environmentVariable(context))
    .withRow(row('Alert view'))
    .withPanel(telemetryLostPanel(context))
    .withRow(row('Items through the collectors'));
  for (const items of ITEM_KINDS) dashboard.withPanel(pipelinePanel(items));
  return finishDashboard(
    dashboard
      .withRow(row('Queues and memory'))
      .withPanel(queuePanel())
      .withPanel(queueFillPanel())
      .withPanel(memoryLimiterPanel()),
  );
}

function telemetryLostPanel(context: DashboardContext) {
  // One range for every environment: the one the rules use for the opening environment's window.
  const window = signalThresholds(context, context.defaultEnvironment, 'collectorHealth')[0]?.windowMinutes ?? 5;
  const range = duration(rateRangeMinutes(window));
  const panel = timeseriesPanel({
    title: `Telemetry lost, per ${range} (collector alerts)`,
    description:
      `Items the collectors failed to send, refused or dropped over the last ${range}, by component: the expressions of the ` +
      'CollectorExportFailures, CollectorRefusedData and CollectorDroppedData alerts, which fire above the dashed line.',
    unit: units.Short,
    source: 'prometheus',
    width: FULL,
  })
    .min(0)
    .overrides(overrides(environmentThresholdOverrides(context, 'collectorHealth', byEnvironmentSuffix)));
  const queries = COLLECTOR_CHECKS.flatMap((check) => ITEM_KINDS.map((items) => ({ check, items })));
  queries.forEach(({ check, items }, index) => {
    const expr = sumBy(
      [ENVIRONMENT_LABEL, check.component],
      `increase(${selector(seriesOf(check.metric(items)), IN_ENVIRONMENT)}[${range}])`,
    );
    const legend = `${check.verb} ${items.replace('_', ' ')} at {{${check.component}}} ({{${ENVIRONMENT_LABEL}}})`;
    panel.withTarget(promTarget(expr, legend, { refId: REF_IDS[index] }));
  });
  return panel;
}

function pipelinePanel(items: CollectorItems) {
  const outcome = (metric: string, legend: string, refId: string) =>
    promTarget(sumBy([], rate(seriesOf(metric), IN_ENVIRONMENT, RATE_INTERVAL)), legend, { refId });
  const signal = COLLECTOR_ITEMS[items];
  return timeseriesPanel({
    title: `${capitalised(items.replace('_', ' '))} (${signal})`,
    description:
      `${signal} items per second through all sidecars of the environment: received (accepted by the OTLP receiver), refused ` +
      '(memory limiter or a full pipeline), dropped (sending queue full), exported, and failed after retries.',
    unit: ITEM_UNITS[items],
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(outcome(`otelcol_receiver_accepted_${items}`, 'received', 'A'))
    .withTarget(outcome(`otelcol_receiver_refused_${items}`, 'refused', 'B'))
    .withTarget(outcome(`otelcol_exporter_enqueue_failed_${items}`, 'dropped (queue full)', 'C'))
    .withTarget(outcome(`otelcol_exporter_sent_${items}`, 'exported', 'D'))
    .withTarget(outcome(`otelcol_exporter_send_failed_${items}`, 'send failed', 'E'));
}

const QUEUE_SIZE = seriesOf('otelcol_exporter_queue_size');
const QUEUE_CAPACITY = seriesOf('otelcol_exporter_queue_capacity');

function queuePanel() {
  return timeseriesPanel({
    title: 'Sending queue size vs capacity',
    description:
      'The fullest sidecar’s sending queue per exporter, and the queue capacity. A queue that stays near capacity drops items next.',
    unit: units.Short,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(`max by (exporter) (${selector(QUEUE_SIZE, IN_ENVIRONMENT)})`, '{{exporter}} size', { refId: 'A' }),
    )
    .withTarget(
      promTarget(`max by (exporter) (${selector(QUEUE_CAPACITY, IN_ENVIRONMENT)})`, '{{exporter}} capacity', {
        refId: 'B',
      }),
    );
}

function queueFillPanel() {
  return timeseriesPanel({
    title: 'Fullest sending queue (share of capacity)',
    description: 'Size / capacity of the fullest sidecar queue per exporter: at 100 % new batches are dropped.',
    unit: units.PercentUnit,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .max(1)
    .withTarget(
      promTarget(
        `max by (exporter) (${selector(QUEUE_SIZE, IN_ENVIRONMENT)} / ${selector(QUEUE_CAPACITY, IN_ENVIRONMENT)})`,
        '{{exporter}}',
      ),
    );
}

function memoryLimiterPanel() {
  const ofLimiter = [...IN_ENVIRONMENT, matcher('processor', '=', 'memory_limiter')];
  const flow = (name: string) => sumBy(['otel_signal'], rate(seriesOf(name), ofLimiter, RATE_INTERVAL));
  return timeseriesPanel({
    title: 'Memory limiter refusals',
    description:
      'Items the memory_limiter processor let in minus the items it passed on, per signal: what it refused because the sidecar ' +
      'was near its memory limit. Non-zero: raise the collector memory in the profile or find the burst.',
    unit: 'suffix: items/s',
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(
        `${flow('otelcol_processor_incoming_items')} - ${flow('otelcol_processor_outgoing_items')}`,
        '{{otel_signal}}',
      ),
    );
}

function capitalised(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
