/**
 * The AWS clients of one obsctl run, made by a factory so tests inject mocked ones.
 *
 * Endpoint: `--endpoint-url` sets both clients' endpoint. Without it the SDK itself honours
 * `AWS_ENDPOINT_URL`, the per-service `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`
 * and `endpoint_url` in the AWS config file (SDK v3 configured endpoints), so obsctl does not read
 * them. Credentials: the SDK's default chain (environment, AWS_PROFILE, SSO, container, instance);
 * `--profile` selects a named profile.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface AwsClients {
  readonly ssm: SSMClient;
  readonly logs: CloudWatchLogsClient;
}

export interface AwsClientOptions {
  readonly region: string;
  /** A named profile of the AWS config files. */
  readonly awsProfile?: string;
  readonly endpointUrl?: string;
}

export type AwsClientFactory = (options: AwsClientOptions) => AwsClients;

export const createAwsClients: AwsClientFactory = (options) => {
  const config = {
    region: options.region,
    ...(options.awsProfile === undefined ? {} : { profile: options.awsProfile }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
  };
  return { ssm: new SSMClient(config), logs: new CloudWatchLogsClient(config) };
};
