/** CloudWatch Logs look-ups: which log groups and saved queries exist. */
import {
  type CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeQueryDefinitionsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCall, CliError } from './errors';

/** Pages to follow at most (50 groups or 1000 definitions a page). */
export const MAX_PAGES = 100;

/**
 * The names of the log groups whose name starts with `prefix`. An environment's prefix holds about
 * three groups per service (its own, its collector's and its EMF group), so 100 pages of 50 cover
 * 1,600 services; past MAX_PAGES this fails rather than answer with part of the list.
 * @throws CliError when more than MAX_PAGES pages match
 */
export async function listLogGroupNames(logs: CloudWatchLogsClient, prefix: string): Promise<readonly string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const output = await awsCall('logs:DescribeLogGroups', () =>
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken })),
    );
    for (const group of output.logGroups ?? []) if (group.logGroupName) names.push(group.logGroupName);
    nextToken = output.nextToken;
    if (!nextToken) return names;
  }
  throw new CliError(
    `More log groups start with ${prefix} than obsctl reads (${MAX_PAGES} pages, ${names.length} groups): ` +
      'split the environment, or delete log groups it no longer uses',
    'failed',
  );
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
