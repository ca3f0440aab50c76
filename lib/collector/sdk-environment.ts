/**
 * The OpenTelemetry SDK environment of an application container: the other half of the contract
 * with the collector sidecar. Names and values follow the SDK environment-variable specification.
 */
import { OTLP_GRPC_PORT } from './generate';
import { TENANT_ATTRIBUTE } from './tenants';

export interface SdkEnvironmentInput {
  /** The environment's name: `deployment.environment.name`. */
  readonly environmentName: string;
  /** The project: `service.namespace`. */
  readonly project: string;
  /**
   * The head-sampling variables (`headSamplingEnvironment(profile)`, which the platform settings
   * carry as `sdk.headSamplingVariables`).
   */
  readonly headSamplingVariables: Readonly<Record<string, string>>;
  /** `service.name`, e.g. `api-gateway`. */
  readonly serviceName: string;
  /** `service.version`, e.g. the image tag. */
  readonly serviceVersion: string;
  /** The per-service instrumentation switch: false sets OTEL_SDK_DISABLED and nothing else. */
  readonly instrumentation: boolean;
  /**
   * The tenant the service belongs to: `tenant.id` on its resource. The sidecar stamps the same
   * value whatever the SDK sends; this makes it visible to the application too.
   * @default - a platform service, no tenant
   */
  readonly tenant?: string;
}

/** The sidecar's OTLP/gRPC endpoint: the containers of an awsvpc task share one network namespace. */
export const SIDECAR_OTLP_ENDPOINT = `http://localhost:${OTLP_GRPC_PORT}`;

/** The SDK environment variables of an application container, sorted by name. */
export function sdkEnvironment(input: SdkEnvironmentInput): Record<string, string> {
  if (!input.instrumentation) {
    // The SDK stays in the image but does nothing; the task has no collector to send to.
    return { OTEL_SDK_DISABLED: 'true', OTEL_SERVICE_NAME: input.serviceName };
  }
  const resourceAttributes = [
    ['service.version', input.serviceVersion],
    ['deployment.environment.name', input.environmentName],
    ['service.namespace', input.project],
    ...(input.tenant === undefined ? [] : [[TENANT_ATTRIBUTE, input.tenant]]),
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join(',');
  const environment: Record<string, string> = {
    // awsemf turns explicit-bucket histograms into statistic sets (no p95), exponential ones into
    // values and counts, from which CloudWatch computes percentiles.
    OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram',
    ...input.headSamplingVariables,
    OTEL_EXPORTER_OTLP_ENDPOINT: SIDECAR_OTLP_ENDPOINT,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    // Delta sums and histograms: awsemf needs no state per series; the sidecar makes them
    // cumulative again (deltatocumulative) for Grafana Cloud.
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    OTEL_RESOURCE_ATTRIBUTES: resourceAttributes,
    OTEL_SDK_DISABLED: 'false',
    OTEL_SERVICE_NAME: input.serviceName,
  };
  return Object.fromEntries(Object.entries(environment).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The version part of an image reference: the tag (`repo/app:1.4.2` -> `1.4.2`), the first 12
 * hex digits of a digest (`repo/app@sha256:abc…` -> `abc…`), or `latest` when there is neither.
 */
export function imageVersion(image: string): string {
  const digest = image.match(/@sha256:([0-9a-f]{12})/);
  if (digest) return digest[1];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? 'latest' : lastSegment.slice(colon + 1);
}
