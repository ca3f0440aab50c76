import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { profileProblems, type RawEnvironments } from '../support/profile-problems';

/** The problems reported for the default environments after `mutate` has broken them. */
function problemsAfter(mutate: (environments: RawEnvironments) => void): readonly string[] {
  return profileProblems(exampleEnvironments(), mutate);
}

describe('environment profiles', () => {
  test('the default profiles are valid', () => {
    expect(Object.keys(loadEnvironmentProfiles(exampleEnvironments()))).toEqual(['dev', 'staging', 'prod']);
  });

  test('two services on one port load: ports are unique per task, and each Fargate task has its own network interface', () => {
    const environments = exampleEnvironments();
    const services = Object.values(environments.prod.services as Record<string, { port: number }>);
    for (const service of services) service.port = 8000;
    const ports = Object.values(loadEnvironmentProfiles(environments).prod.services).map((service) => service.port);
    expect(ports).toEqual(services.map(() => 8000));
  });

  test('a missing key names the key and shows an example', () => {
    expect(problemsAfter((envs) => delete envs.prod.grafanaCloud.instanceId)).toEqual([
      'cdk.json: environments.prod.grafanaCloud: missing key "instanceId"; add the numeric Grafana Cloud instance id ' +
        'used as the Basic auth user, in quotes, for example "instanceId": "123456"',
    ]);
  });

  test('a profile without metricNameTranslation is refused, not defaulted, and told the strategies', () => {
    expect(problemsAfter((envs) => delete envs.staging.grafanaCloud.metricNameTranslation)).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.staging\.grafanaCloud: missing key "metricNameTranslation"; add how the stack names OTLP metrics .*UnderscoreEscapingWithSuffixes.*UnderscoreEscapingWithoutSuffixes.*for example "metricNameTranslation": "UnderscoreEscapingWithSuffixes"$/,
      ),
    ]);
  });

  test('a translation strategy the generators cannot write queries for is refused, naming the field', () => {
    expect(
      problemsAfter((envs) => (envs.prod.grafanaCloud.metricNameTranslation = 'NoUTF8EscapingWithSuffixes')),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.grafanaCloud\.metricNameTranslation: "NoUTF8EscapingWithSuffixes" is not allowed; expected how the stack names OTLP metrics/,
      ),
    ]);
  });

  test('a value of the wrong type names the field and the expected type', () => {
    expect(problemsAfter((envs) => (envs.dev.services['api-gateway'].port = '8000'))).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.dev\.services\.api-gateway\.port: "8000" has the wrong type; expected the TCP port .* for example 8000$/,
      ),
    ]);
  });

  test('a retention CloudWatch does not accept lists the accepted values', () => {
    expect(problemsAfter((envs) => (envs.staging.logRetentionDays = 31))).toEqual([
      'cdk.json: environments.staging.logRetentionDays: 31 is not allowed; expected a retention CloudWatch Logs ' +
        'accepts, in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, ' +
        '2922, 3288, 3653, for example 30',
    ]);
  });

  test('an unknown key is an error that suggests the nearest known key', () => {
    expect(
      problemsAfter((envs) => {
        envs.prod.logRetentionDay = 30;
      }),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.logRetentionDay: unknown key\. Did you mean "logRetentionDays"\? Keys allowed here: account, region, /,
      ),
    ]);
  });

  test('an unknown key deep inside a profile is an error too', () => {
    expect(problemsAfter((envs) => (envs.dev.services['api-gateway'].healthcheckPath = '/health'))).toEqual([
      expect.stringContaining(
        'environments.dev.services.api-gateway.healthcheckPath: unknown key. Did you mean "healthCheckPath"?',
      ),
    ]);
  });

  test('a malformed e-mail address is rejected with an example', () => {
    expect(problemsAfter((envs) => (envs.dev.notifications.emails = ['sre-at-example.com']))).toEqual([
      'cdk.json: environments.dev.notifications.emails.0: "sre-at-example.com" is not a valid email; expected an ' +
        'e-mail address, for example "sre@example.com"',
    ]);
  });

  test('a webhook URL in place of its secret name is refused, and the error does not print it', () => {
    const url = 'https://oncall.example.com/integrations/v1/amazon_sns/t0ken/';
    const problems = problemsAfter((envs) => (envs.dev.notifications.onCallWebhook.secretsManagerSecretName = url));
    expect(problems).toEqual([
      'cdk.json: environments.dev.notifications.onCallWebhook.secretsManagerSecretName: the value (not shown: it may ' +
        'be a secret) does not have the expected form; expected the name of the Secrets Manager secret whose ' +
        'SecretString is the HTTPS webhook URL of the on-call tool, which critical alerts call (create it before the ' +
        'deploy), for example "/starmates-ai-team/prod/monitoring/oncall-webhook-url"',
    ]);
  });

  test('the URL keys of earlier profiles are refused, pointing at the secret reference', () => {
    const problems = problemsAfter((envs) => {
      delete envs.dev.notifications.onCallWebhook;
      envs.dev.notifications.onCallWebhookUrl = 'https://oncall.example.com/hook';
    });
    expect(problems).toEqual([
      expect.stringMatching(/^cdk\.json: environments\.dev\.notifications: missing key "onCallWebhook"; add the HTTPS/),
      'cdk.json: environments.dev.notifications.onCallWebhookUrl: unknown key. Did you mean "onCallWebhook"? Keys ' +
        'allowed here: emails, onCallWebhook, heartbeat, alertmanager, slack',
    ]);
  });

  test('a malformed URL is rejected', () => {
    expect(problemsAfter((envs) => (envs.dev.grafanaCloud.otlpEndpoint = 'https://exa mple.com'))).toEqual([
      expect.stringContaining('environments.dev.grafanaCloud.otlpEndpoint: "https://exa mple.com" is not a valid uri'),
    ]);
  });

  test('an unknown region is rejected', () => {
    expect(problemsAfter((envs) => (envs.prod.region = 'eu-west-9'))).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.region: "eu-west-9" is not allowed; expected an AWS region name/,
      ),
      // The zones no longer belong to the region either, but semantic checks wait for a schema-valid profile.
    ]);
  });

  test('a sampling ratio outside 0..1 is out of range', () => {
    expect(problemsAfter((envs) => (envs.dev.sampling.ratio = 1.5))).toEqual([
      'cdk.json: environments.dev.sampling.ratio: 1.5 is out of range; expected the share of traces kept by head ' +
        'sampling, from 0 to 1 (1 keeps every trace), for example 0.1',
    ]);
  });

  test('a memory size Fargate does not offer for the cpu is rejected with the valid sizes', () => {
    expect(problemsAfter((envs) => (envs.dev.services['api-gateway'].memoryMiB = 16384))).toEqual([
      'cdk.json: environments.dev.services.api-gateway.memoryMiB: 16384 is not a Fargate memory size for cpu 512. ' +
        'Use one of 1024, 2048, 3072, 4096',
    ]);
  });

  test.each(['root', '0', '0:1000', 'root:staff'])('the root user "%s" is rejected for a service', (user) => {
    const [problem] = problemsAfter((envs) => (envs.dev.services['api-gateway'].user = user));
    expect(problem).toMatch(/^cdk\.json: environments\.dev\.services\.api-gateway\.user: .*not 0 or root.*"1000:1000"/);
  });

  test.each(['1000:1000', 'app', '10001'])('the non-root user "%s" is accepted', (user) => {
    const environments = exampleEnvironments() as RawEnvironments;
    environments.dev.services['api-gateway'].user = user;
    expect(loadEnvironmentProfiles(environments).dev.services['api-gateway'].user).toBe(user);
  });

  test('an availability zone of another region is rejected', () => {
    expect(problemsAfter((envs) => (envs.dev.availabilityZones = ['eu-west-1a', 'us-east-1b']))).toEqual([
      'cdk.json: environments.dev.availabilityZones.1: "us-east-1b" is not a zone of region eu-west-1. ' +
        'Use a zone of that region, for example "eu-west-1a"',
    ]);
  });

  test('an invalid service name is rejected', () => {
    expect(
      problemsAfter((envs) => {
        envs.dev.services.Api_Gateway = envs.dev.services['api-gateway'];
        delete envs.dev.services['api-gateway'];
      }),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.dev\.services: "Api_Gateway" is not a valid name; expected .*lower-case/,
      ),
    ]);
  });

  test('every problem of every environment is reported at once', () => {
    const problems = problemsAfter((envs) => {
      envs.dev.sampling.ratio = -1;
      envs.prod.account = '1234';
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('environments.dev.sampling.ratio');
    expect(problems[1]).toContain('environments.prod.account: "1234" does not have the expected form');
  });

  test('a missing environments key says where to add it', () => {
    expect(() => loadEnvironmentProfiles(undefined)).toThrow(
      'cdk.json: environments: missing. Add a context key "environments" with one profile per environment',
    );
  });

  test('messages name the file the profiles came from', () => {
    const environments = exampleEnvironments();
    environments.dev.project = 'Bad Project';
    expect(() => loadEnvironmentProfiles(environments, { source: 'profiles/custom.json', rootPath: 'envs' })).toThrow(
      /profiles\/custom\.json: envs\.dev\.project: "Bad Project" does not have the expected form/,
    );
  });
});
