import { buildTestApp } from '../support/default-app';

// One synth of the whole default app, with the cdk-nag packs registered: it throws on any finding.
const { app } = buildTestApp();
const assembly = app.synth();

describe.each(assembly.stacks.map((stack) => [stack.stackName, stack] as const))('%s', (_name, stack) => {
  test('template matches the snapshot', () => {
    expect(stack.template).toMatchSnapshot();
  });
});
