/**
 * The AWS clients of one obsctl run, made by a factory so tests inject mocked ones.
 *
 * Endpoint: `--endpoint-url` sets every client's endpoint. Without it the SDK itself honours
 * `AWS_ENDPOINT_URL`, the per-service `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` /
 * `AWS_ENDPOINT_URL_SERVICEDISCOVERY` and `endpoint_url` in the AWS config file (SDK v3 configured
 * endpoints), so obsctl does not read them, except to know that an endpoint was configured (see
 * `configuredEndpoint`). Credentials: the SDK's default chain (environment, AWS_PROFILE, SSO,
 * container, instance); `--profile` selects a named profile.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SSMClient } from '@aws-sdk/client-ssm';

export interface AwsClients {
  readonly ssm: SSMClient;
  readonly logs: CloudWatchLogsClient;
  /** Cloud Map, for the collector gateway's registered tasks. */
  readonly serviceDiscovery: ServiceDiscoveryClient;
  /** For the on-call webhook and heartbeat URLs (`credentials put-webhook`). */
  readonly secretsManager: SecretsManagerClient;
}

export interface AwsClientOptions {
  readonly region: string;
  /** A named profile of the AWS config files. */
  readonly awsProfile?: string;
  readonly endpointUrl?: string;
}

export type AwsClientFactory = (options: AwsClientOptions) => AwsClients;

/**
 * Whether Cloud Map calls go to an endpoint of the operator's choosing: `--endpoint-url`, or the
 * environment variables the SDK reads (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` turns them
 * off). `DiscoverInstances` is sent to `data-servicediscovery.<region>.amazonaws.com`: the SDK
 * prefixes the host with `data-`, which would turn `127.0.0.1` into `data-127.0.0.1`. A chosen
 * endpoint is taken as given instead. (`endpoint_url` in the AWS config file is not seen here.)
 */
export function configuredEndpoint(options: AwsClientOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  if (options.endpointUrl !== undefined) return true;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return false;
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_SERVICEDISCOVERY);
}

export const createAwsClients: AwsClientFactory = (options) => {
  const config = {
    region: options.region,
    ...(options.awsProfile === undefined ? {} : { profile: options.awsProfile }),
    ...(options.endpointUrl === undefined ? {} : { endpoint: options.endpointUrl }),
  };
  return {
    ssm: new SSMClient(config),
    logs: new CloudWatchLogsClient(config),
    serviceDiscovery: new ServiceDiscoveryClient({
      ...config,
      ...(configuredEndpoint(options) ? { disableHostPrefix: true } : {}),
    }),
    secretsManager: new SecretsManagerClient(config),
  };
};
