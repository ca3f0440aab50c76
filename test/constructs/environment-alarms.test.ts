import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Threshold } from '../../lib/alerting/thresholds';
import { EnvironmentAlarms } from '../../lib/constructs/environment-alarms';
import type { Severity } from '../../lib/profile/schema';

const threshold = (signal: string, severity: Severity, value: number): Threshold => ({
  signal,
  severity,
  threshold: value,
  windowMinutes: 10,
  comparison: 'above',
  unit: 'items',
  description: signal,
});

function alarmsFrom(thresholds: readonly Threshold[]): Template {
  const stack = new Stack(new App(), 'Platform');
  new EnvironmentAlarms(stack, 'EnvironmentAlarms', {
    project: 'shop',
    environmentName: 'prod',
    thresholds,
    topics: {
      critical: new sns.Topic(stack, 'Critical'),
      warning: new sns.Topic(stack, 'Warning'),
      info: new sns.Topic(stack, 'Info'),
    },
    sourceToken: 'token',
  });
  return Template.fromStack(stack);
}

describe('EnvironmentAlarms', () => {
  test('makes one collector-health alarm per collectorHealth threshold it is given, and none for other signals', () => {
    const template = alarmsFrom([
      threshold('collectorHealth', 'critical', 500),
      threshold('collectorHealth', 'warning', 50),
      threshold('errorRate', 'critical', 5),
    ]);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => ({
      name: alarm.Properties.AlarmName,
      threshold: alarm.Properties.Threshold,
    }));
    expect(alarms).toEqual([
      { name: 'shop-prod-collector-health-critical', threshold: 500 },
      { name: 'shop-prod-collector-health-warning', threshold: 50 },
    ]);
  });

  test('thresholds without collectorHealth are an error naming the field', () => {
    expect(() => alarmsFrom([threshold('errorRate', 'critical', 5)])).toThrow(
      /EnvironmentAlarms: thresholds has no collectorHealth threshold.*resolveThresholds\(profile\)/,
    );
  });
});
