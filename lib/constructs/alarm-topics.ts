import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { pascalCase } from '../naming';
import { SEVERITIES, type Severity } from '../profile/schema';

export interface AlarmTopicsProps {
  /** Prefix of the topic names; each topic is `<prefix>-<severity>`. */
  readonly topicNamePrefix: string;
  /** The customer-managed key that encrypts the topics; its policy must let CloudWatch use it. */
  readonly encryptionKey: kms.IKey;
}

/**
 * One SNS topic per alert severity (critical, warning, info), encrypted with a customer key and
 * reachable only over TLS. Only CloudWatch alarms of the same account and region may publish to them.
 */
export class AlarmTopics extends Construct {
  public readonly topics: Readonly<Record<Severity, sns.Topic>>;

  constructor(scope: Construct, id: string, props: AlarmTopicsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const alarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.topics = Object.fromEntries(
      SEVERITIES.map((severity) => {
        const topic = new sns.Topic(this, pascalCase(severity), {
          topicName: `${props.topicNamePrefix}-${severity}`,
          displayName: `${severity} alerts of ${props.topicNamePrefix}`,
          masterKey: props.encryptionKey,
          enforceSSL: true,
        });
        // With enforceSSL the topic policy replaces SNS's default one: CloudWatch must be named. Not
        // grantPublish: for a service principal it adds an unconditioned statement to the key policy
        // too, which would admit any account's alarms (ObservabilityKey grants CloudWatch the key).
        topic.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: 'AllowThisAccountsAlarmsToPublish',
            principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
            actions: ['sns:Publish'],
            resources: [topic.topicArn],
            conditions: {
              StringEquals: { 'aws:SourceAccount': stack.account },
              ArnLike: { 'aws:SourceArn': alarms },
            },
          }),
        );
        return [severity, topic];
      }),
    ) as Record<Severity, sns.Topic>;
  }
}
