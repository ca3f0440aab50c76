/**
 * `obsctl credentials put-webhook`: stores the on-call tool's webhook URL (or, with `--heartbeat`,
 * its heartbeat URL) as the Secrets Manager secret the profile names. The URLs carry the tool's
 * token, so they are read like the Grafana token: from standard input, checked, never printed.
 * The platform stack's SNS subscriptions read them at deploy through a dynamic reference.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { awsCall, CliError, isAwsError } from '../errors';
import { cdkDeployCommand } from '../fixes';
import type { RunContext } from './context';

/** Which of the profile's notification secrets: `notifications.<kind>.secretsManagerSecretName`. */
export type WebhookKind = 'onCallWebhook' | 'heartbeat';

export const WEBHOOK_WORDS: Readonly<Record<WebhookKind, string>> = {
  onCallWebhook: 'on-call webhook URL',
  heartbeat: 'on-call heartbeat URL',
};

/**
 * What is wrong with a webhook URL, or undefined when SNS can deliver to it over HTTPS. Never
 * quotes the URL: its path holds the token.
 */
export function webhookUrlProblem(url: string): string | undefined {
  if (/\s/.test(url)) return 'the URL contains whitespace (a line break or space inside it)';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol !== 'https:') return 'the URL does not start with https:// (the subscription is HTTPS)';
  // WHATWG URL reads `https:///hook/t0ken` as host "hook": a host without a dot is a paste error, since
  // SNS delivers only to public endpoints.
  if (!parsed.hostname.includes('.')) return 'the URL has no domain name as its host';
  return undefined;
}

export interface WebhookPutResult {
  readonly kind: WebhookKind;
  readonly secretName: string;
  readonly versionId?: string;
}

export async function putWebhook(
  run: RunContext,
  options: { readonly kind: WebhookKind; readonly url: string },
): Promise<WebhookPutResult> {
  const { kind } = options;
  const secretName = run.profile.notifications[kind].secretsManagerSecretName;
  const field = `environments.${run.environmentName}.notifications.${kind}.secretsManagerSecretName`;
  let output: { ARN?: string; VersionId?: string };
  try {
    output = await awsCall('secretsmanager:CreateSecret', () =>
      run.clients.secretsManager.send(
        new CreateSecretCommand({
          Name: secretName,
          SecretString: options.url,
          Description: `${WEBHOOK_WORDS[kind]} of ${run.profile.project} ${run.environmentName} (obsctl credentials put-webhook)`,
        }),
      ),
    );
  } catch (error) {
    // No overwrite: CloudFormation compares the reference, not the value, so a new value in the
    // same secret would not reach SNS until the subscription is replaced (README, Alerting).
    if (isAwsError(error, 'ResourceExistsException')) {
      throw new CliError(
        `${secretName} already exists; nothing was written. CloudFormation reads the URL only when it creates the ` +
          `subscription: to change it, store the new URL under a new secret name, put that name in ${field}, run this ` +
          `again and deploy: ${cdkDeployCommand(run.command)}`,
        'already-exists',
      );
    }
    throw error;
  }
  const account = output.ARN?.split(':')[4];
  if (account !== undefined && account !== run.profile.account) {
    throw new CliError(
      `Wrong AWS account: ${secretName} was created in account ${account}, but environment ${run.environmentName} is ` +
        `account ${run.profile.account}. Delete it there (aws secretsmanager delete-secret --secret-id ${secretName} ` +
        '--force-delete-without-recovery) and run this again with credentials for the right account (--profile).',
      'wrong-account',
    );
  }
  return { kind, secretName, ...(output.VersionId === undefined ? {} : { versionId: output.VersionId }) };
}

/** The report of `credentials put-webhook`: the secret's name and version, never the URL. */
export function formatWebhookResult(run: RunContext, result: WebhookPutResult): string {
  return (
    `Stored the ${WEBHOOK_WORDS[result.kind]}: Secrets Manager secret ${result.secretName}, version ` +
    `${result.versionId ?? 'unknown'}.\nThe platform stack's subscription reads it at deploy: ${cdkDeployCommand(run.command)}\n`
  );
}
