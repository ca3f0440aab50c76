/**
 * The platform settings document: what a service of an environment needs of the platform's
 * profile, and nothing else. The platform repository generates it (`npm run generate` writes
 * `platform-settings/<env>.json`); a service team keeps a copy and reads it with
 * `readPlatformSettings`, so it never builds or loads an environment profile. Plain values only
 * (interfaces, strings, numbers, lists and maps), so the types stay jsii-friendly. Pure: no CDK.
 */
import { KNOWN_DISTRIBUTIONS } from '../collector/distributions';
import type { GeneratedCollectorConfig } from '../collector/generate';
import type { CollectorConfig, CollectorEnvironmentVariable } from '../collector/model';

/** The version of the document's format; a reader refuses any other. */
export const PLATFORM_SETTINGS_VERSION = 1;

/** Where the platform repository writes an environment's settings, relative to its root. */
export function platformSettingsPath(environmentName: string): string {
  return `platform-settings/${environmentName}.json`;
}

export interface PlatformSettings {
  /** The format version of the document: `PLATFORM_SETTINGS_VERSION`. */
  readonly settingsVersion: number;
  /** The project: the first part of every name (log groups, alarms, parameters), and `service.namespace`. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The AWS account of the environment. */
  readonly account: string;
  /** The AWS region of the environment. */
  readonly region: string;
  /** The zones of the platform's VPC, in its order: one private subnet per zone. */
  readonly availabilityZones: string[];
  /** Whether the environment is production (its log groups are kept when a stack is deleted). */
  readonly production: boolean;
  /** The retention of every log group of the environment, in days. */
  readonly logRetentionDays: number;
  /** What every collector sidecar of the environment runs. */
  readonly collectorSidecar: CollectorSidecarSettings;
  /** What the OpenTelemetry SDK of an application container is told. */
  readonly sdk: SdkSettings;
  /** The environment's alarm settings, before a service's own overrides. */
  readonly alarms: AlarmSettings;
  /**
   * The collector gateway tier.
   * @default - no gateway: sidecars export traces themselves, with head sampling
   */
  readonly gateway?: GatewaySettings;
  /** The services the environment's views (dashboard, saved queries, environment alarms) know. */
  readonly knownServices: KnownServices;
}

export interface CollectorSidecarSettings {
  /** The sidecar's cpu units. */
  readonly cpu: number;
  /** The sidecar's memory, in MiB, reserved from the task's. */
  readonly memoryMiB: number;
  /** The checked config of a platform service's sidecar, as the generator returns it. */
  readonly platformConfig: SidecarCollectorConfig;
  /** Per tenant, the checked config of that tenant's services' sidecar; empty without tenants. */
  readonly tenantConfigs: { readonly [tenant: string]: SidecarCollectorConfig };
}

/**
 * A generated sidecar config (`generateCollectorConfig`'s result) with its distribution named, not
 * listed: the component list of the distribution is the generator's business, not a service's.
 */
export interface SidecarCollectorConfig {
  readonly environmentName: string;
  /** Always `sidecar`. */
  readonly role: string;
  /**
   * The tenant whose services run this config.
   * @default - a platform service's config
   */
  readonly tenant?: string;
  /** The collector distribution the config is written for. */
  readonly distribution: CollectorDistributionName;
  /** The collector image the sidecar runs. */
  readonly image: string;
  /** The collector config, rendered to YAML in the task definition. */
  readonly config: CollectorConfig;
  /** Exactly the variables the container needs, sorted by name. */
  readonly environment: CollectorEnvironmentVariable[];
}

export interface CollectorDistributionName {
  /** E.g. `otelcol-contrib`. */
  readonly name: string;
  /** Without a leading `v`. */
  readonly version: string;
}

export interface SdkSettings {
  /** The head-sampling variables (`OTEL_TRACES_SAMPLER` and its argument) of every application container. */
  readonly headSamplingVariables: { readonly [name: string]: string };
}

/** One resolved threshold of the environment: its default, then the environment's override. */
export interface ThresholdSetting {
  /** The signal's id, e.g. `errorRate`. */
  readonly signal: string;
  /** `critical`, `warning` or `info`. */
  readonly severity: string;
  readonly threshold: number;
  readonly windowMinutes: number;
}

/** One side of the traffic band, as given (a missing field takes the side's default). */
export interface TrafficBandSetting {
  /** Width of the anomaly band in standard deviations. */
  readonly bandWidth?: number;
  /** How long traffic must stay past the band, in minutes. */
  readonly windowMinutes?: number;
}

/** The traffic anomaly setting of an environment or a service, as given in the profile. */
export interface TrafficAnomalySetting {
  /** False turns the traffic anomaly alarms off. */
  readonly enabled?: boolean;
  readonly drop?: TrafficBandSetting;
  readonly spike?: TrafficBandSetting;
}

export interface AlarmSettings {
  /** Every threshold of the environment, per signal and severity (a service's overrides apply on top). */
  readonly thresholds: ThresholdSetting[];
  /** The environment's traffic anomaly setting (empty: the defaults). */
  readonly trafficAnomaly: TrafficAnomalySetting;
}

export interface GatewaySettings {
  /** The Cloud Map namespace the sidecars find the gateway tasks in. */
  readonly cloudMapNamespaceName: string;
  /** The tenants with a gateway port and client group of their own, in the profile's order. */
  readonly tenants: string[];
}

/** A service the platform's own app deploys (the profile's `services`). */
export interface DeployedServiceSettings {
  /**
   * The tenant the service belongs to.
   * @default - a platform service
   */
  readonly tenant?: string;
}

export interface KnownServices {
  /** The services the platform's own app deploys (the profile's `services`), by name. */
  readonly deployed: { readonly [serviceName: string]: DeployedServiceSettings };
  /** The services other repositories deploy and the platform's views list (the profile's `externalServices`). */
  readonly external: string[];
}

/**
 * The generator's config of a document's sidecar config: its distribution looked up by name and
 * version among those this package knows, so the config is checked again when rendered.
 * @throws Error when this package does not know the distribution (an older package than the platform's)
 */
export function generatedSidecarConfig(config: SidecarCollectorConfig): GeneratedCollectorConfig {
  const distribution = KNOWN_DISTRIBUTIONS.find(
    (known) => known.name === config.distribution.name && known.version === config.distribution.version,
  );
  if (distribution === undefined) {
    throw new Error(
      `the sidecar config names collector distribution ${config.distribution.name} ${config.distribution.version}, ` +
        `which this version of the package does not know (${KNOWN_DISTRIBUTIONS.map((known) => `${known.name} ${known.version}`).join(', ')}): ` +
        "use the package version the platform's settings were generated with",
    );
  }
  return { ...config, role: 'sidecar', distribution };
}
