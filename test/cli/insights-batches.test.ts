import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  logGroupBatches,
  MAX_LOG_GROUPS_PER_QUERY,
  MAX_PARALLEL_QUERIES,
  runBatchedInsightsQuery,
} from '../../lib/cli/insights';
import { FakeClock } from './support/harness';

const logs = mockClient(CloudWatchLogsClient);
const client = new CloudWatchLogsClient({ region: 'eu-west-1' });
const names = (count: number) => Array.from({ length: count }, (_, index) => `/ecs/p-prod/service-${index}`);

beforeEach(() => logs.reset());

test('log groups are split into batches of at most 50, in order', () => {
  const batches = logGroupBatches(names(101));
  expect(batches.map((batch) => batch.length)).toEqual([MAX_LOG_GROUPS_PER_QUERY, MAX_LOG_GROUPS_PER_QUERY, 1]);
  expect(batches.flat()).toEqual(names(101));
});

test(`batches run at most ${MAX_PARALLEL_QUERIES} queries at once, and every batch gets its own result`, async () => {
  let running = 0;
  let most = 0;
  let started = 0;
  logs.on(StartQueryCommand).callsFake(() => {
    running++;
    most = Math.max(most, running);
    return { queryId: `query-${++started}` };
  });
  logs.on(GetQueryResultsCommand).callsFake((input: { queryId: string }) => {
    running--;
    return { status: 'Complete', results: [[{ field: 'query', value: input.queryId }]] };
  });
  const results = await runBatchedInsightsQuery(
    client,
    { logGroupNames: names(500), queryString: 'fields @timestamp', startTime: 0, endTime: 60_000 },
    { clock: new FakeClock(), timeoutMs: 30_000, progress: { update: () => undefined, stop: () => undefined } },
  );
  expect(most).toBe(MAX_PARALLEL_QUERIES);
  expect(results.map((result) => result.queryId).sort()).toEqual(
    Array.from({ length: 10 }, (_, index) => `query-${index + 1}`).sort(),
  );
});
