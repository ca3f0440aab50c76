import type { PlatformSettings } from '../../lib/platform-settings/settings';

/** The props of an `OtelCollectorSidecar` that come from the platform settings, as `FargateObservability` passes them. */
export function sidecarSettingsProps(settings: PlatformSettings, tenant?: string) {
  const collector =
    tenant === undefined ? settings.collectorSidecar.platformConfig : settings.collectorSidecar.tenantConfigs[tenant];
  if (collector === undefined) throw new Error(`no sidecar config for tenant ${tenant} in ${settings.environmentName}`);
  return {
    project: settings.project,
    environmentName: settings.environmentName,
    collector,
    cpu: settings.collectorSidecar.cpu,
    memoryMiB: settings.collectorSidecar.memoryMiB,
    headSamplingVariables: settings.sdk.headSamplingVariables,
    gatewayNamespaceName: settings.gateway?.cloudMapNamespaceName,
    ...(tenant === undefined ? {} : { tenant }),
  };
}
