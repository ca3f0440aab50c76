import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { platformParameterPrefix } from '../naming';

/** Letters and digits only: a safe CloudWatch dimension value, OTTL string and dynamic-reference value. */
export const SOURCE_TOKEN_LENGTH = 32;

/** `/<project>/<environment>/observability/source-token`: the secret's name. */
export function sourceTokenSecretName(project: string, environmentName: string): string {
  return `${platformParameterPrefix(project, environmentName)}/source-token`;
}

export interface SourceTokenProps {
  readonly project: string;
  readonly environmentName: string;
}

/**
 * The environment's source token: a generated value that every collector stamps, as the
 * `source_token` dimension, on the CloudWatch metrics the alarms read (lib/collector/cloudwatch.ts).
 * EMF lets any log event name any namespace and dimensions; one that lacks this value writes
 * another series than the alarms', so an application cannot add to another service's alarm metrics
 * (README, "A task speaks only for itself").
 *
 * - One per environment, not per service: $0.40 a month instead of $0.40 per service, and the
 *   environment's metrics stay one set that a Metrics Insights query can group by service.
 * - ECS gives it to the collector containers only, as an ECS secret read by the execution role
 *   (`ecs.Secret.fromSecretsManager` grants GetSecretValue and DescribeSecret on this secret alone);
 *   no task role may read it.
 * - Encrypted with the AWS-managed key `aws/secretsmanager`: its key policy lets the account's
 *   principals use it through Secrets Manager only, so an execution role needs no kms:Decrypt
 *   grant. The platform key would need one in every service's execution role, on the key that also
 *   protects the alarm topics and the platform's logs.
 * - Alarms and dashboards name it by a `{{resolve:secretsmanager:...}}` dynamic reference, so no
 *   template holds the value (`sourceTokenValue`).
 */
export class SourceToken extends Construct {
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: SourceTokenProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: sourceTokenSecretName(props.project, props.environmentName),
      description:
        `${props.project} ${props.environmentName} observability: the collectors' source token, a dimension of ` +
        'every CloudWatch metric the alarms read. Rotating it starts new metric series: see docs/guide.md',
      generateSecretString: {
        passwordLength: SOURCE_TOKEN_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    const noAutomaticRotation =
      'Rotated by hand, in order (docs/guide.md, "Rotating the source token"): a new value is a new dimension value, ' +
      'so new metric series; the alarms must be redeployed to name it and the collectors restarted to stamp it. ' +
      'An automatic rotation would silence every alarm until both happened.';
    Validations.of(this.secret).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-SMG4', reason: noAutomaticRotation },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled', reason: noAutomaticRotation },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerUsingKMSKey',
        reason:
          'The AWS-managed key aws/secretsmanager, on purpose: with the platform key every service execution role ' +
          'would need kms:Decrypt on the key of the alarm topics and platform logs, and a disabled platform key ' +
          'would stop every new task of every service from starting (ECS resolves secrets before any container). ' +
          'The value is no secret from readers of the alarms (DescribeAlarms shows it), only from the tasks.',
      },
    );
  }
}

/**
 * The token's value as CloudFormation resolves it at deploy: `{{resolve:secretsmanager:<arn>:SecretString:::}}`.
 * unsafeUnwrap() only turns the reference into a string property; the app never reads the value.
 */
export function sourceTokenValue(secret: secretsmanager.ISecret): string {
  return secret.secretValue.unsafeUnwrap();
}
