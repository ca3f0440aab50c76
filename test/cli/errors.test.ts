import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallError, CliError, describeError } from '../../lib/cli/errors';
import { loadEnvironmentProfiles, type ProfileError } from '../../lib/profile/load';
import { awsError, obsctl, REPO_ROOT } from './support/harness';

const ssm = mockClient(SSMClient);
const logs = mockClient(CloudWatchLogsClient);
const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'obsctl-errors-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
beforeEach(() => {
  ssm.reset();
  logs.reset();
});

function writeConfig(name: string, content: string): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

describe('AWS errors become one line and an exit code', () => {
  test.each([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      3,
      'No AWS credentials for ssm:DescribeParameters: pass --profile <name>, set AWS_PROFILE, or sign in (aws sso login). (Could not load credentials from any providers)',
    ],
    [
      'expired credentials',
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
      3,
      'AWS rejected the credentials for ssm:DescribeParameters (ExpiredTokenException): sign in again. (The security token included in the request is expired)',
    ],
    [
      'access denied without details',
      awsError('AccessDeniedException', 'Access denied'),
      3,
      'Access denied: the caller may not ssm:DescribeParameters. Grant ssm:DescribeParameters or use another --profile. (Access denied)',
    ],
    [
      'throttling after the retries',
      awsError('ThrottlingException', 'Rate exceeded'),
      4,
      "AWS throttled ssm:DescribeParameters even after the SDK's retries: wait a minute and try again. (Rate exceeded)",
    ],
    [
      'a network error',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      4,
      'Cannot reach the AWS endpoint for ssm:DescribeParameters (ECONNREFUSED): check the region, --endpoint-url and the network.',
    ],
    [
      'a service error',
      awsError('InternalServerError', 'Something broke\n    at stack frame'),
      4,
      'ssm:DescribeParameters failed: InternalServerError: Something broke (request id req-1)',
    ],
    [
      'a parameter not found',
      awsError('ParameterNotFound', ''),
      1,
      'SSM parameter not found (ssm:DescribeParameters). (ParameterNotFound)',
    ],
  ])('%s', async (_name, error, code, line) => {
    ssm.on(DescribeParametersCommand).rejects(error);
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });

  test('access denied on a Logs call names the logs action from the message', async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/ecs/starmates-ai-team-prod/api-gateway' }] });
    logs
      .on(StartQueryCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User: arn:aws:sts::333333333333:assumed-role/ReadOnly/me is not authorized to perform: logs:StartQuery on resource: arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/starmates-ai-team-prod/api-gateway:*',
        ),
      );
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^Access denied: the caller may not logs:StartQuery on arn:aws:logs:eu-west-1:333333333333:log-group:\/ecs\/starmates-ai-team-prod\/api-gateway:\*\. Grant logs:StartQuery/,
    );
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('describeError never returns a stack trace for unexpected errors', () => {
    const error = new TypeError('x is undefined');
    expect(describeError(error)).toEqual({ lines: ['obsctl: unexpected error: x is undefined'], exitCode: 4 });
    expect(describeError(new CliError('two\nlines', 1)).lines).toEqual(['two', 'lines']);
    expect(describeError(new AwsCallError('logs:StopQuery', 'a string')).lines).toEqual([
      'logs:StopQuery failed: Error: a string',
    ]);
  });
});

describe('usage and profile errors exit 2', () => {
  test('an invalid profile prints the same lines as the CDK app', async () => {
    const broken = structuredClone(cdkJson);
    delete broken.context.environments.prod.grafanaCloud.instanceId;
    broken.context.environments.dev.logRetentionDays = 31;
    const config = writeConfig('broken.json', JSON.stringify(broken));
    const result = await obsctl(['--config', config, 'doctor', '--env', 'prod']);
    expect(result.code).toBe(2);
    let expected = '';
    try {
      loadEnvironmentProfiles(broken.context.environments, { source: config });
    } catch (error) {
      expected = (error as ProfileError).message;
    }
    expect(expected).toMatch(/^Invalid environment profiles in .*broken\.json \(environments\):\n {2}- /);
    expect(result.stderr).toBe(`${expected}\n`);
    expect(ssm.calls()).toHaveLength(0);
  });

  test('the default cdk.json is named as the CDK app names it', async () => {
    const result = await obsctl(['doctor', '--env', 'qa']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('--env qa: no environment "qa" in cdk.json. Known environments: dev, staging, prod\n');
  });

  test.each([
    [['doctor'], "error: required option '--env <env>' not specified\n"],
    [['deploy'], "error: unknown command 'deploy'\n"],
    [
      ['trace', ID, '--env', 'prod', '--since', '1y'],
      expect.stringContaining("option '--since <duration>' argument '1y' is invalid"),
    ],
    [['--endpoint-url', 'localhost:4566', 'doctor', '--env', 'prod'], expect.stringContaining('is not an http(s) URL')],
  ])('%j', async (args, stderr) => {
    const result = await obsctl(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toEqual(stderr);
  });

  test('a missing or broken config file is one line', async () => {
    const missing = await obsctl(['--config', join(directory, 'nope.json'), 'doctor', '--env', 'prod']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /nope\.json: cannot read it \(ENOENT\)\. Run obsctl from the directory of cdk\.json or pass --config <path>\n$/,
    );
    const invalid = await obsctl(['--config', writeConfig('bad.json', '{ "context": '), 'doctor', '--env', 'prod']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/bad\.json: not valid JSON \(.*\)\n$/);
  });

  test('--help documents the exit codes and exits 0', async () => {
    const result = await obsctl(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Exit codes:\n  0  success\n  1  a check failed, nothing was found, or an overwrite was refused\n  2  usage error',
    );
  });

  test('--region overrides the profile and is noted', async () => {
    ssm.on(DescribeParametersCommand).rejects(awsError('AccessDeniedException'));
    const result = await obsctl([
      '--region',
      'us-east-1',
      'doctor',
      '--env',
      'prod',
      '--endpoint-url',
      'http://127.0.0.1:4566',
    ]);
    expect(result.clientOptions).toEqual([{ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:4566' }]);
    expect(result.stderr.split('\n')[0]).toBe(
      'note: --region us-east-1 is not the region of prod in the profile (eu-west-1)',
    );
  });
});
