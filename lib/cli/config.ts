/**
 * The environment profile an obsctl command works on, read from cdk.json's `environments` context
 * and validated exactly as the CDK app validates it (the same ProfileError lines).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { loadEnvironmentProfiles } from '../profile/load';
import type { EnvironmentProfile } from '../profile/schema';
import { CliError } from './errors';
import { EXIT } from './exit-codes';

export const DEFAULT_CONFIG_PATH = './cdk.json';

export interface LoadedEnvironment {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
}

/**
 * @param configPath the cdk.json to read, as the operator gave it
 * @throws CliError for an unreadable file or an unknown environment, ProfileError for an invalid profile
 */
export function loadEnvironment(configPath: string, environmentName: string, cwd = process.cwd()): LoadedEnvironment {
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
      EXIT.usage,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${source}: not valid JSON (${(error as Error).message})`, EXIT.usage);
  }
  const context = (json as { context?: { environments?: unknown } } | null)?.context;
  const profiles = loadEnvironmentProfiles(context?.environments, { source });
  const profile = Object.hasOwn(profiles, environmentName) ? profiles[environmentName] : undefined;
  if (profile === undefined) {
    throw new CliError(
      `--env ${environmentName}: no environment "${environmentName}" in ${source}. Known environments: ${Object.keys(profiles).join(', ')}`,
      EXIT.usage,
    );
  }
  return { environmentName, profile };
}
