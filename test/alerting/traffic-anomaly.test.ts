import { parse } from 'yaml';
import { alertRuleFiles } from '../../lib/alerting/rule-files';
import {
  TRAFFIC_ANOMALY_DEFAULTS,
  trafficAnomalyFor,
  trafficExpression,
  trafficRules,
} from '../../lib/alerting/traffic-anomaly';
import { SeriesNames } from '../../lib/metrics/series-names';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

// biome-ignore lint/suspicious/noExplicitAny: profile fragments, edited as JSON.
type Json = Record<string, any>;

function profiles(edit: (environments: Json) => void = () => {}): Record<string, EnvironmentProfile> {
  const environments = exampleEnvironments() as Json;
  edit(environments);
  return loadEnvironmentProfiles(environments);
}

const prod = profiles().prod;
const series = new SeriesNames(prod.grafanaCloud.metricNameTranslation);

describe('trafficAnomalyFor', () => {
  test('without settings a service gets the defaults: 3 standard deviations, 15 minutes, both sides', () => {
    expect(trafficAnomalyFor(prod, 'api-gateway')).toEqual(TRAFFIC_ANOMALY_DEFAULTS);
  });

  test("the service's enabled wins over the environment's", () => {
    const edited = profiles((environments) => {
      environments.prod.trafficAnomaly = { enabled: false };
      environments.prod.services['api-gateway'].trafficAnomaly = { enabled: true };
    }).prod;
    expect([trafficAnomalyFor(edited, 'api-gateway'), trafficAnomalyFor(edited, 'workflow-agent')]).toEqual([
      TRAFFIC_ANOMALY_DEFAULTS,
      undefined,
    ]);
  });

  test('a service without instrumentation sends no request counts, so it has no traffic signal', () => {
    const edited = profiles((environments) => {
      environments.prod.services['api-gateway'].instrumentation = false;
    }).prod;
    expect(trafficAnomalyFor(edited, 'api-gateway')).toBeUndefined();
  });
});

describe('traffic rules', () => {
  test('the drop compares the rate, or 0 when no series arrives, with half of each of the last three weeks', () => {
    expect(trafficExpression('prod', 'api-gateway', 'drop', series)).toBe(
      [1, 2, 3]
        .map(
          (week) =>
            '(sum by (service_name) (rate(request_count_total{deployment_environment_name="prod",service_name="api-gateway"}[10m])) or 0 * sum by (service_name) (rate(request_count_total{deployment_environment_name="prod",service_name="api-gateway"}[10m] offset 1w)))\n' +
            `  < 0.5 * (sum by (service_name) (rate(request_count_total{deployment_environment_name="prod",service_name="api-gateway"}[10m] offset ${week}w)) > 0.1)`,
        )
        .join('\nand\n'),
    );
  });

  test('a drop pages and a spike warns, each with its runbook and the profile window as for', () => {
    const [drop, spike] = trafficRules('prod', prod, series);
    expect([drop, spike].map((rule) => [rule.alert, rule.for, rule.labels, rule.annotations.runbook_url])).toEqual([
      [
        'TrafficDrop',
        '15m',
        { severity: 'critical', environment: 'prod', alert_signal: 'traffic', service_name: 'api-gateway' },
        expect.stringMatching(/runbooks\.md#trafficdrop$/),
      ],
      [
        'TrafficSpike',
        '15m',
        { severity: 'warning', environment: 'prod', alert_signal: 'traffic', service_name: 'api-gateway' },
        expect.stringMatching(/runbooks\.md#trafficspike$/),
      ],
    ]);
  });

  test("every service's rules are the first service's with its name: one service's promtool cases cover them", () => {
    const rules = trafficRules('prod', prod, series);
    const [first, ...others] = [...new Set(rules.map((rule) => rule.labels.service_name))];
    const as = (service: string) =>
      JSON.stringify(rules.filter((rule) => rule.labels.service_name === service)).replaceAll(service, 'S');
    expect([others.length > 0, others.filter((service) => as(service) !== as(first))]).toEqual([true, []]);
  });

  test("every environment's rule file has a TrafficDrop and a TrafficSpike rule per instrumented service", () => {
    const all = profiles();
    const ruleFiles = alertRuleFiles(all).filter((file) => file.path.endsWith('.rules.yaml'));
    const found = ruleFiles.map((file) => {
      const { groups } = parse(file.content) as { groups: { rules: { alert: string; labels: Json }[] }[] };
      const rules = groups.flatMap((group) => group.rules).filter((rule) => rule.alert.startsWith('Traffic'));
      return [file.path, rules.map((rule) => `${rule.alert}:${rule.labels.service_name}`).sort()];
    });
    const expected = Object.entries(all)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, profile]) => [
        `alerts/${name}.rules.yaml`,
        Object.keys(profile.services)
          .filter((service) => profile.services[service].instrumentation !== false)
          .flatMap((service) => [`TrafficDrop:${service}`, `TrafficSpike:${service}`])
          .sort(),
      ]);
    expect(found).toEqual(expected);
  });
});
