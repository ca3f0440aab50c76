import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { savedQueries } from '../../lib/logs/queries';
import { obsctl } from './support/harness';

const logs = mockClient(CloudWatchLogsClient);
const GROUPS = ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler'].map(
  (service) => `/ecs/starmates-ai-team-prod/${service}`,
);
const topErrors = savedQueries('starmates-ai-team', 'prod').find((query) => query.title === 'Top error types');

beforeEach(() => {
  logs.reset();
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: GROUPS.map((logGroupName) => ({ logGroupName })) });
  logs.on(StartQueryCommand).resolves({ queryId: 'query-7' });
  logs.on(GetQueryResultsCommand).resolves({
    status: 'Complete',
    results: [
      [
        { field: 'error.type', value: 'SystemError' },
        { field: 'error.category', value: 'timeout' },
        { field: 'service', value: 'workflow-engine' },
        { field: 'occurrences', value: '12' },
      ],
      [
        { field: 'error.type', value: 'ValidationError' },
        { field: 'error.category', value: 'client' },
        { field: 'service', value: 'api-gateway' },
        { field: 'occurrences', value: '3' },
      ],
    ],
  });
});

describe('obsctl query', () => {
  test.each(['Top error types', 'top ERROR types', 'starmates-ai-team/prod/Top error types'])(
    'runs the saved query named "%s" over the service log groups',
    async (name) => {
      const result = await obsctl(['query', name, '--env', 'prod', '--since', '1d']);
      expect(result.code).toBe(0);
      expect(logs.commandCalls(StartQueryCommand)[0].args[0].input).toEqual(
        expect.objectContaining({ logGroupNames: GROUPS, queryString: topErrors?.queryString }),
      );
      expect(result.stdout).toBe(
        'error.type       error.category  service          occurrences\n' +
          'SystemError      timeout         workflow-engine  12\n' +
          'ValidationError  client          api-gateway      3\n',
      );
    },
  );

  test('--json prints the rows', async () => {
    const result = await obsctl(['query', 'Top error types', '--env', 'prod', '--json']);
    const json = JSON.parse(result.stdout);
    expect(json.query).toEqual({ title: 'Top error types', name: 'starmates-ai-team/prod/Top error types' });
    expect(json.rows[1]).toEqual({
      'error.type': 'ValidationError',
      'error.category': 'client',
      service: 'api-gateway',
      occurrences: '3',
    });
  });

  test('an unknown name is an error that lists the saved queries and suggests the nearest', async () => {
    const result = await obsctl(['query', 'Top eror types', '--env', 'prod']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(
      /^No saved query "Top eror types"\. Did you mean "Top error types"\? Saved queries: "Tracking ID correlation", "Errors with trace context", .*"AI cost and tokens by model" \(with their descriptions: obsctl query list --env prod\)\n$/,
    );
    expect(logs.calls()).toHaveLength(0);
  });

  test('the tracking-id query points at obsctl trace', async () => {
    const result = await obsctl(['query', 'Request by tracking ID', '--env', 'prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '"Request by tracking ID" needs a tracking id; run: obsctl trace <tracking-id> --env prod\n',
    );
  });

  test('no rows is not an error', async () => {
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    const result = await obsctl(['query', 'Top error types', '--env', 'prod']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No rows: "Top error types" matched nothing in the searched window.\n');
  });
});

describe('obsctl query list', () => {
  const queries = savedQueries('starmates-ai-team', 'prod');

  test('lists every saved query with its description, fitted to 80 columns, and exits 0 without AWS', async () => {
    const result = await obsctl(['query', 'list', '--env', 'prod']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TITLE +DESCRIPTION$/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(
      lines
        .filter((line) => !line.startsWith(' '))
        .slice(1)
        .map((line) => line.split(/ {2,}/)[0]),
    ).toEqual(queries.map((query) => query.title));
    expect(logs.calls()).toHaveLength(0);
  });

  test('--json gives each title, full name, description and the command that runs it', async () => {
    const result = await obsctl(['query', 'list', '--env', 'prod', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.queries).toHaveLength(queries.length);
    expect(json.queries.find((query: { title: string }) => query.title === 'Top error types')).toEqual({
      title: 'Top error types',
      name: 'starmates-ai-team/prod/Top error types',
      description: topErrors?.description,
      command: 'query',
    });
    expect(json.queries.find((query: { title: string }) => query.title === 'Request by tracking ID').command).toBe(
      'trace',
    );
  });

  test('`query <name>` still runs a query (run is the default subcommand)', async () => {
    const result = await obsctl(['query', 'run', 'Top error types', '--env', 'prod']);
    expect(result.code).toBe(0);
    expect(logs.commandCalls(StartQueryCommand)).toHaveLength(1);
  });
});
