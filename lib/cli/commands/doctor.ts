/**
 * `obsctl doctor`: before a deploy, that every parameter the tasks will read exists with the right
 * type (a missing one fails the task with an opaque ResourceInitializationError); after it, that
 * what the deploy creates is there. Things the deploy creates are reported "not deployed" rather
 * than failed, unless `--after-deploy` says the deploy has happened.
 */
import { generateCollectorConfig } from '../../collector/generate';
import { savedQueries, savedQueryFolder } from '../../logs/queries';
import { serviceLogGroupName, serviceLogGroupPrefix } from '../../naming';
import { grafanaCloudConfigDocument } from '../../profile/grafana-cloud-config';
import { EXIT, type ExitCode } from '../exit-codes';
import { cdkDeployCommand, credentialsPutCommand, deleteParameterCommand } from '../fixes';
import { listLogGroupNames, listQueryDefinitionNames } from '../logs';
import { arnAccount, describeParameters, getStringParameter, type ParameterInfo } from '../ssm';
import { renderTable } from '../table';
import { instrumentedServices, type RunContext } from './context';
import { configDifferences, DEFAULT_SSM_KEY } from './credentials';

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
}

export async function runDoctor(run: RunContext, options: DoctorOptions): Promise<readonly DoctorCheck[]> {
  const { profile, environmentName } = run;
  const secretParameters = secretParameterNames(run);
  const configName = profile.grafanaCloud.configParameterName;
  const parameters = await describeParameters(run.clients.ssm, [...secretParameters, configName]);
  const checks: DoctorCheck[] = secretParameters.map((name) => secretParameterCheck(run, parameters.get(name), name));
  checks.push(await configParameterCheck(run, parameters.get(configName), options));

  const deployFix = cdkDeployCommand(run.command);
  const missing = (check: string, detail: string): DoctorCheck =>
    options.afterDeploy
      ? { check, result: 'fail', detail, fix: deployFix }
      : { check, result: 'not deployed', detail, fix: deployFix };

  const prefix = `${serviceLogGroupPrefix(profile.project, environmentName)}/`;
  const logGroups = new Set(await listLogGroupNames(run.clients.logs, prefix));
  for (const service of Object.keys(profile.services)) {
    const name = serviceLogGroupName(profile.project, environmentName, service);
    const check = `log group ${name}`;
    checks.push(logGroups.has(name) ? { check, result: 'pass', detail: 'exists' } : missing(check, 'missing'));
  }

  const folder = `${savedQueryFolder(profile.project, environmentName)}/`;
  const definitions = new Set(await listQueryDefinitionNames(run.clients.logs, folder));
  const wanted = savedQueries(profile.project, environmentName);
  const absent = wanted.filter((query) => !definitions.has(query.name)).map((query) => query.title);
  const check = `saved queries ${folder}`;
  if (absent.length === 0) {
    checks.push({ check, result: 'pass', detail: `all ${wanted.length} exist` });
  } else {
    checks.push(missing(check, missingQueries(absent, wanted.length)));
  }
  return checks;
}

/** `10 of 10 missing` or `2 of 10 missing: Top error types, User activity`, at most three named. */
function missingQueries(absent: readonly string[], total: number): string {
  if (absent.length === total) return `none of the ${total} exists`;
  const named = absent.slice(0, 3).join(', ');
  return `${absent.length} of ${total} missing: ${named}${absent.length > 3 ? `, and ${absent.length - 3} more` : ''}`;
}

/** The SSM parameters the synthesized tasks read as ECS secrets: the collector's environment contract. */
function secretParameterNames(run: RunContext): readonly string[] {
  // Without an instrumented service no task has a collector, and nothing reads the token.
  if (instrumentedServices(run.profile).length === 0) return [];
  const environment = generateCollectorConfig(run.environmentName, run.profile).environment;
  return [
    ...new Set(
      environment.flatMap((variable) =>
        variable.secret && variable.ssmParameterName ? [variable.ssmParameterName] : [],
      ),
    ),
  ];
}

function secretParameterCheck(run: RunContext, parameter: ParameterInfo | undefined, name: string): DoctorCheck {
  const check = `parameter ${name}`;
  if (parameter === undefined) {
    return {
      check,
      result: 'fail',
      detail: 'missing: collector tasks would fail to start (ResourceInitializationError)',
      fix: credentialsPutCommand(run.command),
    };
  }
  const wrongAccount = accountProblem(run, parameter);
  if (wrongAccount !== undefined) return { check, result: 'fail', detail: wrongAccount.detail, fix: wrongAccount.fix };
  if (parameter.type !== 'SecureString') {
    return {
      check,
      result: 'fail',
      detail: `is a ${parameter.type ?? 'parameter of unknown type'}; the token must be a SecureString`,
      fix: `${deleteParameterCommand(run.command, name)} && ${credentialsPutCommand(run.command)}`,
    };
  }
  const keyProblem = keyMismatch(parameter.keyId, run.profile.grafanaCloud.parameterKeyArn);
  if (keyProblem !== undefined) {
    return { check, result: 'fail', detail: keyProblem, fix: credentialsPutCommand(run.command, true) };
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
  const wrongAccount = accountProblem(run, parameter);
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

function accountProblem(run: RunContext, parameter: ParameterInfo): { detail: string; fix: string } | undefined {
  const account = arnAccount(parameter.arn);
  if (account === undefined || account === run.profile.account) return undefined;
  return {
    detail: `found in account ${account}, but environment ${run.environmentName} is account ${run.profile.account}`,
    fix: `use credentials of account ${run.profile.account} (--profile <name>)`,
  };
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

/** The doctor table and a summary line. */
export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  const table = renderTable(
    ['CHECK', 'RESULT', 'DETAIL', 'FIX'],
    checks.map((check) => [check.check, check.result, check.detail, check.result === 'pass' ? '' : (check.fix ?? '')]),
  );
  const count = (result: CheckResult) => checks.filter((check) => check.result === result).length;
  const summary = `${count('pass')} passed, ${count('fail')} failed, ${count('not deployed')} not deployed yet`;
  return `${table}\n${summary}\n`;
}

export function doctorExitCode(checks: readonly DoctorCheck[]): ExitCode {
  return checks.some((check) => check.result === 'fail') ? EXIT.failed : EXIT.ok;
}
