// Written as a service team would write it in its own repository: only the package's public
// exports, an imported platform (no PlatformStack), and the platform's settings document, which the
// team keeps as the platform team generated it (never a profile of its own).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addComplianceChecks,
  containerImageFromReference,
  type IObservabilityPlatform,
  ObservedFargateService,
  readPlatformSettings,
} from '@starmates/cdk-otel-observability';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { platformSettings } from '../../lib/platform-settings/from-profile';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

const account = '444444444444';
const region = 'eu-central-1';

/** What the platform repository generates (`npm run generate`) and the team copies: platform-settings/prod.json. */
function platformSettingsFile(): string {
  const profile = exampleEnvironments().prod as Record<string, unknown>;
  const prod = loadEnvironmentProfiles({
    prod: { ...profile, account, region, availabilityZones: ['eu-central-1a', 'eu-central-1b'] },
  }).prod;
  const file = join(mkdtempSync(join(tmpdir(), 'checkout-')), 'prod.json');
  writeFileSync(file, `${JSON.stringify(platformSettings(prod, 'prod'), null, 2)}\n`);
  return file;
}

class CheckoutStack extends Stack {
  constructor(scope: App) {
    super(scope, 'Checkout', { env: { account, region } });
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-central-1a', 'eu-central-1b'],
      privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const topic = (name: string) => sns.Topic.fromTopicArn(this, name, `arn:aws:sns:${region}:${account}:${name}`);
    const platform: IObservabilityPlatform = {
      environmentName: 'prod',
      settings: readPlatformSettings(platformSettingsFile()),
      cluster: ecs.Cluster.fromClusterAttributes(this, 'Cluster', { clusterName: 'shared-prod', vpc }),
      encryptionKey: kms.Key.fromKeyArn(
        this,
        'Key',
        `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      ),
      alarmTopics: { critical: topic('critical'), warning: topic('warning'), info: topic('info') },
      sourceToken: secretsmanager.Secret.fromSecretCompleteArn(
        this,
        'SourceToken',
        `arn:aws:secretsmanager:${region}:${account}:secret:/starmates-ai-team/prod/observability/source-token-AbCdEf`,
      ),
      // prod has a gateway tier: its tasks join the gateway's client security group.
      gateway: {
        clientSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(this, 'GatewayClients', 'sg-0123456789abcdef0'),
      },
    };
    new ObservedFargateService(this, 'Checkout', {
      platform,
      serviceName: 'checkout',
      image: containerImageFromReference(this, 'Image', `${account}.dkr.ecr.${region}.amazonaws.com/checkout:7.0.1`),
      port: 8080,
      healthCheckPath: '/ready',
      cpu: 512,
      memoryLimitMiB: 1024,
      user: '1000:1000',
    });
  }
}

test('a service stack in another repository synthesizes with the public exports, cdk-nag and Control Tower clean', () => {
  const app = new App();
  const stack = new CheckoutStack(app);
  addComplianceChecks(app);
  expect(() => app.synth()).not.toThrow();
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::ECS::Service', 1);
  template.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: [{ Name: 'checkout' }, { Name: 'otel-collector' }, { Name: 'otel-collector-setup' }],
  });
  template.hasResourceProperties('AWS::ECS::Service', {
    NetworkConfiguration: {
      AwsvpcConfiguration: {
        SecurityGroups: [{ 'Fn::GetAtt': [Match.anyValue(), 'GroupId'] }, 'sg-0123456789abcdef0'],
      },
    },
  });
});
