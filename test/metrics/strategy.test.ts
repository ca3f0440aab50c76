/**
 * The profile's translation strategy reaches every generated query: rules per environment, the
 * shared dashboards only when every environment agrees.
 */
import { alertDefinitions } from '../../lib/alerting/prometheus-rules';
import { metricNamesIn } from '../../lib/alerting/promql';
import { dashboardFiles } from '../../lib/dashboards/files';
import { allGeneratedFiles } from '../../lib/generated-files';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

type RawEnvironments = Record<string, { grafanaCloud: Record<string, unknown> }>;

/** The example app's profiles (test/fixtures/example-app) with `strategies` set per environment. */
function profilesWith(strategies: Record<string, string>): Record<string, EnvironmentProfile> {
  const environments = exampleEnvironments() as RawEnvironments;
  for (const [name, strategy] of Object.entries(strategies)) {
    environments[name].grafanaCloud.metricNameTranslation = strategy;
  }
  return loadEnvironmentProfiles(environments);
}

const WITHOUT_SUFFIXES = {
  dev: 'UnderscoreEscapingWithoutSuffixes',
  staging: 'UnderscoreEscapingWithoutSuffixes',
  prod: 'UnderscoreEscapingWithoutSuffixes',
};

describe("the profile's metricNameTranslation", () => {
  test('the example app (cdk.json as shipped) states it for every environment: with suffixes, as Grafana Cloud stores OTLP', () => {
    expect(
      Object.values(exampleEnvironments() as RawEnvironments).map((env) => env.grafanaCloud.metricNameTranslation),
    ).toEqual(['UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithSuffixes']);
  });

  test('without suffixes, the rules query the OTel names as they are', () => {
    const names = alertDefinitions('prod', profilesWith(WITHOUT_SUFFIXES).prod).flatMap((definition) =>
      metricNamesIn(definition.rule.expr),
    );
    expect(names).toContain('request_count');
    expect(names).toContain('otelcol_exporter_send_failed_spans');
    expect(names).not.toContain('request_count_total');
  });

  test('without suffixes, every generated file is written and passes its checks, dashboards included', () => {
    const files = allGeneratedFiles(profilesWith(WITHOUT_SUFFIXES));
    const workflow = files.find((file) => file.path === 'dashboards/starmates-workflow-execution.json');
    expect(workflow?.content).toContain('workflow_execution_duration_bucket');
    expect(workflow?.content).not.toContain('_seconds_bucket');
    expect(files.find((file) => file.path === 'collector-config/local/otel-collector.yaml')?.content).toContain(
      'translation_strategy: UnderscoreEscapingWithoutSuffixes',
    );
  });

  test('differing strategies are refused by the profile loader, naming the environment and the fix', () => {
    expect(() => profilesWith({ staging: 'UnderscoreEscapingWithoutSuffixes' })).toThrow(
      /environments\.staging\.grafanaCloud\.metricNameTranslation: "UnderscoreEscapingWithoutSuffixes" differs from "UnderscoreEscapingWithSuffixes" \(environments\.dev\).*Set the same value in every profile/,
    );
  });

  test('differing strategies are refused by the shared dashboards too, naming each environment and the fix', () => {
    const profiles = profilesWith({});
    profiles.staging = {
      ...profiles.staging,
      grafanaCloud: { ...profiles.staging.grafanaCloud, metricNameTranslation: 'UnderscoreEscapingWithoutSuffixes' },
    };
    expect(() => dashboardFiles(profiles)).toThrow(
      /environments\.\*\.grafanaCloud\.metricNameTranslation differ \(dev: UnderscoreEscapingWithSuffixes, staging: UnderscoreEscapingWithoutSuffixes, prod: UnderscoreEscapingWithSuffixes\).*Set the same value in every profile/,
    );
  });
});
