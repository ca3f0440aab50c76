/**
 * The doctor's check of the on-call webhook and heartbeat secrets. CloudFormation resolves them
 * when it creates the platform stack's SNS subscriptions, so before the first deploy they must
 * exist, in the environment's account, not scheduled for deletion, and hold an HTTPS URL SNS can
 * deliver to. The URL is read to check its shape and never printed: its path carries the token.
 */
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { awsCall, isAwsError } from '../errors';
import { credentialsPutWebhookCommand } from '../fixes';
import { accountProblem, type RunContext } from './context';
import type { DoctorCheck } from './doctor';
import { WEBHOOK_WORDS, type WebhookKind, webhookUrlProblem } from './webhook';

const KINDS: readonly WebhookKind[] = ['onCallWebhook', 'heartbeat'];

export async function webhookSecretChecks(run: RunContext): Promise<DoctorCheck[]> {
  return Promise.all(KINDS.map((kind) => webhookSecretCheck(run, kind)));
}

async function webhookSecretCheck(run: RunContext, kind: WebhookKind): Promise<DoctorCheck> {
  const secretName = run.profile.notifications[kind].secretsManagerSecretName;
  const check = `secret ${secretName}`;
  const putFix = credentialsPutWebhookCommand(run.command, kind === 'heartbeat');
  const fail = (detail: string, fix: string): DoctorCheck => ({ check, result: 'fail', detail, fix });
  const unusable = `the platform stack's ${kind === 'heartbeat' ? 'heartbeat' : 'on-call'} subscription cannot deploy`;

  let described: { ARN?: string; DeletedDate?: Date };
  try {
    described = await awsCall('secretsmanager:DescribeSecret', () =>
      run.clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretName })),
    );
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return fail(`missing: ${unusable}`, putFix);
    throw error;
  }
  const wrongAccount = accountProblem(run, described.ARN);
  if (wrongAccount !== undefined) return fail(wrongAccount.detail, wrongAccount.fix);
  if (described.DeletedDate !== undefined) {
    return fail(
      `scheduled for deletion on ${described.DeletedDate.toISOString().slice(0, 10)}: ${unusable}`,
      `aws secretsmanager restore-secret --secret-id ${secretName}`,
    );
  }

  let url: string | undefined;
  try {
    url = (
      await awsCall('secretsmanager:GetSecretValue', () =>
        run.clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretName })),
      )
    ).SecretString;
  } catch (error) {
    // Reading the value is a courtesy; CloudFormation reads it with the deploy role, not these credentials.
    if (isAwsError(error, 'AccessDeniedException')) {
      return { check, result: 'pass', detail: 'exists (its value is not readable with these credentials)' };
    }
    throw error;
  }
  const problem = url === undefined ? 'it holds no SecretString' : webhookUrlProblem(url);
  if (problem !== undefined) {
    return fail(
      `is not a usable ${WEBHOOK_WORDS[kind]}: ${problem}`,
      `store the URL under a new secret name, put that name in environments.${run.environmentName}.notifications.${kind}.secretsManagerSecretName, then ${putFix}`,
    );
  }
  return { check, result: 'pass', detail: `holds an HTTPS ${WEBHOOK_WORDS[kind]}` };
}
