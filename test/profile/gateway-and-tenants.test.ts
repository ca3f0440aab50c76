import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { profileProblems, type RawEnvironments } from '../support/profile-problems';
import { environmentsWithTenants } from '../support/tenant-profiles';

/** The problems reported after `mutate` has broken the environments of the tenant fixture (prod with two tenants). */
function problemsAfter(mutate: (environments: RawEnvironments) => void): readonly string[] {
  return profileProblems(environmentsWithTenants(), mutate);
}

describe('valid profiles', () => {
  test('the default profiles declare a gateway in staging and prod, not in dev', () => {
    const profiles = loadEnvironmentProfiles(exampleEnvironments());
    expect(Object.entries(profiles).map(([name, profile]) => [name, profile.gateway !== undefined])).toEqual([
      ['dev', false],
      ['staging', true],
      ['prod', true],
    ]);
  });

  test('the tenant fixture is valid: two tenants, each owning one service', () => {
    const prod = loadEnvironmentProfiles(environmentsWithTenants()).prod;
    expect(Object.keys(prod.tenants ?? {})).toEqual(['acme-corp', 'globex']);
    expect(
      Object.entries(prod.services)
        .filter(([, service]) => service.tenant !== undefined)
        .map(([name, service]) => [name, service.tenant]),
    ).toEqual([
      ['acme-reports', 'acme-corp'],
      ['globex-reports', 'globex'],
    ]);
  });
});

describe('tenants', () => {
  test('a service tenant that is not declared suggests the nearest declared tenant', () => {
    expect(problemsAfter((envs) => (envs.prod.services['acme-reports'].tenant = 'acme-crop'))).toEqual([
      'cdk.json: environments.prod.services.acme-reports.tenant: "acme-crop" is not declared in ' +
        'environments.prod.tenants. Did you mean "acme-corp"? Declared tenants: acme-corp, globex',
    ]);
  });

  test('a service tenant in an environment without tenants says to declare it or remove the field', () => {
    expect(problemsAfter((envs) => (envs.dev.services['api-gateway'].tenant = 'acme-corp'))).toEqual([
      'cdk.json: environments.dev.services.api-gateway.tenant: "acme-corp" is not declared in ' +
        'environments.dev.tenants. Declare it under tenants (its Grafana Cloud stack and readers) or remove the field',
    ]);
  });

  test('two tenants on one Grafana Cloud stack are rejected: each would see the other', () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.grafanaCloud.instanceId = '700001'))).toEqual([
      'cdk.json: environments.prod.tenants.globex.grafanaCloud.instanceId: "700001" is also the stack of ' +
        'tenants.acme-corp, so its data would be visible there. Give every tenant its own Grafana Cloud stack',
    ]);
  });

  test("a tenant on the platform's Grafana Cloud stack is rejected", () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.grafanaCloud.instanceId = '123456'))).toEqual([
      'cdk.json: environments.prod.tenants.globex.grafanaCloud.instanceId: "123456" is also the stack of ' +
        'grafanaCloud, so its data would be visible there. Give every tenant its own Grafana Cloud stack',
    ]);
  });

  test("two tenants sharing a token parameter are rejected: one tenant's collector would hold the other's token", () => {
    expect(
      problemsAfter(
        (envs) =>
          (envs.prod.tenants.globex.grafanaCloud.apiKeyParameterName =
            envs.prod.tenants['acme-corp'].grafanaCloud.apiKeyParameterName),
      ),
    ).toEqual([
      'cdk.json: environments.prod.tenants.globex.grafanaCloud.apiKeyParameterName: ' +
        '"/starmates-ai-team/prod/tenants/acme-corp/grafana-cloud-api-key" is also ' +
        'environments.prod.tenants.acme-corp.grafanaCloud.apiKeyParameterName, and each parameter holds one thing ' +
        '(one token, or the config). Give it its own name, for example ' +
        '"/starmates-ai-team/<env>/tenants/globex/grafana-cloud-api-key"',
    ]);
  });

  test("a tenant using the platform's token parameter is rejected", () => {
    expect(
      problemsAfter(
        (envs) =>
          (envs.prod.tenants.globex.grafanaCloud.apiKeyParameterName = envs.prod.grafanaCloud.apiKeyParameterName),
      ),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.tenants\.globex\.grafanaCloud\.apiKeyParameterName: ".*" is also environments\.prod\.grafanaCloud\.apiKeyParameterName, and each parameter holds one thing .*"\/starmates-ai-team\/<env>\/tenants\/globex\/grafana-cloud-api-key"$/,
      ),
    ]);
  });

  test('a tenant id that is not lower-case letters, digits and "-" is rejected', () => {
    expect(
      problemsAfter((envs) => {
        envs.prod.tenants.Globex_Inc = envs.prod.tenants.globex;
        delete envs.prod.tenants.globex;
        envs.prod.services['globex-reports'].tenant = 'acme-corp';
      }),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.tenants: "Globex_Inc" is not a valid name; expected the tenants whose telemetry is kept apart/,
      ),
    ]);
  });

  test('a tenant with nobody to read its logs is rejected', () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.readerPrincipalArns = []))).toEqual([
      expect.stringMatching(/^cdk\.json: environments\.prod\.tenants\.globex\.readerPrincipalArns: is empty;/),
    ]);
  });

  test('a misspelt key of a tenant destination suggests the nearest key', () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.grafanaCloud.apiKeyParameter = '/x/y'))).toEqual([
      expect.stringContaining(
        'environments.prod.tenants.globex.grafanaCloud.apiKeyParameter: unknown key. Did you mean "apiKeyParameterName"?',
      ),
    ]);
  });
});

describe('the gateway', () => {
  test('a memory size Fargate does not offer for the gateway cpu is one problem, with the valid sizes', () => {
    expect(problemsAfter((envs) => (envs.prod.gateway.memoryMiB = 1024))).toEqual([
      'cdk.json: environments.prod.gateway.memoryMiB: 1024 is not a Fargate memory size for cpu 1024. ' +
        'Use one of 2048, 3072, 4096, 5120, 6144, 7168, 8192',
    ]);
  });

  test('one gateway task in production is rejected, naming environments.prod.gateway.minTasks', () => {
    expect(problemsAfter((envs) => (envs.prod.gateway.minTasks = 1))).toEqual([
      expect.stringMatching(/^cdk\.json: environments\.prod\.gateway\.minTasks: 1 in a production environment;/),
    ]);
  });

  test('too few tasks for the expected load is rejected, naming the minTasks that carries it', () => {
    expect(problemsAfter((envs) => (envs.prod.gateway.expectedTracesPerSecond = 1000))).toEqual([
      expect.stringMatching(/^cdk\.json: environments\.prod\.gateway\.minTasks: .* Raise minTasks to 5 /),
    ]);
  });

  test('maxTasks below minTasks is rejected', () => {
    expect(
      problemsAfter((envs) => {
        envs.staging.gateway.minTasks = 2;
        envs.staging.gateway.maxTasks = 1;
      }),
    ).toEqual(['cdk.json: environments.staging.gateway.maxTasks: 1 is below minTasks 2. Raise maxTasks']);
  });

  test('a decision wait the slow-trace threshold does not fit in is rejected', () => {
    expect(problemsAfter((envs) => (envs.prod.gateway.decisionWaitSeconds = 2))).toEqual([
      'cdk.json: environments.prod.gateway.decisionWaitSeconds: 2 s is not longer than sampling.slowTraceThresholdMs ' +
        '(2000 ms), so a slow trace is decided before it ends. Use at least 7',
    ]);
  });

  test('a misspelt gateway key suggests the nearest key', () => {
    expect(
      problemsAfter((envs) => {
        envs.prod.gateway.minTask = envs.prod.gateway.minTasks;
        delete envs.prod.gateway.minTasks;
      }),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.gateway: missing key "minTasks"; add the fewest gateway tasks/,
      ),
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.gateway\.minTask: unknown key\. Did you mean "minTasks"\?/,
      ),
    ]);
  });

  test('a gateway cpu Fargate does not offer lists the valid values', () => {
    expect(problemsAfter((envs) => (envs.prod.gateway.cpu = 1000))).toEqual([
      'cdk.json: environments.prod.gateway.cpu: 1000 is not allowed; expected Fargate cpu units of one gateway task: ' +
        'one of 256, 512, 1024, 2048, 4096, 8192, 16384, for example 1024',
    ]);
  });
});

describe("tenants' gateway ports", () => {
  test('with a gateway, a tenant without gatewayPort is one problem, naming the key and suggesting a port', () => {
    expect(problemsAfter((envs) => delete envs.prod.tenants.globex.gatewayPort)).toEqual([
      'cdk.json: environments.prod.tenants.globex.gatewayPort: missing. With a gateway each tenant sends its traces ' +
        'to its own port, which only its tasks may reach; add an unused port, for example "gatewayPort": 4321',
    ]);
  });

  test('two tenants without gatewayPort are one problem each', () => {
    expect(
      problemsAfter((envs) => {
        delete envs.prod.tenants['acme-corp'].gatewayPort;
        delete envs.prod.tenants.globex.gatewayPort;
      }),
    ).toEqual([
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.tenants\.acme-corp\.gatewayPort: missing\..*"gatewayPort": 4320$/,
      ),
      expect.stringMatching(
        /^cdk\.json: environments\.prod\.tenants\.globex\.gatewayPort: missing\..*"gatewayPort": 4321$/,
      ),
    ]);
  });

  test('the suggested port is one no tenant uses', () => {
    expect(
      problemsAfter((envs) => {
        envs.prod.tenants['acme-corp'].gatewayPort = 4321;
        delete envs.prod.tenants.globex.gatewayPort;
      }),
    ).toEqual([expect.stringMatching(/tenants\.globex\.gatewayPort: missing\..*"gatewayPort": 4320$/)]);
    expect(
      problemsAfter((envs) => {
        envs.prod.tenants['acme-corp'].gatewayPort = 4320;
        delete envs.prod.tenants.globex.gatewayPort;
      }),
    ).toEqual([expect.stringMatching(/tenants\.globex\.gatewayPort: missing\..*"gatewayPort": 4321$/)]);
  });

  test("two tenants on one port are one problem, naming the second and the port's owner", () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.gatewayPort = 4320))).toEqual([
      'cdk.json: environments.prod.tenants.globex.gatewayPort: 4320 is already used by tenants.acme-corp. ' +
        'Give every tenant its own port (not 4317, 4318, 13133, 14318)',
    ]);
  });

  test.each([4317, 4318, 13133, 14318])("a tenant on the gateway's own port %d is one problem", (port) => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.gatewayPort = port))).toEqual([
      `cdk.json: environments.prod.tenants.globex.gatewayPort: ${port} is already used by the gateway itself. ` +
        'Give every tenant its own port (not 4317, 4318, 13133, 14318)',
    ]);
  });

  test('a port below 1024 is one problem', () => {
    expect(problemsAfter((envs) => (envs.prod.tenants.globex.gatewayPort = 80))).toEqual([
      expect.stringMatching(/^cdk\.json: environments\.prod\.tenants\.globex\.gatewayPort: 80 is out of range;/),
    ]);
  });

  test('without a gateway, gatewayPort is not required', () => {
    const environments = environmentsWithTenants();
    delete environments.prod.gateway;
    for (const tenant of Object.values(environments.prod.tenants as Record<string, Record<string, unknown>>)) {
      delete tenant.gatewayPort;
    }
    const prod = loadEnvironmentProfiles(environments).prod;
    expect(prod.gateway).toBeUndefined();
    expect(Object.values(prod.tenants ?? {}).map((tenant) => tenant.gatewayPort)).toEqual([undefined, undefined]);
  });
});

describe('tenant ids', () => {
  test('an id with "--" is rejected: it would share its construct ids with the id with one "-"', () => {
    const problems = problemsAfter((envs) => {
      envs.prod.tenants['acme--corp'] = envs.prod.tenants['acme-corp'];
      delete envs.prod.tenants['acme-corp'];
      envs.prod.services['acme-reports'].tenant = 'acme--corp';
    });
    expect(problems.some((problem) => problem.includes('"acme--corp"'))).toBe(true);
    expect(problems.every((problem) => problem.includes('acme--corp'))).toBe(true);
  });
});
