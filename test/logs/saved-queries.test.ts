import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SavedQueries } from '../../lib/constructs/saved-queries';
import { savedQueries } from '../../lib/logs/queries';
import { serviceLogGroupName } from '../../lib/naming';

const logGroupNames = ['api-gateway', 'workflow-engine'].map((service) =>
  serviceLogGroupName('starmates-ai-team', 'prod', service),
);

function synth(names: readonly string[]): Template {
  const stack = new Stack(new App(), 'Queries');
  new SavedQueries(stack, 'SavedQueries', {
    project: 'starmates-ai-team',
    environmentName: 'prod',
    logGroupNames: names,
  });
  return Template.fromStack(stack);
}

describe('SavedQueries', () => {
  test('creates one AWS::Logs::QueryDefinition per saved query, scoped to the given log groups', () => {
    const template = synth(logGroupNames);
    const expected = savedQueries('starmates-ai-team', 'prod');
    template.resourceCountIs('AWS::Logs::QueryDefinition', expected.length);
    for (const query of expected) {
      template.hasResourceProperties('AWS::Logs::QueryDefinition', {
        Name: query.name,
        QueryString: query.queryString,
        QueryLanguage: 'CWLI',
        LogGroupNames: ['/ecs/starmates-ai-team-prod/api-gateway', '/ecs/starmates-ai-team-prod/workflow-engine'],
      });
    }
  });

  test('saves the queries without log groups when given none', () => {
    synth([]).allResourcesProperties('AWS::Logs::QueryDefinition', { LogGroupNames: Match.absent() });
  });

  test('rejects a log group name CloudWatch would refuse', () => {
    expect(() => synth(['/ecs/app prod/api'])).toThrow(/invalid log group names "\/ecs\/app prod\/api"/);
  });
});
