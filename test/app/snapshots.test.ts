import { cdkJsonContext } from '../support/cdk-json';
import { buildTestApp } from '../support/default-app';

// One synth of the whole default app from the operator's own cdk.json, with the cdk-nag packs
// registered: it throws on any finding. `npm run refresh` updates these snapshots after an edit.
const { app } = buildTestApp({ context: cdkJsonContext() });
const assembly = app.synth();

describe.each(assembly.stacks.map((stack) => [stack.stackName, stack] as const))('%s', (_name, stack) => {
  test('template matches the snapshot', () => {
    expect(stack.template).toMatchSnapshot();
  });
});
