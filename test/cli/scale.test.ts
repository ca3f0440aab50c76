/**
 * `obsctl trace` and `obsctl query` over an environment of more than 50 services: StartQuery names
 * at most 50 log groups, so they query in batches and merge. In-process, through the real SDK
 * client and over HTTP to the loopback fake AWS (which refuses more than 50 names, as StartQuery
 * does). A saved query of one view group (at most 50 services, lib/profile-loader/scale.ts) runs
 * over its group's log groups only.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SSMClient } from '@aws-sdk/client-ssm';
import { generatedServiceName, scaledProfile } from '../../bench/profiles';
import type { RunContext } from '../../lib/cli/commands/context';
import { runSavedQuery } from '../../lib/cli/commands/query';
import { runTrace } from '../../lib/cli/commands/trace';
import { CliError } from '../../lib/cli/errors';
import type { InsightsOptions } from '../../lib/cli/insights';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { FakeAws, type FakeLogEvent, type QueryEvaluator, trackingIdRows } from './support/fake-aws';
import { FakeClock, NOW } from './support/harness';

const TRACKING_ID = '0af7651916cd43dd8448eb211c80319c';
const group = (service: string) => `/ecs/starmates-ai-team-prod/${service}`;

/** Evaluates the two query shapes used here, each over the groups of its own request, as Insights would. */
const evaluate: QueryEvaluator = (request, events) => {
  const trace = trackingIdRows(request, events);
  if (trace !== undefined) return trace;
  if (request.queryString.includes('filter request.duration > 1')) {
    return events
      .filter((event) => Number(event.record.duration) > 1)
      .sort((a, b) => Number(b.record.duration) - Number(a.record.duration))
      .slice(0, 50)
      .map((event) => ({ service: String(event.record.service), 'request.duration': String(event.record.duration) }));
  }
  return [];
};

// Pages of 50 log groups, as AWS answers at most: the small pages of the other tests would take
// more than obsctl's 100 pages to list 241 groups.
const aws = new FakeAws({ account: '333333333333', region: 'eu-west-1', evaluate, logGroupsPageSize: 50 });
let clients: RunContext['clients'];

beforeAll(async () => {
  const endpoint = await aws.start();
  const config = {
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDSCALETEST', secretAccessKey: 'scale-secret' },
  };
  clients = {
    logs: new CloudWatchLogsClient(config),
    ssm: new SSMClient(config),
    serviceDiscovery: new ServiceDiscoveryClient(config),
    secretsManager: new SecretsManagerClient(config),
  };
});
afterAll(async () => {
  await aws.stop();
});
beforeEach(() => {
  aws.logGroups.clear();
  aws.events.length = 0;
  aws.clearRequests();
});

/** Prod of the example app with `count` services, each with its log group and its collector's. */
function deployedEnvironment(count: number): RunContext {
  const prod = loadEnvironmentProfiles(exampleEnvironments()).prod;
  // The bench's scaled profile drops prod's services observed elsewhere; a deployed prod keeps them.
  const profile = { ...scaledProfile(prod, count), externalServices: prod.externalServices };
  for (const service of Object.keys(profile.services)) {
    aws.logGroups.add(group(service));
    aws.logGroups.add(`${group(service)}/otel-collector`);
  }
  aws.logGroups.add(group('ecs-task-events'));
  return {
    environmentName: 'prod',
    profile,
    clients,
    command: { environmentName: 'prod', configPath: './cdk.json', region: 'eu-west-1' },
  };
}

const insights = (): InsightsOptions => ({
  clock: new FakeClock(),
  timeoutMs: 30_000,
  progress: { update: () => undefined, stop: () => undefined },
});

const startedQueries = () => aws.received('Logs_20140328.StartQuery');

function requestEvent(service: string, offsetMs: number, message: string): FakeLogEvent {
  return {
    logGroupName: group(service),
    timestampMs: NOW - 60_000 + offsetMs,
    record: { '@message': message, service, tracking_id: TRACKING_ID },
  };
}

describe('obsctl trace over more than 50 services', () => {
  test('queries every service log group once, in batches of at most 50', async () => {
    const run = deployedEnvironment(120);
    await runTrace(run, { trackingId: TRACKING_ID, sinceMs: 3_600_000, insights: insights() });
    const named = startedQueries().map((body) => body.logGroupNames as string[]);
    expect(named.map((names) => names.length)).toEqual([50, 50, 20]);
    expect(named.flat().sort()).toEqual(Object.keys(run.profile.services).map(group).sort());
  });

  test('finds the records of one request in every batch and prints them in time order', async () => {
    const run = deployedEnvironment(120);
    // service-001 is in the first batch, service-075 in the second, service-120 in the third.
    aws.events.push(
      requestEvent('service-120', 300, 'third batch, last'),
      requestEvent('service-001', 0, 'first batch, first'),
      requestEvent('service-075', 100, 'second batch'),
      requestEvent('service-001', 200, 'first batch, again'),
    );
    const result = await runTrace(run, { trackingId: TRACKING_ID, sinceMs: 3_600_000, insights: insights() });
    expect(result.events.map((event) => [event.service, event.message])).toEqual([
      ['service-001', 'first batch, first'],
      ['service-075', 'second batch'],
      ['service-001', 'first batch, again'],
      ['service-120', 'third batch, last'],
    ]);
  });

  test('at 50 services nothing changes: one query names every service log group', async () => {
    const run = deployedEnvironment(50);
    await runTrace(run, { trackingId: TRACKING_ID, sinceMs: 3_600_000, insights: insights() });
    expect(startedQueries().map((body) => (body.logGroupNames as string[]).length)).toEqual([50]);
  });
});

describe('obsctl query over more than 50 services', () => {
  test('a query that keeps records merges the batches: its sort and limit apply to all of them', async () => {
    const run = deployedEnvironment(120);
    // Durations 1.001 .. 1.360 s, three requests per service, spread over every batch.
    const durations = Array.from({ length: 360 }, (_, index) => ({
      service: generatedServiceName(index % 120),
      duration: (1 + (index + 1) / 1000).toFixed(3),
    }));
    aws.events.push(
      ...durations.map(({ service, duration }) => ({
        logGroupName: group(service),
        timestampMs: NOW - 60_000,
        record: { service, duration },
      })),
    );
    const result = await runSavedQuery(run, {
      name: 'Requests slower than 1 s',
      sinceMs: 3_600_000,
      insights: insights(),
    });
    const slowest50 = [...durations]
      .sort((a, b) => Number(b.duration) - Number(a.duration))
      .slice(0, 50)
      .map(({ service, duration }) => ({ service, 'request.duration': duration }));
    expect(startedQueries()).toHaveLength(3);
    expect(result.rows).toEqual(slowest50);
  });

  test('a query that aggregates is refused before any query starts, naming the limit and the fix', async () => {
    const run = deployedEnvironment(120);
    const attempt = runSavedQuery(run, { name: 'Top error types', sinceMs: 3_600_000, insights: insights() });
    await expect(attempt).rejects.toThrow(CliError);
    await expect(attempt).rejects.toMatchObject({
      code: 'query-too-wide',
      message: expect.stringMatching(
        /"Top error types" cannot run over 120 service log groups: Logs Insights reads at most 50 .*SOURCE logGroups\(namePrefix: \["\/ecs\/starmates-ai-team-prod\/"\]\)/,
      ),
    });
    expect(startedQueries()).toEqual([]);
  });

  test('a query that aggregates still runs at 50 services, as one query', async () => {
    const run = deployedEnvironment(50);
    await runSavedQuery(run, { name: 'Top error types', sinceMs: 3_600_000, insights: insights() });
    expect(startedQueries().map((body) => (body.logGroupNames as string[]).length)).toEqual([50]);
  });

  test("a view group's saved query runs over that group's 50 services only, so an aggregating one runs as one query", async () => {
    const run = deployedEnvironment(120);
    await runSavedQuery(run, {
      name: 'starmates-ai-team/prod/services-51-100/Top error types',
      sinceMs: 3_600_000,
      insights: insights(),
    });
    const groupServices = Array.from({ length: 50 }, (_, index) => group(generatedServiceName(50 + index)));
    expect(startedQueries().map((body) => body.logGroupNames)).toEqual([groupServices]);
  });

  test('a saved query also reads the services the profile observes from other repositories', async () => {
    const run = deployedEnvironment(10);
    aws.logGroups.add(group('orders'));
    await runSavedQuery(run, { name: 'Top error types', sinceMs: 3_600_000, insights: insights() });
    expect(startedQueries().map((body) => (body.logGroupNames as string[]).slice(-1))).toEqual([[group('orders')]]);
  });
});
