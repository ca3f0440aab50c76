import { configuredEndpoint, createAwsClients } from '../../lib/cli/clients';

// As bin/obsctl.ts does: the SDK's Node 22 notice is not for obsctl's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('the AWS clients', () => {
  test.each([
    ['--endpoint-url', { endpointUrl: 'http://127.0.0.1:4566' }, {}, true],
    ['AWS_ENDPOINT_URL', {}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, true],
    ['AWS_ENDPOINT_URL_SERVICEDISCOVERY', {}, { AWS_ENDPOINT_URL_SERVICEDISCOVERY: 'http://127.0.0.1:4566' }, true],
    [
      'AWS_ENDPOINT_URL under AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
      {},
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      false,
    ],
    ["another service's variable (AWS_ENDPOINT_URL_SSM)", {}, { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' }, false],
    ['no option or variable', {}, {}, false],
  ])('Cloud Map goes to a configured endpoint by %s: %p', (_name, options, env, configured) => {
    expect(configuredEndpoint({ region: 'eu-west-1', ...options }, env)).toBe(configured);
  });

  test('Cloud Map calls to --endpoint-url get no data- host prefix; calls to AWS keep it', async () => {
    const custom = createAwsClients({ region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:4566' });
    const aws = createAwsClients({ region: 'eu-west-1' });
    try {
      expect(custom.serviceDiscovery.config.disableHostPrefix).toBe(true);
      expect(aws.serviceDiscovery.config.disableHostPrefix).toBe(false);
    } finally {
      for (const clients of [custom, aws]) for (const client of Object.values(clients)) client.destroy();
    }
  });
});
