import { buildTestApp } from '../support/default-app';

const stackNames = (stacks: readonly { stackName: string }[]) => stacks.map((stack) => stack.stackName);

describe('environment selection', () => {
  test('without a selection every environment is built', () => {
    const { platforms } = buildTestApp({ compliance: false });
    expect(stackNames(platforms)).toEqual([
      'StarmatesAiTeam-Dev-Platform',
      'StarmatesAiTeam-Staging-Platform',
      'StarmatesAiTeam-Prod-Platform',
    ]);
  });

  test('one name builds that environment only', () => {
    const { platforms, services } = buildTestApp({ selection: 'prod', compliance: false });
    expect(stackNames(platforms)).toEqual(['StarmatesAiTeam-Prod-Platform']);
    expect(services.every((stack) => stack.stackName.startsWith('StarmatesAiTeam-Prod-'))).toBe(true);
  });

  test('a comma list builds those environments', () => {
    const { platforms } = buildTestApp({ selection: 'staging, dev', compliance: false });
    expect(stackNames(platforms)).toEqual(['StarmatesAiTeam-Staging-Platform', 'StarmatesAiTeam-Dev-Platform']);
  });

  test('an unknown name is an error listing the known environments', () => {
    expect(() => buildTestApp({ selection: 'prod,qa', compliance: false })).toThrow(
      'Invalid environment selection:\n  - -c env=prod,qa: unknown environment "qa". Known environments: dev, staging, prod',
    );
  });
});

describe('stack naming', () => {
  test('stack names carry project, environment and part', () => {
    const { services } = buildTestApp({ selection: 'dev', compliance: false });
    expect(stackNames(services)).toEqual([
      'StarmatesAiTeam-Dev-ApiGateway',
      'StarmatesAiTeam-Dev-WorkflowAgent',
      'StarmatesAiTeam-Dev-WorkflowEngine',
      'StarmatesAiTeam-Dev-WorkflowScheduler',
    ]);
  });

  test('each stack is deployed to its profile account and region', () => {
    const { platforms } = buildTestApp({ selection: 'prod', compliance: false });
    expect(platforms[0].account).toBe('333333333333');
    expect(platforms[0].region).toBe('eu-west-1');
  });
});
