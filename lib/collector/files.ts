/**
 * The committed collector configs, per environment: `collector-config/<env>/sidecar.yaml` (platform
 * services), `sidecar-<tenant>.yaml` per declared tenant, and `gateway.yaml` where the profile
 * declares a gateway tier.
 */
import type { GeneratedFile } from '../generated-file';
import type { EnvironmentProfile } from '../profile/schema';
import { type CollectorConfigOptions, generateCollectorConfig } from './generate';
import type { CollectorRole } from './model';
import { renderCollectorConfig } from './yaml';

export type { GeneratedFile } from '../generated-file';

/** The folder of the generated collector configs, relative to the repository root. */
export const COLLECTOR_CONFIG_FOLDER = 'collector-config';

/** `collector-config/prod/sidecar.yaml`, or `collector-config/prod/sidecar-acme-corp.yaml` for a tenant's services. */
export function sidecarConfigPath(environmentName: string, tenant?: string): string {
  const file = tenant === undefined ? 'sidecar.yaml' : `sidecar-${tenant}.yaml`;
  return `${COLLECTOR_CONFIG_FOLDER}/${environmentName}/${file}`;
}

/** `collector-config/prod/gateway.yaml`. */
export function gatewayConfigPath(environmentName: string): string {
  return `${COLLECTOR_CONFIG_FOLDER}/${environmentName}/gateway.yaml`;
}

/**
 * Every checked collector config of every environment, sorted by path.
 * @throws CollectorConfigError when any config fails a check
 */
export function collectorConfigFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const [environmentName, profile] of Object.entries(profiles)) {
    const render = (path: string, role: CollectorRole, options?: CollectorConfigOptions) =>
      files.push({
        path,
        content: renderCollectorConfig(generateCollectorConfig(environmentName, profile, role, options)),
      });
    render(sidecarConfigPath(environmentName), 'sidecar');
    for (const tenant of Object.keys(profile.tenants ?? {})) {
      render(sidecarConfigPath(environmentName, tenant), 'sidecar', { tenant });
    }
    if (profile.gateway !== undefined) render(gatewayConfigPath(environmentName), 'gateway');
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
