import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsCallError, CliError, describeError } from '../../lib/cli/errors';
import { ERROR_CODES } from '../../lib/cli/exit-codes';
import { loadEnvironmentProfiles, type ProfileError } from '../../lib/profile-loader/load';
import { awsError, EXAMPLE_APP, obsctl } from './support/harness';

const ssm = mockClient(SSMClient);
const logs = mockClient(CloudWatchLogsClient);
const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const cdkJson = JSON.parse(readFileSync(join(EXAMPLE_APP, 'cdk.json'), 'utf8'));

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
    expect(describeError(error)).toEqual({
      code: 'unexpected',
      lines: ['obsctl: unexpected error: x is undefined'],
      exitCode: 4,
    });
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
    expect(result.stderr).toBe('--env qa: no environment "qa" in cdk.json. Environments: dev, staging, prod\n');
  });

  test.each([
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
      '  0  success\n  1  a check failed, nothing was found, or an overwrite was refused\n',
    );
    expect(result.stdout).toContain(`       unknown-environment   ${ERROR_CODES['unknown-environment'].meaning}\n`);
  });

  test.each([
    [[]],
    [['doctor']],
    [['trace']],
    [['query']],
    [['query', 'list']],
    [['credentials', 'put']],
    [['credentials', 'put-webhook']],
  ])('the help of %j fits 80 columns when piped', async (command) => {
    const result = await obsctl([...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
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

describe('choosing the environment', () => {
  test('a mistyped --env gets the nearest environment and the list', async () => {
    const result = await obsctl(['doctor', '--env', 'prd']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '--env prd: no environment "prd" in cdk.json. Did you mean "prod"? Environments: dev, staging, prod\n',
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  test('OBSCTL_ENV names the environment when --env is not given', async () => {
    ssm.on(DescribeParametersCommand).rejects(awsError('AccessDeniedException'));
    const result = await obsctl(['doctor'], { variables: { OBSCTL_ENV: 'staging' } });
    expect(result.code).toBe(3);
    expect(result.clientOptions).toEqual([{ region: cdkJson.context.environments.staging.region }]);
    expect(ssm.commandCalls(DescribeParametersCommand)[0].args[0].input.ParameterFilters?.[0].Values?.[0]).toContain(
      '/staging/',
    );
  });

  test('--env wins over OBSCTL_ENV', async () => {
    ssm.on(DescribeParametersCommand).rejects(awsError('AccessDeniedException'));
    await obsctl(['doctor', '--env', 'prod'], { variables: { OBSCTL_ENV: 'staging' } });
    expect(ssm.commandCalls(DescribeParametersCommand)[0].args[0].input.ParameterFilters?.[0].Values?.[0]).toContain(
      '/prod/',
    );
  });

  test('a mistyped OBSCTL_ENV is named as such', async () => {
    const result = await obsctl(['doctor'], { variables: { OBSCTL_ENV: 'stagin' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'OBSCTL_ENV=stagin: no environment "stagin" in cdk.json. Did you mean "staging"? Environments: dev, staging, prod\n',
    );
  });

  test('the only environment of a cdk.json needs no --env', async () => {
    const single = structuredClone(cdkJson);
    single.context.environments = { prod: cdkJson.context.environments.prod };
    ssm.on(DescribeParametersCommand).rejects(awsError('AccessDeniedException'));
    const result = await obsctl(['--config', writeConfig('single.json', JSON.stringify(single)), 'doctor']);
    expect(result.code).toBe(3);
    expect(ssm.calls()).toHaveLength(1);
  });

  test('without --env or OBSCTL_ENV, several environments are a usage error that lists them', async () => {
    const result = await obsctl(['doctor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Which environment? cdk.json has dev, staging, prod: pass --env <name> or set OBSCTL_ENV\n',
    );
  });
});

describe('--json: every error is one JSON object on stdout with a stable code, nothing on stderr', () => {
  test.each([
    [['doctor', '--env', 'prd', '--json'], 'unknown-environment', 2],
    [['doctor', '--json'], 'no-environment', 2],
    [['trace', ID, '--env', 'prod', '--since', '1y', '--json'], 'invalid-argument', 2],
    [['trace', 'abc', '--env', 'prod', '--json'], 'invalid-argument', 2],
    [['trace', '--json'], 'usage', 2],
    [['doctor', '--env', 'prod', '--jsno', '--json'], 'usage', 2],
    [['doctr', '--json'], 'usage', 2],
    [['query', 'Top eror types', '--env', 'prod', '--json'], 'unknown-query', 2],
  ])('%j: %s', async (args, code, exitCode) => {
    const result = await obsctl(args);
    expect(result.code).toBe(exitCode);
    expect(result.stderr).toBe('');
    const { error } = JSON.parse(result.stdout);
    expect(error).toEqual({ code, message: expect.any(String), exitCode });
    expect(error.message).not.toMatch(/^error: /);
    expect(ERROR_CODES[code as keyof typeof ERROR_CODES].exit).toBe(exitCode);
  });

  test("commander's suggestion is part of the one-line message", async () => {
    const result = await obsctl(['doctr', '--json']);
    expect(JSON.parse(result.stdout).error.message).toBe("unknown command 'doctr' (Did you mean doctor?)");
  });

  test('an AWS error has its code', async () => {
    ssm.on(DescribeParametersCommand).rejects(awsError('ExpiredTokenException', 'expired'));
    const result = await obsctl(['doctor', '--env', 'prod', '--json']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).error).toEqual({
      code: 'credentials-rejected',
      message:
        'AWS rejected the credentials for ssm:DescribeParameters (ExpiredTokenException): sign in again. (expired)',
      exitCode: 3,
    });
  });

  test("an invalid profile's problems are its details", async () => {
    const broken = structuredClone(cdkJson);
    delete broken.context.environments.prod.grafanaCloud.instanceId;
    const result = await obsctl([
      '--config',
      writeConfig('broken-json.json', JSON.stringify(broken)),
      'doctor',
      '--json',
    ]);
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('invalid-profile');
    expect(error.details).toEqual([expect.stringContaining('instanceId')]);
  });

  test('every error code has a meaning and a non-zero exit code', () => {
    const incomplete = Object.entries(ERROR_CODES).filter(
      ([, definition]) => definition.meaning.length === 0 || ![1, 2, 3, 4].includes(definition.exit),
    );
    expect(incomplete).toEqual([]);
  });

  test('CliError takes its exit code from its error code', () => {
    expect(new CliError('x', 'wrong-account').exitCode).toBe(3);
    expect(new CliError('x', 2).code).toBe('usage');
  });
});
