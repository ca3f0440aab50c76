import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import {
  acknowledgeControlTowerFindings,
  CONTROL_TOWER_ACKNOWLEDGEMENTS,
} from '../../lib/control-tower-acknowledgements';
import { ControlTowerChecks } from '../../lib/control-tower-checks';
import { buildTestApp } from '../support/default-app';

/** Every acknowledgement id recorded in the tree, after synth. */
function acknowledgedIds(root: IConstruct): Set<string> {
  const ids = new Set<string>();
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const id of Object.keys(entry.data as Record<string, string>)) ids.add(id);
      }
    }
  }
  return ids;
}

describe('cdk-nag AwsSolutions and NIST 800-53 R5', () => {
  test('an unacknowledged finding fails synth and names the rule and the resource', () => {
    const { app, platforms } = buildTestApp({ selection: 'dev' });
    new sns.Topic(platforms[0], 'UnencryptedTopic');
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SNS3[\s\S]*UnencryptedTopic|UnencryptedTopic[\s\S]*AwsSolutions-SNS3/,
    );
  });
});

describe('AWS Control Tower proactive controls (cfn-guard)', () => {
  // One synth of the whole default app, with cdk-nag and the Control Tower controls, as bin/app.ts registers them.
  const { app } = buildTestApp({ controlTower: true });
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }

  test('the default app synthesizes with every finding of both acknowledged', () => {
    expect(synthError).toBeUndefined();
  });

  test.each(CONTROL_TOWER_ACKNOWLEDGEMENTS.map((acknowledgement) => [acknowledgement.control, acknowledgement.rule]))(
    'the %s acknowledgement still matches a resource of the default app',
    (_control, rule) => {
      expect(acknowledgedIds(app).has(`cdk-validator-cfnguard::${rule}`)).toBe(true);
    },
  );

  test('an unacknowledged finding fails synth, next to acknowledged ones, and names the rule and the resource', () => {
    const { app, platforms } = buildTestApp({ selection: 'dev', compliance: false });
    // One year, so only the missing key is a finding: CT.CLOUDWATCH.PR.3.
    new logs.LogGroup(platforms[0], 'UnencryptedLogGroup', { retention: logs.RetentionDays.ONE_YEAR });
    addControlTowerOnly(app);
    expect(() => app.synth()).toThrow(
      /CT\.CLOUDWATCH\.PR\.3[\s\S]*StarmatesAiTeam-Dev-Platform\/UnencryptedLogGroup\/Resource[\s\S]*cloudwatch_log_group_encrypted_check/,
    );
  });

  test("the non-root acknowledgement covers the collector's setup container only, not another root container", () => {
    const { app, services } = buildTestApp({ selection: 'dev', compliance: false });
    const observed = services[0].observed;
    observed.taskDefinition.addContainer('RootSidekick', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/alpine:3.22'),
      essential: false,
      memoryLimitMiB: 16,
      readonlyRootFilesystem: true,
      user: '0',
    });
    addControlTowerOnly(app);
    expect(() => app.synth()).toThrow(/CT\.ECS\.PR\.3[\s\S]*ecs_task_definition_nonroot_user_check/);
  });

  test("the retention acknowledgement covers only the profile's retention, not any short one", () => {
    const { app, platforms } = buildTestApp({ selection: 'dev', compliance: false });
    new logs.LogGroup(platforms[0], 'ShortLivedLogGroup', {
      retention: logs.RetentionDays.TWO_WEEKS,
      encryptionKey: platforms[0].encryptionKey,
    });
    addControlTowerOnly(app);
    expect(() => app.synth()).toThrow(
      /CT\.CLOUDWATCH\.PR\.2[\s\S]*StarmatesAiTeam-Dev-Platform\/ShortLivedLogGroup\/Resource[\s\S]*cloudwatch_log_group_retention_period_check/,
    );
  });
});

describe('ControlTowerChecks', () => {
  test('runs the controls of every resource type in the templates, also of types the default app has none of', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Storage'), 'Bucket');
    Validations.of(app).addPlugins(new ControlTowerChecks());
    expect(() => app.synth()).toThrow(/CT\.S3\.PR\.\d+[\s\S]*Storage\/Bucket\/Resource/);
  });
});

/** Control Tower without cdk-nag, so a finding of the one cannot hide behind the other. */
function addControlTowerOnly(app: App): void {
  Validations.of(app).addPlugins(new ControlTowerChecks());
  acknowledgeControlTowerFindings(app);
}
