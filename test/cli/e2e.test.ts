/**
 * obsctl as operators run it: a child process per command, talking HTTP to a fake SSM, CloudWatch
 * Logs and Cloud Map on 127.0.0.1 (test/cli/support/fake-aws.ts). Proves what mocks cannot: request
 * serialisation, error deserialisation, the SDK's retry on throttling, pagination over the wire,
 * the endpoint Cloud Map calls go to, exit codes and streams of the real process.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { savedQueries } from '../../lib/logs/queries';
import { grafanaCloudConfigDocument } from '../../lib/profile/grafana-cloud-config';
import { FakeAws, type FakeLogEvent, type QueryEvaluator, trackingIdRows } from './support/fake-aws';
import { EXAMPLE_APP, FAKE_TOKEN, PROD_SERVICES, REPO_ROOT } from './support/harness';

const CDK_JSON = join(EXAMPLE_APP, 'cdk.json');
// The package's bin: in the repository it runs the TypeScript source through tsx.
const OBSCTL = join(REPO_ROOT, 'bin', 'obsctl.js');
// Generous: each run starts obsctl through tsx, which takes seconds on a loaded 2-core machine
// (the suite's parallel workers); a hang still fails, it just takes longer to say so.
const CHILD_TIMEOUT_MS = 30_000;

const TOKEN_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key';
const CONFIG_NAME = '/starmates-ai-team/prod/monitoring/grafana-cloud-config';
const group = (service: string) => `/ecs/starmates-ai-team-prod/${service}`;
const TRACKING_ID = '0af7651916cd43dd8448eb211c80319c';
const GATEWAY_NAMESPACE = 'otel.starmates-ai-team-prod.internal';
const GATEWAY_CHECK = `gateway ${GATEWAY_NAMESPACE}/otel-gateway`;
const WEBHOOK_SECRET = '/starmates-ai-team/prod/monitoring/oncall-webhook-url';
const HEARTBEAT_SECRET = '/starmates-ai-team/prod/monitoring/oncall-heartbeat-url';
const FAKE_WEBHOOK_URL = 'https://oncall.example.net/integrations/v1/webhook/FAKEwebhookT0KEN/';
const FAKE_HEARTBEAT_URL = 'https://oncall.example.net/integrations/v1/heartbeat/FAKEheartbeatT0KEN/';

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only the tracking-id filter and the error count are understood: what the tests run. */
const evaluate: QueryEvaluator = (request, events) => {
  const trace = trackingIdRows(request, events);
  if (trace !== undefined) return trace;
  if (request.queryString.includes('stats count(*) as errors by service')) {
    const counts = new Map<string, number>();
    for (const event of events.filter((e) => e.record.level === 'ERROR')) {
      counts.set(String(event.record.service), (counts.get(String(event.record.service)) ?? 0) + 1);
    }
    return [...counts].map(([service, errors]) => ({
      service,
      'bin(5m)': '2025-01-31 10:30:00.000',
      errors: String(errors),
    }));
  }
  return [];
};

const aws = new FakeAws({ account: '333333333333', region: 'eu-west-1', evaluate });
let endpoint = '';

beforeAll(async () => {
  endpoint = await aws.start();
});
afterAll(async () => {
  await aws.stop();
});

/** Runs obsctl with fake credentials and nothing from the developer's AWS configuration. */
function obsctl(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OBSCTL, '--config', CDK_JSON, ...args], {
      cwd: EXAMPLE_APP,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        AWS_ACCESS_KEY_ID: 'AKIDE2ETEST',
        AWS_SECRET_ACCESS_KEY: 'e2e-secret',
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: '/nonexistent/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`obsctl ${args.join(' ')} did not finish within ${CHILD_TIMEOUT_MS} ms`));
    }, CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** The cells of the table row that starts with `check`. */
function cells(table: string, check: string): string[] | undefined {
  return table
    .split('\n')
    .find((line) => line.startsWith(`${check} `))
    ?.split(/ {2,}/);
}

function expectNoToken(result: ChildResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toMatch(/glc_[A-Za-z0-9+/=_-]{20,}/);
  }
}

/** What `cdk deploy -c env=prod --all` creates, as the fake sees it. */
function deploy(): void {
  aws.parameters.set(CONFIG_NAME, {
    Name: CONFIG_NAME,
    Type: 'String',
    Value: JSON.stringify(grafanaCloudConfigDocument(require(CDK_JSON).context.environments.prod)),
    Version: 1,
  });
  for (const service of PROD_SERVICES) {
    aws.logGroups.add(group(service));
    aws.logGroups.add(`${group(service)}/otel-collector`);
  }
  aws.logGroups.add('/ecs/starmates-ai-team-prod/ecs-task-events');
  aws.logGroups.add('/ecs/starmates-ai-team-staging/api-gateway');
  for (const query of savedQueries('starmates-ai-team', 'prod')) aws.queryDefinitions.add(query.name);
  registerGatewayTasks();

  const start = Date.now() - 10 * 60_000;
  const event = (
    offsetMs: number,
    service: string,
    level: string,
    message: string,
    spanId: string,
    trackingId = TRACKING_ID,
  ): FakeLogEvent => ({
    logGroupName: group(service),
    timestampMs: start + offsetMs,
    record: {
      '@message': message,
      level,
      service,
      tracking_id: trackingId,
      tracing: { trace_id: trackingId, span_id: spanId },
    },
  });
  aws.events.push(
    event(310, 'workflow-engine', 'ERROR', 'Workflow workflow_abc123 failed at node summarise', 'e457b5a2e4d86bd1'),
    event(0, 'api-gateway', 'INFO', 'POST /api/v1/workflows 202', '00f067aa0ba902b7'),
    event(95, 'workflow-engine', 'INFO', 'Executing workflow workflow_abc123', 'b7ad6b7169203331'),
    event(420, 'api-gateway', 'WARN', 'Workflow workflow_abc123 reported failure', '00f067aa0ba902b7'),
    event(200, 'workflow-agent', 'INFO', 'another request', '53995c3f42cd8ad8', '5b8aa5a2d2c872e8321cf37308d69df2'),
  );
}

/** The gateway's Cloud Map namespace and service with two tasks, one of them healthy. */
function registerGatewayTasks(): void {
  aws.namespaces.set(
    GATEWAY_NAMESPACE,
    new Map([
      [
        'otel-gateway',
        [
          { InstanceId: 'task-1', HealthStatus: 'HEALTHY', ipv4: '10.0.1.17' },
          { InstanceId: 'task-2', HealthStatus: 'UNHEALTHY', ipv4: '10.0.2.23' },
        ],
      ],
    ]),
  );
}

describe('obsctl end to end', () => {
  test('doctor, credentials put, deploy, doctor, trace, query', async () => {
    const before = await obsctl(['doctor', '--wide', '--env', 'prod', '--endpoint-url', endpoint]);
    expect(before.code).toBe(1);
    expect(before.stderr).toBe('');
    expect(cells(before.stdout, `parameter ${TOKEN_NAME}`)).toEqual([
      `parameter ${TOKEN_NAME}`,
      'fail',
      "missing: the platform's sidecars and the gateway would fail to start (ResourceInitializationError)",
      'obsctl credentials put --env prod < token.txt',
    ]);
    expect(cells(before.stdout, GATEWAY_CHECK)?.slice(1, 3)).toEqual(['not deployed', 'Cloud Map namespace missing']);
    expect(cells(before.stdout, `secret ${WEBHOOK_SECRET}`)?.slice(1)).toEqual([
      'fail',
      "missing: the platform stack's on-call subscription cannot deploy",
      'obsctl credentials put-webhook --env prod < webhook-url.txt',
    ]);
    expect(before.stdout).toContain('0 passed, 3 failed, 7 not deployed yet');

    const put = await obsctl(['credentials', 'put', '--env', 'prod', '--endpoint-url', endpoint], {
      stdin: `${FAKE_TOKEN}\n`,
    });
    expect(put.code).toBe(0);
    expect(put.stderr).toBe('');
    expect(put.stdout).toContain(
      `Stored the Grafana Cloud token: SecureString ${TOKEN_NAME}, version 1, KMS key alias/aws/ssm.`,
    );
    // The server got the token itself (newline trimmed), as a SecureString, without overwrite.
    expect(aws.received('AmazonSSM.PutParameter')).toEqual([
      expect.objectContaining({ Name: TOKEN_NAME, Value: FAKE_TOKEN, Type: 'SecureString', Overwrite: false }),
    ]);
    expectNoToken(put);

    const again = await obsctl(['credentials', 'put', '--env', 'prod', '--endpoint-url', endpoint], {
      stdin: FAKE_TOKEN,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `${TOKEN_NAME} already exists (version 1); nothing was written. To replace the token pass --rotate: obsctl credentials put --env prod --rotate < token.txt\n`,
    );
    expect(aws.parameters.get(TOKEN_NAME)?.Version).toBe(1);
    expectNoToken(again);

    const webhooks = [
      { flags: [], url: FAKE_WEBHOOK_URL },
      { flags: ['--heartbeat'], url: FAKE_HEARTBEAT_URL },
    ];
    const stored: ChildResult[] = [];
    for (const { flags, url } of webhooks) {
      stored.push(
        await obsctl(['credentials', 'put-webhook', ...flags, '--env', 'prod', '--endpoint-url', endpoint], {
          stdin: `${url}\n`,
        }),
      );
    }
    expect(stored.map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
    expect(stored.map(({ stdout }, index) => stdout.includes(webhooks[index].url))).toEqual([false, false]);

    deploy();
    aws.clearRequests();
    // One throttled answer: the SDK must retry it, invisibly.
    aws.throttleOnce.add('Logs_20140328.DescribeLogGroups');
    const after = await obsctl(['doctor', '--wide', '--env', 'prod', '--after-deploy', '--endpoint-url', endpoint]);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('10 passed, 0 failed, 0 not deployed yet');
    expect(cells(after.stdout, `secret ${HEARTBEAT_SECRET}`)?.slice(1)).toEqual([
      'pass',
      'holds an HTTPS on-call heartbeat URL',
    ]);
    expect(after.stdout).not.toContain(FAKE_WEBHOOK_URL);
    expect(cells(after.stdout, GATEWAY_CHECK)?.slice(1)).toEqual(['pass', '1 of 2 tasks healthy']);
    expect(aws.received('Route53AutoNaming_v20170314.DiscoverInstances')).toEqual([
      { NamespaceName: GATEWAY_NAMESPACE, ServiceName: 'otel-gateway', HealthStatus: 'ALL', MaxResults: 1000 },
    ]);
    expect(aws.throttleOnce.size).toBe(0);
    // 17 log groups under the prefix (8 services, those observed elsewhere deployed by their own
    // repositories), 2 a page, plus the throttled first try; 10 definitions, 4 a page.
    expect(aws.received('Logs_20140328.DescribeLogGroups')).toHaveLength(9 + 1);
    expect(aws.received('Logs_20140328.DescribeQueryDefinitions')).toHaveLength(3);
    expectNoToken(after);

    aws.clearRequests();
    // AWS_ENDPOINT_URL instead of --endpoint-url: the SDK reads it itself.
    const [trace, query] = await Promise.all([
      obsctl(['trace', TRACKING_ID.toUpperCase(), '--env', 'prod', '--since', '1h', '--wide'], {
        env: { AWS_ENDPOINT_URL: endpoint },
      }),
      obsctl(['query', 'Error count by service', '--env', 'prod', '--endpoint-url', endpoint]),
    ]);
    expect(trace.stderr).toBe('');
    expect(trace.code).toBe(0);
    const lines = trace.stdout.split('\n');
    expect(lines[0]).toMatch(/^TIME +SERVICE +LEVEL +SPAN +MESSAGE$/);
    expect(lines.slice(1, 5).map((line) => line.split(/ {2,}/).slice(1))).toEqual([
      ['api-gateway', 'INFO', '00f067aa0ba902b7', 'POST /api/v1/workflows 202'],
      ['workflow-engine', 'INFO', 'b7ad6b7169203331', 'Executing workflow workflow_abc123'],
      ['workflow-engine', 'ERROR', 'e457b5a2e4d86bd1', 'Workflow workflow_abc123 failed at node summarise'],
      ['api-gateway', 'WARN', '00f067aa0ba902b7', 'Workflow workflow_abc123 reported failure'],
    ]);
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe('Trace in Grafana Tempo:');
    expect(lines[7]).toMatch(
      /^ {2}https:\/\/starmates\.grafana\.net\/explore\?schemaVersion=1&orgId=1&panes=.*0af7651916cd43dd8448eb211c80319c/,
    );
    // Both searched exactly the four service log groups (not the collector's, not another environment's).
    expect(aws.received('Logs_20140328.StartQuery').map((body) => body.logGroupNames)).toEqual([
      PROD_SERVICES.map(group),
      PROD_SERVICES.map(group),
    ]);

    expect(query.stderr).toBe('');
    expect(query.code).toBe(0);
    expect(query.stdout).toBe(
      'service          bin(5m)                  errors\n' + 'workflow-engine  2025-01-31 10:30:00.000  1\n',
    );
    // Both polled past the first "Running" answer.
    expect(aws.received('Logs_20140328.GetQueryResults')).toHaveLength(4);
    for (const result of [trace, query]) expectNoToken(result);
  }, 90_000);
});

describe('obsctl end to end: Cloud Map through a configured endpoint', () => {
  // The SDK sends DiscoverInstances to `data-<host>`; on a configured endpoint obsctl must not.
  test.each([
    ['--endpoint-url', (url: string) => ({ args: ['--endpoint-url', url], env: {} })],
    ['AWS_ENDPOINT_URL', (url: string) => ({ args: [], env: { AWS_ENDPOINT_URL: url } })],
    [
      'the per-service AWS_ENDPOINT_URL_* variables',
      (url: string) => ({
        args: [],
        env: {
          AWS_ENDPOINT_URL_SSM: url,
          AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
          AWS_ENDPOINT_URL_SERVICEDISCOVERY: url,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
        },
      }),
    ],
  ])(
    'doctor reaches the gateway through %s',
    async (_name, configure) => {
      registerGatewayTasks();
      const { args, env } = configure(endpoint);
      const result = await obsctl(['doctor', '--wide', '--env', 'prod', ...args], { env });
      expect(result.stderr).toBe('');
      expect(cells(result.stdout, GATEWAY_CHECK)?.slice(1)).toEqual(['pass', '1 of 2 tasks healthy']);
    },
    15_000,
  );
});

describe('obsctl end to end: what a script and a pipe see', () => {
  test('OBSCTL_ENV picks the environment; piped, the report fits 80 columns and shows no progress', async () => {
    const result = await obsctl(['doctor', '--endpoint-url', endpoint], { env: { OBSCTL_ENV: 'prod' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`parameter ${TOKEN_NAME}`);
    expect(Math.max(...result.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  }, 45_000);

  test('under --json a usage error is a JSON object on stdout, stderr stays empty', async () => {
    const result = await obsctl(['doctor', '--env', 'prd', '--json']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: '' });
    expect(JSON.parse(result.stdout).error).toEqual({
      code: 'unknown-environment',
      message: expect.stringContaining('Did you mean "prod"?'),
      exitCode: 2,
    });
  }, 45_000);
});
