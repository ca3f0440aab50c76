// aws-cdk-lib's built-in CloudFormation validator costs ~2 s per process; test/cloudformation-validation.test.ts
// turns it back on for the whole default app.
process.env.CDK_VALIDATION ??= 'false';
