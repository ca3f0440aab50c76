/** CloudWatch Logs look-ups: which log groups and saved queries exist. */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeQueryDefinitionsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCall } from './errors';

/** Pages to follow at most (50 groups or 1000 definitions a page). */
export const MAX_PAGES = 100;

/** The names of the log groups whose name starts with `prefix`. */
export async function listLogGroupNames(logs: CloudWatchLogsClient, prefix: string): Promise<readonly string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await awsCall('logs:DescribeLogGroups', () =>
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken })),
    );
    for (const group of output.logGroups ?? []) if (group.logGroupName) names.push(group.logGroupName);
    nextToken = output.nextToken;
    if (!nextToken) break;
  }
  return names;
}

/** The names of the saved Logs Insights queries whose name starts with `prefix`. */
export async function listQueryDefinitionNames(logs: CloudWatchLogsClient, prefix: string): Promise<readonly string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await awsCall('logs:DescribeQueryDefinitions', () =>
      logs.send(
        new DescribeQueryDefinitionsCommand({ queryDefinitionNamePrefix: prefix, maxResults: 1000, nextToken }),
      ),
    );
    for (const definition of output.queryDefinitions ?? []) if (definition.name) names.push(definition.name);
    nextToken = output.nextToken;
    if (!nextToken) break;
  }
  return names;
}
