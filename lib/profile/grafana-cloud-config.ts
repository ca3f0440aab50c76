import type { EnvironmentProfile } from './schema';

/**
 * The JSON document of the non-secret Grafana Cloud config parameter: everything but the token.
 * Pure, so the CLI can compare it without loading aws-cdk-lib.
 */
export function grafanaCloudConfigDocument(profile: EnvironmentProfile): Record<string, string> {
  return {
    instanceId: profile.grafanaCloud.instanceId,
    otlpEndpoint: profile.grafanaCloud.otlpEndpoint,
    apiKeyParameterName: profile.grafanaCloud.apiKeyParameterName,
  };
}
