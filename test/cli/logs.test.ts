import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { CliError } from '../../lib/cli/errors';
import { listLogGroupNames, MAX_PAGES } from '../../lib/cli/logs';

const logs = mockClient(CloudWatchLogsClient);
const client = new CloudWatchLogsClient({ region: 'eu-west-1' });

beforeEach(() => logs.reset());

test('a log group listing longer than obsctl reads is an error, not a partial list', async () => {
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/ecs/p-prod/a' }], nextToken: 'more' });
  const listing = listLogGroupNames(client, '/ecs/p-prod/');
  await expect(listing).rejects.toThrow(CliError);
  await expect(listing).rejects.toThrow(`(${MAX_PAGES} pages, ${MAX_PAGES} groups)`);
});
