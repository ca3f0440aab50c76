/**
 * The issue's acceptance test: the fixture profile's production environment synthesized as a base
 * and as a head with five edits a pull request could make (a threshold raised and the log retention
 * cut in the profile, a wildcard action on a task role and an alarm renamed in a service stack, the
 * errors' keep rate lowered in the gateway's generated sampling config). The review names each
 * with old → new and flags the four risks; two synths of the same profile review as unchanged.
 * In process and one environment: three synths of it take a few seconds.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type App, aws_cloudwatch as cloudwatch, aws_ecs as ecs, aws_iam as iam, type Stack } from 'aws-cdk-lib';
import { parse, stringify } from 'yaml';
import { alertRuleFiles } from '../../lib/alerting/rule-files';
import { collectorConfigFiles, gatewayConfigPath } from '../../lib/collector/files';
import { dashboardFiles } from '../../lib/dashboards/files';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import type { Change } from '../../lib/review/model';
import { formatReviewText, NO_CHANGES } from '../../lib/review/render';
import { readReviewSide, review } from '../../lib/review/review';
import { buildTestApp } from '../support/default-app';
import { fixtureEnvironments } from '../support/fixture-profiles';

const ENV = 'shop-prod';
const CHECKOUT_STACK = 'FixtureShop-ShopProd-Checkout';
const RENAMED_FROM = 'fixture-shop-shop-prod-checkout-errorRate-critical';
const RENAMED_TO = 'fixture-shop-shop-prod-checkout-http-errors-critical';

type Environments = ReturnType<typeof fixtureEnvironments>;

/** Synthesizes `environments`' production environment and writes its generated files beside the templates. */
function synthesize(environments: Environments, edit: (app: App) => void = () => {}): string {
  const { app } = buildTestApp({ environments, selection: ENV, compliance: false });
  edit(app);
  const directory = app.synth().directory;
  const profiles = loadEnvironmentProfiles(environments);
  const production = { [ENV]: profiles[ENV] };
  for (const file of [
    ...collectorConfigFiles(production),
    ...alertRuleFiles(production),
    ...dashboardFiles(production),
  ]) {
    mkdirSync(dirname(join(directory, file.path)), { recursive: true });
    writeFileSync(join(directory, file.path), file.content);
  }
  return directory;
}

function stackNamed(app: App, name: string): Stack {
  const stack = app.node.children.find((child) => (child as Stack).stackName === name);
  if (stack === undefined) throw new Error(`no stack ${name}`);
  return stack as Stack;
}

/** The head's profile: prod's error-rate warning raised from 4 to 6 %, its log retention cut from 90 to 30 days. */
function headEnvironments(): Environments {
  const environments = fixtureEnvironments();
  const prod = environments[ENV] as {
    alertThresholds: { errorRate: { warning: { threshold: number } } };
    logRetentionDays: number;
  };
  prod.alertThresholds.errorRate.warning.threshold = 6;
  prod.logRetentionDays = 30;
  return environments;
}

/** In the checkout stack: a wildcard action on the task role, and the critical error-rate alarm renamed. */
function editCheckoutStack(app: App): void {
  const stack = stackNamed(app, CHECKOUT_STACK);
  const task = stack.node.findAll().find((node): node is ecs.TaskDefinition => node instanceof ecs.TaskDefinition);
  task?.addToTaskRolePolicy(
    new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::fixture-shop-exports/*'] }),
  );
  for (const alarm of stack.node.findAll()) {
    if (alarm instanceof cloudwatch.CfnAlarm && alarm.alarmName === RENAMED_FROM) alarm.alarmName = RENAMED_TO;
  }
}

/** In the generated gateway config: errors are kept only when the 1 % probabilistic sample also keeps them. */
function sampleErrors(directory: string): void {
  const path = join(directory, gatewayConfigPath(ENV));
  const config = parse(readFileSync(path, 'utf8'));
  const policies = config.processors.tail_sampling.policies as Array<{ name: string }>;
  const index = policies.findIndex((policy) => policy.name === 'errors');
  policies[index] = {
    name: 'errors',
    type: 'and',
    and: {
      and_sub_policy: [
        { name: 'error-status', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'one-percent', type: 'probabilistic', probabilistic: { sampling_percentage: 1 } },
      ],
    },
  } as { name: string };
  writeFileSync(path, stringify(config));
}

const base = synthesize(fixtureEnvironments());
const head = synthesize(headEnvironments(), editCheckoutStack);
sampleErrors(head);
const result = review(readReviewSide(base), readReviewSide(head));
const text = formatReviewText(result);
// OBSCTL_REVIEW_PRINT=1 prints the review, to read it as a reviewer would.
if (process.env.OBSCTL_REVIEW_PRINT === '1') process.stdout.write(text);

function find(category: Change['category'], subject: string): Change {
  const change = result.changes.find(
    (candidate) => candidate.category === category && candidate.subject.includes(subject),
  );
  if (change === undefined) throw new Error(`no ${category} change for ${subject} in:\n${text}`);
  return change;
}

test('the raised warning threshold is named with old → new on the Prometheus rule, its only place, and is no risk', () => {
  const rule = find('prometheus rules', 'ElevatedErrorRate (warning)');
  expect({ fields: rule.fields, risks: rule.risks }).toEqual({
    fields: [{ field: 'threshold', old: '> 4', new: '> 6' }],
    risks: [],
  });
});

test("the cut of prod's log retention is named 90 → 30 days and flagged", () => {
  const logGroup = find('log groups', 'log group /ecs/fixture-shop-shop-prod/checkout');
  expect(logGroup.fields).toEqual([{ field: 'retention', old: '90 days', new: '30 days' }]);
  expect(logGroup.risks).toEqual(['retention shortened from 90 days to 30 days: older logs are deleted']);
});

test('the wildcard action on the task role is named and flagged', () => {
  const policy = result.changes.find((change) => change.category === 'iam' && change.risks.length > 0);
  expect(policy).toMatchObject({
    service: 'checkout',
    fields: [{ field: 'statement', new: 'Allow s3:* on arn:aws:s3:::fixture-shop-exports/*' }],
    risks: ['new wildcard action s3:*'],
  });
});

test("the errors' keep rate is named 100 % → 20 % and flagged", () => {
  const gateway = find('collector', gatewayConfigPath(ENV));
  expect(gateway.fields).toContainEqual({ field: 'tail_sampling: errors kept', old: '100 %', new: '20 %' });
  expect(gateway.risks).toEqual(['tail_sampling keeps 20 % of errors instead of 100 %']);
});

test('the renamed alarm is a replacement with old → new name, flagged', () => {
  const alarm = find('alarms', RENAMED_TO);
  expect(alarm).toMatchObject({
    kind: 'replaced',
    fields: [{ field: 'name', old: RENAMED_FROM, new: RENAMED_TO }],
    risks: [expect.stringContaining('replaced')],
  });
});

test('the four risks, and no other, are flagged', () => {
  const flagged = new Set(result.changes.filter((change) => change.risks.length > 0).map((change) => change.category));
  expect([...flagged].sort()).toEqual(['alarms', 'collector', 'iam', 'log groups']);
});

test('two synths of the same profile review as "no observability changes"', () => {
  const again = synthesize(fixtureEnvironments());
  expect(formatReviewText(review(readReviewSide(base), readReviewSide(again)))).toBe(`${NO_CHANGES}\n`);
});
