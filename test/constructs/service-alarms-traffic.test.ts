import { Template } from 'aws-cdk-lib/assertions';
import { ALARM_METADATA_KEY } from '../../lib/constructs/alarm-factory';
import { buildTestApp, exampleEnvironments } from '../support/default-app';

const PREFIX = 'starmates-ai-team-prod-api-gateway';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation resources, read as the template has them.
type Resource = Record<string, any>;

/** Every alarm of a service stack of prod (api-gateway unless told), by name. */
function alarmsOf(environments = exampleEnvironments(), index = 0): Record<string, Resource> {
  const { services } = buildTestApp({ environments, selection: 'prod', compliance: false });
  const alarms = Template.fromStack(services[index]).findResources('AWS::CloudWatch::Alarm');
  return Object.fromEntries(Object.values(alarms).map((alarm) => [alarm.Properties.AlarmName, alarm]));
}

const alarms = alarmsOf();
const drop = alarms[`${PREFIX}-trafficDrop-critical`];
const spike = alarms[`${PREFIX}-trafficSpike-warning`];

/** The alarm's metric queries, without the ids CDK picks. */
function queries(alarm: Resource): unknown[] {
  return alarm.Properties.Metrics.map(({ Id: _id, ...query }: Resource) => query);
}

describe('traffic anomaly alarms, from the trafficDrop and trafficSpike declarations', () => {
  test('the drop alarm compares the EMF request sum per 5 min with a band of 3 standard deviations', () => {
    expect(queries(drop)).toEqual([
      { Expression: 'ANOMALY_DETECTION_BAND(m0, 3)', Label: 'Anomaly Detection Band', ReturnData: true },
      {
        MetricStat: {
          Metric: {
            Namespace: 'StarmatesAiTeam/prod',
            MetricName: 'request_count',
            Dimensions: [
              { Name: 'service.name', Value: 'api-gateway' },
              {
                Name: 'source_token',
                Value: { Ref: expect.stringMatching(/^SsmParameterValue\w*sourcetokenvalue\w*Parameter$/) },
              },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
        Label: 'requests',
        ReturnData: true,
      },
    ]);
  });

  test('the band is the threshold: ThresholdMetricId names the ANOMALY_DETECTION_BAND query', () => {
    const band = drop.Properties.Metrics.find((query: Resource) => query.Expression !== undefined);
    expect(drop.Properties.ThresholdMetricId).toBe(band.Id);
  });

  test('a drop below the band for 3 of 3 periods pages; a spike above it for 3 of 3 warns', () => {
    expect([drop, spike].map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        ComparisonOperator: 'LessThanLowerThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      }),
      expect.objectContaining({
        ComparisonOperator: 'GreaterThanUpperThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
      }),
    ]);
  });

  test('the drop routes like the other critical signals: warning topic, paging through the composite', () => {
    expect([drop, spike].map((alarm) => alarm.Metadata[ALARM_METADATA_KEY])).toEqual([
      { signal: 'trafficDrop', severity: 'critical', strategy: 'pageThroughComposite' },
      { signal: 'trafficSpike', severity: 'warning', strategy: 'pageThroughComposite' },
    ]);
  });

  test("the drop is a member of the service's Page composite, the spike is not", () => {
    const { services } = buildTestApp({ selection: 'prod', compliance: false });
    const composites = Template.fromStack(services[0]).findResources('AWS::CloudWatch::CompositeAlarm');
    const page = Object.values(composites).find((alarm) => alarm.Properties.AlarmName === `${PREFIX}-page`);
    const rule = JSON.stringify(page?.Properties.AlarmRule);
    expect([rule.includes('trafficDropcritical'), rule.includes('trafficSpike')]).toEqual([true, false]);
  });

  test("each alarm's description names the band and links its runbook", () => {
    expect([drop, spike].map((alarm) => alarm.Properties.AlarmDescription)).toEqual([
      expect.stringMatching(
        /^api-gateway \(prod\): requests per 5 min below the usual band \(anomaly detection, 3 standard deviations\) for 3 of 3 periods \(15 min\) \[critical\] Runbook: \S+#trafficdrop$/,
      ),
      expect.stringMatching(/above the usual band .* \[warning\] Runbook: \S+#trafficspike$/),
    ]);
  });

  test("the profile's band width and window reach the alarm: the service's over the environment's", () => {
    const environments = exampleEnvironments() as Record<string, Resource>;
    environments.prod.trafficAnomaly = { drop: { bandWidth: 4, windowMinutes: 30 }, spike: { bandWidth: 5 } };
    environments.prod.services['api-gateway'].trafficAnomaly = { drop: { bandWidth: 2.5 } };
    const changed = alarmsOf(environments);
    const band = (alarm: Resource) =>
      alarm.Properties.Metrics.find((query: Resource) => query.Expression !== undefined).Expression.replace(
        /\(\w+, /,
        '(m, ',
      );
    const drop = changed[`${PREFIX}-trafficDrop-critical`];
    const spike = changed[`${PREFIX}-trafficSpike-warning`];
    expect([band(drop), drop.Properties.EvaluationPeriods, band(spike), spike.Properties.EvaluationPeriods]).toEqual([
      'ANOMALY_DETECTION_BAND(m, 2.5)',
      6,
      'ANOMALY_DETECTION_BAND(m, 5)',
      3,
    ]);
  });

  test('enabled: false on a service removes its traffic alarms and nothing else', () => {
    const environments = exampleEnvironments() as Record<string, Resource>;
    environments.prod.services['api-gateway'].trafficAnomaly = { enabled: false };
    const without = Object.keys(alarmsOf(environments));
    expect(Object.keys(alarms).filter((name) => !without.includes(name))).toEqual([
      `${PREFIX}-trafficDrop-critical`,
      `${PREFIX}-trafficSpike-warning`,
    ]);
  });
});

test("every environment's service stacks hold a traffic drop and a traffic spike alarm", () => {
  const { services } = buildTestApp({ compliance: false });
  const found = services.map((stack) => {
    const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmName as string,
    );
    return [stack.stackName, names.filter((name) => /-traffic(?:Drop-critical|Spike-warning)$/.test(name)).length];
  });
  expect(found).toEqual(services.map((stack) => [stack.stackName, 2]));
});
