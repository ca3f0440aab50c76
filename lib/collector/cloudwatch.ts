/**
 * The metrics that go to CloudWatch (for CloudWatch alarms) and the names the alarms need to find
 * them. Everything else goes to Grafana Cloud only: every metric written to CloudWatch costs, and
 * awsemf writes even metrics no declaration matches into the EMF log events, so the collector
 * filters before the exporter.
 */
import { pascalCase, serviceLogGroupPrefix } from '../naming';
import type { CollectorRole } from './model';

export interface CloudWatchMetric {
  /** The metric name the services emit (design section 3.3). */
  readonly name: string;
  readonly instrument: 'counter' | 'histogram';
  readonly description: string;
}

/** Items the collector failed to export, could not queue, or refused at the receiver. */
export const COLLECTOR_FAILURE_METRIC_NAMES: readonly string[] = ['spans', 'metric_points', 'log_records'].flatMap(
  (item) => [
    `otelcol_exporter_send_failed_${item}`,
    `otelcol_exporter_enqueue_failed_${item}`,
    `otelcol_receiver_refused_${item}`,
  ],
);

/** The `service.name` of the collector's own telemetry: the dimension value of its CloudWatch metrics. */
export const COLLECTOR_SERVICE_NAME = 'otelcol-contrib';

export const CLOUDWATCH_METRICS: readonly CloudWatchMetric[] = [
  { name: 'request_count', instrument: 'counter', description: 'HTTP requests handled (error-rate denominator)' },
  {
    name: 'request_errors_total',
    instrument: 'counter',
    description: 'HTTP requests that failed (error-rate numerator)',
  },
  {
    name: 'request_duration_seconds',
    instrument: 'histogram',
    description: 'HTTP request duration; an exponential histogram, so CloudWatch can compute p95',
  },
  // The collector's own failure counters (its self-telemetry, service.name "otelcol-contrib"), so a
  // CloudWatch alarm sees telemetry being lost even when Grafana Cloud is the thing that is down.
  ...COLLECTOR_FAILURE_METRIC_NAMES.map(
    (name): CloudWatchMetric => ({ name, instrument: 'counter', description: 'telemetry the collector lost' }),
  ),
];

/**
 * Traces the gateway's tail sampler evicted before their decision because its trace cache
 * (num_traces) was full: they are lost, errors included. The tail_sampling README's signal to
 * raise num_traces or add tasks.
 */
export const TAIL_SAMPLING_DROPPED_METRIC = 'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early';

/** A gateway's CloudWatch metrics: its collector failure counters, and traces its sampler lost. */
export const GATEWAY_CLOUDWATCH_METRICS: readonly CloudWatchMetric[] = [
  ...CLOUDWATCH_METRICS.filter((metric) => COLLECTOR_FAILURE_METRIC_NAMES.includes(metric.name)),
  { name: TAIL_SAMPLING_DROPPED_METRIC, instrument: 'counter', description: 'traces evicted before their decision' },
];

/** The metrics a role's collector writes to CloudWatch. */
export function cloudWatchMetricsOf(role: CollectorRole): readonly CloudWatchMetric[] {
  return role === 'gateway' ? GATEWAY_CLOUDWATCH_METRICS : CLOUDWATCH_METRICS;
}

/**
 * The only dimension of the CloudWatch metrics: low cardinality, and set for every service because
 * the collector copies it from the SDK's resource (OTEL_SERVICE_NAME) onto each data point.
 */
export const CLOUDWATCH_SERVICE_DIMENSION = 'service.name';

/** `StarmatesAiTeam/prod`: the CloudWatch namespace of an environment's service metrics. */
export function cloudWatchNamespace(project: string, environmentName: string): string {
  return `${pascalCase(project)}/${environmentName}`;
}

/**
 * The log group awsemf writes EMF events to: under the environment's log group prefix, so the
 * environment's KMS key may encrypt it and the stack can create it with a retention (awsemf would
 * otherwise create it unencrypted and never expiring).
 */
export function emfLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/otel-emf`;
}
