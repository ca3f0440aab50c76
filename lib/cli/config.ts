/**
 * The environment profile an obsctl command works on, read from cdk.json's `environments` context
 * and validated exactly as the CDK app validates it (the same ProfileError lines).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { EnvironmentProfile } from '../profile/schema';
import { loadEnvironmentProfiles } from '../profile-loader/load';
import { CliError } from './errors';
import { didYouMeanPhrase } from './suggest';

export const DEFAULT_CONFIG_PATH = './cdk.json';

/** The environment variable that names the environment when --env is not given. */
export const ENVIRONMENT_VARIABLE = 'OBSCTL_ENV';

export interface LoadedEnvironment {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
}

/** Where the environment's name may come from, in this order. */
export interface EnvironmentChoice {
  /** `--env`. */
  readonly flag?: string;
  /** `OBSCTL_ENV`. */
  readonly variable?: string;
}

/**
 * @param configPath the cdk.json to read, as the operator gave it
 * @throws CliError for an unreadable file or an unknown or unchosen environment, ProfileError for an invalid profile
 */
export function loadEnvironment(configPath: string, choice: EnvironmentChoice, cwd = process.cwd()): LoadedEnvironment {
  const absolute = resolve(cwd, configPath);
  // Messages name the file as given; the default one as the CDK app does (`cdk.json: environments.prod...`).
  const source = isAbsolute(configPath) ? configPath : relative(cwd, absolute) || configPath;
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${source}: cannot read it (${code ?? 'error'}). Run obsctl from the directory of cdk.json or pass --config <path>`,
      'invalid-config',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${source}: not valid JSON (${(error as Error).message})`, 'invalid-config');
  }
  const context = (json as { context?: { environments?: unknown } } | null)?.context;
  const profiles = loadEnvironmentProfiles(context?.environments, { source });
  const environmentName = chooseEnvironment(Object.keys(profiles), choice, source);
  return { environmentName, profile: profiles[environmentName] };
}

/**
 * The environment to work on: --env, else OBSCTL_ENV, else the only one there is.
 * @param names the environments of `source`, in its order
 * @throws CliError (usage) naming the environments, with the nearest one to a mistyped name
 */
export function chooseEnvironment(names: readonly string[], choice: EnvironmentChoice, source: string): string {
  if (choice.flag !== undefined) return knownEnvironment(names, choice.flag, `--env ${choice.flag}`, source);
  if (choice.variable !== undefined && choice.variable !== '') {
    return knownEnvironment(names, choice.variable, `${ENVIRONMENT_VARIABLE}=${choice.variable}`, source);
  }
  if (names.length === 1) return names[0];
  throw new CliError(
    `Which environment? ${source} has ${names.join(', ')}: pass --env <name> or set ${ENVIRONMENT_VARIABLE}`,
    'no-environment',
  );
}

/**
 * `name`, when `source` has that environment.
 * @param origin how the operator gave it, for the message (`--env prd`)
 */
export function knownEnvironment(names: readonly string[], name: string, origin: string, source: string): string {
  if (names.includes(name)) return name;
  throw new CliError(
    `${origin}: no environment "${name}" in ${source}.${didYouMeanPhrase(name, names)} Environments: ${names.join(', ')}`,
    'unknown-environment',
  );
}
