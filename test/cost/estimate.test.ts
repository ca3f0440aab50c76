import { defaultAppCostEstimates } from '../../bench/cost';
import { emfCustomMetrics } from '../../bench/cost-model/emf-metrics';
import { type EnvironmentCostInput, estimateEnvironments } from '../../bench/cost-model/estimate';
import { activeSeries } from '../../bench/cost-model/grafana-series';
import { type CfnTemplate, templateInventory } from '../../bench/cost-model/inventory';
import { DEFAULT_LOG_VOLUME_GIB_PER_DAY, expectedLogVolumes } from '../../bench/cost-model/log-volume';
import { PRICES, type Prices } from '../../bench/cost-model/prices';
import { renderCostReport } from '../../bench/cost-model/render';
import { generateCollectorConfig } from '../../lib/collector/generate';
import type { CollectorConfig } from '../../lib/collector/model';
import type { CatalogueMetric } from '../../lib/metrics/catalogue';
import { loadEnvironmentProfiles, ProfileError } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

const metric = (name: string, period = 60) => ({
  MetricStat: { Metric: { Namespace: 'App/prod', MetricName: name }, Period: period, Stat: 'Sum' },
  ReturnData: false,
});

/** A template with every kind of billed CloudWatch resource, one or two of each. */
const TEMPLATE: CfnTemplate = {
  Resources: {
    Single: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'RunningTaskCount', Period: 60 } },
    HighResolution: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Latency', Period: 10 } },
    ErrorRate: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [{ Id: 'e', Expression: '100 * errors / requests' }, metric('errors'), metric('requests')],
      },
    },
    Anomaly: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m, 2)' }, metric('requests')],
        ThresholdMetricId: 'band',
      },
    },
    Page: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(a)' } },
    Dashboard: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: 'app-prod',
        DashboardBody: {
          'Fn::Join': [
            '',
            [
              '{"widgets":[{"type":"alarm","properties":{"alarms":["arn:aws:cloudwatch:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':alarm:page"]}},{"type":"metric","properties":{"metrics":[["App/prod","requests"],',
              '["App/prod","errors"],[{"expression":"100 * m0 / m1","id":"e"}]]}}]}',
            ],
          ],
        },
      },
    },
    Failures: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        MetricTransformations: [
          { MetricNamespace: 'App/prod', MetricName: 'failures', Dimensions: [{ Key: 'group', Value: '$.group' }] },
        ],
      },
    },
    Query: { Type: 'AWS::Logs::QueryDefinition', Properties: { Name: 'q', QueryString: 'fields @message' } },
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/ecs/app-prod/api', RetentionInDays: 30 } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
  },
};

/** The awsemf part of a collector config: one declaration, as lib/collector writes it (`$$` escapes). */
const collectorConfig = (rollup?: string): CollectorConfig => ({
  receivers: {},
  exporters: {
    awsemf: {
      ...(rollup === undefined ? {} : { dimension_rollup_option: rollup }),
      metric_declarations: [
        {
          dimensions: [['service.name']],
          metric_name_selectors: ['^request_count$$', '^otelcol_exporter_send_failed_spans$$'],
        },
      ],
    },
  },
  service: { pipelines: {} },
});

const PRICES_FOR_TEST: Prices = {
  ...PRICES,
  cloudWatch: {
    customMetricPerMonth: 0.3,
    standardAlarmMetricPerMonth: 0.1,
    highResolutionAlarmMetricPerMonth: 0.3,
    compositeAlarmPerMonth: 0.5,
    metricsInsightsAlarmMetricAnalysedPerMonth: 0.1,
    promqlAlarmPerMonth: 0,
    dashboardPerMonth: 3,
    logsIngestionPerGB: 0.5,
    logsStoragePerGBMonth: 0.03,
    logsInsightsPerGBScanned: 0.005,
  },
};

describe('template inventory', () => {
  const inventory = templateInventory([TEMPLATE]);

  test('counts alarms by the metrics they are billed for', () => {
    expect(inventory.metricAlarms).toBe(4);
    // Single 1 + ErrorRate 2 (its expression is free) + Anomaly 3 (the metric and the band's two bounds).
    expect(inventory.standardAlarmMetrics).toBe(6);
    expect(inventory.highResolutionAlarmMetrics).toBe(1);
    expect(inventory.compositeAlarms).toBe(1);
  });

  test('counts dashboards with their widgets and metrics, math expressions excluded', () => {
    expect(inventory.dashboards).toEqual([{ name: 'app-prod', widgets: 2, metrics: 2 }]);
  });

  test('lists metric filters, saved queries and log groups', () => {
    expect(inventory.metricFilters).toEqual([{ namespace: 'App/prod', metricName: 'failures', dimensions: ['group'] }]);
    expect(inventory.queryDefinitions).toBe(1);
    expect(inventory.logGroups).toEqual([{ name: '/ecs/app-prod/api', retentionDays: 30 }]);
  });
});

describe('custom metrics of the collector config', () => {
  const values = (metricName: string) => (metricName.startsWith('otelcol_') ? 1 : 3);

  test('one metric per selected name, dimension set and dimension value', () => {
    const counts = emfCustomMetrics(
      collectorConfig('NoDimensionRollup'),
      ['request_count', 'request_duration_seconds', 'otelcol_exporter_send_failed_spans'],
      values,
    );
    expect(counts).toEqual([
      { metricName: 'request_count', dimensionSets: [['service.name']], metrics: 3 },
      { metricName: 'otelcol_exporter_send_failed_spans', dimensionSets: [['service.name']], metrics: 1 },
    ]);
  });

  test("awsemf's default roll-up adds a metric without dimensions", () => {
    const [requests] = emfCustomMetrics(collectorConfig(), ['request_count'], values);
    expect(requests).toEqual({ metricName: 'request_count', dimensionSets: [['service.name'], []], metrics: 4 });
  });
});

describe('cost estimate', () => {
  const input = (environmentName: string, account: string): EnvironmentCostInput => ({
    environmentName,
    account,
    region: 'eu-west-1',
    grafanaStack: '1',
    templates: [TEMPLATE],
    collectorConfig: collectorConfig('NoDimensionRollup'),
    services: [
      { name: 'api', tasks: 2, instrumented: true },
      { name: 'worker', tasks: 1, instrumented: true },
    ],
    logVolumes: [{ logGroupName: '/ecs/app-prod/api', kind: 'application', gibPerDay: 1, basis: 'declared' }],
  });
  const [first, second] = estimateEnvironments([input('prod', '1'), input('prod-b', '1')], PRICES_FOR_TEST);
  const usd = (item: string) => first.lines.find((line) => line.item === item)?.monthlyUsd;

  test('prices alarms, composites, dashboards and custom metrics', () => {
    expect(usd('Metric alarms, standard resolution')).toBeCloseTo(0.6);
    expect(usd('Metric alarms, high resolution')).toBeCloseTo(0.3);
    expect(usd('Composite alarms')).toBeCloseTo(0.5);
    expect(usd('Dashboards')).toBeCloseTo(3);
    // request_count for 2 services; the collector's failure metric once.
    expect(usd('Service metrics (awsemf)')).toBeCloseTo(0.6);
    expect(usd('Collector failure metrics (awsemf)')).toBeCloseTo(0.3);
    // The metric filter's `group` dimension: one value per service.
    expect(usd('Metric filter metrics (task failures)')).toBeCloseTo(0.6);
  });

  test('prices log ingestion and storage from the declared volume and the retention', () => {
    expect(usd('Logs ingestion: application')).toBeCloseTo(30.4 * 0.5);
    expect(usd('Logs storage (steady state at the retention)')).toBeCloseTo(30 * 0.03);
    expect(first.lines.find((line) => line.item === 'Saved Logs Insights queries')).toMatchObject({
      quantity: 1,
      monthlyUsd: 0,
    });
  });

  test('takes the free tier once per account', () => {
    expect(first.lines.filter((line) => line.category === 'free tier').length).toBeGreaterThan(0);
    expect(second.lines.filter((line) => line.category === 'free tier')).toEqual([]);
    expect(first.monthlyUsd).toBeLessThan(second.monthlyUsd);
    expect(second.monthlyUsd).toBeCloseTo(second.lines.reduce((total, line) => total + line.monthlyUsd, 0));
  });

  test('adds up the Grafana Cloud series of every environment writing to the same stack', () => {
    expect(first.grafana.stackActiveSeries).toBe(first.grafana.activeSeries + second.grafana.activeSeries);
    expect(first.grafana.freeActiveSeries).toBe(10_000);
  });
});

describe('Grafana Cloud active series', () => {
  const counter: CatalogueMetric = {
    otelName: 'request_count',
    kind: 'counter',
    labels: ['service_name', 'endpoint', 'method'],
    unit: 'requests',
    description: '',
    source: 'service',
  };
  const histogram: CatalogueMetric = { ...counter, otelName: 'request_duration_seconds', kind: 'histogram' };
  const services = [
    { tasks: 2, instrumented: true },
    { tasks: 1, instrumented: false },
  ];

  test('multiplies label values by tasks; resource labels add nothing; histograms add buckets, _sum and _count', () => {
    const [counts, durations] = activeSeries(services, undefined, [counter, histogram]);
    expect(counts).toMatchObject({ perTask: 10 * 2, series: 10 * 2 * 2 });
    expect(durations).toMatchObject({ perTask: 10 * 2 * (10 + 2), series: 10 * 2 * 12 * 2 });
  });

  test('every label of the metric catalogue has a cardinality assumption', () => {
    expect(() => activeSeries([{ tasks: 1, instrumented: true }])).not.toThrow();
  });
});

describe('declared log volume', () => {
  /** The example app's environments with api-gateway's declared volume in prod. */
  const withVolume = (gibPerDay: number) => {
    const environments = exampleEnvironments();
    const services = environments.prod.services as Record<string, Record<string, unknown>>;
    services['api-gateway'].logVolumeGiBPerDay = gibPerDay;
    return environments;
  };

  test('a service may declare its daily log volume; the default applies otherwise', () => {
    const { prod } = loadEnvironmentProfiles(withVolume(3));
    const volumes = expectedLogVolumes('prod', prod).filter((volume) => volume.kind === 'application');
    expect(volumes.map((volume) => volume.gibPerDay)).toEqual([3, ...Array(3).fill(DEFAULT_LOG_VOLUME_GIB_PER_DAY)]);
  });

  test('a volume of 0 is rejected with an example', () => {
    const environments = withVolume(0);
    expect(() => loadEnvironmentProfiles(environments)).toThrow(ProfileError);
    expect(() => loadEnvironmentProfiles(environments)).toThrow(
      /environments\.prod\.services\.api-gateway\.logVolumeGiBPerDay: 0 is out of range; expected .* for example 0\.5/,
    );
  });
});

describe('the cost report of the default app', () => {
  const estimates = defaultAppCostEstimates(exampleEnvironments());

  test('has an estimate per environment, priced from its own templates', () => {
    expect(estimates.map((estimate) => estimate.environmentName)).toEqual(['dev', 'staging', 'prod']);
    expect(
      estimates.map(({ environmentName, inventory, monthlyUsd }) => ({
        environmentName,
        hasMetricAlarms: inventory.metricAlarms > 0,
        hasCompositeAlarms: inventory.compositeAlarms > 0,
        dashboards: inventory.dashboards.length,
        costsSomething: monthlyUsd > 0,
      })),
    ).toEqual(
      ['dev', 'staging', 'prod'].map((environmentName) => ({
        environmentName,
        hasMetricAlarms: true,
        hasCompositeAlarms: true,
        dashboards: 1,
        costsSomething: true,
      })),
    );
  });

  test('renders a Markdown table per environment with the prices’ region, date and sources', () => {
    const report = renderCostReport(estimates, PRICES);
    expect(report).toContain('## prod (account 333333333333)');
    expect(report).toContain('| **Total** |');
    expect(report).toContain(`at ${PRICES.region} prices checked on ${PRICES.checked}`);
    expect(report).toContain('https://aws.amazon.com/cloudwatch/pricing/');
  });
});

describe('custom metrics of the generated collector config', () => {
  const prod = loadEnvironmentProfiles(exampleEnvironments()).prod;
  const heartbeats = (services: number) => {
    const [estimate] = estimateEnvironments(
      [
        {
          environmentName: 'prod',
          account: prod.account,
          region: prod.region,
          grafanaStack: prod.grafanaCloud.instanceId,
          templates: [],
          collectorConfig: generateCollectorConfig('prod', prod).config,
          services: Array.from({ length: services }, (_, index) => ({
            name: `service-${index}`,
            tasks: 1,
            instrumented: true,
          })),
          logVolumes: [],
        },
      ],
      PRICES_FOR_TEST,
    );
    return estimate.lines.find((line) => line.item === 'Collector heartbeat (awsemf)')?.quantity;
  };

  test('the heartbeat adds one metric per instrumented service: the source token is one value per environment', () => {
    expect((heartbeats(30) ?? 0) - (heartbeats(3) ?? 0)).toBe(27);
  });
});
