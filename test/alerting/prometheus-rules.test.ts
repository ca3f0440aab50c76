import {
  AlertRuleError,
  alertDefinitions,
  type PrometheusAlertRule,
  prometheusRuleGroups,
} from '../../lib/alerting/prometheus-rules';
import { checkQuery } from '../../lib/alerting/promql';
import { BURN_RATE_WINDOWS, burnRateThreshold, SERVICE_LEVEL_OBJECTIVES } from '../../lib/alerting/thresholds';
import { SeriesNames } from '../../lib/metrics/series-names';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

/** A deep copy of the example app's environments (test/fixtures/example-app), to change in a test. */
function environments(): Record<string, Record<string, unknown>> {
  return exampleEnvironments();
}

function servicesOf(raw: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return raw.services as Record<string, Record<string, unknown>>;
}

const profiles = loadEnvironmentProfiles(environments());
const SERVICES = ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler'];

function rulesOf(
  environmentName: string,
  profile: EnvironmentProfile = profiles[environmentName],
): PrometheusAlertRule[] {
  return alertDefinitions(environmentName, profile).map((definition) => definition.rule);
}

function ruleFor(rules: readonly PrometheusAlertRule[], alert: string, service?: string): PrometheusAlertRule {
  const rule = rules.find((candidate) => candidate.alert === alert && candidate.labels.service_name === service);
  if (rule === undefined) throw new Error(`no ${alert} rule for ${service}`);
  return rule;
}

const everyRule = Object.keys(profiles).flatMap((environmentName) =>
  rulesOf(environmentName).map((rule) => ({ environmentName, rule })),
);

describe('Prometheus alert rules', () => {
  test.each(Object.keys(profiles))('every alert of the issue exists for every service in %s', (environmentName) => {
    const rules = rulesOf(environmentName);
    const alertsOf = (service: string) =>
      rules.filter((rule) => rule.labels.service_name === service).map((rule) => rule.alert);
    const perService = ['ServiceDown', 'HighErrorRate', 'ElevatedErrorRate', 'HighLatencyP95', 'ElevatedLatencyP95'];
    expect(Object.fromEntries(SERVICES.map((service) => [service, alertsOf(service)]))).toEqual(
      Object.fromEntries(SERVICES.map((service) => [service, perService])),
    );
    // The objectives are the same for every service: one rule each, by service_name.
    const slo = rules.filter((rule) => rule.alert.includes('SLO'));
    expect(slo.map((rule) => rule.alert)).toEqual([
      'AvailabilitySLOFastBurn',
      'AvailabilitySLOSlowBurn',
      'LatencySLOFastBurn',
      'LatencySLOSlowBurn',
    ]);
    const byService = /^ {2}sum by \(service_name\)|^ {2}1 - sum by \(service_name\)/m;
    expect(slo.filter((rule) => !byService.test(rule.expr)).map((rule) => rule.alert)).toEqual([]);
  });

  test('AI cost has one rule per environment, collector health one per alert and signal', () => {
    const environmentWide = rulesOf('prod').filter(
      (rule) => rule.labels.service_name === undefined && !rule.alert.includes('SLO'),
    );
    expect(environmentWide.map((rule) => `${rule.alert} ${rule.labels.otel_signal ?? ''}`.trim())).toEqual([
      'HighAICost',
      ...['CollectorExportFailures', 'CollectorRefusedData', 'CollectorDroppedData'].flatMap((alert) =>
        ['traces', 'metrics', 'logs'].map((signal) => `${alert} ${signal}`),
      ),
      'GatewayTracesEvicted traces',
    ]);
  });

  test('collector rules select every collector tier of the environment and alert per tier and component', () => {
    const collectorRules = everyRule.filter(({ rule }) => rule.alert.startsWith('Collector'));
    expect(collectorRules.length).toBeGreaterThan(0);
    // No service_name filter: the gateway's counters (otel-gateway) count like the sidecars' (otelcol-contrib).
    expect(collectorRules.map(({ rule }) => ({ expr: rule.expr, description: rule.annotations.description }))).toEqual(
      collectorRules.map(({ environmentName }) => ({
        expr: expect.stringMatching(
          new RegExp(
            `^sum by \\(service_name, (exporter|receiver)\\) \\(increase\\(otelcol_[a-z_]+_total\\{deployment_environment_name="${environmentName}"\\}\\[3m\\]\\)\\) > 0$`,
          ),
        ),
        description: expect.stringContaining('reporting as {{ $labels.service_name }}'),
      })),
    );
  });

  test.each(['staging', 'prod'])(
    'GatewayTracesEvicted watches the tail sampler of the gateway %s declares',
    (environmentName) => {
      const rule = ruleFor(rulesOf(environmentName), 'GatewayTracesEvicted');
      expect(rule.expr).toBe(
        `sum by (service_name) (increase(otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total{deployment_environment_name="${environmentName}"}[3m])) > 0`,
      );
      expect(rule.for).toBe('5m');
      expect(rule.labels).toEqual({
        severity: 'warning',
        environment: environmentName,
        alert_signal: 'collectorHealth',
        otel_signal: 'traces',
      });
      // The trace cache that overflowed, from the gateway sizing the collector config uses.
      expect(rule.annotations.description).toContain('num_traces 1000 per task');
    },
  );

  test('GatewayTracesEvicted exists only where the profile declares a gateway', () => {
    expect(rulesOf('dev').filter((rule) => rule.alert === 'GatewayTracesEvicted')).toEqual([]);
    const raw = environments();
    delete raw.staging.gateway;
    const withoutGateway = rulesOf('staging', loadEnvironmentProfiles(raw).staging);
    expect(withoutGateway.map((rule) => rule.alert)).not.toContain('GatewayTracesEvicted');
  });

  test('GatewayTracesEvicted takes the collectorHealth threshold and window, like the collector rules', () => {
    const raw = environments();
    raw.prod.alertThresholds = { collectorHealth: { warning: { threshold: 50, windowMinutes: 12 } } };
    const rules = rulesOf('prod', loadEnvironmentProfiles(raw).prod);
    const collectorRules = rules.filter((candidate) => /^(Collector|Gateway)/.test(candidate.alert));
    expect(collectorRules.map((rule) => rule.alert)).toContain('GatewayTracesEvicted');
    expect(collectorRules.map((rule) => ({ expr: rule.expr, for: rule.for }))).toEqual(
      collectorRules.map(() => ({ expr: expect.stringMatching(/\[5m\]\)\) > 50$/), for: '12m' })),
    );
  });

  test('every rule is labelled with its severity and environment, and with the service it watches', () => {
    expect(
      everyRule.map(({ rule }) => ({ severity: rule.labels.severity, environment: rule.labels.environment })),
    ).toEqual(
      everyRule.map(({ environmentName }) => ({
        severity: expect.stringMatching(/^(critical|warning|info)$/),
        environment: environmentName,
      })),
    );
    const serviceRules = everyRule.filter(({ rule }) => rule.expr.includes('service_name="'));
    expect(serviceRules.length).toBeGreaterThan(0);
    const unlabelled = serviceRules.filter(
      ({ rule }) => !rule.expr.includes(`service_name="${rule.labels.service_name}"`),
    );
    expect(unlabelled.map(({ rule }) => rule.alert)).toEqual([]);
  });

  test('every rule has a summary, a description that shows the value, and the runbook of its alert', () => {
    // ServiceDown's value is always 1 (absent), so its description does not show it.
    const valueless = everyRule.filter(({ rule }) => !/\{\{ \$value \| humanize/.test(rule.annotations.description));
    expect([...new Set(valueless.map(({ rule }) => rule.alert))]).toEqual(['ServiceDown']);
    expect(everyRule.filter(({ rule }) => rule.annotations.summary === '').map(({ rule }) => rule.alert)).toEqual([]);
    expect(everyRule.map(({ rule }) => rule.annotations.runbook_url)).toEqual(
      everyRule.map(
        ({ rule }) =>
          `https://github.com/starmates-ai-team/cdk-otel-observability/blob/main/docs/reference/runbooks.md#${rule.alert.toLowerCase()}`,
      ),
    );
  });

  test("every selector of every query is limited to the rule's environment", () => {
    const unlimited = everyRule.flatMap(({ environmentName, rule }) => {
      const selectors = rule.expr.match(/[a-z_]+\{[^}]*\}/g) ?? [];
      if (selectors.length === 0) return [`${rule.alert}: no selector`];
      return selectors
        .filter((selector) => !selector.includes(`deployment_environment_name="${environmentName}"`))
        .map((selector) => `${rule.alert} (${environmentName}): ${selector}`);
    });
    expect(unlimited).toEqual([]);
  });

  test('every query parses and names only catalogue series and labels', () => {
    const problems = everyRule.flatMap(({ environmentName, rule }) => {
      const catalogue = new SeriesNames(profiles[environmentName].grafanaCloud.metricNameTranslation).all();
      return checkQuery(rule.expr, catalogue).map((problem) => ({ alert: rule.alert, environmentName, problem }));
    });
    expect(problems).toEqual([]);
  });

  test('a threshold rule rates over half its window, 3 to 5 minutes, and fires after the whole window', () => {
    const rules = rulesOf('dev');
    const high = ruleFor(rules, 'HighErrorRate', 'api-gateway');
    expect(high.expr).toContain('[3m]');
    expect(high.for).toBe('5m');
    const elevated = ruleFor(rules, 'ElevatedLatencyP95', 'api-gateway');
    expect(elevated.expr).toContain('[5m]');
    expect(elevated.for).toBe('10m');
  });

  test("thresholds come from the model: prod's error-rate warning is 3 %, dev keeps the default 5 %", () => {
    expect(ruleFor(rulesOf('prod'), 'ElevatedErrorRate', 'api-gateway').expr).toMatch(/\n> 3$/);
    expect(ruleFor(rulesOf('dev'), 'ElevatedErrorRate', 'api-gateway').expr).toMatch(/\n> 5$/);
    expect(rulesOf('dev').some((rule) => rule.annotations.summary.includes('above 3 %'))).toBe(false);
  });

  test("a per-service override changes that service's rule and no other", () => {
    const raw = environments();
    servicesOf(raw.prod)['workflow-engine'].alertThresholds = {
      latencyP95: { critical: { threshold: 8, windowMinutes: 12 } },
    };
    const overridden = rulesOf('prod', loadEnvironmentProfiles(raw).prod);
    const before = rulesOf('prod');
    const engine = ruleFor(overridden, 'HighLatencyP95', 'workflow-engine');
    expect(engine.expr).toMatch(/\[5m\]\)\)\)\n> 8$/);
    expect(engine.for).toBe('12m');
    const changed = overridden.filter((rule, index) => JSON.stringify(rule) !== JSON.stringify(before[index]));
    expect(changed).toEqual([engine]);
  });

  test('ServiceDown fires when neither heartbeat series has arrived for two minutes, for the window', () => {
    const rule = ruleFor(rulesOf('staging'), 'ServiceDown', 'workflow-agent');
    const of = 'deployment_environment_name="staging",service_name="workflow-agent"';
    expect(rule.expr).toBe(
      `absent_over_time(active_requests{${of}}[2m])\nand\nabsent_over_time(request_count_total{${of}}[2m])`,
    );
    expect(rule.for).toBe('2m');
    expect(rule.labels.severity).toBe('critical');
  });

  test('a burn-rate rule needs the long and the short window above burnRateThreshold, tier by tier', () => {
    const [availability] = SERVICE_LEVEL_OBJECTIVES;
    const rule = ruleFor(rulesOf('dev'), 'AvailabilitySLOFastBurn');
    const tiers = rule.expr.split('\nor\n');
    const critical = BURN_RATE_WINDOWS.filter((window) => window.severity === 'critical');
    expect(tiers).toHaveLength(critical.length);
    critical.forEach((window, index) => {
      const threshold = String(Number(burnRateThreshold(availability, window.burnRate).toPrecision(12)));
      const [long, short] = tiers[index].split('\nand\n');
      expect(long).toContain(`[${window.longWindowMinutes / 60}h]`);
      expect(long).toContain(`> ${threshold}`);
      expect(short).toContain(`[${window.shortWindowMinutes}m]`);
      expect(short).toContain(`> ${threshold}`);
    });
    expect(rule.for).toBeUndefined();
  });

  // The profile loader refuses both profiles below first (test/profile/bad-profiles); built past it here.
  test('a window under 4 minutes is rejected, naming the alert and the service', () => {
    const profile = loadEnvironmentProfiles(environments()).dev;
    const tooShort = {
      ...profile,
      services: {
        ...profile.services,
        'api-gateway': {
          ...profile.services['api-gateway'],
          alertThresholds: { errorRate: { critical: { threshold: 10, windowMinutes: 3 } } },
        },
      },
    };
    expect(() => alertDefinitions('dev', tooShort)).toThrow(
      /HighErrorRate for api-gateway in dev: the errorRate window of 3 m is too short/,
    );
  });

  test('a severity no rule is named for is rejected', () => {
    const profile = loadEnvironmentProfiles(environments()).dev;
    const unnamed = { ...profile, alertThresholds: { errorRate: { info: { threshold: 1, windowMinutes: 30 } } } };
    expect(() => alertDefinitions('dev', unnamed)).toThrow(AlertRuleError);
    expect(() => alertDefinitions('dev', unnamed)).toThrow(/errorRate\.info has no Prometheus alert rule/);
  });

  test('the profile loader refuses a threshold the rules cannot express, naming the override', () => {
    const raw = environments();
    raw.dev.alertThresholds = { errorRate: { info: { threshold: 1, windowMinutes: 30 } } };
    expect(() => loadEnvironmentProfiles(raw)).toThrow(
      /environments\.dev\.alertThresholds\.errorRate\.info: the generated Prometheus rules \(alerts\/\) cannot express it: .*errorRate\.info has no Prometheus alert rule/,
    );
  });

  test('a service with instrumentation off gets no rules, so ServiceDown cannot fire for ever', () => {
    const raw = environments();
    servicesOf(raw.dev)['workflow-scheduler'].instrumentation = false;
    const rules = rulesOf('dev', loadEnvironmentProfiles(raw).dev);
    expect(rules.filter((rule) => rule.labels.service_name === 'workflow-scheduler')).toEqual([]);
  });

  test('rules are grouped per service, then SLOs, AI cost and collector, evaluated every minute', () => {
    const groups = prometheusRuleGroups(alertDefinitions('dev', profiles.dev));
    expect(groups.map((group) => group.name)).toEqual([
      ...SERVICES.map((service) => `dev-${service}`),
      'dev-slo',
      'dev-ai-cost',
      'dev-collector',
    ]);
    expect(new Set(groups.map((group) => group.interval))).toEqual(new Set(['1m']));
  });
});
