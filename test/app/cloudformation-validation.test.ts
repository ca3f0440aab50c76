import { buildTestApp } from '../support/default-app';

// The only test that runs aws-cdk-lib's built-in CloudFormation validator (about 2 s): every other
// test turns it off in test/support/setup-env.ts.
test('every template of the default app passes the built-in CloudFormation validator', () => {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    const { app } = buildTestApp({ compliance: false });
    expect(() => app.synth()).not.toThrow();
  } finally {
    process.env.CDK_VALIDATION = saved;
  }
});
