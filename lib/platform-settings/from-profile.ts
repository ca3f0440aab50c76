/**
 * The platform settings of one environment, from its validated profile: with `lib/stacks` and the
 * generators, the only reader of an `EnvironmentProfile` on the service side. Pure: no CDK.
 */
import { resolveThresholds } from '../alerting/thresholds';
import { type GeneratedCollectorConfig, generateCollectorConfig } from '../collector/generate';
import { DEFAULT_COLLECTOR_CPU, DEFAULT_COLLECTOR_MEMORY_MIB } from '../collector/memory';
import { headSamplingEnvironment } from '../collector/sampling';
import { gatewayNamespaceName } from '../naming';
import type { EnvironmentProfile } from '../profile/schema';
import { PLATFORM_SETTINGS_VERSION, type PlatformSettings, type SidecarCollectorConfig } from './settings';

/**
 * What a service of `environmentName` needs of its profile. The same profile always gives the same
 * settings (the generator is pure), so the committed `platform-settings/<env>.json` is checked for drift.
 */
export function platformSettings(profile: EnvironmentProfile, environmentName: string): PlatformSettings {
  const tenants = Object.keys(profile.tenants ?? {});
  return {
    settingsVersion: PLATFORM_SETTINGS_VERSION,
    project: profile.project,
    environmentName,
    account: profile.account,
    region: profile.region,
    availabilityZones: [...profile.availabilityZones],
    production: profile.production,
    logRetentionDays: profile.logRetentionDays,
    collectorSidecar: {
      cpu: profile.collector?.cpu ?? DEFAULT_COLLECTOR_CPU,
      memoryMiB: profile.collector?.memoryMiB ?? DEFAULT_COLLECTOR_MEMORY_MIB,
      platformConfig: sidecarConfig(generateCollectorConfig(environmentName, profile, 'sidecar')),
      tenantConfigs: Object.fromEntries(
        tenants.map((tenant) => [
          tenant,
          sidecarConfig(generateCollectorConfig(environmentName, profile, 'sidecar', { tenant })),
        ]),
      ),
    },
    sdk: { headSamplingVariables: { ...headSamplingEnvironment(profile) } },
    alarms: {
      thresholds: resolveThresholds(profile).map(({ signal, severity, threshold, windowMinutes }) => ({
        signal,
        severity,
        threshold,
        windowMinutes,
      })),
      trafficAnomaly: { ...profile.trafficAnomaly },
    },
    ...(profile.gateway === undefined
      ? {}
      : {
          gateway: {
            cloudMapNamespaceName: gatewayNamespaceName(profile.project, environmentName),
            tenants,
          },
        }),
    knownServices: {
      deployed: Object.fromEntries(
        Object.entries(profile.services).map(([name, service]) => [
          name,
          service.tenant === undefined ? {} : { tenant: service.tenant },
        ]),
      ),
      external: [...(profile.externalServices ?? [])],
    },
  };
}

/** The generated config as the document holds it: the distribution by name and version. */
function sidecarConfig(generated: GeneratedCollectorConfig): SidecarCollectorConfig {
  return {
    environmentName: generated.environmentName,
    role: generated.role,
    ...(generated.tenant === undefined ? {} : { tenant: generated.tenant }),
    distribution: { name: generated.distribution.name, version: generated.distribution.version },
    image: generated.image,
    config: generated.config,
    environment: [...generated.environment],
  };
}
