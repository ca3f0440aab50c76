import type { EnvironmentProfile } from '../../profile/schema';
import type { AwsClients } from '../clients';
import { CliError } from '../errors';
import type { CommandContext } from '../fixes';
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
