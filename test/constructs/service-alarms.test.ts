import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp, exampleEnvironments } from '../support/default-app';

/** The source token dimension every EMF alarm metric carries: the platform's published copy, by a deploy-time parameter. */
const SOURCE_TOKEN = {
  Name: 'source_token',
  Value: { Ref: expect.stringMatching(/^SsmParameterValue\w*sourcetokenvalue\w*Parameter$/) },
};

const prod = buildTestApp({ selection: 'prod', compliance: false });
const template = Template.fromStack(prod.services[0]); // api-gateway
const alarms = template.findResources('AWS::CloudWatch::Alarm');
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties, read as the template has them.
const byName: Record<string, Record<string, any>> = Object.fromEntries(
  Object.values(alarms).map((alarm) => [alarm.Properties.AlarmName, alarm.Properties]),
);
const prefix = 'starmates-ai-team-prod-api-gateway';

/** The platform topic an action refers to, by the SSM parameter its ARN is read from: `AlarmTopicsCritical`. */
function topicOf(action: unknown): string {
  const severity = JSON.stringify(action).match(/SsmParameterValue\w*observabilityalarmtopics([a-z]+)[0-9A-F]/)?.[1];
  return severity === undefined
    ? JSON.stringify(action)
    : `AlarmTopics${severity[0].toUpperCase()}${severity.slice(1)}`;
}

/** A composite's rule with each alarm's ARN written as its logical id without the hash: `ALARM("ObservedAlarmspage")`. */
function readableRule(rule: { 'Fn::Join': [string, (string | { 'Fn::GetAtt': [string, string] })[]] }): string {
  return rule['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : part['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')))
    .join('');
}

describe('ServiceAlarms', () => {
  test('every signal CloudWatch can see has its alarm, with the model threshold and window', () => {
    expect(byName[`${prefix}-serviceDown-critical`]).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      MetricName: 'RunningTaskCount',
      Namespace: 'ECS/ContainerInsights',
    });
    expect(byName[`${prefix}-errorRate-critical`]).toMatchObject({ Threshold: 10, EvaluationPeriods: 5 });
    expect(byName[`${prefix}-latencyP95-critical`]).toMatchObject({
      Threshold: 5,
      EvaluationPeriods: 5,
      ExtendedStatistic: 'p95',
      MetricName: 'request_duration_seconds',
      Namespace: 'StarmatesAiTeam/prod',
      Dimensions: [{ Name: 'service.name', Value: 'api-gateway' }, SOURCE_TOKEN],
    });
    expect(byName[`${prefix}-taskRestarts-critical`]).toMatchObject({
      Threshold: 3,
      Period: 600,
      MetricName: 'ecs_task_failures',
      Dimensions: [{ Name: 'group', Value: 'service:api-gateway' }],
    });
    expect(byName[`${prefix}-logGroupGrowth-warning`]).toMatchObject({ Threshold: 80 });
  });

  test('the error-rate and p95 latency warnings have no CloudWatch alarm: their Prometheus rules alone warn', () => {
    expect(Object.keys(byName).filter((name) => /-(?:errorRate|latencyP95)-/.test(name))).toEqual([
      `${prefix}-errorRate-critical`,
      `${prefix}-latencyP95-critical`,
    ]);
  });

  test("the environment's override reaches the alarm", () => {
    const environments = exampleEnvironments();
    environments.prod.alertThresholds = { errorRate: { critical: { threshold: 8, windowMinutes: 4 } } };
    const { services } = buildTestApp({ environments, selection: 'prod', compliance: false });
    Template.fromStack(services[0]).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${prefix}-errorRate-critical`,
      Threshold: 8,
      EvaluationPeriods: 4,
    });
  });

  test('a service override changes only that service', () => {
    const environments = exampleEnvironments();
    (environments.prod.services as Record<string, Record<string, unknown>>)['workflow-engine'].alertThresholds = {
      latencyP95: { critical: { threshold: 4 } },
    };
    const { services } = buildTestApp({ environments, selection: 'prod', compliance: false });
    const latencyCritical = (index: number) =>
      Object.values(Template.fromStack(services[index]).findResources('AWS::CloudWatch::Alarm'))
        .map((alarm) => alarm.Properties)
        .find((properties) => String(properties.AlarmName).endsWith('latencyP95-critical'))?.Threshold;
    expect(latencyCritical(2)).toBe(4); // workflow-engine
    expect(latencyCritical(0)).toBe(5); // api-gateway
  });

  test('the error rate is metric math over the EMF request and error counters', () => {
    const metrics = byName[`${prefix}-errorRate-critical`].Metrics as { Expression?: string; MetricStat?: unknown }[];
    expect(metrics.find((metric) => metric.Expression)?.Expression).toBe(
      'IF(requests > 0, 100 * errors / requests, 0)',
    );
    expect(JSON.stringify(metrics)).toContain('request_errors_total');
    expect(JSON.stringify(metrics)).toContain('request_count');
  });

  test('missing data is breaching only for service down and the collector heartbeat', () => {
    const breaching = /-(?:serviceDown-critical|collectorHeartbeat-(?:warning|critical))$/;
    for (const [name, properties] of Object.entries(byName)) {
      expect([name, properties.TreatMissingData]).toEqual([name, breaching.test(name) ? 'breaching' : 'notBreaching']);
    }
  });

  test('the heartbeat warning counts running tasks whose collector did not report, so one dead collector of many shows', () => {
    const warning = byName[`${prefix}-collectorHeartbeat-warning`];
    expect(warning).toMatchObject({
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    });
    const queries = warning.Metrics as { Id: string; Expression?: string; MetricStat?: Record<string, unknown> }[];
    expect(queries.find((query) => query.Expression !== undefined)?.Expression).toBe('running - FILL(uptime, 0) / 300');
    expect(queries.find((query) => query.Id === 'uptime')?.MetricStat).toMatchObject({
      Metric: {
        Namespace: 'StarmatesAiTeam/prod',
        MetricName: 'otelcol_process_uptime',
        Dimensions: [{ Name: 'aws.ecs.task.family', Value: 'starmates-ai-team-prod-api-gateway' }, SOURCE_TOKEN],
      },
      Period: 300,
      Stat: 'Sum',
    });
    expect(queries.find((query) => query.Id === 'running')?.MetricStat).toMatchObject({
      Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' },
      Stat: 'Average',
    });
  });

  test('no collector reporting at all is critical and pages through the composite alarm', () => {
    expect(byName[`${prefix}-collectorHeartbeat-critical`]).toMatchObject({
      Threshold: 0.5,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    const [page] = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).filter(
      (alarm) => alarm.Properties.AlarmName === `${prefix}-page`,
    );
    expect(JSON.stringify(page.Properties.AlarmRule)).toContain('AlarmsCollectorHeartbeatCritical');
  });

  test('a service without instrumentation has no collector, so no heartbeat alarm', () => {
    const environments = exampleEnvironments();
    (environments.prod.services as Record<string, Record<string, unknown>>)['api-gateway'].instrumentation = false;
    const { services } = buildTestApp({ environments, selection: 'prod', compliance: false });
    const names = Object.values(Template.fromStack(services[0]).findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmName as string,
    );
    expect(names.filter((name) => name.includes('collectorHeartbeat'))).toEqual([]);
  });

  test('every alarm has an action; critical signals go to chat and notify on OK', () => {
    for (const properties of Object.values(byName)) expect(properties.AlarmActions).toHaveLength(1);
    expect(topicOf(byName[`${prefix}-errorRate-critical`].AlarmActions[0])).toBe('AlarmTopicsWarning');
    expect(topicOf(byName[`${prefix}-errorRate-critical`].OKActions[0])).toBe('AlarmTopicsWarning');
    expect(topicOf(byName[`${prefix}-logGroupGrowth-warning`].AlarmActions[0])).toBe('AlarmTopicsWarning');
  });

  test('one composite alarm per service pages on any critical signal or fast SLO burn, and on OK', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: `${prefix}-page`,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('observabilityalarmtopicscritical') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('observabilityalarmtopicscritical') }],
    });
    const page = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).find(
      (alarm) => alarm.Properties.AlarmName === `${prefix}-page`,
    );
    const rule = JSON.stringify(page?.Properties.AlarmRule);
    for (const member of ['serviceDowncritical', 'errorRatecritical', 'latencyP95critical', 'taskRestartscritical']) {
      expect(rule).toContain(member);
    }
    expect(rule).not.toContain('warning');
  });

  test("a fast SLO burn pages through Page's own rule: its long AND short window, no burn composite", () => {
    const page = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).find(
      (alarm) => alarm.Properties.AlarmName === `${prefix}-page`,
    );
    expect(readableRule(page?.Properties.AlarmRule)).toContain(
      '(ALARM("ObservedAlarmsavailabilityburn144long") AND ALARM("ObservedAlarmsavailabilityburn144short"))',
    );
    expect(
      Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).map(
        (alarm) => alarm.Properties.AlarmName,
      ),
    ).toEqual([`${prefix}-page`]);
  });

  test('the slow SLO burn has no CloudWatch alarm: its Prometheus rule alone warns', () => {
    expect(Object.keys(byName).filter((name) => name.includes('-slo-'))).toEqual([
      `${prefix}-slo-availability-burn14.4-long`,
      `${prefix}-slo-availability-burn14.4-short`,
      `${prefix}-slo-latency-burn14.4-long`,
      `${prefix}-slo-latency-burn14.4-short`,
    ]);
  });

  test('SLO burn-rate alarms need both their long and their short window', () => {
    expect(byName[`${prefix}-slo-availability-burn14.4-long`]).toMatchObject({ Threshold: 1.44 });
    expect(byName[`${prefix}-slo-availability-burn14.4-short`]).toMatchObject({ Threshold: 1.44 });
    const periods = (name: string) => JSON.stringify(byName[name].Metrics).match(/"Period":(\d+)/g) ?? [];
    expect(periods(`${prefix}-slo-availability-burn14.4-long`)).toContain('"Period":3600');
    expect(periods(`${prefix}-slo-availability-burn14.4-short`)).toContain('"Period":300');
  });

  test('the latency SLO counts requests slower than 2 s with a percentile rank', () => {
    expect(JSON.stringify(byName[`${prefix}-slo-latency-burn14.4-long`].Metrics)).toContain('"Stat":"PR(0:2)"');
  });
});
