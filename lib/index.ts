// The public API of the construct library. Only exports live here.

export * from './collector';
export * from './compliance';
export * from './constructs/alarm-topics';
export * from './constructs/observability-key';
export * from './constructs/platform';
export * from './generated-file';
export * from './generated-files';
export * from './naming';
export * from './profile/aws-values';
export * from './profile/load';
export * from './profile/schema';
export * from './stacks/default-app';
export * from './stacks/platform-stack';
export * from './stacks/service-stack';
