/**
 * `obsctl doctor`: before a deploy, that every parameter the tasks will read exists with the right
 * type (a missing one fails the task with an opaque ResourceInitializationError) and that the
 * on-call webhook and heartbeat secrets hold usable URLs (the deploy resolves them); after it, that
 * what the deploy creates is there, and that the collector gateway has healthy tasks in Cloud Map.
 * Things the deploy creates are reported "not deployed" rather than failed, unless `--after-deploy`
 * says the deploy has happened.
 */
import { savedQueries, savedQueryFolder } from '../../logs/queries';
import { clusterName, GATEWAY_SERVICE_NAME, serviceLogGroupName, serviceLogGroupPrefix } from '../../naming';
import { grafanaCloudConfigDocument } from '../../profile/grafana-cloud-config';
import { viewGroups } from '../../profile-loader/scale';
import { readersPhrase, type SecretParameter, secretParameters } from '../collectors';
import { EXIT, type ExitCode } from '../exit-codes';
import {
  cdkDeployCommand,
  credentialsPutCommand,
  deleteParameterCommand,
  putSecureStringCommand,
  serviceEventsCommand,
  wrapCommand,
} from '../fixes';
import type { Progress } from '../io';
import { listLogGroupNames, listQueryDefinitionNames } from '../logs';
import { discoverGatewayInstances } from '../servicediscovery';
import { describeParameters, getStringParameter, type ParameterInfo } from '../ssm';
import { renderTable, type TableOptions } from '../table';
import type { RunContext } from './context';
import { accountProblem } from './context';
import { configDifferences, DEFAULT_SSM_KEY } from './credentials';
import { webhookSecretChecks } from './webhook-check';

export type CheckResult = 'pass' | 'fail' | 'not deployed';

export interface DoctorCheck {
  readonly check: string;
  readonly result: CheckResult;
  readonly detail: string;
  /** For a failure: the command that fixes it. */
  readonly fix?: string;
}

export interface DoctorOptions {
  /** The deploy has run: what it creates must exist. */
  readonly afterDeploy: boolean;
  /** Says which AWS calls are running. */
  readonly progress?: Progress;
}

export async function runDoctor(run: RunContext, options: DoctorOptions): Promise<readonly DoctorCheck[]> {
  const progress = options.progress ?? { update: () => undefined, stop: () => undefined };
  try {
    return await doctorChecks(run, options, progress);
  } finally {
    progress.stop();
  }
}

async function doctorChecks(run: RunContext, options: DoctorOptions, progress: Progress): Promise<DoctorCheck[]> {
  const { profile, environmentName } = run;
  progress.update('Checking the SSM parameters');
  const secrets = secretParameters(environmentName, profile);
  const configName = profile.grafanaCloud.configParameterName;
  const parameters = await describeParameters(run.clients.ssm, [...secrets.map((secret) => secret.name), configName]);
  const checks: DoctorCheck[] = secrets.map((secret) => secretParameterCheck(run, parameters.get(secret.name), secret));
  checks.push(await configParameterCheck(run, parameters.get(configName), options));
  progress.update('Checking the on-call secrets');
  checks.push(...(await webhookSecretChecks(run)));

  const deployFix = cdkDeployCommand(run.command);
  const missing = (check: string, detail: string): DoctorCheck =>
    options.afterDeploy
      ? { check, result: 'fail', detail, fix: deployFix }
      : { check, result: 'not deployed', detail, fix: deployFix };

  progress.update('Checking the log groups');
  const prefix = `${serviceLogGroupPrefix(profile.project, environmentName)}/`;
  const logGroups = new Set(await listLogGroupNames(run.clients.logs, prefix));
  for (const service of Object.keys(profile.services)) {
    const name = serviceLogGroupName(profile.project, environmentName, service);
    const check = `log group ${name}`;
    checks.push(logGroups.has(name) ? { check, result: 'pass', detail: 'exists' } : missing(check, 'missing'));
  }

  // One listing of the environment's folder holds the tenants' subfolders too.
  progress.update('Checking the saved queries');
  const environmentFolder = `${savedQueryFolder(profile.project, environmentName)}/`;
  const definitions = new Set(await listQueryDefinitionNames(run.clients.logs, environmentFolder));
  // The environment's own queries (one set per view group of 50 services), then each tenant's.
  const sets = [
    ...viewGroups(profile).map((group) => ({ tenant: undefined, group: group.label })),
    ...Object.keys(profile.tenants ?? {}).map((tenant) => ({ tenant, group: undefined })),
  ];
  for (const { tenant, group } of sets) {
    const folder = `${savedQueryFolder(profile.project, environmentName, tenant, undefined, group)}/`;
    const wanted = savedQueries(profile.project, environmentName, tenant, undefined, group);
    const absent = wanted.filter((query) => !definitions.has(query.name)).map((query) => query.title);
    const check = `saved queries ${folder}`;
    checks.push(
      absent.length === 0
        ? { check, result: 'pass', detail: `all ${wanted.length} exist` }
        : missing(check, missingQueries(absent, wanted.length)),
    );
  }

  if (profile.gateway !== undefined) {
    progress.update('Checking the gateway in Cloud Map');
    checks.push(await gatewayCheck(run, missing));
  }
  return checks;
}

/**
 * The gateway's tasks in Cloud Map: the sidecars send traces only to tasks they find there. The
 * namespace and service are created by the deploy; a task registers when it starts, and ECS marks
 * it healthy while it runs.
 */
async function gatewayCheck(
  run: RunContext,
  missing: (check: string, detail: string) => DoctorCheck,
): Promise<DoctorCheck> {
  const discovered = await discoverGatewayInstances(
    run.clients.serviceDiscovery,
    run.profile.project,
    run.environmentName,
  );
  const check = `gateway ${discovered.namespace}/${discovered.service}`;
  if (discovered.kind === 'namespace-missing') return missing(check, 'Cloud Map namespace missing');
  if (discovered.kind === 'service-missing') return missing(check, 'Cloud Map service missing');
  const { healthy, total } = discovered;
  if (healthy > 0) return { check, result: 'pass', detail: `${healthy} of ${total} tasks healthy` };
  const cluster = clusterName(run.profile.project, run.environmentName);
  return {
    check,
    result: 'fail',
    detail:
      total === 0
        ? 'no task registered: sidecars have no gateway to send traces to'
        : `none of ${total} registered tasks is healthy: sidecars have no gateway to send traces to`,
    fix: serviceEventsCommand(run.command, cluster, GATEWAY_SERVICE_NAME),
  };
}

/** `10 of 10 missing` or `2 of 10 missing: Top error types, User activity`, at most three named. */
function missingQueries(absent: readonly string[], total: number): string {
  if (absent.length === total) return `none of the ${total} exists`;
  const named = absent.slice(0, 3).join(', ');
  return `${absent.length} of ${total} missing: ${named}${absent.length > 3 ? `, and ${absent.length - 3} more` : ''}`;
}

/** The command that writes a secret parameter: `credentials put` for a Grafana Cloud token. */
function writeSecretCommand(run: RunContext, secret: SecretParameter, replace = false): string {
  return secret.token === undefined
    ? putSecureStringCommand(run.command, secret.name, { keyArn: secret.keyArn, overwrite: replace })
    : credentialsPutCommand(run.command, { tenant: secret.token.tenant, rotate: replace });
}

function secretParameterCheck(
  run: RunContext,
  parameter: ParameterInfo | undefined,
  secret: SecretParameter,
): DoctorCheck {
  const { name } = secret;
  const check = `parameter ${name}`;
  if (parameter === undefined) {
    return {
      check,
      result: 'fail',
      detail: `missing: ${readersPhrase(secret)} would fail to start (ResourceInitializationError)`,
      fix: writeSecretCommand(run, secret),
    };
  }
  const wrongAccount = accountProblem(run, parameter.arn);
  if (wrongAccount !== undefined) return { check, result: 'fail', detail: wrongAccount.detail, fix: wrongAccount.fix };
  if (parameter.type !== 'SecureString') {
    return {
      check,
      result: 'fail',
      detail: `is a ${parameter.type ?? 'parameter of unknown type'}; the ${secret.token === undefined ? 'secret' : 'token'} must be a SecureString`,
      fix: `${deleteParameterCommand(run.command, name)} && ${writeSecretCommand(run, secret)}`,
    };
  }
  // The key the collectors' execution roles may decrypt with, as their environment contract names it.
  const keyProblem = keyMismatch(parameter.keyId, secret.keyArn);
  if (keyProblem !== undefined) {
    return { check, result: 'fail', detail: keyProblem, fix: writeSecretCommand(run, secret, true) };
  }
  return {
    check,
    result: 'pass',
    detail: `SecureString, version ${parameter.version ?? 'unknown'}, key ${parameter.keyId ?? DEFAULT_SSM_KEY}`,
  };
}

async function configParameterCheck(
  run: RunContext,
  parameter: ParameterInfo | undefined,
  options: DoctorOptions,
): Promise<DoctorCheck> {
  const name = run.profile.grafanaCloud.configParameterName;
  const check = `parameter ${name}`;
  const fix = cdkDeployCommand(run.command);
  if (parameter === undefined) {
    return { check, result: options.afterDeploy ? 'fail' : 'not deployed', detail: 'missing', fix };
  }
  const wrongAccount = accountProblem(run, parameter.arn);
  if (wrongAccount !== undefined) return { check, result: 'fail', detail: wrongAccount.detail, fix: wrongAccount.fix };
  if (parameter.type !== 'String') {
    return {
      check,
      result: 'fail',
      detail: `is a ${parameter.type ?? 'parameter of unknown type'}; the config must be a String`,
      fix: `${deleteParameterCommand(run.command, name)} && ${fix}`,
    };
  }
  const current = await getStringParameter(run.clients.ssm, name);
  if (current === undefined)
    return { check, result: options.afterDeploy ? 'fail' : 'not deployed', detail: 'missing', fix };
  const differences = configDifferences(current.value, grafanaCloudConfigDocument(run.profile));
  if (differences === undefined) return { check, result: 'fail', detail: 'is not a JSON object', fix };
  if (differences.length > 0) {
    return { check, result: 'fail', detail: `differs from the profile: ${differences.join('; ')}`, fix };
  }
  return { check, result: 'pass', detail: `String, version ${current.version ?? 'unknown'}, matches the profile` };
}

/**
 * Whether the token's KMS key is the one the execution role may decrypt with. SSM reports the key
 * as given when written (alias, key id or ARN); an alias other than aws/ssm cannot be resolved
 * without KMS, so it is not judged.
 */
export function keyMismatch(keyId: string | undefined, profileKeyArn: string | undefined): string | undefined {
  const actual = keyId ?? DEFAULT_SSM_KEY;
  if (profileKeyArn === undefined) {
    return actual === DEFAULT_SSM_KEY
      ? undefined
      : `encrypted with ${actual}, but the profile names no parameterKeyArn: tasks get no kms:Decrypt on that key`;
  }
  if (actual === DEFAULT_SSM_KEY) {
    return `encrypted with ${DEFAULT_SSM_KEY}, but the profile's parameterKeyArn is ${profileKeyArn}`;
  }
  if (actual.startsWith('alias/')) return undefined;
  const keyIdOf = (key: string) => key.slice(key.lastIndexOf('/') + 1);
  return keyIdOf(actual) === keyIdOf(profileKeyArn)
    ? undefined
    : `encrypted with ${actual}, but the profile's parameterKeyArn is ${profileKeyArn}`;
}

/**
 * The doctor table and a summary line. Within a width, each check is a result and a block (the
 * check, its detail, its fix) that wraps; without one (`--wide`), one line per check in four columns.
 */
export function formatDoctorReport(checks: readonly DoctorCheck[], options: TableOptions = {}): string {
  const fix = (check: DoctorCheck) => (check.result === 'pass' ? '' : (check.fix ?? ''));
  // The CHECK column's width, as renderTable fits it: what the RESULT column and the gap leave.
  const resultWidth = Math.max('RESULT'.length, ...checks.map((check) => check.result.length));
  const fixWidth = (options.width ?? 0) - resultWidth - 2 - FIX_PREFIX.length;
  // A long fix is continued with ` \`, so that copied whole it still runs.
  const fixLines = (command: string): string[] =>
    command === ''
      ? []
      : wrapCommand(command, fixWidth).map(
          (line, index) => `${index === 0 ? FIX_PREFIX : ' '.repeat(FIX_PREFIX.length)}${line}`,
        );
  const table =
    options.width === undefined
      ? renderTable(
          ['CHECK', 'RESULT', 'DETAIL', 'FIX'],
          checks.map((check) => [check.check, check.result, check.detail, fix(check)]),
        )
      : renderTable(
          ['RESULT', 'CHECK'],
          checks.map((check) => [check.result, [check.check, `  ${check.detail}`, ...fixLines(fix(check))]]),
          options,
        );
  return `${table}\n${doctorSummary(checks)}\n`;
}

const FIX_PREFIX = '  fix: ';

function count(checks: readonly DoctorCheck[], result: CheckResult): number {
  return checks.filter((check) => check.result === result).length;
}

function doctorSummary(checks: readonly DoctorCheck[]): string {
  return `${count(checks, 'pass')} passed, ${count(checks, 'fail')} failed, ${count(checks, 'not deployed')} not deployed yet`;
}

/** `--json`: every check (a fix only where it failed or is not deployed) and the counts. */
export function doctorJson(environment: string, checks: readonly DoctorCheck[]): string {
  return `${JSON.stringify(
    {
      environment,
      checks: checks.map((check) => ({
        check: check.check,
        result: check.result,
        detail: check.detail,
        ...(check.result === 'pass' || check.fix === undefined ? {} : { fix: check.fix }),
      })),
      summary: {
        passed: count(checks, 'pass'),
        failed: count(checks, 'fail'),
        notDeployed: count(checks, 'not deployed'),
      },
    },
    null,
    2,
  )}\n`;
}

export function doctorExitCode(checks: readonly DoctorCheck[]): ExitCode {
  return checks.some((check) => check.result === 'fail') ? EXIT.failed : EXIT.ok;
}
