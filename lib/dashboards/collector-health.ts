/**
 * Collector health: whether the collectors deliver what the services send. The alert view is the
 * collector alert rules' own expressions (COLLECTOR_CHECKS and GatewayTracesEvicted of
 * lib/alerting/prometheus-rules.ts) with their threshold drawn; then, per signal, the items the
 * sidecars received, refused, dropped, exported and failed; the gateway tier's tail sampling where
 * a profile declares one; the sending queues against their capacity; the memory limiter's refusals.
 *
 * Two collector tiers report under their own service names: the sidecars as otelcol-contrib, the
 * gateway as otel-gateway. The alert view, queues and memory limiter keep `service_name`, so a
 * gateway's losses show apart from the sidecars' (as its alerts fire apart); the per-signal panels
 * select the sidecars, because in an environment with a gateway every span passes both tiers and
 * a sum would count it twice; the gateway row selects the gateway. The view is per environment,
 * not per service; `instance` tells the tasks apart.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  COLLECTOR_CHECKS,
  COLLECTOR_ITEMS,
  COLLECTOR_TIERS,
  type CollectorItems,
  duration,
  rateRangeMinutes,
} from '../alerting/prometheus-rules';
import { gatewaySizing } from '../collector/gateway-sizing';
import { TAIL_SAMPLING_DROPPED_METRIC } from '../metrics/catalogue';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { FULL, HALF, overrides, promTarget, row, THIRD, timeseriesPanel } from './panels';
import {
  ENVIRONMENT_LABEL,
  inEnvironment,
  matcher,
  RATE_INTERVAL,
  rate,
  SERVICE_LABEL,
  selector,
  sumBy,
} from './queries';
import {
  byEnvironmentSuffix,
  byName,
  environmentThresholdOverrides,
  referenceLineOverride,
  signalThresholds,
} from './threshold-lines';
import { environmentVariable } from './variables';

export const COLLECTOR_HEALTH_NAME = 'collector-health';

const IN_ENVIRONMENT = [inEnvironment()];
const OF_SIDECARS = [...IN_ENVIRONMENT, matcher(SERVICE_LABEL, '=', COLLECTOR_TIERS.sidecar)];
const OF_GATEWAY = [...IN_ENVIRONMENT, matcher(SERVICE_LABEL, '=', COLLECTOR_TIERS.gateway)];
const ITEM_KINDS = Object.keys(COLLECTOR_ITEMS) as CollectorItems[];
const ITEM_UNITS: Readonly<Record<CollectorItems, string>> = {
  spans: 'suffix: spans/s',
  metric_points: 'suffix: points/s',
  log_records: 'suffix: records/s',
};
const TRACES_PER_SECOND = 'suffix: traces/s';
/** refIds for up to 26 queries of a panel. */
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** ` (prod)`: the legend suffix per-environment overrides match on. */
const ENVIRONMENT_SUFFIX = ` ({{${ENVIRONMENT_LABEL}}})`;

export function collectorHealthDashboard(context: DashboardContext): Dashboard {
  const dashboard = dashboardFrame({
    name: COLLECTOR_HEALTH_NAME,
    title: 'Collector health',
    summary:
      'The OpenTelemetry collectors of one environment, the sidecars (otelcol-contrib) and, where the profile declares one, ' +
      'the tail-sampling gateway (otel-gateway): items received, refused, dropped and exported per signal, the gateway’s ' +
      'sampling decisions and trace cache, sending queues, memory limiter refusals, and the alert view with the collector ' +
      'alerts’ threshold. Start at "Telemetry lost": any line above the dashed threshold is an alert and means missing ' +
      'traces, metrics or logs.',
    source: 'lib/dashboards/collector-health.ts',
    tags: ['collector', 'opentelemetry'],
    from: 'now-3h',
    refresh: '1m',
  })
    .withVariable(dataSourceVariable('prometheus'))
    .withVariable(environmentVariable(context))
    .withRow(row('Alert view'))
    .withPanel(telemetryLostPanel(context))
    .withRow(row('Items through the sidecars'));
  for (const items of ITEM_KINDS) dashboard.withPanel(pipelinePanel(context, items));
  if (gatewayEnvironments(context).length > 0) {
    dashboard
      .withRow(row('Gateway (tail sampling)'))
      .withPanel(gatewaySpansPanel(context))
      .withPanel(gatewayDecisionsPanel(context))
      .withPanel(gatewayExportFailuresPanel(context))
      .withPanel(gatewayEvictionsPanel(context))
      .withPanel(gatewayTraceCachePanel(context));
  }
  return finishDashboard(
    dashboard
      .withRow(row('Queues and memory'))
      .withPanel(queuePanel(context))
      .withPanel(queueFillPanel(context))
      .withPanel(memoryLimiterPanel(context)),
  );
}

/** The environments whose profile declares a gateway tier. */
function gatewayEnvironments(context: DashboardContext): string[] {
  return context.environments.filter((environment) => context.profiles[environment].gateway !== undefined);
}

function telemetryLostPanel(context: DashboardContext) {
  // One range for every environment: the one the rules use for the opening environment's window.
  const window = signalThresholds(context, context.defaultEnvironment, 'collectorHealth')[0]?.windowMinutes ?? 5;
  const range = duration(rateRangeMinutes(window));
  const withGateway = gatewayEnvironments(context).length > 0;
  const panel = timeseriesPanel({
    title: `Telemetry lost, per ${range} (collector alerts)`,
    description:
      `Items the collectors failed to send, refused or dropped over the last ${range}, by collector (otelcol-contrib: the ` +
      'sidecars, otel-gateway: the gateway) and component: the expressions of the CollectorExportFailures, ' +
      `CollectorRefusedData and CollectorDroppedData alerts${withGateway ? ', and the traces the gateway evicted before their sampling decision (GatewayTracesEvicted)' : ''}, ` +
      'which fire above the dashed line.',
    unit: units.Short,
    source: 'prometheus',
    width: FULL,
  })
    .min(0)
    .overrides(overrides(environmentThresholdOverrides(context, 'collectorHealth', byEnvironmentSuffix)));
  const queries = COLLECTOR_CHECKS.flatMap((check) => ITEM_KINDS.map((items) => ({ check, items })));
  queries.forEach(({ check, items }, index) => {
    const expr = sumBy(
      [ENVIRONMENT_LABEL, SERVICE_LABEL, check.component],
      `increase(${selector(context.series.of(check.metric(items)), IN_ENVIRONMENT)}[${range}])`,
    );
    const legend = `{{${SERVICE_LABEL}}}: ${check.verb} ${items.replace('_', ' ')} at {{${check.component}}}${ENVIRONMENT_SUFFIX}`;
    panel.withTarget(promTarget(expr, legend, { refId: REF_IDS[index] }));
  });
  if (withGateway) {
    const expr = sumBy(
      [ENVIRONMENT_LABEL, SERVICE_LABEL],
      `increase(${selector(context.series.of(TAIL_SAMPLING_DROPPED_METRIC), IN_ENVIRONMENT)}[${range}])`,
    );
    const legend = `{{${SERVICE_LABEL}}}: evicted traces before their decision${ENVIRONMENT_SUFFIX}`;
    panel.withTarget(promTarget(expr, legend, { refId: REF_IDS[queries.length] }));
  }
  return panel;
}

function pipelinePanel(context: DashboardContext, items: CollectorItems) {
  const outcome = (metric: string, legend: string, refId: string) =>
    promTarget(sumBy([], rate(context.series.of(metric), OF_SIDECARS, RATE_INTERVAL)), legend, { refId });
  const signal = COLLECTOR_ITEMS[items];
  return timeseriesPanel({
    title: `${capitalised(items.replace('_', ' '))} (${signal})`,
    description:
      `${signal} items per second through all sidecars of the environment: received (accepted by the OTLP receiver), refused ` +
      '(memory limiter or a full pipeline), dropped (sending queue full), exported, and failed after retries. ' +
      'Where the environment has a gateway, the sidecars export traces to it: see the gateway row for what reaches Grafana Cloud.',
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

// --- Gateway tier ------------------------------------------------------------------------------

const GATEWAY_NOTE = 'Environments without a gateway (no `gateway` in their profile) show no data.';

function gatewaySpansPanel(context: DashboardContext) {
  const flow = (metric: string, legend: string, refId: string) =>
    promTarget(sumBy([], rate(context.series.of(metric), OF_GATEWAY, RATE_INTERVAL)), legend, { refId });
  return timeseriesPanel({
    title: 'Spans through the gateway',
    description:
      'Spans per second through all gateway tasks: received from the sidecars (accepted by its OTLP receiver), refused ' +
      '(memory limiter), and exported to Grafana Cloud after tail sampling. Exported over received is the share of spans ' +
      `the sampler keeps. ${GATEWAY_NOTE}`,
    unit: ITEM_UNITS.spans,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(flow('otelcol_receiver_accepted_spans', 'received', 'A'))
    .withTarget(flow('otelcol_receiver_refused_spans', 'refused', 'B'))
    .withTarget(flow('otelcol_exporter_sent_spans', 'exported', 'C'));
}

function gatewayDecisionsPanel(context: DashboardContext) {
  const decisions = sumBy(
    ['decision'],
    rate(context.series.of('otelcol_processor_tail_sampling_global_count_traces_sampled'), OF_GATEWAY, RATE_INTERVAL),
  );
  const newTraces = sumBy(
    [ENVIRONMENT_LABEL],
    rate(context.series.of('otelcol_processor_tail_sampling_new_trace_id_received'), OF_GATEWAY, RATE_INTERVAL),
  );
  // The profile's expected rate, on the "new traces" series of each environment with a gateway.
  const expected = gatewayEnvironments(context).map((environment) =>
    referenceLineOverride(
      byName(`new traces (${environment})`),
      context.profiles[environment].gateway?.expectedTracesPerSecond ?? 0,
    ),
  );
  return timeseriesPanel({
    title: 'Traces sampled vs not sampled',
    description:
      'Traces per second the tail sampler decided, by final decision over all policies (sampled: kept and sent to Grafana ' +
      'Cloud; not_sampled: discarded; dropped: by a drop policy), and new traces arriving. The dashed line is the ' +
      `profile’s gateway.expectedTracesPerSecond, which sizes the trace cache: above it, expect evictions. ${GATEWAY_NOTE}`,
    unit: TRACES_PER_SECOND,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .overrides(overrides(expected))
    .withTarget(promTarget(decisions, '{{decision}}', { refId: 'A' }))
    .withTarget(promTarget(newTraces, `new traces${ENVIRONMENT_SUFFIX}`, { refId: 'B' }));
}

function gatewayExportFailuresPanel(context: DashboardContext) {
  const items: readonly CollectorItems[] = ['spans', 'metric_points'];
  const targets = items.flatMap((kind) => [
    {
      metric: `otelcol_exporter_send_failed_${kind}`,
      legend: `send failed: ${kind.replace('_', ' ')} at {{exporter}}`,
    },
    {
      metric: `otelcol_exporter_enqueue_failed_${kind}`,
      legend: `dropped (queue full): ${kind.replace('_', ' ')} at {{exporter}}`,
    },
  ]);
  const panel = timeseriesPanel({
    title: 'Gateway exporter failures',
    description:
      'Items per second the gateway failed to send to Grafana Cloud after retries, or dropped because its sending queue ' +
      'was full, per exporter: sampled traces, and the gateway’s own metrics. Any of them is lost telemetry ' +
      `(CollectorExportFailures, CollectorDroppedData with service_name otel-gateway). ${GATEWAY_NOTE}`,
    unit: 'suffix: items/s',
    source: 'prometheus',
    width: THIRD,
  }).min(0);
  targets.forEach(({ metric, legend }, index) => {
    panel.withTarget(
      promTarget(sumBy(['exporter'], rate(context.series.of(metric), OF_GATEWAY, RATE_INTERVAL)), legend, {
        refId: REF_IDS[index],
      }),
    );
  });
  return panel;
}

function gatewayEvictionsPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Traces evicted before their decision, per gateway task',
    description:
      'Traces per second each gateway task evicted from its trace cache before deciding on them, because num_traces ' +
      'traces were already waiting: lost, errors and slow ones included (GatewayTracesEvicted). One task alone: uneven ' +
      `trace-id hashing or a task set that just changed; every task: the cache is too small for the load. ${GATEWAY_NOTE}`,
    unit: TRACES_PER_SECOND,
    source: 'prometheus',
    width: HALF,
  })
    .min(0)
    .withTarget(
      promTarget(
        sumBy(['instance'], rate(context.series.of(TAIL_SAMPLING_DROPPED_METRIC), OF_GATEWAY, RATE_INTERVAL)),
        '{{instance}}',
      ),
    );
}

function gatewayTraceCachePanel(context: DashboardContext) {
  // num_traces of each environment's tasks, on that environment's series.
  const limits = gatewayEnvironments(context).map((environment) => {
    const gateway = context.profiles[environment].gateway;
    return referenceLineOverride(
      byEnvironmentSuffix(environment),
      gateway === undefined ? 0 : gatewaySizing(gateway).numTraces,
    );
  });
  return timeseriesPanel({
    title: 'Traces held per gateway task vs num_traces',
    description:
      'Traces each gateway task holds while they wait for their decision (decision_wait). The dashed line is the task’s ' +
      'trace cache, tail_sampling num_traces, sized from the profile (lib/collector/gateway-sizing.ts): a task that ' +
      `reaches it evicts the oldest traces undecided. ${GATEWAY_NOTE}`,
    unit: 'suffix: traces',
    source: 'prometheus',
    width: HALF,
  })
    .min(0)
    .overrides(overrides(limits))
    .withTarget(
      promTarget(
        sumBy(
          [ENVIRONMENT_LABEL, 'instance'],
          selector(context.series.of('otelcol_processor_tail_sampling_sampling_traces_on_memory'), OF_GATEWAY),
        ),
        `{{instance}}${ENVIRONMENT_SUFFIX}`,
      ),
    );
}

// --- Queues and memory -------------------------------------------------------------------------

/** Per collector tier and exporter: the sidecars' and the gateway's `otlp_http/grafana_cloud` differ. */
const BY_EXPORTER = `${SERVICE_LABEL}, exporter`;

function queuePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Sending queue size vs capacity',
    description:
      'The fullest sending queue per collector (otelcol-contrib: the sidecars, otel-gateway: the gateway) and exporter, ' +
      'and the queue capacity. A queue that stays near capacity drops items next.',
    unit: units.Short,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(
        `max by (${BY_EXPORTER}) (${selector(context.series.of('otelcol_exporter_queue_size'), IN_ENVIRONMENT)})`,
        '{{service_name}} {{exporter}} size',
        {
          refId: 'A',
        },
      ),
    )
    .withTarget(
      promTarget(
        `max by (${BY_EXPORTER}) (${selector(context.series.of('otelcol_exporter_queue_capacity'), IN_ENVIRONMENT)})`,
        '{{service_name}} {{exporter}} capacity',
        { refId: 'B' },
      ),
    );
}

function queueFillPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Fullest sending queue (share of capacity)',
    description:
      'Size / capacity of the fullest queue per collector (sidecars or gateway) and exporter: at 100 % new batches are dropped.',
    unit: units.PercentUnit,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .max(1)
    .withTarget(
      promTarget(
        `max by (${BY_EXPORTER}) (${selector(context.series.of('otelcol_exporter_queue_size'), IN_ENVIRONMENT)} / ${selector(context.series.of('otelcol_exporter_queue_capacity'), IN_ENVIRONMENT)})`,
        '{{service_name}} {{exporter}}',
      ),
    );
}

function memoryLimiterPanel(context: DashboardContext) {
  const ofLimiter = [...IN_ENVIRONMENT, matcher('processor', '=', 'memory_limiter')];
  const flow = (name: string) =>
    sumBy([SERVICE_LABEL, 'otel_signal'], rate(context.series.of(name), ofLimiter, RATE_INTERVAL));
  return timeseriesPanel({
    title: 'Memory limiter refusals',
    description:
      'Items the memory_limiter processor let in minus the items it passed on, per collector and signal: what it refused ' +
      'because the collector was near its memory limit. Non-zero: raise collector.memoryMiB (sidecars) or gateway.memoryMiB ' +
      '(gateway) in the profile, or find the burst.',
    unit: 'suffix: items/s',
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(
        `${flow('otelcol_processor_incoming_items')} - ${flow('otelcol_processor_outgoing_items')}`,
        '{{service_name}} {{otel_signal}}',
      ),
    );
}

function capitalised(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
