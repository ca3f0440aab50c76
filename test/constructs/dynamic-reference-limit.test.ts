/**
 * CloudFormation resolves at most 60 dynamic references per template ("Get values stored in other
 * services using dynamic references", AWS CloudFormation User Guide): a stack of ours over it fails
 * at synth, with one line naming the stack, the count and the fix, instead of at deploy.
 */

import { App, CfnResource, Stack } from 'aws-cdk-lib';
import {
  DynamicReferenceCountingSynthesizer,
  limitDynamicReferences,
} from '../../lib/constructs/dynamic-reference-limit';

/**
 * An app with one guarded stack holding `count` dynamic references, spread over resources as alarms
 * spread them; counted by the guard's validation, or by the stack's synthesizer.
 */
function appWithReferences(count: number, counter: 'validation' | 'synthesizer' = 'validation'): App {
  const app = new App();
  const stack = new Stack(app, 'Crowded', {
    synthesizer: counter === 'synthesizer' ? new DynamicReferenceCountingSynthesizer() : undefined,
  });
  limitDynamicReferences(stack);
  for (let index = 0; index < count; index += 1) {
    new CfnResource(stack, `Parameter${index}`, {
      type: 'AWS::SSM::Parameter',
      properties: { Type: 'String', Value: `{{resolve:secretsmanager:token-${index}:SecretString:::}}` },
    });
  }
  return app;
}

test('a stack with 60 dynamic references synthesizes', () => {
  expect(
    appWithReferences(60)
      .synth()
      .stacks.map((stack) => stack.stackName),
  ).toEqual(['Crowded']);
});

test('a stack with 61 dynamic references fails synthesis with one line naming the stack, the count and the fix', () => {
  expect(() => appWithReferences(61).synth()).toThrow(
    'Crowded: the template has 61 dynamic references ({{resolve:...}}), over the 60 CloudFormation resolves per ' +
      'template: read shared values by a deploy-time SSM parameter (ssm.StringParameter.valueForStringParameter, as ' +
      'alarms read the source token: sourceTokenValueIn), or split the stack',
  );
});

test('references inside a value CDK renders late (a dashboard body) count too', () => {
  const app = new App();
  const stack = new Stack(app, 'Crowded');
  limitDynamicReferences(stack);
  new CfnResource(stack, 'Dashboard', {
    type: 'AWS::CloudWatch::Dashboard',
    properties: {
      DashboardBody: stack.toJsonString({
        widgets: Array.from({ length: 61 }, (_, index) => ({ value: `{{resolve:ssm:/p/${index}}}` })),
      }),
    },
  });
  expect(() => app.synth()).toThrow('Crowded: the template has 61 dynamic references');
});

test('a stack guarded twice is counted once', () => {
  const app = appWithReferences(61);
  limitDynamicReferences(app.node.findChild('Crowded'));
  expect(() => app.synth()).toThrow(
    /^Validation failed with the following errors:\n {2}\[Crowded\] Crowded: the template has 61 [^\n]*$/,
  );
});

describe("a stack whose synthesizer counts (the default app's)", () => {
  test('synthesizes with 60 dynamic references', () => {
    expect(
      appWithReferences(60, 'synthesizer')
        .synth()
        .stacks.map((stack) => stack.stackName),
    ).toEqual(['Crowded']);
  });

  // Validations run before synthesis: a message without "Validation failed" shows the stack was not rendered twice.
  test('fails synthesis with 61 from the written template, in the same one line, without the validation', () => {
    expect(() => appWithReferences(61, 'synthesizer').synth()).toThrow(
      /^Crowded: the template has 61 dynamic references \(\{\{resolve:\.\.\.\}\}\), over the 60 [^\n]*split the stack$/,
    );
  });
});
