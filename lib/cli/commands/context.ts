import type { EnvironmentProfile } from '../../profile/schema';
import type { AwsClients } from '../clients';
import { CliError } from '../errors';
import type { CommandContext } from '../fixes';
import { arnAccount } from '../ssm';
import { didYouMeanPhrase } from '../suggest';

/** What every AWS-facing command works with: one environment, its profile, clients for its account. */
export interface RunContext {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
  readonly clients: AwsClients;
  /** For the commands obsctl suggests. */
  readonly command: CommandContext;
}

/**
 * `--tenant <id>` checked against the environment's declared tenants, before any AWS call.
 * @throws CliError (usage) naming the declared tenants and the nearest one
 */
export function declaredTenant(environmentName: string, profile: EnvironmentProfile, tenant: string): string {
  const declared = Object.keys(profile.tenants ?? {});
  if (declared.includes(tenant)) return tenant;
  if (declared.length === 0) {
    throw new CliError(
      `--tenant ${tenant}: environment ${environmentName} declares no tenants (environments.${environmentName}.tenants). ` +
        "Declare the tenant's Grafana Cloud stack there, or leave out --tenant to store the platform's token",
      'unknown-tenant',
    );
  }
  throw new CliError(
    `--tenant ${tenant}: environment ${environmentName} declares no tenant "${tenant}".` +
      `${didYouMeanPhrase(tenant, declared)} Declared tenants: ${declared.join(', ')}`,
    'unknown-tenant',
  );
}

/**
 * What is wrong with where a resource lives, or undefined: an ARN in another account than the
 * environment's means the caller's credentials are for the wrong account.
 */
export function accountProblem(run: RunContext, arn: string | undefined): { detail: string; fix: string } | undefined {
  const account = arnAccount(arn);
  if (account === undefined || account === run.profile.account) return undefined;
  return {
    detail: `found in account ${account}, but environment ${run.environmentName} is account ${run.profile.account}`,
    fix: `use credentials of account ${run.profile.account} (--profile <name>)`,
  };
}
