/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The consumer test imports the package by its published name, as another repository would.
  moduleNameMapper: { '^@starmates/cdk-otel-observability$': '<rootDir>/lib/index.ts' },
  // Transpile only: `npm run typecheck` (tsc --noEmit) checks types once for the whole tree.
  transform: { '^.+\\.ts$': 'ts-jest' },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.ts'],
  // aws-cdk-lib's built-in CloudFormation validator costs ~2 s per test file; test/validation.test.ts keeps it on.
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // Says which system validators (promtool) are missing: their tests skip, or fail under CI=true.
  globalSetup: '<rootDir>/test/support/report-missing-tools.ts',
};
