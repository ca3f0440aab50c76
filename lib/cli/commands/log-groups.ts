import { serviceLogGroupName, serviceLogGroupPrefix } from '../../naming';
import { viewedServices } from '../../profile-loader/scale';
import { CliError } from '../errors';
import { cdkDeployCommand } from '../fixes';
import { listLogGroupNames } from '../logs';
import type { RunContext } from './context';

export interface ServiceLogGroups {
  /** The service log groups that exist: the ones a query can name. */
  readonly existing: readonly string[];
  /** Those of the profile that do not exist (yet). */
  readonly missing: readonly string[];
}

/**
 * The environment's service log groups (from the profile: its `services` and `externalServices`,
 * or the `services` given) that exist. StartQuery fails outright
 * when one named group is missing, so a service that is not deployed yet is left out, not fatal.
 * @throws CliError when none exists
 */
export async function serviceLogGroups(
  run: RunContext,
  services: readonly string[] = viewedServices(run.profile),
): Promise<ServiceLogGroups> {
  const { project } = run.profile;
  const wanted = services.map((service) => serviceLogGroupName(project, run.environmentName, service));
  const prefix = `${serviceLogGroupPrefix(project, run.environmentName)}/`;
  const present = new Set(await listLogGroupNames(run.clients.logs, prefix));
  const existing = wanted.filter((name) => present.has(name));
  if (existing.length === 0) {
    throw new CliError(
      `None of the service log groups of ${run.environmentName} exists (${prefix}...): deploy first: ${cdkDeployCommand(run.command)}`,
      'not-deployed',
    );
  }
  return { existing, missing: wanted.filter((name) => !present.has(name)) };
}
