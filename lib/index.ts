// The public API of the construct library, by name: what a service team or a platform team uses.
// Everything else (generators, the CLI, the cost model, internal helpers) stays internal and may
// change without a major version. Only exports live here.

export { addComplianceChecks } from './compliance';
export { containerImageFromReference } from './constructs/container-image';
export {
  countDynamicReferences,
  limitDynamicReferences,
  MAX_DYNAMIC_REFERENCES_PER_TEMPLATE,
} from './constructs/dynamic-reference-limit';

// Observe a service: a new one, one the team has, or every service of a scope.
export { FargateObservability, type FargateObservabilityProps } from './constructs/fargate-observability';
export {
  FargateObservabilityAspect,
  type FargateObservabilityAspectProps,
  SKIP_OBSERVABILITY_METADATA,
} from './constructs/fargate-observability-aspect';
export {
  HEALTH_PROBE_SCRIPT,
  ObservedFargateService,
  type ObservedFargateServiceProps,
  pythonHealthProbe,
} from './constructs/observed-fargate-service';
export {
  COLLECTOR_CONTAINER_NAME,
  OtelCollectorSidecar,
  type OtelCollectorSidecarProps,
} from './constructs/otel-collector-sidecar';
// Import the platform of an environment by name, or from values.
export {
  type AlarmTopicArns,
  type ICollectorGatewayClients,
  type IObservabilityPlatform,
  ObservabilityPlatform,
  type ObservabilityPlatformAttributes,
  type ObservabilityPlatformLookupProps,
} from './constructs/platform';
export {
  PLATFORM_PARAMETERS,
  PlatformParameters,
  type PlatformParametersProps,
  type PlatformSettingsDocument,
  platformParameterName,
} from './constructs/platform-parameters';
export {
  DEFAULT_DAILY_LOG_QUOTA_GIB,
  NO_CONTAINER_INSIGHTS_WARNING_ID,
  ServiceAlarms,
  type ServiceAlarmsProps,
  UNHEALTHY_HOSTS_WINDOW_MINUTES,
} from './constructs/service-alarms';
export {
  SourceToken,
  type SourceTokenOwner,
  type SourceTokenProps,
  sourceTokenParameterName,
  sourceTokenParameterValue,
  sourceTokenSecretName,
  sourceTokenValue,
  sourceTokenValueIn,
} from './constructs/source-token';
export { TelemetryLogGroup, type TelemetryLogGroupProps } from './constructs/telemetry-log-group';
// Names shared by the platform and its services.
export {
  alarmName,
  collectorLogGroupName,
  platformParameterPrefix,
  serviceLogGroupName,
  serviceLogGroupPrefix,
} from './naming';
export type { EnvironmentProfile, ServiceProfile, Severity } from './profile/schema';
// Environment profiles: the platform team's configuration, loaded with clear errors.
export { loadEnvironmentProfiles, ProfileError, selectEnvironments } from './profile-loader/load';
// The split of an environment's views into groups of 50 services, for an app that places them itself.
export { type ViewGroup, viewGroups } from './profile-loader/scale';
// Declare a signal of your own: one declaration, and the alarms, rules, panels and runbooks follow.
export { SIGNAL_DECLARATIONS, type SignalDeclaration, withSignals } from './signals';
// The default app's stacks, for a platform team building its own app.
export {
  buildDefaultApp,
  COLLECTOR_IMAGE_WARNING_ID,
  type DefaultAppOptions,
  type DefaultAppStacks,
} from './stacks/default-app';
export { PlatformStack, type PlatformStackProps } from './stacks/platform-stack';
export { ServiceStack, type ServiceStackProps } from './stacks/service-stack';
export { ViewStack, type ViewStackProps } from './stacks/view-stack';
