/**
 * The metrics that go to CloudWatch (for CloudWatch alarms) and the names the alarms need to find
 * them. Everything else goes to Grafana Cloud only: every metric written to CloudWatch costs, and
 * awsemf writes even metrics no declaration matches into the EMF log events, so the collector
 * filters before the exporter.
 */
import {
  type CatalogueMetric,
  COLLECTOR_ITEM_KINDS,
  catalogueMetric,
  TAIL_SAMPLING_DROPPED_METRIC,
} from '../metrics/catalogue';
import { pascalCase, serviceLogGroupName, serviceLogGroupPrefix } from '../naming';
import type { CollectorRole } from './model';

export interface CloudWatchMetric {
  /** The OTel metric name the services or collectors emit: the catalogue's `otelName`. */
  readonly name: string;
  readonly instrument: 'counter' | 'histogram';
  readonly description: string;
}

/** Items the collector failed to export, could not queue, or refused at the receiver. */
export const COLLECTOR_FAILURE_METRIC_NAMES: readonly string[] = COLLECTOR_ITEM_KINDS.flatMap(({ items }) =>
  [
    `otelcol_exporter_send_failed_${items}`,
    `otelcol_exporter_enqueue_failed_${items}`,
    `otelcol_receiver_refused_${items}`,
  ].map((name) => catalogueMetric(name).otelName),
);

/** The `service.name` of the collector's own telemetry: the dimension value of its CloudWatch metrics. */
export const COLLECTOR_SERVICE_NAME = 'otelcol-contrib';

/**
 * A catalogue metric as CloudWatch receives it: awsemf and the filter select OTel names, not the
 * Prometheus series names, and these are counters or histograms only.
 * @throws Error when the metric is not in the catalogue or is another kind
 */
function fromCatalogue(otelName: string, description: string): CloudWatchMetric {
  const metric: CatalogueMetric = catalogueMetric(otelName);
  if (metric.kind !== 'counter' && metric.kind !== 'histogram') {
    throw new Error(`${otelName} is a ${metric.kind}: CloudWatch metrics here are counters or histograms`);
  }
  return { name: metric.otelName, instrument: metric.kind, description };
}

export const CLOUDWATCH_METRICS: readonly CloudWatchMetric[] = [
  fromCatalogue('request_count', 'HTTP requests handled (error-rate denominator)'),
  fromCatalogue('request_errors_total', 'HTTP requests that failed (error-rate numerator)'),
  fromCatalogue(
    'request_duration_seconds',
    'HTTP request duration; an exponential histogram, so CloudWatch can compute p95',
  ),
  // The collector's own failure counters (its self-telemetry, service.name "otelcol-contrib"), so a
  // CloudWatch alarm sees telemetry being lost even when Grafana Cloud is the thing that is down.
  ...COLLECTOR_FAILURE_METRIC_NAMES.map((name) => fromCatalogue(name, 'telemetry the collector lost')),
];

/** A gateway's CloudWatch metrics: its collector failure counters, and traces its sampler lost. */
export const GATEWAY_CLOUDWATCH_METRICS: readonly CloudWatchMetric[] = [
  ...CLOUDWATCH_METRICS.filter((metric) => COLLECTOR_FAILURE_METRIC_NAMES.includes(metric.name)),
  fromCatalogue(TAIL_SAMPLING_DROPPED_METRIC, 'traces evicted before their decision'),
];

/** The metrics a role's collector writes to CloudWatch. */
export function cloudWatchMetricsOf(role: CollectorRole): readonly CloudWatchMetric[] {
  return role === 'gateway' ? GATEWAY_CLOUDWATCH_METRICS : CLOUDWATCH_METRICS;
}

/**
 * Of a role's CloudWatch metrics, those the collector reports about itself (its self-telemetry
 * path) and those the services send (their OTLP path): each path lets only its own through, so an
 * application cannot write the collector's counters by sending metrics of that name.
 */
export function cloudWatchMetricsBySource(role: CollectorRole): {
  readonly self: readonly CloudWatchMetric[];
  readonly services: readonly CloudWatchMetric[];
} {
  const all = cloudWatchMetricsOf(role);
  const isSelf = (metric: CloudWatchMetric) => catalogueMetric(metric.name).source !== 'service';
  return { self: all.filter(isSelf), services: all.filter((metric) => !isSelf(metric)) };
}

/**
 * The collector's heartbeat: `otelcol_process_uptime`, which every collector reports on every push
 * of its self-telemetry. CloudWatch receives it as deltas (awsemf converts cumulative sums), so its
 * Sum over a period divided by the period's seconds is the number of collectors that reported
 * throughout it, comparable with Container Insights' running task count.
 */
export const COLLECTOR_HEARTBEAT_METRIC: CloudWatchMetric = fromCatalogue(
  'otelcol_process_uptime',
  'seconds of collector uptime: the collectors alive',
);

/**
 * The heartbeat's only dimension: the ECS task family, which the collector's ECS resource detector
 * reads from the task metadata endpoint. Every sidecar reports under the same service.name
 * (otelcol-contrib), but the task family is one per service (and one for the gateway), so one
 * heartbeat series per service and no more (a task id would make a metric per task).
 */
export const HEARTBEAT_DIMENSION = 'aws.ecs.task.family';

/**
 * The only dimension of the CloudWatch metrics: low cardinality, and set for every service because
 * the collector copies `service.name` onto each data point, after a sidecar has set it from the
 * task (not from the application's OTEL_SERVICE_NAME).
 */
export const CLOUDWATCH_SERVICE_DIMENSION = 'service.name';

/**
 * A dimension of every CloudWatch metric a collector writes: the environment's source token, a
 * secret only the collectors (and CloudFormation) read. EMF lets any log event name any namespace
 * and dimensions, and CloudWatch identifies a metric by namespace, name and its full dimension set,
 * so an event that lacks the token's value adds to another series than the one the alarms read.
 * Letters and digits only (lib/constructs/source-token.ts), so it is a safe dimension value and a
 * safe OTTL string. README, "A task speaks only for itself".
 */
export const SOURCE_TOKEN_DIMENSION = 'source_token';

/** `StarmatesAiTeam/prod`: the CloudWatch namespace of an environment's service metrics. */
export function cloudWatchNamespace(project: string, environmentName: string): string {
  return `${pascalCase(project)}/${environmentName}`;
}

/**
 * The log group the gateway's awsemf writes EMF events to: under the environment's log group
 * prefix, so the environment's KMS key may encrypt it and the stack can create it with a retention
 * (awsemf would otherwise create it unencrypted and never expiring). Sidecars write to their
 * service's own group (`serviceEmfLogGroupName`), never here.
 */
export function emfLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/otel-emf`;
}

/**
 * The log group a service's sidecar writes its EMF events to, `/ecs/<project>-<env>/<service>/otel-emf`:
 * one per service, so a task role may write its own service's group and no other (README, "A task
 * speaks only for itself"). Under the service's log group name, so the service's log key covers it.
 *
 * This scopes who may write where; it cannot scope what the events say. EMF takes the namespace and
 * dimensions from the event, from any log group (the `x-amzn-logs-format: json/emf` header is
 * optional: AWS, CloudWatch_Embedded_Metric_Format_Generation_PutLogEvents.html), and IAM has no
 * condition on them (`cloudwatch:namespace` applies to PutMetricData only: AWS,
 * iam-cw-condition-keys-namespace.html). The README's design note states what stays open.
 */
export function serviceEmfLogGroupName(project: string, environmentName: string, serviceName: string): string {
  return `${serviceLogGroupName(project, environmentName, serviceName)}/otel-emf`;
}
