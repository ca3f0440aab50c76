import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { RUNBOOKS_PATH } from '../../lib/alerting/runbooks';
import { buildTestApp } from '../support/default-app';

const repoRoot = join(__dirname, '..', '..');
const runbookHeadings = new Set(
  [...readFileSync(join(repoRoot, RUNBOOKS_PATH), 'utf8').matchAll(/^## (\S+)$/gm)].map(([, heading]) =>
    heading.toLowerCase(),
  ),
);
const RUNBOOK_LINK = /Runbook: https:\/\/\S+?\/docs\/reference\/runbooks\.md#([a-z0-9]+)/;

// Every alarm of every stack of every environment, composites and SLO burn windows included.
const { platforms, services } = buildTestApp({ compliance: false });
const alarms = [...platforms, ...services].flatMap((stack) =>
  ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'].flatMap((type) =>
    Object.entries(Template.fromStack(stack).findResources(type)).map(([logicalId, resource]) => ({
      alarm: `${stack.stackName}/${logicalId}`,
      // A description with tokens is an Fn::Join; the link is in one of its literal parts.
      description: JSON.stringify(resource.Properties.AlarmDescription ?? ''),
    })),
  ),
);

test('the example app has alarms in every stack to check', () => {
  const stacksWithAlarms = new Set(alarms.map(({ alarm }) => alarm.split('/')[0]));
  expect(stacksWithAlarms.size).toBe(platforms.length + services.length);
});

test("every CloudWatch alarm's description ends with a runbook link", () => {
  expect(alarms.filter(({ description }) => !RUNBOOK_LINK.test(description)).map(({ alarm }) => alarm)).toEqual([]);
});

test('every runbook link opens a section of the generated runbooks page', () => {
  const anchors = new Set(alarms.map(({ description }) => RUNBOOK_LINK.exec(description)?.[1] ?? ''));
  expect([...anchors].filter((anchor) => !runbookHeadings.has(anchor))).toEqual([]);
});
