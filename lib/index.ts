// The public API of the construct library. Only exports live here.

export * from './collector';
export * from './compliance';
export * from './constructs/alarm-topics';
export * from './constructs/container-image';
export * from './constructs/grafana-cloud-credentials';
export * from './constructs/observability-key';
export * from './constructs/observed-fargate-service';
export * from './constructs/otel-collector-sidecar';
export * from './constructs/platform';
export * from './constructs/telemetry-log-group';
export * from './generated-file';
export * from './generated-files';
export * from './naming';
export * from './profile/aws-values';
export * from './profile/load';
export * from './profile/schema';
export * from './stacks/default-app';
export * from './stacks/platform-stack';
export * from './stacks/service-stack';
