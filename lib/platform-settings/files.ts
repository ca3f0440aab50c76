/** The committed platform settings, one document per environment: `platform-settings/<env>.json`. */
import type { GeneratedFile } from '../generated-file';
import type { EnvironmentProfile } from '../profile/schema';
import { platformSettings } from './from-profile';
import { platformSettingsPath } from './settings';

/** Every environment's settings document, 2-space indented, in the order the generator builds them. */
export function platformSettingsFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  return Object.entries(profiles)
    .map(([environmentName, profile]) => ({
      path: platformSettingsPath(environmentName),
      content: `${JSON.stringify(platformSettings(profile, environmentName), null, 2)}\n`,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
