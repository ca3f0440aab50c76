import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeQueryDefinitionsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DiscoverInstancesCommand,
  type HttpInstanceSummary,
  ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { DescribeParametersCommand, GetParameterCommand, type ParameterMetadata, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describeParameters, MAX_NAMES_PER_FILTER } from '../../lib/cli/ssm';
import { savedQueries } from '../../lib/logs/queries';
import { grafanaCloudConfigDocument } from '../../lib/profile/grafana-cloud-config';
import { awsError, EXAMPLE_APP, obsctl } from './support/harness';
import { ACME_TOKEN_NAME, GLOBEX_TOKEN_NAME, TenantConfigs } from './support/tenant-config';

const ssm = mockClient(SSMClient);
const logs = mockClient(CloudWatchLogsClient);
const cloudMap = mockClient(ServiceDiscoveryClient);
const secretsManager = mockClient(SecretsManagerClient);

const TOKEN_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key';
const CONFIG_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-config';
const SERVICES = ['api-gateway', 'workflow-agent', 'workflow-engine', 'workflow-scheduler'];
const cdkJson = require(`${EXAMPLE_APP}/cdk.json`);
const configValue = JSON.stringify(grafanaCloudConfigDocument(cdkJson.context.environments.prod));
const arn = (name: string, account = '333333333333') => `arn:aws:ssm:eu-west-1:${account}:parameter${name}`;
const WEBHOOK_SECRET = '/starmates-ai-team/prod/monitoring/oncall-webhook-url';
const HEARTBEAT_SECRET = '/starmates-ai-team/prod/monitoring/oncall-heartbeat-url';
const FAKE_WEBHOOK_URL = 'https://oncall.example.net/integrations/v1/webhook/FAKEwebhookT0KEN/';
const secretArn = (name: string, account = '333333333333') =>
  `arn:aws:secretsmanager:eu-west-1:${account}:secret:${name}-AbCdEf`;
const GATEWAY_NAMESPACE = 'otel.starmates-ai-team-prod.internal';
const GATEWAY_CHECK = `gateway ${GATEWAY_NAMESPACE}/otel-gateway`;
const KEY_ARN = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ECS_EVENTS =
  "aws ecs describe-services --cluster starmates-ai-team-prod --services otel-gateway --query 'services[0].events[:5].message' --region eu-west-1 --no-cli-pager";

/** A gateway task as Cloud Map lists it. */
const gatewayTask = (id: string, health: 'HEALTHY' | 'UNHEALTHY'): HttpInstanceSummary => ({
  InstanceId: id,
  NamespaceName: GATEWAY_NAMESPACE,
  ServiceName: 'otel-gateway',
  HealthStatus: health,
  Attributes: { AWS_INSTANCE_IPV4: '10.0.1.17' },
});

const token = (overrides: Partial<ParameterMetadata> = {}): ParameterMetadata => ({
  Name: TOKEN_NAME,
  Type: 'SecureString',
  KeyId: 'alias/aws/ssm',
  Version: 2,
  ARN: arn(TOKEN_NAME),
  ...overrides,
});
const config = (overrides: Partial<ParameterMetadata> = {}): ParameterMetadata => ({
  Name: CONFIG_NAME,
  Type: 'String',
  Version: 1,
  ARN: arn(CONFIG_NAME),
  ...overrides,
});

/** The on-call webhook and heartbeat secrets hold HTTPS URLs, in the environment's account. */
function webhookSecretsStored(): void {
  secretsManager.on(DescribeSecretCommand).callsFake(({ SecretId }) => ({ ARN: secretArn(SecretId), Name: SecretId }));
  secretsManager.on(GetSecretValueCommand).resolves({ SecretString: FAKE_WEBHOOK_URL });
}

/** Everything in place; log groups and query definitions come in two pages each. */
function deployed(): void {
  webhookSecretsStored();
  // SSM may answer a filtered DescribeParameters with an empty page and a token first.
  ssm
    .on(DescribeParametersCommand)
    .resolvesOnce({ Parameters: [], NextToken: 'more' })
    .resolves({ Parameters: [token(), config()] });
  ssm
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: CONFIG_NAME, Type: 'String', Value: configValue, Version: 1 } });
  const groups = [
    ...SERVICES.map((service) => `/ecs/starmates-ai-team-prod/${service}`),
    '/ecs/starmates-ai-team-prod/api-gateway/otel-collector',
    '/ecs/starmates-ai-team-prod/ecs-task-events',
  ].map((logGroupName) => ({ logGroupName }));
  logs
    .on(DescribeLogGroupsCommand)
    .resolvesOnce({ logGroups: groups.slice(0, 3), nextToken: 'page-2' })
    .resolves({ logGroups: groups.slice(3) });
  const definitions = savedQueries('starmates-ai-team', 'prod').map((query) => ({ name: query.name }));
  logs
    .on(DescribeQueryDefinitionsCommand)
    .resolvesOnce({ queryDefinitions: definitions.slice(0, 5), nextToken: 'page-2' })
    .resolves({ queryDefinitions: definitions.slice(5) });
  cloudMap
    .on(DiscoverInstancesCommand)
    .resolves({ Instances: [gatewayTask('task-1', 'HEALTHY'), gatewayTask('task-2', 'HEALTHY')] });
}

/** Nothing deployed, no token; the on-call secrets are stored (their own tests below say what else). */
function empty(): void {
  webhookSecretsStored();
  ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });
  ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'));
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  logs.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: [] });
  cloudMap
    .on(DiscoverInstancesCommand)
    .rejects(awsError('NamespaceNotFound', `Namespace not found: ${GATEWAY_NAMESPACE}`));
}

/** The table row of one check, split on the two-space column gaps. */
function row(stdout: string, check: string): string[] | undefined {
  const line = stdout.split('\n').find((text) => text.startsWith(`${check} `));
  return line?.split(/ {2,}/);
}

beforeEach(() => {
  ssm.reset();
  logs.reset();
  cloudMap.reset();
  secretsManager.reset();
});

describe('obsctl doctor', () => {
  test('after a deploy every check passes; lists are followed across pages', async () => {
    deployed();
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    expect(ssm.commandCalls(DescribeParametersCommand).map((call) => call.args[0].input)).toEqual([
      { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [TOKEN_NAME, CONFIG_NAME] }], MaxResults: 50 },
      {
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [TOKEN_NAME, CONFIG_NAME] }],
        MaxResults: 50,
        NextToken: 'more',
      },
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: '/ecs/starmates-ai-team-prod/' },
      { logGroupNamePrefix: '/ecs/starmates-ai-team-prod/', nextToken: 'page-2' },
    ]);
    expect(logs.commandCalls(DescribeQueryDefinitionsCommand).map((call) => call.args[0].input)).toEqual([
      { queryDefinitionNamePrefix: 'starmates-ai-team/prod/', maxResults: 1000 },
      { queryDefinitionNamePrefix: 'starmates-ai-team/prod/', maxResults: 1000, nextToken: 'page-2' },
    ]);
  });

  test('before anything exists: the token fails with the command that stores it, the rest is "not deployed"', async () => {
    empty();
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)).toEqual([
      `parameter ${TOKEN_NAME}`,
      'fail',
      "missing: the platform's sidecars and the gateway would fail to start (ResourceInitializationError)",
      'obsctl credentials put --env prod < token.txt',
    ]);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)).toEqual([
      `parameter ${CONFIG_NAME}`,
      'not deployed',
      'missing',
      'npx cdk deploy -c env=prod --all',
    ]);
    for (const service of SERVICES) {
      expect(row(result.stdout, `log group /ecs/starmates-ai-team-prod/${service}`)?.[1]).toBe('not deployed');
    }
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.slice(1, 2)).toEqual(['not deployed']);
    expect(row(result.stdout, GATEWAY_CHECK)?.slice(1)).toEqual([
      'not deployed',
      'Cloud Map namespace missing',
      'npx cdk deploy -c env=prod --all',
    ]);
    expect(result.stdout).toMatch(/\n2 passed, 1 failed, 7 not deployed yet\n$/);
  });

  test('before the deploy, a stored token is all that is required', async () => {
    empty();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token()] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(result.code).toBe(0);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'pass',
      'SecureString, version 2, key alias/aws/ssm',
    ]);
  });

  test('--after-deploy turns what the deploy creates into failures with the deploy command', async () => {
    deployed();
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: '/ecs/starmates-ai-team-prod/api-gateway' }] });
    logs
      .on(DescribeQueryDefinitionsCommand)
      .resolves({ queryDefinitions: [{ name: 'starmates-ai-team/prod/User activity' }] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'log group /ecs/starmates-ai-team-prod/workflow-agent')).toEqual([
      'log group /ecs/starmates-ai-team-prod/workflow-agent',
      'fail',
      'missing',
      'npx cdk deploy -c env=prod --all',
    ]);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.[2]).toMatch(
      /^9 of 10 missing: Tracking ID correlation, /,
    );
  });

  test('a token stored as a String fails with the commands that recreate it', async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token({ Type: 'String', KeyId: undefined }), config()] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'is a String; the token must be a SecureString',
      `aws ssm delete-parameter --name ${TOKEN_NAME} --region eu-west-1 && obsctl credentials put --env prod < token.txt`,
    ]);
  });

  test('a config parameter that differs from the profile names the keys', async () => {
    deployed();
    const stale = { ...JSON.parse(configValue), instanceId: '999' };
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'String', Value: JSON.stringify(stale), Version: 1 } });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1)).toEqual([
      'fail',
      'differs from the profile: instanceId: parameter has "999", profile has "123456"',
      'npx cdk deploy -c env=prod --all',
    ]);
  });

  test('a config parameter that is not JSON, or not a String, fails', async () => {
    deployed();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'String', Value: 'instanceId=123456', Version: 1 } });
    let result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1, 3)).toEqual(['fail', 'is not a JSON object']);
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token(), config({ Type: 'SecureString' })] });
    result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.slice(1, 3)).toEqual([
      'fail',
      'is a SecureString; the config must be a String',
    ]);
    expect(result.code).toBe(1);
  });

  test('a token under another KMS key than the profile allows fails with the rotate command', async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token({ KeyId: 'alias/someone-elses' }), config()] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'encrypted with alias/someone-elses, but the profile names no parameterKeyArn: tasks get no kms:Decrypt on that key',
      'obsctl credentials put --env prod --rotate < token.txt',
    ]);
  });

  test('parameters of another account mean the wrong credentials', async () => {
    deployed();
    ssm
      .on(DescribeParametersCommand)
      .resolves({ Parameters: [token({ ARN: arn(TOKEN_NAME, '111111111111') }), config()] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--profile', 'prod-admin']);
    expect(result.clientOptions).toEqual([{ region: 'eu-west-1', awsProfile: 'prod-admin' }]);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      'found in account 111111111111, but environment prod is account 333333333333',
      'use credentials of account 333333333333 (--profile <name>)',
    ]);
  });

  test('suggested commands carry --profile and a non-default --config', async () => {
    empty();
    const directory = mkdtempSync(join(tmpdir(), 'obsctl-doctor-'));
    try {
      const config = join(directory, 'cdk.json');
      copyFileSync(`${EXAMPLE_APP}/cdk.json`, config);
      const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--profile', 'prod-admin', '--config', config]);
      expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[3]).toBe(
        `obsctl credentials put --env prod --config ${config} --profile prod-admin < token.txt`,
      );
      expect(row(result.stdout, `parameter ${CONFIG_NAME}`)?.[3]).toBe(
        'npx cdk deploy -c env=prod --all --profile prod-admin',
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  test('the default cdk.json, however it is written, is not repeated in suggestions', async () => {
    empty();
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', `${EXAMPLE_APP}/cdk.json`]);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[3]).toBe('obsctl credentials put --env prod < token.txt');
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.[2]).toBe('none of the 10 exists');
  });
});

describe('obsctl doctor: the collector gateway', () => {
  test('asks Cloud Map for every gateway instance with its health, in the namespace and service the sidecars use', async () => {
    deployed();
    await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(cloudMap.commandCalls(DiscoverInstancesCommand).map((call) => call.args[0].input)).toEqual([
      { NamespaceName: GATEWAY_NAMESPACE, ServiceName: 'otel-gateway', HealthStatus: 'ALL', MaxResults: 1000 },
    ]);
  });

  test('one healthy task is enough to pass, and the detail counts them', async () => {
    deployed();
    cloudMap
      .on(DiscoverInstancesCommand)
      .resolves({ Instances: [gatewayTask('task-1', 'UNHEALTHY'), gatewayTask('task-2', 'HEALTHY')] });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(0);
    expect(row(result.stdout, GATEWAY_CHECK)?.slice(1)).toEqual(['pass', '1 of 2 tasks healthy']);
  });

  test.each([
    [[gatewayTask('task-1', 'UNHEALTHY'), gatewayTask('task-2', 'UNHEALTHY')], 'none of 2 registered tasks is healthy'],
    [[], 'no task registered'],
  ])(
    'no healthy task fails, even before a deploy, with the command that shows the ECS events (%#)',
    async (instances, detail) => {
      deployed();
      cloudMap.on(DiscoverInstancesCommand).resolves({ Instances: instances });
      const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
      expect(result.code).toBe(1);
      expect(row(result.stdout, GATEWAY_CHECK)?.slice(1)).toEqual([
        'fail',
        `${detail}: sidecars have no gateway to send traces to`,
        ECS_EVENTS,
      ]);
    },
  );

  test.each([
    ['NamespaceNotFound', 'Cloud Map namespace missing'],
    ['ServiceNotFound', 'Cloud Map service missing'],
  ])('--after-deploy, a missing gateway (%s) fails with the deploy command', async (error, detail) => {
    deployed();
    cloudMap.on(DiscoverInstancesCommand).rejects(awsError(error));
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--after-deploy']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, GATEWAY_CHECK)?.slice(1)).toEqual(['fail', detail, 'npx cdk deploy -c env=prod --all']);
  });

  test('access denied on DiscoverInstances names the action to grant', async () => {
    deployed();
    cloudMap.on(DiscoverInstancesCommand).rejects(awsError('AccessDeniedException', 'Access denied'));
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'Access denied: the caller may not servicediscovery:DiscoverInstances. Grant servicediscovery:DiscoverInstances or use another --profile. (Access denied)\n',
    );
  });

  test('an environment without a gateway asks Cloud Map nothing and reports no gateway row', async () => {
    empty();
    const result = await obsctl(['doctor', '--wide', '--env', 'dev']);
    expect(cloudMap.commandCalls(DiscoverInstancesCommand)).toHaveLength(0);
    expect(result.stdout).not.toContain('gateway otel.');
  });
});

describe('obsctl doctor: tenants', () => {
  const configs = new TenantConfigs();
  afterAll(() => configs.remove());

  /** The parameter names doctor asked SSM about, in order. */
  function describedNames(): string[] {
    return ssm.commandCalls(DescribeParametersCommand)[0].args[0].input.ParameterFilters?.[0].Values ?? [];
  }

  test("after a deploy with tenants every check passes, each tenant's token and saved queries included", async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [
        token(),
        config(),
        token({ Name: ACME_TOKEN_NAME, ARN: arn(ACME_TOKEN_NAME), Version: 1 }),
        token({ Name: GLOBEX_TOKEN_NAME, ARN: arn(GLOBEX_TOKEN_NAME), Version: 1 }),
      ],
    });
    const groups = [...SERVICES, 'acme-reports', 'globex-reports'].map((service) => ({
      logGroupName: `/ecs/starmates-ai-team-prod/${service}`,
    }));
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: groups });
    const definitions = [undefined, 'acme-corp', 'globex'].flatMap((tenant) =>
      savedQueries('starmates-ai-team', 'prod', tenant).map((query) => ({ name: query.name })),
    );
    logs.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: definitions });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', configs.write(), '--after-deploy']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
  });

  test("checks the token of every collector: the platform's, each tenant's, then the config", async () => {
    empty();
    const config = configs.write();
    await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config]);
    expect(describedNames()).toEqual([TOKEN_NAME, ACME_TOKEN_NAME, GLOBEX_TOKEN_NAME, CONFIG_NAME]);
  });

  test('a missing tenant token names its readers and the credentials put --tenant command', async () => {
    empty();
    ssm.on(DescribeParametersCommand).resolves({ Parameters: [token()] });
    const config = configs.write();
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config]);
    expect(result.code).toBe(1);
    expect(row(result.stdout, `parameter ${ACME_TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      "missing: tenant acme-corp's sidecars and the gateway would fail to start (ResourceInitializationError)",
      `obsctl credentials put --env prod --tenant acme-corp --config ${config} < token.txt`,
    ]);
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[1]).toBe('pass');
  });

  // No valid profile names more than 50 parameters any more: the scale guard stops an environment
  // at about 28 tenants (CloudFormation's 500 resources). The batching stays, tested directly.
  test('more than 50 parameters are asked for in Name filters of at most 50 names each', async () => {
    empty();
    const names = Array.from({ length: 64 }, (_, index) => `/starmates-ai-team/prod/tenants/tenant-${index}/token`);
    await describeParameters(new SSMClient({ region: 'eu-west-1' }), names);
    const filters = ssm
      .commandCalls(DescribeParametersCommand)
      .map((call) => call.args[0].input.ParameterFilters?.[0].Values ?? []);
    expect(filters.map((batch) => batch.length)).toEqual([MAX_NAMES_PER_FILTER, 14]);
    expect(filters.flat()).toEqual(names);
  });

  test('a tenant without services needs a token only because the gateway reads it', async () => {
    empty();
    const config = configs.write((environments) => {
      delete environments.prod.services['globex-reports'];
    });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config]);
    expect(row(result.stdout, `parameter ${GLOBEX_TOKEN_NAME}`)?.[2]).toBe(
      'missing: the gateway would fail to start (ResourceInitializationError)',
    );
  });

  test('without a gateway, a tenant whose services run no collector needs no token', async () => {
    empty();
    const config = configs.write((environments) => {
      delete environments.prod.gateway;
      environments.prod.services['globex-reports'].instrumentation = false;
    });
    await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config]);
    expect(describedNames()).toEqual([TOKEN_NAME, ACME_TOKEN_NAME, CONFIG_NAME]);
  });

  test("a tenant token under another key than the tenant's parameterKeyArn fails with the tenant's rotate command", async () => {
    deployed();
    ssm.on(DescribeParametersCommand).resolves({
      Parameters: [
        token(),
        config(),
        token({ Name: ACME_TOKEN_NAME, ARN: arn(ACME_TOKEN_NAME) }),
        token({ Name: GLOBEX_TOKEN_NAME, ARN: arn(GLOBEX_TOKEN_NAME) }),
      ],
    });
    const path = configs.write((environments) => {
      environments.prod.tenants.globex.grafanaCloud.parameterKeyArn = KEY_ARN;
    });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', path]);
    expect(row(result.stdout, `parameter ${GLOBEX_TOKEN_NAME}`)?.slice(1)).toEqual([
      'fail',
      `encrypted with alias/aws/ssm, but the profile's parameterKeyArn is ${KEY_ARN}`,
      `obsctl credentials put --env prod --tenant globex --rotate --config ${path} < token.txt`,
    ]);
    // The platform's token is judged by the platform's key (none), not the tenant's.
    expect(row(result.stdout, `parameter ${TOKEN_NAME}`)?.[1]).toBe('pass');
  });

  test("each view group's saved-query folder is checked, in an environment of more than 50 services", async () => {
    deployed();
    const platform = savedQueries('starmates-ai-team', 'prod').map((query) => ({ name: query.name }));
    logs.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: platform });
    const config = configs.write((environments) => {
      environments.prod.externalServices = Array.from({ length: 60 }, (_, index) => `elsewhere-${index}`);
    });
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config, '--after-deploy']);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.slice(1)).toEqual(['pass', 'all 10 exist']);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/services-51-100/')?.slice(1, 3)).toEqual([
      'fail',
      'none of the 10 exists',
    ]);
  });

  test("each tenant's saved-query folder is checked like the platform's, from one listing", async () => {
    deployed();
    const acme = savedQueries('starmates-ai-team', 'prod', 'acme-corp').map((query) => ({ name: query.name }));
    const platform = savedQueries('starmates-ai-team', 'prod').map((query) => ({ name: query.name }));
    logs.on(DescribeQueryDefinitionsCommand).resolves({ queryDefinitions: [...platform, ...acme.slice(1)] });
    const config = configs.write();
    const result = await obsctl(['doctor', '--wide', '--env', 'prod', '--config', config, '--after-deploy']);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/')?.slice(1)).toEqual(['pass', 'all 10 exist']);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/tenants/acme-corp/')?.slice(1)).toEqual([
      'fail',
      '1 of 10 missing: Tracking ID correlation',
      'npx cdk deploy -c env=prod --all',
    ]);
    expect(row(result.stdout, 'saved queries starmates-ai-team/prod/tenants/globex/')?.slice(1, 3)).toEqual([
      'fail',
      'none of the 10 exists',
    ]);
    expect(logs.commandCalls(DescribeQueryDefinitionsCommand)).toHaveLength(1);
  });
});

describe('obsctl doctor output', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

  test('piped, the report fits 80 columns: each check a result and a wrapped block with its fix', async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout.split('\n').slice(0, 5)).toEqual([
      'RESULT        CHECK',
      `fail          parameter ${TOKEN_NAME}`,
      "                missing: the platform's sidecars and the gateway would fail to",
      '                start (ResourceInitializationError)',
      '                fix: obsctl credentials put --env prod < token.txt',
    ]);
  });

  test("on a terminal the report fits the terminal's width", async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod'], { terminalColumns: 60 });
    expect(widest(result.stdout)).toBeLessThanOrEqual(60);
    expect(result.stdout).toContain('2 passed, 1 failed, 7 not deployed yet');
  });

  test('a long fix is continued with backslashes: copied whole, it is the one command', async () => {
    deployed();
    cloudMap.on(DiscoverInstancesCommand).resolves({ Instances: [] });
    const result = await obsctl(['doctor', '--env', 'prod']);
    const lines = result.stdout.split('\n');
    const first = lines.findIndex((line) => line.includes('fix: aws ecs describe-services'));
    const last = lines.findIndex((line, index) => index >= first && !line.endsWith(' \\'));
    const fix = lines.slice(first, last + 1);
    expect(fix.length).toBeGreaterThan(1);
    expect(Math.max(...fix.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(
      fix
        .map((line) =>
          line
            .trim()
            .replace(/^fix: /, '')
            .replace(/ \\$/, ''),
        )
        .join(' '),
    ).toBe(ECS_EVENTS);
  });

  test('--wide prints one line per check, whatever its length', async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod', '--wide'], { terminalColumns: 60 });
    expect(result.stdout.split('\n')[0]).toMatch(/^CHECK +RESULT +DETAIL +FIX$/);
    expect(widest(result.stdout)).toBeGreaterThan(200);
  });

  test('--json prints every check and the counts', async () => {
    empty();
    const result = await obsctl(['doctor', '--env', 'prod', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(json.environment).toBe('prod');
    expect(json.summary).toEqual({ passed: 2, failed: 1, notDeployed: 7 });
    expect(json.checks[0]).toEqual({
      check: `parameter ${TOKEN_NAME}`,
      result: 'fail',
      detail: "missing: the platform's sidecars and the gateway would fail to start (ResourceInitializationError)",
      fix: 'obsctl credentials put --env prod < token.txt',
    });
    expect(json.checks).toHaveLength(10);
  });

  test('--json after a deploy: passes carry no fix, exit 0', async () => {
    deployed();
    const result = await obsctl(['doctor', '--env', 'prod', '--after-deploy', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.checks.filter((check: { fix?: string }) => check.fix !== undefined)).toEqual([]);
  });

  test('on a terminal, progress names what is being checked and is cleared; not on a pipe', async () => {
    deployed();
    const tty = await obsctl(['doctor', '--env', 'prod'], { stderrIsTTY: true });
    expect(tty.stderr).toContain('\r| Checking the SSM parameters\u001b[K');
    expect(tty.stderr).toContain('Checking the gateway in Cloud Map\u001b[K');
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    const pipe = await obsctl(['doctor', '--env', 'prod']);
    expect(pipe.stderr).toBe('');
  });
});

describe('obsctl doctor: the on-call secrets the platform deploy resolves', () => {
  const secretRow = async () => {
    const result = await obsctl(['doctor', '--wide', '--env', 'prod']);
    return { code: result.code, row: row(result.stdout, `secret ${WEBHOOK_SECRET}`)?.slice(1), stdout: result.stdout };
  };

  beforeEach(() => empty());

  test('a stored webhook URL passes without being printed', async () => {
    const { row: webhook, stdout } = await secretRow();
    expect(webhook).toEqual(['pass', 'holds an HTTPS on-call webhook URL']);
    expect(row(stdout, `secret ${HEARTBEAT_SECRET}`)?.slice(1)).toEqual([
      'pass',
      'holds an HTTPS on-call heartbeat URL',
    ]);
    expect(stdout).not.toContain('FAKEwebhookT0KEN');
  });

  test('a missing secret fails with the command that stores it', async () => {
    secretsManager.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    const { code, row: webhook } = await secretRow();
    expect(code).toBe(1);
    expect(webhook).toEqual([
      'fail',
      "missing: the platform stack's on-call subscription cannot deploy",
      'obsctl credentials put-webhook --env prod < webhook-url.txt',
    ]);
  });

  test('a secret scheduled for deletion fails with the command that restores it', async () => {
    secretsManager
      .on(DescribeSecretCommand)
      .resolves({ ARN: secretArn(WEBHOOK_SECRET), DeletedDate: new Date('2026-12-20T00:00:00Z') });
    expect((await secretRow()).row).toEqual([
      'fail',
      "scheduled for deletion on 2026-12-20: the platform stack's on-call subscription cannot deploy",
      `aws secretsmanager restore-secret --secret-id ${WEBHOOK_SECRET}`,
    ]);
  });

  test("a secret in another account fails and names the environment's account", async () => {
    secretsManager.on(DescribeSecretCommand).resolves({ ARN: secretArn(WEBHOOK_SECRET, '111111111111') });
    expect((await secretRow()).row).toEqual([
      'fail',
      'found in account 111111111111, but environment prod is account 333333333333',
      'use credentials of account 333333333333 (--profile <name>)',
    ]);
  });

  test('a value SNS cannot deliver to fails, says why and never quotes it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'http://oncall.example.net/FAKEwebhookT0KEN' });
    const { row: webhook, stdout } = await secretRow();
    expect(webhook?.slice(0, 2)).toEqual([
      'fail',
      'is not a usable on-call webhook URL: the URL does not start with https:// (the subscription is HTTPS)',
    ]);
    expect(stdout).not.toContain('FAKEwebhookT0KEN');
  });

  test('a value these credentials may not read still passes: the deploy reads it with its own role', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException'));
    expect((await secretRow()).row).toEqual(['pass', 'exists (its value is not readable with these credentials)']);
  });
});
