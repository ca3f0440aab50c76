import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { grafanaCloudConfigDocument } from '../../lib/profile/grafana-cloud-config';
import { awsError, EXAMPLE_APP, FAKE_TOKEN, fakeTerminal, obsctl, type RunResult } from './support/harness';
import { ACME_TOKEN_NAME, GLOBEX_TOKEN_NAME, TenantConfigs } from './support/tenant-config';

const ssm = mockClient(SSMClient);
const TOKEN_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key';
const CONFIG_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-config';
const PROD_ACCOUNT = '333333333333';
const KEY_ARN = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const cdkJson = JSON.parse(readFileSync(join(EXAMPLE_APP, 'cdk.json'), 'utf8'));
const prodProfile = cdkJson.context.environments.prod;
const configValue = JSON.stringify(grafanaCloudConfigDocument(prodProfile));

const arn = (name: string, account = PROD_ACCOUNT) => `arn:aws:ssm:eu-west-1:${account}:parameter${name}`;

/** The token, and anything shaped like one, is in no output. */
function expectNoToken(result: RunResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toContain(FAKE_TOKEN.slice(4, 30));
    expect(text).not.toMatch(/glc_[A-Za-z0-9+/=_-]{20,}/);
  }
}

function putCalls() {
  return ssm.commandCalls(PutParameterCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  ssm.reset();
  ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  ssm.on(PutParameterCommand).resolves({ Version: 1, Tier: 'Standard' });
});

describe('obsctl credentials put', () => {
  test('stores a new token as a SecureString read from stdin, and prints its name and version only', async () => {
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: `${FAKE_TOKEN}\n` });
    expect(result.code).toBe(0);
    expect(putCalls()).toEqual([
      {
        Name: TOKEN_NAME,
        Value: FAKE_TOKEN,
        Type: 'SecureString',
        Description: 'Grafana Cloud access-policy token of starmates-ai-team prod (obsctl credentials put)',
        Overwrite: false,
        Tier: 'Standard',
        DataType: 'text',
      },
    ]);
    expect(result.stdout).toBe(
      `Stored the Grafana Cloud token: SecureString ${TOKEN_NAME}, version 1, KMS key alias/aws/ssm.\n` +
        `Config ${CONFIG_NAME}: not deployed yet; the platform stack creates it: npx cdk deploy -c env=prod --all\n`,
    );
    expect(result.stderr).toBe('');
    expect(result.clientOptions).toEqual([{ region: 'eu-west-1' }]);
    expectNoToken(result);
  });

  test('refuses to overwrite an existing token without --rotate, in one line that says how', async () => {
    ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists', 'The parameter already exists.'));
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: TOKEN_NAME, Type: 'SecureString', Version: 3, ARN: arn(TOKEN_NAME) }],
    });
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `${TOKEN_NAME} already exists (version 3); nothing was written. To replace the token pass --rotate: ` +
        'obsctl credentials put --env prod --rotate < token.txt\n',
    );
    expect(putCalls()).toHaveLength(1);
    expectNoToken(result);
  });

  test('--rotate overwrites the token, leaves an unchanged config alone and says how to restart the tasks', async () => {
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [
        { Name: TOKEN_NAME, Type: 'SecureString', Version: 3, ARN: arn(TOKEN_NAME) },
        { Name: CONFIG_NAME, Type: 'String', Version: 1, ARN: arn(CONFIG_NAME) },
      ],
    });
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Name: CONFIG_NAME, Type: 'String', Value: configValue, Version: 1 } });
    ssm.on(PutParameterCommand).resolves({ Version: 4 });
    const result = await obsctl(['credentials', 'put', '--env', 'prod', '--rotate'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(0);
    expect(putCalls()).toEqual([expect.objectContaining({ Name: TOKEN_NAME, Overwrite: true, Type: 'SecureString' })]);
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({
      Name: CONFIG_NAME,
      WithDecryption: false,
    });
    expect(result.stdout).toMatchSnapshot();
    expectNoToken(result);
  });

  test('updates a config parameter that differs from the profile', async () => {
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: CONFIG_NAME, Type: 'String', Version: 1, ARN: arn(CONFIG_NAME) }],
    });
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Name: CONFIG_NAME, Type: 'String', Value: '{"instanceId":"1"}', Version: 1 },
    });
    ssm.on(PutParameterCommand, { Name: CONFIG_NAME }).resolves({ Version: 2 });
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(0);
    expect(putCalls()[1]).toEqual(
      expect.objectContaining({ Name: CONFIG_NAME, Type: 'String', Overwrite: true, Value: configValue }),
    );
    expect(result.stdout).toContain(`Config ${CONFIG_NAME}: updated to match the profile (version 2).`);
    expectNoToken(result);
  });

  test.each([
    [
      'not-a-token',
      'the token does not start with "glc_": use a Grafana Cloud access-policy token (Administration > Access policies)',
    ],
    ['glc_short', 'the token is too short (9 characters; a token has at least 36), so it may have been cut off'],
    [`${FAKE_TOKEN} trailing words`, 'the token contains whitespace (a line break or space inside it)'],
  ])('a token of the wrong shape is refused before any AWS call (%#)', async (input, problem) => {
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: input });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`Refusing to store it: ${problem}.\n`);
    expect(ssm.calls()).toHaveLength(0);
    expect(result.stderr).not.toContain(input);
    expectNoToken(result);
  });

  test('on a terminal the token is prompted for with echo off, and never shown', async () => {
    const terminal = fakeTerminal(`${FAKE_TOKEN}\r`);
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdinStream: terminal });
    expect(result.code).toBe(0);
    expect(terminal.rawModes).toEqual([true, false]);
    expect(result.stderr).toBe('Grafana Cloud token (input hidden, Enter to finish): \n');
    expect(putCalls()[0]).toEqual(expect.objectContaining({ Value: FAKE_TOKEN }));
    expectNoToken(result);
  });

  test('Ctrl-C at the prompt stores nothing', async () => {
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], {
      stdinStream: fakeTerminal('glc_abc\u0003'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Grafana Cloud token (input hidden, Enter to finish): \nCancelled: no token was stored.\n',
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  test('empty standard input says how to pass the token', async () => {
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: '\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'No token on standard input. Pipe it in: obsctl credentials put --env prod < token.txt\n',
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  test("passes the profile's KMS key as KeyId and names it", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'obsctl-'));
    try {
      const withKey = structuredClone(cdkJson);
      withKey.context.environments.prod.grafanaCloud.parameterKeyArn = KEY_ARN;
      const config = join(directory, 'cdk.json');
      writeFileSync(config, JSON.stringify(withKey));
      const result = await obsctl(['--config', config, 'credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
      expect(result.code).toBe(0);
      expect(putCalls()[0]).toEqual(expect.objectContaining({ KeyId: KEY_ARN, Type: 'SecureString' }));
      expect(result.stdout).toContain(`KMS key ${KEY_ARN}.`);
      expectNoToken(result);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('refuses to write into another account than the profile names', async () => {
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: CONFIG_NAME, Type: 'String', Version: 1, ARN: arn(CONFIG_NAME, '111111111111') }],
    });
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^Wrong AWS account: .* is in account 111111111111, but environment prod is account 333333333333\. Nothing was written/,
    );
    expect(putCalls()).toHaveLength(0);
  });

  test('an AWS error that echoes the token is redacted', async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(awsError('ValidationException', `Value '${FAKE_TOKEN}' at 'value' failed to satisfy constraint`));
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      "ssm:PutParameter failed: ValidationException: Value '[REDACTED]' at 'value' failed to satisfy constraint (request id req-1)\n",
    );
    expectNoToken(result);
  });

  test('access denied names the action to grant', async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:iam::333333333333:user/ops is not authorized to perform: ssm:PutParameter on resource: ${arn(TOKEN_NAME)} because no identity-based policy allows the ssm:PutParameter action`,
        ),
      );
    const result = await obsctl(['credentials', 'put', '--env', 'prod'], { stdin: FAKE_TOKEN });
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(
      /^Access denied: the caller may not ssm:PutParameter on arn:aws:ssm:eu-west-1:333333333333:parameter\/starmates-ai-team\/prod\/monitoring\/grafana-cloud-api-key\. Grant ssm:PutParameter or use another --profile\./,
    );
    expectNoToken(result);
  });
});

describe('obsctl credentials put --tenant', () => {
  const configs = new TenantConfigs();
  afterAll(() => configs.remove());
  const restart = (service: string) =>
    `  aws ecs update-service --cluster starmates-ai-team-prod --service ${service} --force-new-deployment --region eu-west-1 --no-cli-pager`;

  test("stores the tenant's token under the tenant's parameter and key, and leaves the platform's config alone", async () => {
    const config = configs.write((environments) => {
      environments.prod.tenants.globex.grafanaCloud.parameterKeyArn = KEY_ARN;
    });
    const result = await obsctl(['--config', config, 'credentials', 'put', '--env', 'prod', '--tenant', 'globex'], {
      stdin: `${FAKE_TOKEN}\n`,
    });
    expect(result.code).toBe(0);
    expect(ssm.commandCalls(DescribeParametersCommand)[0].args[0].input.ParameterFilters).toEqual([
      { Key: 'Name', Option: 'Equals', Values: [GLOBEX_TOKEN_NAME] },
    ]);
    expect(putCalls()).toEqual([
      {
        Name: GLOBEX_TOKEN_NAME,
        Value: FAKE_TOKEN,
        Type: 'SecureString',
        Description:
          'Grafana Cloud access-policy token of tenant globex of starmates-ai-team prod (obsctl credentials put --tenant globex)',
        Overwrite: false,
        Tier: 'Standard',
        DataType: 'text',
        KeyId: KEY_ARN,
      },
    ]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(result.stdout).toBe(
      `Stored tenant globex's Grafana Cloud token: SecureString ${GLOBEX_TOKEN_NAME}, version 1, KMS key ${KEY_ARN}.\n`,
    );
    expectNoToken(result);
  });

  test('an undeclared tenant is refused before the token is read, naming the declared ones and the nearest', async () => {
    const config = configs.write();
    const result = await obsctl(['--config', config, 'credentials', 'put', '--env', 'prod', '--tenant', 'acme-crop'], {
      stdinStream: fakeTerminal(`${FAKE_TOKEN}\r`),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '--tenant acme-crop: environment prod declares no tenant "acme-crop". Did you mean "acme-corp"? ' +
        'Declared tenants: acme-corp, globex\n',
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  test('--tenant in an environment without tenants says that none is declared', async () => {
    const result = await obsctl(['credentials', 'put', '--env', 'prod', '--tenant', 'acme-corp'], {
      stdin: FAKE_TOKEN,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '--tenant acme-corp: environment prod declares no tenants (environments.prod.tenants). ' +
        "Declare the tenant's Grafana Cloud stack there, or leave out --tenant to store the platform's token\n",
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  test('an existing tenant token is not overwritten without --rotate, and the hint keeps --tenant', async () => {
    ssm.on(PutParameterCommand).rejects(awsError('ParameterAlreadyExists', 'The parameter already exists.'));
    const config = configs.write();
    const result = await obsctl(['credentials', 'put', '--env', 'prod', '--tenant', 'acme-corp', '--config', config], {
      stdin: FAKE_TOKEN,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${ACME_TOKEN_NAME} already exists; nothing was written. To replace the token pass --rotate: ` +
        `obsctl credentials put --env prod --tenant acme-corp --rotate --config ${config} < token.txt\n`,
    );
    expectNoToken(result);
  });

  test("rotating a tenant's token restarts the tenant's services and the gateway, not the platform's", async () => {
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: ACME_TOKEN_NAME, Type: 'SecureString', Version: 1, ARN: arn(ACME_TOKEN_NAME) }],
    });
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    const config = configs.write();
    const result = await obsctl(
      ['--config', config, 'credentials', 'put', '--env', 'prod', '--tenant', 'acme-corp', '--rotate'],
      { stdin: FAKE_TOKEN },
    );
    expect(result.code).toBe(0);
    expect(putCalls()).toEqual([expect.objectContaining({ Name: ACME_TOKEN_NAME, Overwrite: true })]);
    expect(result.stdout).toMatchSnapshot();
    expectNoToken(result);
  });

  test("rotating the platform's token restarts the platform's services and the gateway, not a tenant's", async () => {
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: TOKEN_NAME, Type: 'SecureString', Version: 3, ARN: arn(TOKEN_NAME) }],
    });
    const config = configs.write();
    const result = await obsctl(['--config', config, 'credentials', 'put', '--env', 'prod', '--rotate'], {
      stdin: FAKE_TOKEN,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('  aws ecs'))).toEqual(
      ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler', 'otel-gateway'].map(restart),
    );
  });

  test('on a terminal the prompt names the tenant whose token it asks for', async () => {
    const config = configs.write();
    const result = await obsctl(['--config', config, 'credentials', 'put', '--env', 'prod', '--tenant', 'globex'], {
      stdinStream: fakeTerminal(`${FAKE_TOKEN}\r`),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('Grafana Cloud token of tenant globex (input hidden, Enter to finish): \n');
    expectNoToken(result);
  });
});
