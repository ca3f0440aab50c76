import { parse } from 'yaml';
import {
  alertmanagerConfig,
  alertmanagerFiles,
  alertmanagerSecrets,
  SECRET_REFERENCE_PREFIX,
} from '../../lib/alerting/alertmanager';
import { alertDefinitions } from '../../lib/alerting/prometheus-rules';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

const profiles = loadEnvironmentProfiles(exampleEnvironments());
const prod = profiles.prod;

interface Config {
  readonly route: { readonly group_by: string[] };
  readonly inhibit_rules: { readonly equal: string[] }[];
  readonly receivers: Record<string, unknown>[];
}

const config = alertmanagerConfig('prod', prod) as unknown as Config;

function receiver(name: string): Record<string, unknown> {
  const found = config.receivers.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no receiver ${name}`);
  return found;
}

describe('the Alertmanager configuration', () => {
  test('critical goes to the on-call webhook and e-mail, warning to Slack and e-mail, info to e-mail', () => {
    expect(config.receivers.map((entry) => [entry.name, Object.keys(entry).filter((key) => key !== 'name')])).toEqual([
      ['critical', ['webhook_configs', 'email_configs']],
      ['warning', ['slack_configs', 'email_configs']],
      ['info', ['email_configs']],
    ]);
  });

  test('without a Slack webhook, warnings are mailed only', () => {
    const dev = alertmanagerConfig('dev', profiles.dev) as unknown as Config;
    expect(Object.keys(dev.receivers[1])).toEqual(['name', 'email_configs']);
  });

  test('notifications are grouped by environment, service and alert', () => {
    expect(config.route.group_by).toEqual(['environment', 'service_name', 'alertname']);
  });

  test('every secret is a reference to its Secrets Manager secret, and no *_file setting is used', () => {
    const [file] = alertmanagerFiles({ prod });
    const alertmanager = prod.notifications.alertmanager;
    if (alertmanager === undefined) throw new Error('the fixture prod has notifications.alertmanager');
    const references = alertmanagerSecrets(alertmanager).map((secret) => secret.reference);
    expect(references).toEqual([
      `${SECRET_REFERENCE_PREFIX}starmates-ai-team/prod/monitoring/alertmanager-oncall-url`,
      `${SECRET_REFERENCE_PREFIX}starmates-ai-team/prod/monitoring/alertmanager-slack-url`,
      `${SECRET_REFERENCE_PREFIX}starmates-ai-team/prod/monitoring/alertmanager-smtp-password`,
    ]);
    expect(references.filter((reference) => !file.content.includes(reference))).toEqual([]);
    expect(file.content).not.toMatch(/_file:/);
    expect((receiver('critical').webhook_configs as { url: string }[])[0].url).toBe(references[0]);
  });

  test('the committed text parses to the configuration object', () => {
    const [file] = alertmanagerFiles({ prod });
    expect(parse(file.content)).toEqual(config);
  });

  test("a critical alert inhibits the warning of the same signal and service: the rules carry the inhibition's labels", () => {
    const rules = alertDefinitions('prod', prod).map((definition) => definition.rule);
    const [inhibition] = config.inhibit_rules;
    const key = (labels: Readonly<Record<string, string>>) =>
      inhibition.equal.map((label) => labels[label] ?? '').join('|');
    const criticalKeys = new Set(
      rules.filter((rule) => rule.labels.severity === 'critical').map((rule) => key(rule.labels)),
    );
    const inhibited = rules
      .filter((rule) => rule.labels.severity === 'warning' && criticalKeys.has(key(rule.labels)))
      .map((rule) => `${rule.alert} ${rule.labels.service_name}`);
    // Each service's elevated error rate and latency, and the slow SLO burns, have a critical form.
    expect(inhibited).toEqual(
      expect.arrayContaining(['ElevatedErrorRate api-gateway', 'ElevatedLatencyP95 api-gateway']),
    );
    expect(
      rules.every((rule) => inhibition.equal.every((label) => label === 'service_name' || rule.labels[label])),
    ).toBe(true);
  });

  test('an environment without notifications.alertmanager gets no file', () => {
    const { alertmanager: _, ...notifications } = prod.notifications;
    expect(alertmanagerFiles({ prod: { ...prod, notifications } })).toEqual([]);
  });
});
