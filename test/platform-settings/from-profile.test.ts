// The settings a team copies make every sidecar run the config the platform generated and
// checked, and hold what a service needs of the profile.
import { generateCollectorConfig } from '../../lib/collector/generate';
import { renderCollectorConfig } from '../../lib/collector/yaml';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { parsePlatformSettings } from '../../lib/platform-settings/parse';
import { generatedSidecarConfig } from '../../lib/platform-settings/settings';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { profilesWithTenants } from '../support/tenant-profiles';

const profiles = loadEnvironmentProfiles(exampleEnvironments());
const tenantProfile = profilesWithTenants().prod;

/** The settings as a team reads them: through their JSON file. */
const copied = (settings: unknown, environmentName: string) =>
  parsePlatformSettings(JSON.parse(JSON.stringify(settings)), `platform-settings/${environmentName}.json`);

test.each(Object.keys(profiles))(
  "%s: the copied settings' sidecar config renders exactly the platform's generated config",
  (environmentName) => {
    const settings = copied(platformSettings(profiles[environmentName], environmentName), environmentName);
    expect(renderCollectorConfig(generatedSidecarConfig(settings.collectorSidecar.platformConfig))).toBe(
      renderCollectorConfig(generateCollectorConfig(environmentName, profiles[environmentName], 'sidecar')),
    );
  },
);

test("each tenant's sidecar config in the copied settings renders exactly the platform's config of that tenant", () => {
  const settings = copied(platformSettings(tenantProfile, 'prod'), 'prod');
  const tenants = Object.keys(tenantProfile.tenants ?? {});
  expect(Object.keys(settings.collectorSidecar.tenantConfigs)).toEqual(tenants);
  const render = (tenant: string) =>
    renderCollectorConfig(generatedSidecarConfig(settings.collectorSidecar.tenantConfigs[tenant]));
  expect(tenants.map(render)).toEqual(
    tenants.map((tenant) =>
      renderCollectorConfig(generateCollectorConfig('prod', tenantProfile, 'sidecar', { tenant })),
    ),
  );
});

test("the known services are the profile's services, with their tenants, and its externalServices", () => {
  const { knownServices } = platformSettings(tenantProfile, 'prod');
  expect(Object.keys(knownServices.deployed)).toEqual(Object.keys(tenantProfile.services));
  expect(knownServices.deployed['acme-reports']).toEqual({ tenant: 'acme-corp' });
  expect(knownServices.external).toEqual(tenantProfile.externalServices ?? []);
});

test('the gateway slice is there exactly when the profile declares a gateway', () => {
  expect(platformSettings(profiles.prod, 'prod').gateway).toEqual({
    cloudMapNamespaceName: 'otel.starmates-ai-team-prod.internal',
    tenants: [],
  });
  expect(profiles.dev.gateway).toBeUndefined();
  expect(platformSettings(profiles.dev, 'dev')).not.toHaveProperty('gateway');
});

test("the sidecar's sizes are the profile's, or the defaults where it gives none", () => {
  expect(platformSettings(profiles.dev, 'dev').collectorSidecar).toMatchObject({
    cpu: profiles.dev.collector?.cpu ?? 256,
    memoryMiB: profiles.dev.collector?.memoryMiB ?? 512,
  });
});
