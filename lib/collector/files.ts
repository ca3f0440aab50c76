/**
 * The committed collector configs: `collector-config/<env>/sidecar.yaml` for every environment.
 */
import type { GeneratedFile } from '../generated-file';
import type { EnvironmentProfile } from '../profile/schema';
import { generateCollectorConfig } from './generate';
import { renderCollectorConfig } from './yaml';

export type { GeneratedFile } from '../generated-file';

/** The folder of the generated collector configs, relative to the repository root. */
export const COLLECTOR_CONFIG_FOLDER = 'collector-config';

/** `collector-config/prod/sidecar.yaml`. */
export function sidecarConfigPath(environmentName: string): string {
  return `${COLLECTOR_CONFIG_FOLDER}/${environmentName}/sidecar.yaml`;
}

/**
 * One checked sidecar config per environment, sorted by path.
 * @throws CollectorConfigError when any environment's config fails a check
 */
export function collectorConfigFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  return Object.keys(profiles)
    .sort()
    .map((environmentName) => ({
      path: sidecarConfigPath(environmentName),
      content: renderCollectorConfig(generateCollectorConfig(environmentName, profiles[environmentName], 'sidecar')),
    }));
}
