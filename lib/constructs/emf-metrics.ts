import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CLOUDWATCH_SERVICE_DIMENSION, cloudWatchMetricsOf, SOURCE_TOKEN_DIMENSION } from '../collector/cloudwatch';

/**
 * Where a service's EMF metrics live: the environment namespace, the service's dimension value
 * (which the service's sidecar sets from its task) and the environment's source token (which only
 * the collectors know). EMF lets any log event name any namespace and dimensions, but CloudWatch
 * identifies a metric by namespace, name and its full dimension set: an event without the token's
 * value writes another series (README, "A task speaks only for itself").
 */
export interface EmfSource {
  /** The environment's CloudWatch namespace (`cloudWatchNamespace(project, env)`). */
  readonly namespace: string;
  /** `service.name` of the service. */
  readonly serviceName: string;
  /**
   * The `source_token` dimension's value as the stack names it (`sourceTokenValueIn`): the `Ref` of
   * a deploy-time parameter of the platform's published copy, or in the platform stack a
   * `{{resolve:secretsmanager:...}}` reference (a dashboard passes its variable's placeholder
   * instead: lib/constructs/environment-dashboard.ts).
   */
  readonly sourceToken: string;
}

/** The dimensions of a collector-written metric: the given ones plus the environment's source token. */
export function withSourceToken(
  dimensions: Readonly<Record<string, string>>,
  sourceToken: string,
): Record<string, string> {
  return { ...dimensions, [SOURCE_TOKEN_DIMENSION]: sourceToken };
}

/** OTel names of the metrics awsemf writes (the catalogue's, through lib/collector/cloudwatch.ts). */
const EMF_METRIC_NAMES = new Set(
  [...cloudWatchMetricsOf('sidecar'), ...cloudWatchMetricsOf('gateway')].map((metric) => metric.name),
);

/**
 * One metric the collector's awsemf exporter writes for a service, by its OTel name.
 * @throws Error for a name the collector does not write to CloudWatch
 */
export function emfMetric(
  source: EmfSource,
  metricName: string,
  statistic: string,
  period: Duration,
  label?: string,
): cloudwatch.Metric {
  if (!EMF_METRIC_NAMES.has(metricName)) {
    throw new Error(
      `${metricName} is not a metric the collector writes to CloudWatch (CLOUDWATCH_METRICS, lib/collector/cloudwatch.ts)`,
    );
  }
  return new cloudwatch.Metric({
    namespace: source.namespace,
    metricName,
    dimensionsMap: withSourceToken({ [CLOUDWATCH_SERVICE_DIMENSION]: source.serviceName }, source.sourceToken),
    statistic,
    period,
    label,
  });
}

/**
 * A service's error rate in percent: failed over handled requests. One definition for the
 * alarms and the dashboard, so the graph shows what the alarm evaluates.
 */
export function errorRatePercent(
  source: EmfSource,
  period: Duration,
  label = 'error rate (%)',
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, 100 * errors / requests, 0)',
    usingMetrics: {
      errors: emfMetric(source, 'request_errors_total', cloudwatch.Stats.SUM, period),
      requests: emfMetric(source, 'request_count', cloudwatch.Stats.SUM, period),
    },
    period,
    label,
  });
}
