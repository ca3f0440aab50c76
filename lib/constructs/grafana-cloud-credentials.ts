import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface GrafanaCloudCredentialsProps {
  /**
   * The name of the SecureString parameter that holds the Grafana Cloud access-policy token
   * (`glc_…`). CloudFormation cannot create SecureString parameters: `obsctl credentials put`
   * writes it out of band.
   */
  readonly apiKeyParameterName: string;
  /**
   * The ARN of the customer-managed KMS key that encrypts the token parameter.
   * @default - the account's `aws/ssm` key, whose key policy already admits SSM callers of the account
   */
  readonly parameterKeyArn?: string;
}

/**
 * A reference to the Grafana Cloud token in SSM Parameter Store, handed to containers as an ECS
 * secret: the task's execution role reads it at start (read access to this one parameter, plus
 * `kms:Decrypt` for a customer key), and its value never enters a template or an environment
 * variable of the task definition.
 */
export class GrafanaCloudCredentials extends Construct {
  public readonly apiKeyParameter: ssm.IStringParameter;

  constructor(scope: Construct, id: string, props: GrafanaCloudCredentialsProps) {
    super(scope, id);
    this.apiKeyParameter = ssm.StringParameter.fromSecureStringParameterAttributes(this, 'ApiKey', {
      parameterName: props.apiKeyParameterName,
      encryptionKey:
        props.parameterKeyArn === undefined ? undefined : kms.Key.fromKeyArn(this, 'ApiKeyKey', props.parameterKeyArn),
    });
  }

  /** The token as an ECS secret; adding it to a container grants the execution role read access. */
  public apiKeySecret(): ecs.Secret {
    return ecs.Secret.fromSsmParameter(this.apiKeyParameter);
  }
}
