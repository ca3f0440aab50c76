/**
 * The generated-file readers of `obsctl review` (collector configs, Prometheus rules, dashboards),
 * each on two small hand-made documents: one behaviour per test.
 */
import { compareConfigs, keepRate, reviewCollectorConfigs } from '../../lib/review/collector';
import { type GeneratedDocument, type GeneratedFiles, NO_GENERATED_FILES } from '../../lib/review/generated';
import { reviewDashboards, reviewRuleFiles } from '../../lib/review/rules-and-dashboards';

const GATEWAY = 'collector-config/prod/gateway.yaml';

const errors = { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } };
const slow = { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } };
const baseline = (percentage: number) => ({
  name: 'baseline',
  type: 'probabilistic',
  probabilistic: { sampling_percentage: percentage },
});

function gateway(policies: unknown[], extra: Record<string, unknown> = {}) {
  return {
    receivers: { otlp: {} },
    processors: {
      memory_limiter: { check_interval: '1s', limit_mib: 800 },
      tail_sampling: { decision_wait: '10s', policies },
      'redaction/pii': { blocked_values: ['[0-9]{16}'] },
      ...extra,
    },
    exporters: { 'otlp_http/grafana_cloud': { endpoint: 'https://otlp.example' } },
    service: {
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'redaction/pii', 'tail_sampling'],
          exporters: ['otlp_http/grafana_cloud'],
        },
      },
    },
  };
}

function files(
  documents: Record<string, unknown>,
  kind: keyof Omit<GeneratedFiles, 'root'> = 'collectorConfigs',
): GeneratedFiles {
  const map = new Map<string, GeneratedDocument>(
    Object.entries(documents).map(([path, content]) => [path, { path, content }]),
  );
  return { ...NO_GENERATED_FILES, [kind]: map };
}

describe('collector configs', () => {
  test('the share of errors kept is computed from the policies: any policy keeps, `and` keeps the least', () => {
    const sampledErrors = {
      name: 'errors',
      type: 'and',
      and: { and_sub_policy: [errors, baseline(1)] },
    };
    expect([
      keepRate([errors, slow, baseline(10)], 'errors'),
      keepRate([sampledErrors, slow, baseline(10)], 'errors'),
    ]).toEqual([100, 10]);
  });

  test('a drop policy that matches errors removes them whatever the other policies keep', () => {
    const dropErrors = { name: 'drop-errors', type: 'drop', drop: { drop_sub_policy: [errors] } };
    expect(keepRate([errors, slow, baseline(10), dropErrors], 'errors')).toBe(0);
  });

  test('a lower keep rate for errors is a risk, with the policy change and the rates old → new', () => {
    const sampledErrors = { name: 'errors', type: 'probabilistic', probabilistic: { sampling_percentage: 1 } };
    const [change] = reviewCollectorConfigs(
      files({ [GATEWAY]: gateway([errors, slow, baseline(10)]) }),
      files({ [GATEWAY]: gateway([sampledErrors, slow, baseline(10)]) }),
    );
    expect(change).toMatchObject({
      environment: 'prod',
      subject: `collector config ${GATEWAY}`,
      fields: [
        { field: 'tail_sampling: policy errors', old: 'status_code [ERROR]', new: 'probabilistic 1 %' },
        { field: 'tail_sampling: errors kept', old: '100 %', new: '10 %' },
      ],
      risks: ['tail_sampling keeps 10 % of errors instead of 100 %'],
    });
  });

  test('a lower keep rate for slow traces is a risk', () => {
    const { risks } = compareConfigs(gateway([errors, slow, baseline(10)]), gateway([errors, baseline(10)]));
    expect(risks).toEqual(['tail_sampling keeps 10 % of slow traces instead of 100 %']);
  });

  test('a lower baseline keeps fewer other traces, which is not a risk', () => {
    const { fields, risks } = compareConfigs(
      gateway([errors, slow, baseline(10)]),
      gateway([errors, slow, baseline(5)]),
    );
    expect(fields).toContainEqual({ field: 'tail_sampling: other traces kept', old: '10 %', new: '5 %' });
    expect(risks).toEqual([]);
  });

  test('a memory limit change is named by its setting', () => {
    const { fields } = compareConfigs(
      gateway([errors]),
      gateway([errors], { memory_limiter: { check_interval: '1s', limit_mib: 400 } }),
    );
    expect(fields).toEqual([{ field: 'processor memory_limiter: limit_mib', old: '800', new: '400' }]);
  });

  test('a PII rule taken out of a pipeline is a risk', () => {
    const head = gateway([errors]);
    head.service.pipelines.traces.processors = ['memory_limiter', 'tail_sampling'];
    const { fields, risks } = compareConfigs(gateway([errors]), head);
    expect(fields).toEqual([
      {
        field: 'pipeline traces: processors',
        old: '[memory_limiter, redaction/pii, tail_sampling]',
        new: '[memory_limiter, tail_sampling]',
      },
    ]);
    expect(risks).toEqual(['PII rule redaction/pii no longer runs in pipeline traces']);
  });

  test('an added exporter is named', () => {
    const head = gateway([errors]);
    (head.exporters as Record<string, unknown>).debug = { verbosity: 'detailed' };
    expect(compareConfigs(gateway([errors]), head).fields).toEqual([{ field: 'exporter debug', new: 'added' }]);
  });
});

describe('Prometheus rules', () => {
  const RULES = 'alerts/prod.rules.yaml';
  const rules = (threshold: number, forDuration: string) => ({
    groups: [
      {
        name: 'prod-checkout',
        rules: [
          {
            alert: 'HighErrorRate',
            expr: `100 * sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))\n  > ${threshold}`,
            for: forDuration,
            labels: { severity: 'critical', service_name: 'checkout' },
          },
        ],
      },
    ],
  });

  test('a threshold change reads as the threshold old → new, without repeating the expression', () => {
    const [change] = reviewRuleFiles(
      files({ [RULES]: rules(5, '5m') }, 'ruleFiles').ruleFiles,
      files({ [RULES]: rules(8, '5m') }, 'ruleFiles').ruleFiles,
    );
    expect(change).toMatchObject({
      environment: 'prod',
      service: 'checkout',
      subject: 'alert HighErrorRate (critical)',
      fields: [{ field: 'threshold', old: '> 5', new: '> 8' }],
    });
  });

  test('a changed `for` is named', () => {
    const [change] = reviewRuleFiles(
      files({ [RULES]: rules(5, '5m') }, 'ruleFiles').ruleFiles,
      files({ [RULES]: rules(5, '15m') }, 'ruleFiles').ruleFiles,
    );
    expect(change.fields).toEqual([{ field: 'for', old: '5m', new: '15m' }]);
  });

  test('a removed rule is reported', () => {
    const changes = reviewRuleFiles(
      files({ [RULES]: rules(5, '5m') }, 'ruleFiles').ruleFiles,
      files({ [RULES]: { groups: [] } }, 'ruleFiles').ruleFiles,
    );
    expect(changes.map((change) => `${change.kind} ${change.subject}`)).toEqual([
      'removed alert HighErrorRate (critical)',
    ]);
  });
});

describe('dashboards', () => {
  const DASHBOARD = 'dashboards/shop-service-health.json';
  const dashboard = (...panels: unknown[]) => ({ title: 'Service health', panels });
  const panel = (title: string, expr: string) => ({ title, type: 'timeseries', targets: [{ expr }] });

  test('panels added and removed are named, nested rows included', () => {
    const [change] = reviewDashboards(
      files({ [DASHBOARD]: dashboard(panel('Errors', 'a')) }, 'dashboards').dashboards,
      files(
        { [DASHBOARD]: dashboard({ title: 'Traffic', type: 'row', panels: [panel('Requests', 'b')] }) },
        'dashboards',
      ).dashboards,
    );
    expect(change.fields).toEqual([
      { field: 'panel Errors', old: 'present', new: 'removed' },
      { field: 'panel Traffic', new: 'added' },
      { field: 'panel Traffic / Requests', new: 'added' },
    ]);
  });

  test("a panel whose query changed is named with the query's old and new text", () => {
    const [change] = reviewDashboards(
      files({ [DASHBOARD]: dashboard(panel('Errors', 'rate(a[5m])')) }, 'dashboards').dashboards,
      files({ [DASHBOARD]: dashboard(panel('Errors', 'rate(a[1m])')) }, 'dashboards').dashboards,
    );
    expect(change.fields).toEqual([{ field: 'panel Errors: queries', old: 'rate(a[5m])', new: 'rate(a[1m])' }]);
  });
});
