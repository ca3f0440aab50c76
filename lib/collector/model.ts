/**
 * The shape of an OpenTelemetry Collector configuration, as far as this package writes one.
 * Component settings stay open (`ComponentConfig`): their keys are checked against upstream's
 * config structs (`upstream-keys.ts`), not by TypeScript, so a test can break them on purpose.
 */

/** The sections of a config that hold components, in the order the YAML lists them. */
export const COMPONENT_KINDS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** The settings of one component: any YAML mapping. */
export type ComponentConfig = { readonly [key: string]: unknown };

/** Components by id (`type` or `type/name`). */
export type ComponentMap = { readonly [id: string]: ComponentConfig };

export interface PipelineConfig {
  readonly receivers: readonly string[];
  readonly processors?: readonly string[];
  readonly exporters: readonly string[];
}

export interface ServiceConfig {
  /** Extensions the collector starts; an extension not listed here never runs, not even as an authenticator. */
  readonly extensions?: readonly string[];
  /** Pipelines by id (`signal` or `signal/name`). */
  readonly pipelines: { readonly [id: string]: PipelineConfig };
  /** The collector's own logs and metrics (`service.telemetry`). */
  readonly telemetry?: ComponentConfig;
}

export interface CollectorConfig {
  readonly receivers: ComponentMap;
  readonly processors?: ComponentMap;
  readonly exporters: ComponentMap;
  readonly extensions?: ComponentMap;
  readonly connectors?: ComponentMap;
  readonly service: ServiceConfig;
}

/** The role a collector plays; roles differ only by the data in `roles.ts`. */
export type CollectorRole = 'sidecar' | 'gateway' | 'local';

/** One environment variable the collector container needs. */
export interface CollectorEnvironmentVariable {
  readonly name: string;
  /** True when the value must come from a secret store at run time (ECS `secrets`), never from the task definition. */
  readonly secret: boolean;
  /** The plain value; set exactly when `secret` is false and the value is not `perTask`. */
  readonly value?: string;
  /**
   * A plain value that is the same for no two services, so the contract cannot hold it: the
   * construct that adds the collector to a task sets it. `serviceName`: the service the task runs,
   * the identity the sidecar stamps on everything it forwards.
   */
  readonly perTask?: 'serviceName';
  /**
   * For a secret the platform owns rather than the profile: `sourceToken`, the environment's source
   * token (a Secrets Manager secret of the platform stack), which the construct passes from the platform.
   */
  readonly platformSecret?: 'sourceToken';
  /** For a secret: the SSM parameter that holds it. */
  readonly ssmParameterName?: string;
  /** For a secret in SSM encrypted with a customer-managed key: the key's ARN. */
  readonly ssmParameterKeyArn?: string;
  /**
   * Who reads it: `config` means the YAML reads it as `${env:NAME}`; `runtime` means the collector
   * process reads it directly (for example the Go runtime's GOMEMLIMIT).
   */
  readonly readBy: 'config' | 'runtime';
  readonly description: string;
}

/** The exact set of environment variables a generated config needs, sorted by name. */
export type CollectorEnvironment = readonly CollectorEnvironmentVariable[];

/** `otlp_http/grafana_cloud` -> `otlp_http`. */
export function componentType(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}
