import * as sns from 'aws-cdk-lib/aws-sns';
import { buildTestApp } from '../support/default-app';

describe('cdk-nag AwsSolutions and NIST 800-53 R5', () => {
  test('the default app synthesizes with both packs registered: every finding is acknowledged', () => {
    const { app } = buildTestApp();
    expect(() => app.synth()).not.toThrow();
  });

  test('an unacknowledged finding fails synth and names the rule and the resource', () => {
    const { app, platforms } = buildTestApp({ selection: 'dev' });
    new sns.Topic(platforms[0], 'UnencryptedTopic');
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SNS3[\s\S]*UnencryptedTopic|UnencryptedTopic[\s\S]*AwsSolutions-SNS3/,
    );
  });
});
