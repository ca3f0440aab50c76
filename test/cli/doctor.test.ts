import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeQueryDefinitionsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeParametersCommand, GetParameterCommand, type ParameterMetadata, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { savedQueries } from '../../lib/logs/queries';
import { grafanaCloudConfigDocument } from '../../lib/profile/grafana-cloud-config';
import { awsError, obsctl, REPO_ROOT } from './support/harness';

const ssm = mockClient(SSMClient);
const logs = mockClient(CloudWatchLogsClient);

const TOKEN_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key';
const CONFIG_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-config';
const SERVICES = ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler'];
const cdkJson = require(`${REPO_ROOT}/cdk.json`);
const configValue = JSON.stringify(grafanaCloudConfigDocument(cdkJson.context.environments.prod));
const arn = (name: string, account = '333333333333') => `arn:aws:ssm:eu-west-1:${account}:parameter${name}`;

const token = (overrides: Partial<ParameterMetadata> = {}): ParameterMetadata => ({
  Name: TOKEN_NAME,
  Type: 'SecureString',
  KeyId: 'alias/aws/ssm',
  Version: 2,
  ARN: arn(TOKEN_NAME),
  ...overrides,
});
const config = (overrides: Partial<ParameterMetadata> = {}): ParameterMetadata => ({
  Name: CONFIG_NAME,
  Type: 'String',
  Version: 1,
  ARN: arn(CONFIG_NAME),
  ...overrides,
});

/** Everything in place; log groups and query definitions come in two pages each. */
function deployed(): void {
  // SSM may answer a filtered DescribeParameters with an empty page and a token first.
  ssm
    .on(DescribeParametersCommand)
    .resolvesOnce({ Parameters: [], NextToken: 'more' })
    .resolves({ Parameters: [token(), config()] });
  ssm
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: CONFIG_NAME, Type: 'String', Value: configValue, Version: 1 } });
  const groups = [
    ...SERVICES.map((service) => `/ecs/starmates-ai-team-prod/${service}`),
    '/ecs/starmates-ai-team-prod/api-gateway/otel-collector',
    '/ecs/starmates-ai-team-prod/ecs-task-events',
  ].map((logGroupName) => ({ logGroupName }));
  logs
    .on(DescribeLogGroupsCommand)
    .resolvesOnce({ logGroups: groups.slice(0, 3), nextToken: 'page-2' })
    .resolves({ logGroups: groups.slice(3) });
  const definitions = savedQueries('starmates-ai-team', 'prod').map((query) => ({ name: query.name }));
  logs
    .on(DescribeQueryDefinitionsCommand)
    .resolvesOnce({ queryDefinitions: definitions.slice(0, 5), nextToken: 'page-2' })
    .resolves({ queryDefinitions: definitions.slice(5) });
}

/** Nothing deployed, no token. */
function empty(): void {
  ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  logs.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: [] });
}

/** The table row of one check, split on the two-space column gaps. */
function row(stdout: string, check: string): string[] | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith(`${check} `));
  return line?.split(/ {2,}/);
}

beforeEach(() => {
  ssm.reset();
  logs.reset();
});

describe('obsctl doctor', () => {
  test('after a deploy every check passes; lists are followed across pages', async () => {
    deployed();
    const result = await obsctl(['doctor', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    expect(ssm.commandCalls(DescribeParametersCommand).map((call) => call.args[0].input)).toEqual([
      { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [TOKEN_NAME, CONFIG_NAME] }], MaxResults: 50 },
      {
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [TOKEN_NAME, CONFIG_NAME] }],
        MaxResults: 50,
        NextToken: 'more',
      },
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: '/ecs/starmates-ai-team-prod/' },
      { logGroupNamePrefix: '/ecs/starmates-ai-team-prod/', nextToken: 'page-2' },
    ]);
    expect(logs.commandCalls(DescribeQueryDefinitionsCommand).map((call) => call.args[0].input)).toEqual([
      { queryDefinitionNamePrefix: 'starmates-ai-team/prod/', maxResults: 1000 },
      { queryDefinitionNamePrefix: 'starmates-ai-team/prod/', maxResults: 1000, nextToken: 'page-2' },
    ]);
  });

  test('before anything exists: the token fails with the command that stores it, the rest is "not deployed"', async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)).toEqual([
      `parameter ${TOKEN_NAME}`,
      'fail',
      'missing: collector tasks would fail to start (ResourceInitializationError)',
      'obsctl credentials put --env prod < token.txt',
    ]);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)).toEqual([
      `parameter ${CONFIG_NAME}`,
      'not deployed',
      'missing',
      'npx cdk deploy -c env=prod --all',
    ]);
    for (const service of SERVICES) {
      expect(row(result.stdout, `log group /ecs/starmates-ai-team-prod/${service}`)?.[1]).toBe('not deployed');
    }
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.slice(1, 2)).toEqual(['not deployed']);
    expect(result.stdout).toMatch(/\n0 passed, 1 failed, 6 not deployed yet\n$/);
  });

  test('before the deploy, a stored token is all that is required', async () => {
    empty();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token()] });
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(0);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'pass',
      'SecureString, version 2, key alias/aws/ssm',
    ]);
  });

  test('--after-deploy turns what the deploy creates into failures with the deploy command', async () => {
    deployed();
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/ecs/starmates-ai-team-prod/api-gateway' }] });
    logs
      .on(DescribeQueryDefinitionsCommand)
      .resolves({ queryDefinitions: [{ name: 'starmates-ai-team/prod/User activity' }] });
    const result = await obsctl(['doctor', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'log group /ecs/starmates-ai-team-prod/workflow-agent')).toEqual([
      'log group /ecs/starmates-ai-team-prod/workflow-agent',
      'fail',
      'missing',
      'npx cdk deploy -c env=prod --all',
    ]);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.[2]).toMatch(
      /^9 of 10 missing: Tracking ID correlation, /,
    );
  });

  test('a token stored as a String fails with the commands that recreate it', async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token({ Type: 'String', KeyId: undefined }), config()] });
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'is a String; the token must be a SecureString',
      `aws ssm delete-parameter --name ${TOKEN_NAME} --region eu-west-1 && obsctl credentials put --env prod < token.txt`,
    ]);
  });

  test('a config parameter that differs from the profile names the keys', async () => {
    deployed();
    const stale = { ...JSON.parse(configValue), instanceId: '999' };
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'String', Value: JSON.stringify(stale), Version: 1 } });
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1)).toEqual([
      'fail',
      'differs from the profile: instanceId: parameter has "999", profile has "123456"',
      'npx cdk deploy -c env=prod --all',
    ]);
  });

  test('a config parameter that is not JSON, or not a String, fails', async () => {
    deployed();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'String', Value: 'instanceId=123456', Version: 1 } });
    let result = await obsctl(['doctor', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1, 3)).toEqual(['fail', 'is not a JSON object']);
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token(), config({ Type: 'SecureString' })] });
    result = await obsctl(['doctor', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1, 3)).toEqual([
      'fail',
      'is a SecureString; the config must be a String',
    ]);
    expect(result.code).toBe(1);
  });

  test('a token under another KMS key than the profile allows fails with the rotate command', async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token({ KeyId: 'alias/someone-elses' }), config()] });
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'encrypted with alias/someone-elses, but the profile names no parameterKeyArn: tasks get no kms:Decrypt on that key',
      'obsctl credentials put --env prod --rotate < token.txt',
    ]);
  });

  test('parameters of another account mean the wrong credentials', async () => {
    deployed();
    ssm
      .on(DescribeParametersCommand)
      .resolves({ Parameters: [token({ ARN: arn(TOKEN_NAME, '111111111111') }), config()] });
    const result = await obsctl(['doctor', '--env', 'prod', '--profile', 'prod-admin']);
    expect(result.clientOptions).toEqual([{ region: 'eu-west-1', awsProfile: 'prod-admin' }]);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'found in account 111111111111, but environment prod is account 333333333333',
      'use credentials of account 333333333333 (--profile <name>)',
    ]);
  });

  test('suggested commands carry --profile and a non-default --config', async () => {
    empty();
    const directory = mkdtempSync(join(tmpdir(), 'obsctl-doctor-'));
    try {
      const config = join(directory, 'cdk.json');
      copyFileSync(`${REPO_ROOT}/cdk.json`, config);
      const result = await obsctl(['doctor', '--env', 'prod', '--profile', 'prod-admin', '--config', config]);
      expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[3]).toBe(
        `obsctl credentials put --env prod --config ${config} --profile prod-admin < token.txt`,
      );
      expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.[3]).toBe(
        'npx cdk deploy -c env=prod --all --profile prod-admin',
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('the default cdk.json, however it is written, is not repeated in suggestions', async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod', '--config', `${REPO_ROOT}/cdk.json`]);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[3]).toBe('obsctl credentials put --env prod < token.txt');
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.[2]).toBe('none of the 10 exists');
  });
});
