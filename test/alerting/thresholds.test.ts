import {
  BURN_RATE_WINDOWS,
  burnRateThreshold,
  resolveThresholds,
  SERVICE_LEVEL_OBJECTIVES,
  thresholdFor,
} from '../../lib/alerting/thresholds';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

const profiles = loadEnvironmentProfiles(exampleEnvironments());

describe('threshold model', () => {
  test("the design's defaults apply where the profile says nothing", () => {
    const thresholds = resolveThresholds(profiles.dev, 'api-gateway');
    expect(thresholdFor(thresholds, 'errorRate', 'critical')).toMatchObject({ threshold: 10, windowMinutes: 5 });
    expect(thresholdFor(thresholds, 'errorRate', 'warning')).toMatchObject({ threshold: 5, windowMinutes: 10 });
    expect(thresholdFor(thresholds, 'latencyP95', 'critical')).toMatchObject({ threshold: 5, windowMinutes: 5 });
    expect(thresholdFor(thresholds, 'latencyP95', 'warning')).toMatchObject({ threshold: 2, windowMinutes: 10 });
    expect(thresholdFor(thresholds, 'serviceDown', 'critical')).toMatchObject({ threshold: 1, windowMinutes: 2 });
    expect(thresholdFor(thresholds, 'taskRestarts', 'critical')).toMatchObject({ threshold: 3, windowMinutes: 10 });
    expect(thresholdFor(thresholds, 'aiCostPerHour', 'warning')).toMatchObject({ threshold: 10, windowMinutes: 60 });
  });

  test('an environment override replaces the default threshold and window', () => {
    // The example app (test/fixtures/example-app/cdk.json): prod errorRate.warning = 3 % over 10 minutes
    expect(thresholdFor(resolveThresholds(profiles.prod, 'api-gateway'), 'errorRate', 'warning')).toMatchObject({
      threshold: 3,
      windowMinutes: 10,
    });
  });

  test('a service override wins over the environment one, and a partial override keeps the other field', () => {
    const environments = exampleEnvironments();
    (environments.prod.services as Record<string, Record<string, unknown>>)['workflow-engine'].alertThresholds = {
      errorRate: { warning: { threshold: 8 } },
    };
    const profile = loadEnvironmentProfiles(environments).prod;
    expect(thresholdFor(resolveThresholds(profile, 'workflow-engine'), 'errorRate', 'warning')).toMatchObject({
      threshold: 8,
      windowMinutes: 10,
    });
    expect(thresholdFor(resolveThresholds(profile, 'api-gateway'), 'errorRate', 'warning')?.threshold).toBe(3);
  });

  test('an override can add a severity the defaults lack', () => {
    const environments = exampleEnvironments();
    environments.dev.alertThresholds = { taskRestarts: { warning: { threshold: 1, windowMinutes: 60 } } };
    const thresholds = resolveThresholds(loadEnvironmentProfiles(environments).dev);
    expect(thresholdFor(thresholds, 'taskRestarts', 'warning')).toMatchObject({ threshold: 1, windowMinutes: 60 });
  });

  test('the SLO burn-rate thresholds follow from the objective', () => {
    const [availability] = SERVICE_LEVEL_OBJECTIVES;
    expect(availability).toMatchObject({ name: 'availability', objective: 0.999 });
    expect(burnRateThreshold(availability, BURN_RATE_WINDOWS[0].burnRate)).toBeCloseTo(0.0144, 6);
  });
});
