/**
 * The default app's profiles with two tenants in prod, each with one service of its own: the
 * fixture of the tenant-isolation tests. Two tenants, because isolation is about one tenant not
 * reaching the other.
 */
import { type GeneratedCollectorConfig, generateCollectorConfig } from '../../lib/collector/generate';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';

import { exampleEnvironments } from './example-app';

export const TENANTS = ['acme-corp', 'globex'] as const;
export type TenantId = (typeof TENANTS)[number];

/** The service each tenant owns in the fixture. */
export const TENANT_SERVICES: Readonly<Record<TenantId, string>> = {
  'acme-corp': 'acme-reports',
  globex: 'globex-reports',
};

/** The fixture's Grafana Cloud stack of a tenant (the `index`-th of the list). */
export function tenantGrafanaCloud(tenant: string, index: number) {
  return {
    otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
    stackUrl: `https://${tenant}.grafana.net`,
    instanceId: String(700001 + index),
    apiKeyParameterName: `/starmates-ai-team/prod/tenants/${tenant}/grafana-cloud-api-key`,
  };
}

/**
 * The raw `environments` value: the example app's (test/fixtures/example-app), with prod's tenants and tenant services added.
 * @param tenants the tenant ids; the default is the fixture's two (acme-corp, globex)
 */
export function environmentsWithTenants(tenants: readonly string[] = TENANTS): Record<string, Record<string, unknown>> {
  const environments = exampleEnvironments();
  const prod = environments.prod as Record<string, unknown> & { services: Record<string, unknown> };
  prod.tenants = Object.fromEntries(
    tenants.map((tenant, index) => [
      tenant,
      {
        grafanaCloud: tenantGrafanaCloud(tenant, index),
        gatewayPort: 4320 + index,
        readerPrincipalArns: [`arn:aws:iam::44444444444${index}:role/${tenant}-sre`],
      },
    ]),
  );
  tenants.forEach((tenant, index) => {
    const service = TENANT_SERVICES[tenant as TenantId] ?? `tenant-service-${index}`;
    prod.services[service] = {
      image: `public.ecr.aws/starmates-ai-team/${service}:1.0.0`,
      port: 8100 + index,
      healthCheckPath: '/health',
      cpu: 512,
      memoryMiB: 1024,
      tenant,
    };
  });
  return environments;
}

export function profilesWithTenants(tenants: readonly string[] = TENANTS): Record<string, EnvironmentProfile> {
  return loadEnvironmentProfiles(environmentsWithTenants(tenants));
}

/** Every collector config of the fixture's prod: the platform sidecar, one sidecar per tenant, the gateway. */
export interface TenantCollectorConfigs {
  readonly profile: EnvironmentProfile;
  readonly platform: GeneratedCollectorConfig;
  readonly tenants: Readonly<Record<string, GeneratedCollectorConfig>>;
  readonly gateway: GeneratedCollectorConfig;
}

export function tenantCollectorConfigs(tenants: readonly string[] = TENANTS): TenantCollectorConfigs {
  const profile = profilesWithTenants(tenants).prod;
  return {
    profile,
    platform: generateCollectorConfig('prod', profile, 'sidecar'),
    tenants: Object.fromEntries(
      tenants.map((tenant) => [tenant, generateCollectorConfig('prod', profile, 'sidecar', { tenant })]),
    ),
    gateway: generateCollectorConfig('prod', profile, 'gateway'),
  };
}
