// A service's alarm values from the platform settings are the ones the profile gives: for every
// service of every environment, with overrides at both levels, the settings' path and the
// profile's path (resolveThresholds, trafficAnomalyFor, anomalyBandFor) agree.
import { resolveThresholds } from '../../lib/alerting/thresholds';
import { anomalyBandFor, trafficAnomalyFor } from '../../lib/alerting/traffic-anomaly';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { serviceAnomalyBand, serviceThresholds, serviceTrafficAnomaly } from '../../lib/platform-settings/service';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { SIGNAL_DECLARATIONS } from '../../lib/signals';
import { exampleEnvironments } from '../support/example-app';
import { profilesWithTenants } from '../support/tenant-profiles';

// biome-ignore lint/suspicious/noExplicitAny: profile fragments, edited as JSON.
type Json = Record<string, any>;

/** The example profiles with overrides at the environment and the service level, of every kind the model allows. */
function profilesWithOverrides(): Record<string, EnvironmentProfile> {
  const environments = exampleEnvironments() as Json;
  const prod = environments.prod;
  prod.alertThresholds = {
    errorRate: { critical: { threshold: 7 } },
    latencyP95: { warning: { windowMinutes: 15, threshold: 2.5 } },
  };
  prod.trafficAnomaly = { drop: { bandWidth: 4 }, spike: { windowMinutes: 30 } };
  const [first, second, third] = Object.keys(prod.services);
  prod.services[first].alertThresholds = {
    errorRate: { critical: { threshold: 9, windowMinutes: 10 } },
    latencyP95: { warning: { threshold: 3 } },
    taskRestarts: { critical: { threshold: 4 } },
  };
  prod.services[first].trafficAnomaly = { drop: { windowMinutes: 20 } };
  prod.services[second].trafficAnomaly = { enabled: false };
  prod.services[third].instrumentation = false;
  environments.dev.trafficAnomaly = { enabled: false };
  Object.values(environments.dev.services as Json)[0].trafficAnomaly = { enabled: true };
  return loadEnvironmentProfiles(environments);
}

const cases = [profilesWithOverrides(), profilesWithTenants()].flatMap((profiles) =>
  Object.entries(profiles).flatMap(([environmentName, profile]) =>
    [...Object.keys(profile.services), 'not-listed'].map(
      (serviceName) => [environmentName, serviceName, profile] as [string, string, EnvironmentProfile],
    ),
  ),
);

test.each(cases)(
  '%s/%s: the thresholds from the settings are those the profile resolves',
  (environment, service, profile) => {
    const settings = platformSettings(profile, environment);
    expect(
      serviceThresholds(settings.alarms.thresholds, profile.services[service]?.alertThresholds, SIGNAL_DECLARATIONS),
    ).toEqual(resolveThresholds(profile, service));
  },
);

test.each(cases)(
  '%s/%s: the traffic bands from the settings are those the profile gives',
  (environment, service, profile) => {
    const settings = platformSettings(profile, environment);
    const listed = profile.services[service];
    const traffic = serviceTrafficAnomaly(
      settings.alarms.trafficAnomaly,
      listed?.trafficAnomaly,
      listed?.instrumentation ?? true,
    );
    expect(traffic).toEqual(trafficAnomalyFor(profile, service));
    expect(SIGNAL_DECLARATIONS.map((signal) => serviceAnomalyBand(signal, traffic))).toEqual(
      SIGNAL_DECLARATIONS.map((signal) => anomalyBandFor(profile, service, signal)),
    );
  },
);

test('the overrides of the fixture reach the result: the service over the environment over the default', () => {
  const profile = profilesWithOverrides().prod;
  const [first] = Object.keys(profile.services);
  const thresholds = serviceThresholds(
    platformSettings(profile, 'prod').alarms.thresholds,
    profile.services[first].alertThresholds,
  );
  const errorRate = thresholds.find((entry) => entry.signal === 'errorRate' && entry.severity === 'critical');
  expect(errorRate).toMatchObject({ threshold: 9, windowMinutes: 10 });
  // The service's threshold with the environment's window.
  expect(thresholds.find((entry) => entry.signal === 'latencyP95' && entry.severity === 'warning')).toMatchObject({
    threshold: 3,
    windowMinutes: 15,
  });
});
