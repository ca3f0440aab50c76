import { Stack, Stage, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { platformParameterPrefix } from '../naming';
import { PLATFORM_PARAMETERS, platformParameterName } from './platform-parameters';

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
 * - No template holds the value. The platform stack names it by `{{resolve:secretsmanager:...}}`
 *   dynamic references (a fixed number: its own alarms, its dashboard's variable, and the copy it
 *   publishes as the SSM String parameter `source-token/value`); every other stack reads that
 *   parameter by a deploy-time parameter, which any number of alarms may use (`sourceTokenValueIn`):
 *   CloudFormation resolves at most 60 dynamic references per template.
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

/** `/<project>/<environment>/observability/source-token/value`: the published copy of the token's value. */
export function sourceTokenParameterName(project: string, environmentName: string): string {
  return platformParameterName(project, environmentName, PLATFORM_PARAMETERS.sourceTokenValue);
}

/**
 * The token's value read from its published SSM parameter at deploy: one
 * `AWS::SSM::Parameter::Value<String>` parameter per stack, `Ref`'d by every use, so no dynamic reference.
 */
export function sourceTokenParameterValue(scope: Construct, project: string, environmentName: string): string {
  return ssm.StringParameter.valueForStringParameter(
    Stack.of(scope),
    sourceTokenParameterName(project, environmentName),
  );
}

/** What `sourceTokenValueIn` reads of a platform's settings. */
export interface SourceTokenProject {
  readonly project: string;
}

/** What `sourceTokenValueIn` needs of a platform. */
export interface SourceTokenOwner {
  readonly environmentName: string;
  /** The platform settings: their project names the published parameter. */
  readonly settings: SourceTokenProject;
  readonly sourceToken: secretsmanager.ISecret;
}

/**
 * The token's value as a template in `scope`'s stack names it: in the stack that owns the secret
 * (the platform's), a dynamic reference, since a stack cannot read at deploy a parameter it creates
 * itself; anywhere else, the published parameter (`sourceTokenParameterValue`), whatever the number of
 * alarms. A stack of the same app that reads it deploys after the platform.
 */
export function sourceTokenValueIn(scope: Construct, platform: SourceTokenOwner): string {
  const stack = Stack.of(scope);
  const secret = platform.sourceToken;
  if (secret instanceof secretsmanager.Secret) {
    const owner = Stack.of(secret);
    if (owner === stack) {
      return sourceTokenValue(secret);
    }
    if (Stage.of(owner) === Stage.of(stack)) {
      stack.addStackDependency(owner, 'reads the source token the platform publishes in SSM');
    }
  }
  return sourceTokenParameterValue(stack, platform.settings.project, platform.environmentName);
}
