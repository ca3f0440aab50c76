import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { webhookUrlProblem } from '../../lib/cli/commands/webhook';
import { awsError, obsctl, type RunResult } from './support/harness';

const secretsManager = mockClient(SecretsManagerClient);
// A URL in the shape on-call tools issue: its path is the token.
const URL = 'https://oncall-fixture.example.net/integrations/v1/amazon_sns/zq7CliT0k3nW2v8x4/';
const TOKEN = 'zq7CliT0k3nW2v8x4';
const WEBHOOK_SECRET = '/starmates-ai-team/prod/monitoring/oncall-webhook-url';
const HEARTBEAT_SECRET = '/starmates-ai-team/prod/monitoring/oncall-heartbeat-url';
const secretArn = (name: string, account = '333333333333') =>
  `arn:aws:secretsmanager:eu-west-1:${account}:secret:${name}-AbCdEf`;

function createCalls() {
  return secretsManager.commandCalls(CreateSecretCommand).map((call) => call.args[0].input);
}

/** Neither the URL nor its token is in any output. */
function printed(result: RunResult): string[] {
  return [URL, TOKEN].filter((secret) => result.stdout.includes(secret) || result.stderr.includes(secret));
}

beforeEach(() => {
  secretsManager.reset();
  secretsManager.on(CreateSecretCommand).callsFake((input: { Name: string }) => ({
    ARN: secretArn(input.Name),
    Name: input.Name,
    VersionId: '11111111-2222-3333-4444-555555555555',
  }));
});

describe('obsctl credentials put-webhook', () => {
  test('stores the webhook URL from stdin as the secret the profile names, and prints its name only', async () => {
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod'], { stdin: `${URL}\n` });
    expect(result.code).toBe(0);
    expect(createCalls()).toEqual([
      {
        Name: WEBHOOK_SECRET,
        SecretString: URL,
        Description: 'on-call webhook URL of starmates-ai-team prod (obsctl credentials put-webhook)',
      },
    ]);
    expect(result.stdout).toBe(
      `Stored the on-call webhook URL: Secrets Manager secret ${WEBHOOK_SECRET}, version ` +
        '11111111-2222-3333-4444-555555555555.\n' +
        "The platform stack's subscription reads it at deploy: npx cdk deploy -c env=prod --all\n",
    );
    expect(printed(result)).toEqual([]);
  });

  test('--heartbeat stores the heartbeat URL in its own secret', async () => {
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod', '--heartbeat'], { stdin: URL });
    expect(result.code).toBe(0);
    expect(createCalls().map((input) => input.Name)).toEqual([HEARTBEAT_SECRET]);
  });

  test('an existing secret is never overwritten, and the message says how to change the URL', async () => {
    secretsManager.on(CreateSecretCommand).rejects(awsError('ResourceExistsException'));
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod'], { stdin: URL });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${WEBHOOK_SECRET} already exists; nothing was written. CloudFormation reads the URL only when it creates the ` +
        'subscription: to change it, store the new URL under a new secret name, put that name in ' +
        'environments.prod.notifications.onCallWebhook.secretsManagerSecretName, run this again and deploy: ' +
        'npx cdk deploy -c env=prod --all\n',
    );
    expect(printed(result)).toEqual([]);
  });

  test('a secret created in another account than the profile names is reported with the clean-up', async () => {
    secretsManager.on(CreateSecretCommand).resolves({ ARN: secretArn(WEBHOOK_SECRET, '111111111111') });
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod'], { stdin: URL });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^Wrong AWS account: .* was created in account 111111111111, but environment prod is account 333333333333\. Delete it there \(aws secretsmanager delete-secret/,
    );
  });

  test('a URL that is not HTTPS is refused before any AWS call, without printing it', async () => {
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod'], {
      stdin: URL.replace('https:', 'http:'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Refusing to store it: the URL does not start with https:// (the subscription is HTTPS).\n',
    );
    expect(createCalls()).toEqual([]);
  });

  test('empty input says how to pipe the URL in', async () => {
    const result = await obsctl(['credentials', 'put-webhook', '--env', 'prod', '--heartbeat'], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'No URL on standard input. Pipe it in: obsctl credentials put-webhook --env prod --heartbeat < heartbeat-url.txt\n',
    );
  });
});

describe('the webhook URL check', () => {
  test.each([
    ['https://oncall.example.net/hook/t0ken', undefined],
    ['http://oncall.example.net/hook/t0ken', 'the URL does not start with https:// (the subscription is HTTPS)'],
    ['https:///hook/t0ken', 'the URL has no domain name as its host'],
    ['https://', 'it is not a URL'],
    ['oncall.example.net/hook', 'it is not a URL'],
    ['https://oncall.example.net/hook/t0ken\nsecond', 'the URL contains whitespace (a line break or space inside it)'],
  ])('%j: %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});
