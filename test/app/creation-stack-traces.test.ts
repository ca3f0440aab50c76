/**
 * cdk.json turns off the stack trace aws-cdk-lib records at every CloudFormation element's creation
 * (`aws:cdk:disable-creation-stack-traces`): capturing them was a fifth of an observed service's
 * synth time, and `cdk --debug` (CDK_DEBUG=true) records them again when a deploy error needs them.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { cdkJsonContext } from '../support/cdk-json';

const CREATION_STACK = 'aws:cdk:creationStack';

/** The metadata types of one resource built in an App with `context`. */
function resourceMetadataTypes(context: Record<string, unknown>): string[] {
  const stack = new Stack(new App({ context }), 'Stack');
  const resource = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
  return resource.node.metadata.map((entry) => entry.type);
}

describe("cdk.json's context", () => {
  const debug = process.env.CDK_DEBUG;
  beforeEach(() => {
    delete process.env.CDK_DEBUG;
  });
  afterAll(() => {
    if (debug !== undefined) process.env.CDK_DEBUG = debug;
  });

  test('records no creation stack trace on a CloudFormation element', () => {
    expect(resourceMetadataTypes(cdkJsonContext())).not.toContain(CREATION_STACK);
  });

  test('records one again in debug mode (cdk --debug sets CDK_DEBUG=true)', () => {
    process.env.CDK_DEBUG = 'true';
    expect(resourceMetadataTypes(cdkJsonContext())).toContain(CREATION_STACK);
  });
});
