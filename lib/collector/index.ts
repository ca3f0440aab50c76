// The collector-config generator: pure functions, no aws-cdk-lib. Only exports live here.
export * from './checks';
export * from './cloudwatch';
export * from './distributions';
export * from './expansion';
export * from './files';
export * from './gateway-sizing';
export * from './generate';
export * from './memory';
export * from './model';
export * from './ottl';
export * from './pii';
export * from './roles';
export * from './sampling';
export * from './sdk-environment';
export * from './tenants';
export * from './yaml';
