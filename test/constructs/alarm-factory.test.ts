import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ALARM_METADATA_KEY, AlarmFactory, type AlarmIdentity } from '../../lib/constructs/alarm-factory';

const ROOT = join(__dirname, '..', '..');

/** One stack with a metric alarm and a composite over it, both made by the factory. */
function stackWith(description: string): Template {
  const stack = new Stack(new App(), 'Alarms');
  const topics = {
    critical: new sns.Topic(stack, 'Critical'),
    warning: new sns.Topic(stack, 'Warning'),
    info: new sns.Topic(stack, 'Info'),
  };
  const factory = new AlarmFactory(topics);
  const identity: AlarmIdentity = {
    id: 'errorRate-critical',
    alarmName: 'shop-prod-checkout-errorRate-critical',
    signal: 'errorRate',
    severity: 'critical',
    strategy: 'pageThroughComposite',
  };
  const alarm = factory.alarm(stack, identity, {
    alarmDescription: description,
    metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Errors', period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  factory.compositeAlarm(
    stack,
    { id: 'Page', alarmName: 'shop-prod-checkout-page', signal: 'page', severity: 'critical', strategy: 'bySeverity' },
    { alarmDescription: description, alarmRule: cloudwatch.AlarmRule.anyOf(alarm) },
  );
  return Template.fromStack(stack);
}

/** Logical id -> alarm name of every alarm of a template. */
function identities(template: Template): Record<string, unknown> {
  const resources = {
    ...template.findResources('AWS::CloudWatch::Alarm'),
    ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
  };
  return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, resource.Properties.AlarmName]));
}

test('an alarm is named and identified by its identity alone: a new description changes neither', () => {
  expect(identities(stackWith('checkout: error rate above 10 % for 5 min'))).toEqual(
    identities(stackWith('checkout: share of 5xx answers over 10 % for five minutes, see the runbook')),
  );
});

test('the factory records the signal, severity and strategy on the alarm resource', () => {
  const template = stackWith('checkout errors');
  const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarm.Metadata[ALARM_METADATA_KEY]).toEqual({
    signal: 'errorRate',
    severity: 'critical',
    strategy: 'pageThroughComposite',
  });
});

test('the factory is the only place in lib/ that creates alarms or gives them actions', () => {
  const files = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(folder, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(folder, entry.name)]
          : [],
    );
  const creating =
    /new (?:cloudwatch\.)?(?:Alarm|AnomalyDetectionAlarm|CompositeAlarm|CfnAlarm|CfnCompositeAlarm)\(|\.add(?:Alarm|Ok|InsufficientData)Action\(/;
  const offenders = files(join(ROOT, 'lib'))
    .map((path) => relative(ROOT, path))
    .filter((path) => path !== 'lib/constructs/alarm-factory.ts')
    .filter((path) => creating.test(readFileSync(join(ROOT, path), 'utf8')));
  expect(offenders).toEqual([]);
});
