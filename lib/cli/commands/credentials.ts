/**
 * `obsctl credentials put`: stores the Grafana Cloud token as the SecureString parameter the
 * collector sidecars read (CloudFormation cannot create SecureStrings), and brings the non-secret
 * config parameter in line with the profile when the platform stack has created it.
 */
import { clusterName } from '../../naming';
import { grafanaCloudConfigDocument } from '../../profile/grafana-cloud-config';
import { CliError, isAwsError } from '../errors';
import { EXIT } from '../exit-codes';
import { cdkDeployCommand, credentialsPutCommand, forceNewDeploymentCommand } from '../fixes';
import { arnAccount, describeParameters, getStringParameter, putParameter } from '../ssm';
import { instrumentedServices, type RunContext } from './context';

export interface CredentialsPutOptions {
  /** The token; callers have checked its shape. */
  readonly token: string;
  /** Replace an existing token parameter. */
  readonly rotate: boolean;
}

export type ConfigOutcome =
  | { readonly kind: 'unchanged'; readonly version?: number }
  | { readonly kind: 'updated'; readonly version?: number }
  | { readonly kind: 'not-deployed' }
  | { readonly kind: 'wrong-type'; readonly type: string };

export interface CredentialsPutResult {
  readonly tokenParameter: string;
  readonly version?: number;
  readonly rotated: boolean;
  /** `aws/ssm` or the profile's key ARN. */
  readonly key: string;
  readonly configParameter: string;
  readonly config: ConfigOutcome;
}

/** The key SSM uses when PutParameter names none. */
export const DEFAULT_SSM_KEY = 'alias/aws/ssm';

export async function putCredentials(run: RunContext, options: CredentialsPutOptions): Promise<CredentialsPutResult> {
  const { ssm } = run.clients;
  const grafana = run.profile.grafanaCloud;
  const existing = await describeParameters(ssm, [grafana.apiKeyParameterName, grafana.configParameterName]);
  // No STS client here: an existing parameter's ARN is the cheap proof of which account we are in.
  for (const parameter of existing.values()) {
    const account = arnAccount(parameter.arn);
    if (account !== undefined && account !== run.profile.account) {
      throw new CliError(
        `Wrong AWS account: ${parameter.name} is in account ${account}, but environment ${run.environmentName} is account ` +
          `${run.profile.account}. Nothing was written; use credentials for ${run.profile.account} (--profile).`,
        EXIT.auth,
      );
    }
  }

  let version: number | undefined;
  try {
    version = await putParameter(ssm, {
      name: grafana.apiKeyParameterName,
      value: options.token,
      type: 'SecureString',
      description: `Grafana Cloud access-policy token of ${run.profile.project} ${run.environmentName} (obsctl credentials put)`,
      overwrite: options.rotate,
      keyId: grafana.parameterKeyArn,
    });
  } catch (error) {
    if (isAwsError(error, 'ParameterAlreadyExists')) {
      const current = existing.get(grafana.apiKeyParameterName)?.version;
      throw new CliError(
        `${grafana.apiKeyParameterName} already exists${current === undefined ? '' : ` (version ${current})`}; nothing was written. ` +
          `To replace the token pass --rotate: ${credentialsPutCommand(run.command, true)}`,
        EXIT.failed,
      );
    }
    throw error;
  }

  return {
    tokenParameter: grafana.apiKeyParameterName,
    version,
    rotated: options.rotate && existing.has(grafana.apiKeyParameterName),
    key: grafana.parameterKeyArn ?? DEFAULT_SSM_KEY,
    configParameter: grafana.configParameterName,
    config: await syncConfigParameter(run, existing.has(grafana.configParameterName)),
  };
}

/**
 * Updates the config parameter when it exists and differs. It never creates it: the platform stack
 * owns it, and CloudFormation fails to create a parameter whose name is already taken.
 */
async function syncConfigParameter(run: RunContext, exists: boolean): Promise<ConfigOutcome> {
  if (!exists) return { kind: 'not-deployed' };
  const { ssm } = run.clients;
  const name = run.profile.grafanaCloud.configParameterName;
  const current = await getStringParameter(ssm, name);
  if (current === undefined) return { kind: 'not-deployed' };
  if (current.type !== undefined && current.type !== 'String') return { kind: 'wrong-type', type: current.type };
  const wanted = grafanaCloudConfigDocument(run.profile);
  if (sameDocument(current.value, wanted)) return { kind: 'unchanged', version: current.version };
  const version = await putParameter(ssm, {
    name,
    value: JSON.stringify(wanted),
    type: 'String',
    description: `Grafana Cloud settings of ${run.profile.project}-${run.environmentName} (no secret: the token is in ${run.profile.grafanaCloud.apiKeyParameterName})`,
    overwrite: true,
  });
  return { kind: 'updated', version };
}

/** Whether a parameter value is the JSON of `wanted`, whatever its key order and spacing. */
export function sameDocument(value: string, wanted: Readonly<Record<string, string>>): boolean {
  return configDifferences(value, wanted)?.length === 0;
}

/**
 * The keys whose values differ between a config parameter value and the profile's document, one
 * line each; undefined when the value is not a JSON object.
 */
export function configDifferences(value: string, wanted: Readonly<Record<string, string>>): string[] | undefined {
  let actual: unknown;
  try {
    actual = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return undefined;
  const record = actual as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(record)])].sort();
  return keys
    .filter((key) => record[key] !== wanted[key])
    .map((key) => `${key}: parameter ${describe(record[key])}, profile ${describe(wanted[key])}`);
}

function describe(value: unknown): string {
  return value === undefined ? 'has none' : `has ${JSON.stringify(value)}`;
}

/** The report of `credentials put`: names, versions and next steps, never the token. */
export function formatCredentialsResult(run: RunContext, result: CredentialsPutResult): string {
  const lines = [
    `${result.rotated ? 'Rotated' : 'Stored'} the Grafana Cloud token: SecureString ${result.tokenParameter}, ` +
      `version ${result.version ?? 'unknown'}, KMS key ${result.key}.`,
  ];
  const config = result.config;
  switch (config.kind) {
    case 'unchanged':
      lines.push(`Config ${result.configParameter}: unchanged (version ${config.version ?? 'unknown'}).`);
      break;
    case 'updated':
      lines.push(
        `Config ${result.configParameter}: updated to match the profile (version ${config.version ?? 'unknown'}).`,
      );
      break;
    case 'not-deployed':
      lines.push(
        `Config ${result.configParameter}: not deployed yet; the platform stack creates it: ${cdkDeployCommand(run.command)}`,
      );
      break;
    case 'wrong-type':
      lines.push(`Config ${result.configParameter}: is a ${config.type}, not a String; left alone. Run obsctl doctor.`);
      break;
  }
  const services = instrumentedServices(run.profile);
  if (result.rotated && services.length > 0) {
    // ECS resolves secrets when a task starts: running tasks keep the old token until replaced.
    const cluster = clusterName(run.profile.project, run.environmentName);
    lines.push('Running tasks keep the old token until they restart. Restart them with:');
    for (const service of services) lines.push(`  ${forceNewDeploymentCommand(run.command, cluster, service)}`);
  }
  return `${lines.join('\n')}\n`;
}
