/**
 * The profile the local stack is generated from. Local is not an environment of cdk.json (nothing
 * is deployed there), so it borrows one: dev's. Dev is where engineers' changes run first, and its
 * profile already says what local debugging wants: every trace kept (sampling ratio 1), the debug
 * exporter on, and the same project and collector memory as the sidecar that runs the same code.
 * Staging and prod sample a fraction of traces, which would hide the one request being debugged.
 */
import type { EnvironmentProfile } from '../profile/schema';

/** `deployment.environment.name` of everything the local stack receives, and its folder name. */
export const LOCAL_ENVIRONMENT_NAME = 'local';

/** The cdk.json environment whose profile the local stack uses. */
export const LOCAL_BASE_ENVIRONMENT = 'dev';

/** Where the profile came from, for the generated files' headers. */
export const LOCAL_PROFILE_SOURCE = `cdk.json (environments.${LOCAL_BASE_ENVIRONMENT}, as ${LOCAL_ENVIRONMENT_NAME})`;

/** Thrown when cdk.json's environments cannot give the local stack its profile. */
export class LocalStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalStackError';
  }
}

/**
 * Dev's profile, used under the environment name `local`.
 * @throws LocalStackError when there is no dev environment, or an environment is itself named `local`
 */
export function localProfile(profiles: Readonly<Record<string, EnvironmentProfile>>): EnvironmentProfile {
  if (LOCAL_ENVIRONMENT_NAME in profiles) {
    throw new LocalStackError(
      `cdk.json defines environments.${LOCAL_ENVIRONMENT_NAME}, but "${LOCAL_ENVIRONMENT_NAME}" names the local ` +
        'debugging stack (collector-config/local). Rename that environment',
    );
  }
  const base = profiles[LOCAL_BASE_ENVIRONMENT];
  if (base === undefined) {
    throw new LocalStackError(
      `The local debugging stack is generated from environments.${LOCAL_BASE_ENVIRONMENT}, which cdk.json does ` +
        `not define. Add a ${LOCAL_BASE_ENVIRONMENT} environment`,
    );
  }
  return base;
}
