// The local debugging stack generator: pure functions, no aws-cdk-lib. Only exports live here.
export * from './compose';
export * from './files';
export * from './images';
export * from './profile';
export * from './prometheus-config';
export * from './services';
