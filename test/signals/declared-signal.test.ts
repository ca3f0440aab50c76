/**
 * Done when (issue 22): a signal declared once, here in a test fixture and not in lib, appears as
 * a CloudWatch alarm of a synthesized service stack, a Prometheus rule with its promtool test, a
 * dashboard threshold line and a runbook section.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { alertDefinitions, prometheusRuleGroups } from '../../lib/alerting/prometheus-rules';
import { checkRuleGroups, renderYaml } from '../../lib/alerting/rule-files';
import { promtoolTestFile, TEST_SUITES } from '../../lib/alerting/rule-tests';
import { containerImageFromReference } from '../../lib/constructs/container-image';
import { ObservedFargateService } from '../../lib/constructs/observed-fargate-service';
import type { IObservabilityPlatform } from '../../lib/constructs/platform';
import { buildDashboards } from '../../lib/dashboards/all';
import { runbooksPage } from '../../lib/docs/runbooks';
import { SeriesNames } from '../../lib/metrics/series-names';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { type SignalDeclaration, signalById, withSignals } from '../../lib/signals';
import { exampleEnvironments } from '../support/example-app';
import { promtool } from '../support/promtool';
import { describeWithTool, PROMTOOL } from '../support/system-tool';

/** The fixture: a count of failed requests of a service (not a share), one declaration. */
const FAILED_REQUESTS: SignalDeclaration = {
  id: 'failedRequests',
  title: 'Failed requests',
  meaning: 'Requests of the service that failed, counted rather than shared.',
  metric: { source: 'catalogue', otelName: 'request_errors_total' },
  thresholds: {
    unit: 'failed requests',
    comparison: 'above',
    description: 'failed requests within the window',
    defaults: { warning: { threshold: 20, windowMinutes: 10 } },
    validRange: { min: 0, integer: true, reason: 'a count of requests' },
  },
  cloudWatch: [
    {
      kind: 'metric',
      metric: { source: 'catalogue', otelName: 'request_errors_total' },
      statistic: 'Sum',
      evaluation: 'everyMinuteOfWindow',
      describes: 'failed requests per minute',
      missingData: 'notBreaching',
      missingDataReason: 'The counter is written only when a request fails.',
    },
  ],
  promql: {
    kind: 'counterIncrease',
    alerts: { warning: 'ManyFailedRequests' },
    counter: 'request_errors_total',
    items: 'failed requests',
  },
  ruleTests: ['fires the window after just above', 'silent just under', 'silent on a short spike'],
  dashboard: { kind: 'signalPanel', title: 'Failed requests', unit: 'short' },
  runbook: {
    kind: 'text',
    text: {
      meaning: 'More requests of the service failed than the threshold allows.',
      checks: ['the service health dashboard', 'the error logs of the service', 'the last deployment'],
      mitigation: 'Roll back the last deployment.',
    },
  },
  placement: {
    cloudWatch: 'serviceAlarm',
    compositeMember: true,
    prometheus: 'perService',
    reason: 'a fixture',
  },
};

const SIGNALS = withSignals([FAILED_REQUESTS]);
const profiles = loadEnvironmentProfiles(exampleEnvironments());
const prod: EnvironmentProfile = profiles.prod;
const definitions = alertDefinitions('prod', prod, SIGNALS);
const declared = definitions.filter((definition) => definition.rule.alert === 'ManyFailedRequests');

/** A band signal declared in a fixture: requests outside a 4-deviation band for 2 of 2 ten-minute periods warn. */
const REQUEST_BAND: SignalDeclaration = {
  ...signalById('trafficSpike'),
  id: 'requestBand',
  title: 'Requests outside their band',
  cloudWatch: [
    {
      kind: 'anomalyBand',
      metric: { source: 'catalogue', otelName: 'request_count' },
      statistic: 'Sum',
      periodMinutes: 10,
      label: 'requests',
      standardDeviations: 4,
      sides: { warning: 'outside' },
      evaluation: { periods: 2 },
      describes: 'requests per 10 min',
      missingData: 'ignore',
      missingDataReason: 'A fixture: keep the last state through gaps.',
    },
  ],
  promql: { kind: 'none', reason: 'A fixture of the CloudWatch form alone.' },
  placement: { cloudWatch: 'serviceAlarm', compositeMember: false, prometheus: 'none', reason: 'A fixture.' },
};

describe('a signal declared in a fixture', () => {
  test('with an anomaly-band form becomes a band alarm, its side, band, period, window and missing data from the declaration', () => {
    const alarms = Template.fromStack(serviceStack(withSignals([REQUEST_BAND]))).findResources(
      'AWS::CloudWatch::Alarm',
    );
    const alarm = Object.values(alarms).find(
      (candidate) => candidate.Properties.AlarmName === 'starmates-ai-team-prod-checkout-requestBand-warning',
    );
    const queries = (alarm?.Properties.Metrics ?? []) as { Expression?: string; MetricStat?: { Period: number } }[];
    expect({
      comparison: alarm?.Properties.ComparisonOperator,
      periods: [alarm?.Properties.EvaluationPeriods, alarm?.Properties.DatapointsToAlarm],
      missingData: alarm?.Properties.TreatMissingData,
      band: queries.find((query) => query.Expression !== undefined)?.Expression?.replace(/\(\w+, /, '(m, '),
      period: queries.find((query) => query.MetricStat !== undefined)?.MetricStat?.Period,
    }).toEqual({
      comparison: 'LessThanLowerOrGreaterThanUpperThreshold',
      periods: [2, 2],
      missingData: 'ignore',
      band: 'ANOMALY_DETECTION_BAND(m, 4)',
      period: 600,
    });
  });

  test('becomes a CloudWatch alarm of a synthesized service stack, named from its id', () => {
    const template = Template.fromStack(serviceStack(SIGNALS));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'starmates-ai-team-prod-checkout-failedRequests-warning',
      MetricName: 'request_errors_total',
      Statistic: 'Sum',
      Threshold: 20,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
      TreatMissingData: 'notBreaching',
    });
  });

  test('without the declaration, the stack has no such alarm', () => {
    const alarms = Template.fromStack(serviceStack(undefined)).findResources('AWS::CloudWatch::Alarm');
    const names = Object.values(alarms).map((alarm) => String(alarm.Properties.AlarmName));
    expect(names.filter((name) => name.includes('failedRequests'))).toEqual([]);
  });

  test('becomes one Prometheus rule per service, on its counter, that passes the rule checks', () => {
    expect(declared.map((definition) => definition.rule.labels.service_name)).toEqual(
      Object.keys(prod.services).sort(),
    );
    expect(declared[0].rule).toMatchObject({
      for: '10m',
      labels: { severity: 'warning', environment: 'prod', alert_signal: 'failedRequests' },
    });
    expect(declared[0].rule.expr).toBe(
      `sum by (service_name) (increase(request_errors_total{deployment_environment_name="prod",service_name="${declared[0].rule.labels.service_name}"}[5m])) > 20`,
    );
    expect(() =>
      checkRuleGroups(
        prometheusRuleGroups(definitions),
        'prod',
        new SeriesNames(prod.grafanaCloud.metricNameTranslation),
      ),
    ).not.toThrow();
  });

  test('gets promtool cases: fires, just under, spike', () => {
    const tests = promtoolTestFile(definitions, 'prod.rules.yaml', TEST_SUITES[0]) as { tests: { name: string }[] };
    const names = tests.tests.map((group) => group.name).join('\n');
    expect(names.match(/ManyFailedRequests [^;\n]*/g)).toEqual([
      'ManyFailedRequests fires once the window after it goes just above the threshold',
      'ManyFailedRequests stays silent just under the threshold, while another environment is above it',
      'ManyFailedRequests stays silent on a 5m spike, shorter than the window',
    ]);
  });

  test('draws its thresholds on a generated service health panel', () => {
    const dashboard = buildDashboards(profiles, SIGNALS).find((candidate) => candidate.uid?.endsWith('service-health'));
    const panel = (dashboard?.panels ?? []).find(
      (candidate) => 'title' in candidate && candidate.title === 'Failed requests',
    );
    expect(JSON.parse(JSON.stringify(panel)).fieldConfig.defaults.thresholds).toEqual({
      mode: 'absolute',
      steps: [
        { value: null, color: 'green' },
        { value: 20, color: 'orange' },
      ],
    });
  });

  test('gets a runbook section, linked from its rules', () => {
    const page = runbooksPage({ prod: new Set(declared.map((definition) => definition.rule.alert)) }, SIGNALS);
    expect(page.content).toContain(
      '## ManyFailedRequests\n\nMore requests of the service failed than the threshold allows.\n\nRule files: `alerts/prod.rules.yaml`.',
    );
    expect(declared[0].rule.annotations.runbook_url).toMatch(/runbooks\.md#manyfailedrequests$/);
  });
});

test("renaming every signal's display texts changes no alarm's logical id or name, only its description", () => {
  const renamed = SIGNALS.map(
    (signal): SignalDeclaration => ({
      ...signal,
      title: `${signal.title} (renamed)`,
      meaning: `${signal.meaning} Renamed.`,
      ...(signal.thresholds === undefined
        ? {}
        : { thresholds: { ...signal.thresholds, description: `${signal.thresholds.description}, renamed` } }),
      cloudWatch: signal.cloudWatch.map((form) =>
        form.kind === 'composite' ? form : { ...form, describes: `${form.describes}, renamed` },
      ),
    }),
  );
  const alarmsOf = (signals: readonly SignalDeclaration[]) => {
    const resources = Template.fromStack(serviceStack(signals)).toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    return Object.entries(resources)
      .filter(([, resource]) => resource.Type.startsWith('AWS::CloudWatch::') && resource.Type.endsWith('Alarm'))
      .map(([logicalId, resource]) => ({
        identity: `${logicalId} ${resource.Properties.AlarmName}`,
        description: String(resource.Properties.AlarmDescription),
      }));
  };
  const before = alarmsOf(SIGNALS);
  const after = alarmsOf(renamed);
  const descriptions = new Set(before.map((alarm) => alarm.description));
  expect({
    identities: after.map((alarm) => alarm.identity).sort(),
    renamedDescriptions: after.filter((alarm) => !descriptions.has(alarm.description)).length,
  }).toEqual({ identities: before.map((alarm) => alarm.identity).sort(), renamedDescriptions: 7 });
});

describeWithTool(PROMTOOL, 'promtool, on a declared signal', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'declared-signal-'));
    const groups = prometheusRuleGroups(definitions);
    const tests = promtoolTestFile(definitions, '../prod.rules.yaml', TEST_SUITES[0]);
    mkdirSync(join(folder, 'tests'), { recursive: true });
    writeFileSync(join(folder, 'prod.rules.yaml'), renderYaml({ groups }, ['fixture']));
    writeFileSync(join(folder, 'tests', 'prod.test.yaml'), renderYaml(tests, ['fixture']));
    mkdirSync(dirname(join(folder, 'tests')), { recursive: true });
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  jest.setTimeout(60_000);

  test('its rule file passes promtool test rules, every case included', async () => {
    expect(await promtool('test', 'rules', join(folder, 'tests', 'prod.test.yaml'))).toMatch(/SUCCESS/);
  });
});

/** A service team's stack with an imported platform, alarmed on `signals`. */
function serviceStack(signals: readonly SignalDeclaration[] | undefined): Stack {
  const account = '444444444444';
  const region = 'eu-central-1';
  const stack = new Stack(new App(), 'Checkout', { env: { account, region } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  const topic = (name: string) => sns.Topic.fromTopicArn(stack, name, `arn:aws:sns:${region}:${account}:${name}`);
  const platform: IObservabilityPlatform = {
    environmentName: 'prod',
    settings: platformSettings(prod, 'prod'),
    cluster: ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shared-prod', vpc }),
    encryptionKey: kms.Key.fromKeyArn(
      stack,
      'Key',
      `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    ),
    alarmTopics: { critical: topic('critical'), warning: topic('warning'), info: topic('info') },
    gateway: {
      clientSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'GatewayClients', 'sg-0123456789abcdef0'),
    },
    sourceToken: secretsmanager.Secret.fromSecretCompleteArn(
      stack,
      'SourceToken',
      `arn:aws:secretsmanager:${region}:${account}:secret:/starmates-ai-team/prod/observability/source-token-AbCdEf`,
    ),
  };
  new ObservedFargateService(stack, 'Checkout', {
    platform,
    serviceName: 'checkout',
    image: containerImageFromReference(stack, 'Image', `${account}.dkr.ecr.${region}.amazonaws.com/checkout:7.0.1`),
    port: 8080,
    healthCheckPath: '/ready',
    cpu: 512,
    memoryLimitMiB: 1024,
    user: '1000:1000',
    ...(signals === undefined ? {} : { signals }),
  });
  return stack;
}
