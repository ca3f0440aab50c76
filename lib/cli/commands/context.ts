import type { EnvironmentProfile } from '../../profile/schema';
import type { AwsClients } from '../clients';
import type { CommandContext } from '../fixes';

/** What every AWS-facing command works with: one environment, its profile, clients for its account. */
export interface RunContext {
  readonly environmentName: string;
  readonly profile: EnvironmentProfile;
  readonly clients: AwsClients;
  /** For the commands obsctl suggests. */
  readonly command: CommandContext;
}

/** The services that run a collector sidecar, and so read the token parameter at task start. */
export function instrumentedServices(profile: EnvironmentProfile): readonly string[] {
  return Object.entries(profile.services)
    .filter(([, service]) => service.instrumentation !== false)
    .map(([name]) => name);
}
