import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface LogGroupKeyProps {
  /**
   * The log group names the key may encrypt; a name may end in `/*` for every log group under it
   * (`/ecs/starmates-ai-team-prod/*`).
   */
  readonly logGroupNames: readonly string[];
  /** The key alias, without `alias/`. */
  readonly alias: string;
  /** The key's description. */
  readonly description: string;
  /**
   * What happens to the key when the stack is deleted. Keep it as long as any log group it
   * encrypts is kept: a retained log group without its key cannot be read.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed KMS key with yearly rotation that CloudWatch Logs may use for the named log
 * groups only (the `kms:EncryptionContext:aws:logs:arn` condition AWS documents for log group
 * encryption). Its policy also denies `kms:CreateGrant` unless the grant is for an AWS resource
 * or made by an AWS service (Control Tower CT.KMS.PR.3): nothing in this library creates grants,
 * so no principal can hand the key on through one.
 */
export class LogGroupKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogGroupKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    // The condition names the log groups; referencing their ARNs would create a dependency cycle.
    const logGroupArns = props.logGroupNames.map((name) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForTheseLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns.length === 1 ? logGroupArns[0] : logGroupArns },
        },
      }),
    );

    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }
}
