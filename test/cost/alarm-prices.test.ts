import { defaultAppCostEstimates } from '../../bench/cost';
import { type EnvironmentCostInput, estimateEnvironments } from '../../bench/cost-model/estimate';
import type { CfnResource, CfnTemplate } from '../../bench/cost-model/inventory';
import { PRICES, type Prices } from '../../bench/cost-model/prices';
import { renderCostReport } from '../../bench/cost-model/render';
import { exampleEnvironments } from '../support/example-app';

const PRICES_FOR_TEST: Prices = {
  ...PRICES,
  cloudWatch: {
    ...PRICES.cloudWatch,
    standardAlarmMetricPerMonth: 0.1,
    highResolutionAlarmMetricPerMonth: 0.3,
    compositeAlarmPerMonth: 0.5,
    metricsInsightsAlarmMetricAnalysedPerMonth: 0.1,
    promqlAlarmPerMonth: 0.25,
  },
};

const metric = (name: string, period = 60) => ({
  MetricStat: { Metric: { Namespace: 'App/prod', MetricName: name }, Period: period, Stat: 'Sum' },
  ReturnData: false,
});

const labelled = (signal: string, severity: string, resource: CfnResource): CfnResource => ({
  ...resource,
  Metadata: { StarmatesAlarm: { signal, severity, strategy: 'bySeverity' } },
});

const ALARMS = {
  errorRate: labelled('errorRate', 'critical', {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { Metrics: [{ Id: 'e', Expression: '100 * errors / requests' }, metric('errors'), metric('requests')] },
  }),
  anomaly: labelled('requestRate', 'warning', {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m, 2)' }, metric('requests')],
      ThresholdMetricId: 'band',
    },
  }),
  highResolution: labelled('latencyP95', 'critical', {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { MetricName: 'Latency', Period: 10 },
  }),
  composite: labelled('page', 'critical', {
    Type: 'AWS::CloudWatch::CompositeAlarm',
    Properties: { AlarmRule: 'ALARM(a)' },
  }),
  insights: labelled('taskRestarts', 'critical', {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Metrics: [
        {
          Id: 'q',
          Expression: 'SELECT SUM(TaskFailures) FROM SCHEMA("App/prod", group) GROUP BY group',
          Period: 600,
        },
      ],
    },
  }),
  promql: labelled('errorRate', 'warning', {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      EvaluationCriteria: { PromQLCriteria: { Query: 'sum by (service_name) (rate(x[5m])) > 1', PendingPeriod: 300 } },
      EvaluationInterval: 60,
    },
  }),
} satisfies Record<string, CfnResource>;

const SERVICES = ['api', 'worker', 'billing'];

/** An environment: a platform template with `environment`, then one service template per service with `perService`. */
function estimate(environment: Record<string, CfnResource>, perService: Record<string, CfnResource> = {}) {
  const input: EnvironmentCostInput = {
    environmentName: 'prod',
    account: '111111111111',
    region: 'us-east-1',
    grafanaStack: 'stack',
    templates: [{ Resources: environment }, ...SERVICES.map((): CfnTemplate => ({ Resources: perService }))],
    services: SERVICES.map((name) => ({ name, tasks: 1, instrumented: false })),
    logVolumes: [],
  };
  const [result] = estimateEnvironments([input], PRICES_FOR_TEST);
  return result;
}

const environmentUsd = (resources: Record<string, CfnResource>) =>
  estimate(resources).alarmPrices.environment.monthlyUsd;

describe('the price of each alarm kind', () => {
  test('a metric math alarm is billed per metric it reads: the error rate reads 2, $0.20', () => {
    expect(environmentUsd({ a: ALARMS.errorRate })).toBeCloseTo(0.2, 10);
  });

  test('an anomaly detection alarm is billed as 3 metrics (the metric and the band’s bounds), $0.30', () => {
    expect(estimate({ a: ALARMS.anomaly }).alarmPrices.rows).toEqual([
      {
        scope: 'environment',
        signal: 'requestRate',
        kind: 'anomalyDetection',
        alarms: 1,
        units: 3,
        unitPrice: 0.1,
        monthlyUsd: expect.closeTo(0.3, 10),
      },
    ]);
  });

  test('an alarm with a period under 60 s is billed at the high-resolution rate, $0.30 a metric', () => {
    expect(estimate({ a: ALARMS.highResolution }).alarmPrices.rows[0]).toMatchObject({
      kind: 'highResolution',
      units: 1,
      monthlyUsd: 0.3,
    });
  });

  test('a composite alarm is $0.50 whatever its rule reads', () => {
    expect(estimate({ a: ALARMS.composite }).alarmPrices.rows[0]).toMatchObject({
      kind: 'composite',
      units: 1,
      monthlyUsd: 0.5,
    });
  });

  test('a Metrics Insights query alarm grouped by service is billed per metric analysed: one per service', () => {
    expect(estimate({ a: ALARMS.insights }).alarmPrices.rows[0]).toMatchObject({
      kind: 'metricsInsights',
      units: SERVICES.length,
      monthlyUsd: expect.closeTo(0.1 * SERVICES.length, 10),
    });
  });

  test('a Metrics Insights query alarm is outside the free tier of 10 alarm metrics', () => {
    const lines = estimate({ a: ALARMS.insights }).lines;
    expect(lines.filter((line) => line.item === 'Free alarm metrics')).toEqual([]);
    expect(lines.find((line) => line.item === 'Metrics Insights query alarms')?.quantity).toBe(SERVICES.length);
  });

  test('a PromQL alarm is billed per alarm at the price file’s PromQL rate', () => {
    expect(estimate({ a: ALARMS.promql }).alarmPrices.rows[0]).toMatchObject({
      kind: 'promql',
      units: 1,
      monthlyUsd: 0.25,
    });
  });
});

describe('alarms by signal and placement', () => {
  const result = estimate({ collector: ALARMS.errorRate }, { errors: ALARMS.errorRate, page: ALARMS.composite });

  test('groups the alarms by placement, signal (StarmatesAlarm metadata) and kind', () => {
    expect(result.alarmPrices.rows.map(({ scope, signal, kind, alarms }) => [scope, signal, kind, alarms])).toEqual([
      ['service', 'errorRate', 'standard', 3],
      ['service', 'page', 'composite', 3],
      ['environment', 'errorRate', 'standard', 1],
    ]);
  });

  test('a service’s price is its stack’s alarms: every service stack’s together, divided by the stacks', () => {
    expect(result.alarmPrices.perService).toEqual({ alarms: 2, monthlyUsd: expect.closeTo(0.7, 10) });
    expect(result.alarmPrices.environment).toEqual({ alarms: 1, monthlyUsd: expect.closeTo(0.2, 10) });
  });

  test('the report shows a row per signal, per service for the service stacks’ and whole for the environment’s', () => {
    const report = renderCostReport([{ ...result, grafana: result.grafana }], PRICES_FOR_TEST);
    expect(report).toContain('| per service | errorRate | metric alarm (per metric read) | 1 | 2 | 0.20 |');
    expect(report).toContain('| environment | errorRate | metric alarm (per metric read) | 1 | 2 | 0.20 |');
    expect(report).toContain('| **Per service** | | | **2** | | **0.70** |');
  });

  test('an alarm without StarmatesAlarm metadata (a benchmark peer’s) is listed as signal (none)', () => {
    const { Metadata: _, ...bare } = ALARMS.composite;
    expect(estimate({ a: bare }).alarmPrices.rows[0].signal).toBe('(none)');
  });
});

describe('the alarm prices of the default app', () => {
  const [prod] = defaultAppCostEstimates(exampleEnvironments(), 'prod');

  test('every alarm names its signal, so the report can place it', () => {
    expect(prod.alarmPrices.rows.filter((row) => row.signal === '(none)')).toEqual([]);
  });

  test('the per-service figures come from the service stacks only, the environment’s from the platform stack', () => {
    const serviceRows = prod.alarmPrices.rows.filter((row) => row.scope === 'service');
    const total = serviceRows.reduce((sum, row) => sum + row.monthlyUsd, 0);
    expect(prod.alarmPrices.perService.monthlyUsd).toBeCloseTo(total / prod.alarmPrices.serviceStacks, 10);
    expect(prod.alarmPrices.serviceStacks).toBe(serviceStackCount());
  });
});

/** The example app's prod services, each in its own stack. */
function serviceStackCount(): number {
  const environments = exampleEnvironments() as Record<string, { services: Record<string, unknown> }>;
  return Object.keys(environments.prod.services).length;
}
