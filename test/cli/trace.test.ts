import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  type ResultField,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, FakeClock, NOW, obsctl, PROD_SERVICES } from './support/harness';

const logs = mockClient(CloudWatchLogsClient);

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const GROUPS = PROD_SERVICES.map((service) => `/ecs/starmates-ai-team-prod/${service}`);

function record(time: string, service: string, level: string, message: string, spanId: string): ResultField[] {
  return [
    { field: '@timestamp', value: time },
    { field: '@log', value: `333333333333:/ecs/starmates-ai-team-prod/${service}` },
    { field: 'service', value: service },
    { field: 'level', value: level },
    { field: '@@message', value: message },
    { field: 'tracing.span_id', value: spanId },
    { field: '@ptr', value: 'CmAKJgoiMzMz' },
  ];
}

// Deliberately not in time order: the client orders what it prints.
const RESULTS = [
  record(
    '2025-01-31 10:30:45.310',
    'workflow-engine',
    'ERROR',
    'Workflow workflow_abc123 failed at node summarise',
    'e457b5a2e4d86bd1',
  ),
  record('2025-01-31 10:30:45.123', 'api-gateway', 'INFO', 'POST /api/v1/workflows 202', '00f067aa0ba902b7'),
  record(
    '2025-01-31 10:30:45.200',
    'workflow-engine',
    'INFO',
    'Executing workflow workflow_abc123',
    'b7ad6b7169203331',
  ),
  record(
    '2025-01-31 10:30:45.350',
    'api-gateway',
    'WARN',
    'Workflow workflow_abc123 reported failure',
    '00f067aa0ba902b7',
  ),
];

function deployed(results: ResultField[][] = RESULTS): void {
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: GROUPS.map((logGroupName) => ({ logGroupName })) });
  logs.on(StartQueryCommand).resolves({ queryId: 'query-1' });
  logs
    .on(GetQueryResultsCommand)
    .resolvesOnce({ status: 'Scheduled' })
    .resolvesOnce({ status: 'Running', statistics: { recordsScanned: 1200 } })
    .resolves({ status: 'Complete', results });
}

beforeEach(() => logs.reset());

describe('obsctl trace', () => {
  test('prints the records of all services in time order, then the Tempo link', async () => {
    deployed();
    const result = await obsctl(['trace', ID, '--env', 'prod', '--wide']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    const services = result.stdout
      .split('\n')
      .slice(1, 5)
      .map((line) => line.split(/ {2,}/)[1]);
    expect(services).toEqual(['api-gateway', 'workflow-engine', 'workflow-engine', 'api-gateway']);
    expect(logs.commandCalls(StartQueryCommand)[0].args[0].input).toEqual({
      logGroupNames: GROUPS,
      queryString: expect.stringContaining(`filter tracking_id = "${ID}"`),
      startTime: (NOW - 3_600_000) / 1000,
      endTime: NOW / 1000,
    });
  });

  test('an upper-case id is searched in lower case; --since sets the window', async () => {
    deployed();
    const result = await obsctl(['trace', ID.toUpperCase(), '--env', 'prod', '--since', '2d']);
    expect(result.code).toBe(0);
    const input = logs.commandCalls(StartQueryCommand)[0].args[0].input;
    expect(input.queryString).toContain(`"${ID}"`);
    expect(input.startTime).toBe((NOW - 2 * 86_400_000) / 1000);
  });

  test("fitted to the terminal's width: messages wrap, the span id is left for --wide", async () => {
    deployed();
    const result = await obsctl(['trace', ID, '--env', 'prod'], { terminalColumns: 72 });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^TIME +SERVICE +LEVEL +MESSAGE$/);
    expect(Math.max(...lines.slice(0, -4).map((line) => line.length))).toBeLessThanOrEqual(72);
    expect(lines.slice(1, 3)).toEqual([
      '2025-01-31T10:30:45.123Z  api-gateway      INFO   POST /api/v1/workflows',
      '                                                  202',
    ]);
    expect(result.stdout).not.toContain('b7ad6b7169203331');
  });

  test('piped, the table fits 80 columns', async () => {
    deployed();
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    const table = result.stdout.slice(0, result.stdout.indexOf('\nTrace in Grafana Tempo'));
    expect(Math.max(...table.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  test('--since takes weeks', async () => {
    deployed();
    const result = await obsctl(['trace', ID, '--env', 'prod', '--since', '1w']);
    expect(result.code).toBe(0);
    expect(logs.commandCalls(StartQueryCommand)[0].args[0].input.startTime).toBe((NOW - 7 * 86_400_000) / 1000);
  });

  test.each(['abc', `${ID}0`, 'not-a-tracking-id-at-all-but-32c'])(
    'an invalid id (%s) is a usage error before any AWS call',
    async (id) => {
      const result = await obsctl(['trace', id, '--env', 'prod']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `error: command-argument value '${id}' is invalid for argument 'tracking-id'. "${id}" is not a tracking id: ` +
          'expected 32 hexadecimal characters, the X-Tracking-ID response header, e.g. 4bf92f3577b34da6a3ce929d0e0e4736\n',
      );
      expect(logs.calls()).toHaveLength(0);
    },
  );

  test('--json prints the events and the link as JSON, and nothing else', async () => {
    deployed();
    const result = await obsctl(['trace', ID, '--env', 'prod', '--json'], { stderrIsTTY: true });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['trackingId', 'environment', 'from', 'to', 'logGroups', 'events', 'tempoUrl']);
    expect(json).toEqual(
      expect.objectContaining({
        trackingId: ID,
        environment: 'prod',
        from: '2025-01-31T10:00:00.000Z',
        to: '2025-01-31T11:00:00.000Z',
        logGroups: GROUPS,
      }),
    );
    expect(json.events[0]).toEqual({
      time: '2025-01-31T10:30:45.123Z',
      service: 'api-gateway',
      level: 'INFO',
      message: 'POST /api/v1/workflows 202',
      spanId: '00f067aa0ba902b7',
    });
    expect(json.events.map((event: { time: string }) => event.time)).toEqual([
      '2025-01-31T10:30:45.123Z',
      '2025-01-31T10:30:45.200Z',
      '2025-01-31T10:30:45.310Z',
      '2025-01-31T10:30:45.350Z',
    ]);
    expect(json.tempoUrl).toMatch(/^https:\/\/starmates\.grafana\.net\/explore\?schemaVersion=1&orgId=1&panes=/);
  });

  test('on a terminal, progress is shown on stderr and cleared; not on a pipe', async () => {
    deployed();
    const tty = await obsctl(['trace', ID, '--env', 'prod'], { stderrIsTTY: true });
    expect(tty.stderr).toContain('\r| Querying 8 log groups: scheduled, 0 s');
    expect(tty.stderr).toContain('\r/ Querying 8 log groups: running, 1 s, 1200 records scanned');
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    logs.reset();
    deployed();
    const pipe = await obsctl(['trace', ID, '--env', 'prod']);
    expect(pipe.stderr).toBe('');
  });

  test('gives up after the timeout, stops the query and says what to do', async () => {
    deployed();
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const clock = new FakeClock();
    const result = await obsctl(['trace', ID, '--env', 'prod', '--timeout', '5s'], { clock });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      'Logs Insights query query-1 did not finish within 5s; it was stopped. Search a shorter window (--since) or allow longer (--timeout).\n',
    );
    expect(logs.commandCalls(StopQueryCommand)[0].args[0].input).toEqual({ queryId: 'query-1' });
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(5_000);
    expect(clock.sleeps.every((ms) => ms <= 1_000)).toBe(true);
  });

  test('polling is bounded even if the clock stands still', async () => {
    deployed();
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    const frozen = { now: () => NOW, sleep: async () => undefined };
    const result = await obsctl(['trace', ID, '--env', 'prod', '--timeout', '1s'], { clock: frozen });
    expect(result.code).toBe(4);
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(1_000 / 200 + 2);
    expect(logs.commandCalls(StopQueryCommand)).toHaveLength(1);
  });

  test('the default timeout is 30 s', async () => {
    deployed();
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    const clock = new FakeClock();
    const result = await obsctl(['trace', ID, '--env', 'prod'], { clock });
    expect(result.stderr).toContain('did not finish within 30s');
    expect(clock.now() - NOW).toBe(30_000);
  });

  test.each(['Failed', 'Cancelled', 'Timeout'])('a query that ends %s is one line and exit code 4', async (status) => {
    deployed();
    logs.on(GetQueryResultsCommand).resolves({ status: status as 'Failed' });
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^Logs Insights query query-1 ended with status ${status}[^\n]*\\.\n$`));
  });

  test('no records: exit 1, the link still printed, a hint on stderr', async () => {
    deployed([]);
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Trace in Grafana Tempo:');
    expect(result.stderr).toBe(
      `No log record has tracking id ${ID} in the last 1h (8 log groups searched). Widen --since, or check the environment.\n`,
    );
  });

  test('no records under --json: exit 1, an empty events list, nothing on stderr', async () => {
    deployed([]);
    const result = await obsctl(['trace', ID, '--env', 'prod', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).events).toEqual([]);
  });

  test('service log groups not deployed yet are left out and named', async () => {
    deployed();
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: GROUPS[0] }, { logGroupName: GROUPS[2] }] });
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(0);
    expect(logs.commandCalls(StartQueryCommand)[0].args[0].input.logGroupNames).toEqual([GROUPS[0], GROUPS[2]]);
    const notDeployed = GROUPS.filter((_, index) => index !== 0 && index !== 2);
    expect(result.stderr).toBe(`note: not searched, not deployed yet: ${notDeployed.join(', ')}\n`);
  });

  test('no log group at all: exit 1 with the deploy command', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'None of the service log groups of prod exists (/ecs/starmates-ai-team-prod/...): deploy first: npx cdk deploy -c env=prod --all\n',
    );
  });

  test('too many concurrent queries is explained', async () => {
    deployed();
    logs
      .on(StartQueryCommand)
      .rejects(awsError('LimitExceededException', 'Account maximum query concurrency limit of [30] reached.'));
    const result = await obsctl(['trace', ID, '--env', 'prod']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      'Too many Logs Insights queries are running in this account and region: wait for some to finish and try again.\n',
    );
  });
});
