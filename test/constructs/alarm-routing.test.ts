import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { type AlarmNotifications, AlarmRouting } from '../../lib/constructs/alarm-routing';

const notifications: AlarmNotifications = {
  emails: ['sre@shop.example'],
  onCallWebhook: { secretsManagerSecretName: '/shop/prod/oncall-webhook-url' },
  heartbeat: { secretsManagerSecretName: '/shop/prod/oncall-heartbeat-url' },
};

function routing(props: Partial<AlarmNotifications> = {}): Template {
  const stack = new Stack(new App(), 'Platform');
  new AlarmRouting(stack, 'AlarmRouting', {
    topics: {
      critical: new sns.Topic(stack, 'Critical'),
      warning: new sns.Topic(stack, 'Warning'),
      info: new sns.Topic(stack, 'Info'),
    },
    notifications: { ...notifications, ...props },
    namePrefix: 'shop-prod-alerts',
    encryptionKey: new kms.Key(stack, 'Key'),
  });
  return Template.fromStack(stack);
}

describe('AlarmRouting from plain notifications', () => {
  test('sends warnings to the Slack channel the notifications name', () => {
    routing({ slack: { workspaceId: 'T0SHOP0001', channelId: 'C0SHOP0001' } }).hasResourceProperties(
      'AWS::Chatbot::SlackChannelConfiguration',
      { SlackWorkspaceId: 'T0SHOP0001', SlackChannelId: 'C0SHOP0001' },
    );
  });

  test('no e-mail address is an error naming notifications.emails', () => {
    expect(() => routing({ emails: [] })).toThrow(
      /AlarmRouting: notifications\.emails is empty, so info alarms \(mailed only\) would reach nobody\. Give at least one address/,
    );
  });
});
