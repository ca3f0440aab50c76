/**
 * `obsctl credentials put`: stores a Grafana Cloud token as the SecureString parameter the
 * collectors read (CloudFormation cannot create SecureStrings): the platform's token, or with
 * `--tenant` a tenant's. For the platform's token it also brings the non-secret config parameter
 * in line with the profile when the platform stack has created it; tenants have no such parameter.
 */
import { clusterName } from '../../naming';
import { grafanaCloudConfigDocument } from '../../profile/grafana-cloud-config';
import type { GrafanaCloudDestination } from '../../profile/schema';
import { readingEcsServices, secretParameters } from '../collectors';
import { CliError, isAwsError } from '../errors';
import { cdkDeployCommand, credentialsPutCommand, forceNewDeploymentCommand } from '../fixes';
import { arnAccount, describeParameters, getStringParameter, putParameter } from '../ssm';
import type { RunContext } from './context';

export interface CredentialsPutOptions {
  /** The token; callers have checked its shape. */
  readonly token: string;
  /** Replace an existing token parameter. */
  readonly rotate: boolean;
  /** A declared tenant (callers have checked it) whose token this is; undefined for the platform's. */
  readonly tenant?: string;
}

export type ConfigOutcome =
  | { readonly kind: 'unchanged'; readonly version?: number }
  | { readonly kind: 'updated'; readonly version?: number }
  | { readonly kind: 'not-deployed' }
  | { readonly kind: 'wrong-type'; readonly type: string };

export interface CredentialsPutResult {
  /** The tenant whose token was stored; undefined for the platform's. */
  readonly tenant?: string;
  readonly tokenParameter: string;
  readonly version?: number;
  readonly rotated: boolean;
  /** `aws/ssm` or the profile's key ARN. */
  readonly key: string;
  /** The platform's config parameter and what happened to it; undefined for a tenant's token. */
  readonly configParameter?: string;
  readonly config?: ConfigOutcome;
}

/** The key SSM uses when PutParameter names none. */
export const DEFAULT_SSM_KEY = 'alias/aws/ssm';

/** The Grafana Cloud stack whose token is written: the platform's, or the tenant's. */
function destination(run: RunContext, tenant: string | undefined): GrafanaCloudDestination {
  if (tenant === undefined) return run.profile.grafanaCloud;
  const settings = run.profile.tenants?.[tenant];
  if (settings === undefined) throw new CliError(`tenant "${tenant}" is not declared`, 'unknown-tenant');
  return settings.grafanaCloud;
}

export async function putCredentials(run: RunContext, options: CredentialsPutOptions): Promise<CredentialsPutResult> {
  const { ssm } = run.clients;
  const { tenant } = options;
  const grafana = destination(run, tenant);
  const configName = tenant === undefined ? run.profile.grafanaCloud.configParameterName : undefined;
  const existing = await describeParameters(ssm, [
    grafana.apiKeyParameterName,
    ...(configName === undefined ? [] : [configName]),
  ]);
  // No STS client here: an existing parameter's ARN is the cheap proof of which account we are in.
  for (const parameter of existing.values()) {
    const account = arnAccount(parameter.arn);
    if (account !== undefined && account !== run.profile.account) {
      throw new CliError(
        `Wrong AWS account: ${parameter.name} is in account ${account}, but environment ${run.environmentName} is account ` +
          `${run.profile.account}. Nothing was written; use credentials for ${run.profile.account} (--profile).`,
        'wrong-account',
      );
    }
  }

  const whose = tenant === undefined ? '' : ` of tenant ${tenant}`;
  let version: number | undefined;
  try {
    version = await putParameter(ssm, {
      name: grafana.apiKeyParameterName,
      value: options.token,
      type: 'SecureString',
      description:
        `Grafana Cloud access-policy token${whose} of ${run.profile.project} ${run.environmentName} ` +
        `(obsctl credentials put${tenant === undefined ? '' : ` --tenant ${tenant}`})`,
      overwrite: options.rotate,
      keyId: grafana.parameterKeyArn,
    });
  } catch (error) {
    if (isAwsError(error, 'ParameterAlreadyExists')) {
      const current = existing.get(grafana.apiKeyParameterName)?.version;
      throw new CliError(
        `${grafana.apiKeyParameterName} already exists${current === undefined ? '' : ` (version ${current})`}; nothing was written. ` +
          `To replace the token pass --rotate: ${credentialsPutCommand(run.command, { tenant, rotate: true })}`,
        'already-exists',
      );
    }
    throw error;
  }

  return {
    ...(tenant === undefined ? {} : { tenant }),
    tokenParameter: grafana.apiKeyParameterName,
    version,
    rotated: options.rotate && existing.has(grafana.apiKeyParameterName),
    key: grafana.parameterKeyArn ?? DEFAULT_SSM_KEY,
    ...(configName === undefined
      ? {}
      : { configParameter: configName, config: await syncConfigParameter(run, existing.has(configName)) }),
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
  const whose =
    result.tenant === undefined ? 'the Grafana Cloud token' : `tenant ${result.tenant}'s Grafana Cloud token`;
  const lines = [
    `${result.rotated ? 'Rotated' : 'Stored'} ${whose}: SecureString ${result.tokenParameter}, ` +
      `version ${result.version ?? 'unknown'}, KMS key ${result.key}.`,
  ];
  const config = result.config;
  switch (config?.kind) {
    case undefined:
      break;
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
  // The tasks that read this parameter, by the collectors' environment contracts.
  const parameter = secretParameters(run.environmentName, run.profile).find(
    (candidate) => candidate.name === result.tokenParameter,
  );
  const services = parameter === undefined ? [] : readingEcsServices(parameter);
  if (result.rotated && services.length > 0) {
    // ECS resolves secrets when a task starts: running tasks keep the old token until replaced.
    const cluster = clusterName(run.profile.project, run.environmentName);
    lines.push('Running tasks keep the old token until they restart. Restart them with:');
    for (const service of services) lines.push(`  ${forceNewDeploymentCommand(run.command, cluster, service)}`);
  }
  return `${lines.join('\n')}\n`;
}
