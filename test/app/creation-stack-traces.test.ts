/**
 * The default app turns off the stack trace aws-cdk-lib records at every CloudFormation element's
 * creation (`DEFAULT_APP_CONTEXT`, set in code because the CDK CLI warns about an `aws:` key in
 * cdk.json): capturing them was a fifth of an observed service's synth time, and `cdk --debug`
 * (CDK_DEBUG=true) records them again when a deploy error needs them.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { DEFAULT_APP_CONTEXT } from '../../lib/stacks/default-app';

const CREATION_STACK = 'aws:cdk:creationStack';

/** The metadata types of one resource built in an App with `context`, below `cliContext` as the CLI gives it. */
function resourceMetadataTypes(context: Record<string, unknown>, cliContext: Record<string, unknown> = {}): string[] {
  const stack = new Stack(new App({ context, postCliContext: cliContext }), 'Stack');
  const resource = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
  return resource.node.metadata.map((entry) => entry.type);
}

describe("the default app's context", () => {
  const debug = process.env.CDK_DEBUG;
  beforeEach(() => {
    delete process.env.CDK_DEBUG;
  });
  afterAll(() => {
    if (debug !== undefined) process.env.CDK_DEBUG = debug;
  });

  test('records no creation stack trace on a CloudFormation element', () => {
    expect(resourceMetadataTypes({ ...DEFAULT_APP_CONTEXT })).not.toContain(CREATION_STACK);
  });

  test('records one again in debug mode (cdk --debug sets CDK_DEBUG=true)', () => {
    process.env.CDK_DEBUG = 'true';
    expect(resourceMetadataTypes({ ...DEFAULT_APP_CONTEXT })).toContain(CREATION_STACK);
  });

  test('yields to the context an operator gives on the command line', () => {
    expect(
      resourceMetadataTypes({ ...DEFAULT_APP_CONTEXT }, { 'aws:cdk:disable-creation-stack-traces': false }),
    ).toContain(CREATION_STACK);
  });
});
