import { defaultAppCostEstimates, gatewayCostInput } from '../../bench/cost';
import {
  cloudMapResolvers,
  type EnvironmentCostInput,
  type EnvironmentEstimate,
  estimateEnvironments,
  type LineItem,
  MINUTES_PER_MONTH,
} from '../../bench/cost-model/estimate';
import { DEFAULT_LOG_VOLUME_ASSUMPTIONS, expectedLogVolumes } from '../../bench/cost-model/log-volume';
import { PRICES } from '../../bench/cost-model/prices';
import { GATEWAY_CLOUDWATCH_METRICS } from '../../lib/collector/cloudwatch';
import { generateCollectorConfig } from '../../lib/collector/generate';
import type { CollectorConfig } from '../../lib/collector/model';
import { gatewayLogGroupName } from '../../lib/naming';
import type { CollectorGatewayProfile, EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';

/** The hours of a month as the estimate counts them: 30.4 days. */
const HOURS_PER_MONTH = 30.4 * 24;

const profiles = loadEnvironmentProfiles(exampleEnvironments());
const estimates = defaultAppCostEstimates(exampleEnvironments());

function estimateOf(environmentName: string): EnvironmentEstimate {
  const estimate = estimates.find((candidate) => candidate.environmentName === environmentName);
  if (estimate === undefined) throw new Error(`no estimate for ${environmentName}`);
  return estimate;
}

function lineOf(estimate: EnvironmentEstimate, item: string): LineItem {
  const line = estimate.lines.find((candidate) => candidate.item === item);
  if (line === undefined) throw new Error(`${estimate.environmentName} has no line "${item}"`);
  return line;
}

function gatewayOf(profile: EnvironmentProfile): CollectorGatewayProfile {
  if (profile.gateway === undefined) throw new Error(`${profile.project} declares no gateway`);
  return profile.gateway;
}

const VCPU = 'Collector gateway: Fargate vCPU';
const MEMORY = 'Collector gateway: Fargate memory';
const NAMESPACE = 'Collector gateway: Cloud Map namespace (Route 53 private hosted zone)';
const DISCOVERY = 'Collector gateway: Cloud Map DiscoverInstances calls';
const GATEWAY_METRICS = 'Collector gateway failure metrics (awsemf)';

describe.each(['staging', 'prod'])('the gateway tier of %s, whose profile declares one', (environmentName) => {
  const profile = profiles[environmentName];
  const gateway = gatewayOf(profile);
  const estimate = estimateOf(environmentName);
  const rates = PRICES.fargate.byRegion[profile.region];
  const vCpu = gateway.cpu / 1024;
  const memoryGB = gateway.memoryMiB / 1024;

  test("its vCPU costs minTasks × the task's vCPU × the hours of a month at the region's Linux/X86 rate", () => {
    const line = lineOf(estimate, VCPU);
    expect(line.category).toBe('compute');
    expect(line.quantity).toBeCloseTo(gateway.minTasks * vCpu * HOURS_PER_MONTH, 2);
    expect(line.unitPrice).toBe(rates.vCpuHour);
    expect(line.monthlyUsd).toBeCloseTo(gateway.minTasks * vCpu * HOURS_PER_MONTH * rates.vCpuHour, 2);
    expect(line.note).toContain(`${profile.region} rates`);
  });

  test("its memory costs minTasks × the task's GB × the hours of a month at the region's Linux/X86 rate", () => {
    const line = lineOf(estimate, MEMORY);
    expect(line.quantity).toBeCloseTo(gateway.minTasks * memoryGB * HOURS_PER_MONTH, 2);
    expect(line.unitPrice).toBe(rates.gbHour);
    expect(line.monthlyUsd).toBeCloseTo(gateway.minTasks * memoryGB * HOURS_PER_MONTH * rates.gbHour, 2);
  });

  test('the note states what vCPU and memory cost at the maxTasks ceiling, outside the total', () => {
    const ceiling = gateway.maxTasks * HOURS_PER_MONTH * (vCpu * rates.vCpuHour + memoryGB * rates.gbHour);
    expect(lineOf(estimate, VCPU).note).toContain(`at maxTasks (${gateway.maxTasks} tasks)`);
    expect(lineOf(estimate, VCPU).note).toContain(`$${ceiling.toFixed(2)} a month`);
  });

  test('the Cloud Map namespace is priced as one Route 53 hosted zone', () => {
    expect(lineOf(estimate, NAMESPACE)).toMatchObject({
      category: 'service discovery',
      quantity: 1,
      unitPrice: PRICES.route53.hostedZonePerMonth,
      monthlyUsd: PRICES.route53.hostedZonePerMonth,
    });
  });

  test('DiscoverInstances calls are the instrumented sidecar tasks × 4 a minute × the minutes of a month', () => {
    const sidecarTasks = Object.values(profile.services)
      .filter((service) => service.instrumentation ?? true)
      .reduce((total, service) => total + (service.desiredCount ?? 1), 0);
    const millions = (sidecarTasks * 4 * 30.4 * 24 * 60) / 1e6;
    const line = lineOf(estimate, DISCOVERY);
    expect(line.quantity).toBeCloseTo(millions, 2);
    expect(line.unitPrice).toBe(PRICES.cloudMap.discoveryCallsPerMillion);
    expect(line.monthlyUsd).toBeCloseTo(millions * PRICES.cloudMap.discoveryCallsPerMillion, 2);
  });

  test("each of the gateway's CloudWatch metrics is one custom metric: one service.name for every task", () => {
    expect(lineOf(estimate, GATEWAY_METRICS)).toMatchObject({
      category: 'custom metrics',
      quantity: GATEWAY_CLOUDWATCH_METRICS.length,
      unitPrice: PRICES.cloudWatch.customMetricPerMonth,
    });
  });

  test("the gateway's own log group ingests the collector assumption per task, at minTasks", () => {
    const volume = expectedLogVolumes(environmentName, profile).find(
      (candidate) => candidate.logGroupName === gatewayLogGroupName(profile.project, environmentName),
    );
    expect(volume).toMatchObject({
      kind: 'collector',
      gibPerDay: (DEFAULT_LOG_VOLUME_ASSUMPTIONS.collectorMiBPerTaskDay * gateway.minTasks) / 1024,
    });
    expect(estimate.notEstimated.join('\n')).not.toContain(gatewayLogGroupName(profile.project, environmentName));
  });
});

describe('an environment without a gateway', () => {
  test('dev, whose profile declares none, has no gateway lines, log volume or exclusions', () => {
    const dev = estimateOf('dev');
    expect(profiles.dev.gateway).toBeUndefined();
    expect(dev.lines.filter((line) => line.item.includes('gateway'))).toEqual([]);
    expect(dev.lines.filter((line) => line.category === 'compute' || line.category === 'service discovery')).toEqual(
      [],
    );
    expect(expectedLogVolumes('dev', profiles.dev).map((volume) => volume.logGroupName)).not.toContain(
      gatewayLogGroupName(profiles.dev.project, 'dev'),
    );
    expect(dev.notEstimated.join('\n')).not.toMatch(/gateway/);
  });
});

describe('the prices of the gateway tier', () => {
  test('prices.json records Linux/X86 Fargate rates for the regions the default profiles deploy to', () => {
    const regions = Object.values(profiles).map((profile) => profile.region);
    expect(regions.map((region) => PRICES.fargate.byRegion[region])).toEqual(
      regions.map(() => ({ vCpuHour: expect.any(Number), gbHour: expect.any(Number) })),
    );
    expect(PRICES.fargate.platform).toMatch(/Linux\/X86/);
  });

  test('prices.json cites the Fargate, Cloud Map, ECS service discovery and Route 53 pricing pages', () => {
    const urls = PRICES.sources.map((source) => source.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        'https://aws.amazon.com/fargate/pricing/',
        'https://aws.amazon.com/cloud-map/pricing/',
        'https://aws.amazon.com/route53/pricing/',
        expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\/AmazonECS\/.*service-discovery/),
      ]),
    );
  });
});

describe('the gateway tier, from its inputs', () => {
  const prod = profiles.prod;
  /** prod's gateway and sidecar config, two instrumented tasks, in `region`. */
  const input = (region: string, collectorConfig?: CollectorConfig): EnvironmentCostInput => ({
    environmentName: 'prod',
    account: '1',
    region,
    grafanaStack: '1',
    templates: [],
    collectorConfig: collectorConfig ?? generateCollectorConfig('prod', prod).config,
    gateway: gatewayCostInput('prod', prod),
    services: [{ name: 'api', tasks: 2, instrumented: true }],
    logVolumes: [],
  });

  test("a region without a recorded Fargate rate is priced at the price file's region's, and says so", () => {
    const [estimate] = estimateEnvironments([input('ap-south-1')], PRICES);
    const line = lineOf(estimate, VCPU);
    expect(line.unitPrice).toBe(PRICES.fargate.byRegion[PRICES.region].vCpuHour);
    expect(line.note).toContain(`${PRICES.region} rates (bench/cost-model/prices.json records none for ap-south-1)`);
  });

  test("the sidecar config's resolver interval sets the DiscoverInstances calls a task makes a minute", () => {
    const sidecar = generateCollectorConfig('prod', prod).config;
    const [id, exporter] = Object.entries(sidecar.exporters).find(([key]) => key.startsWith('load_balancing')) ?? [];
    if (id === undefined || exporter === undefined) throw new Error('the prod sidecar has no load_balancing exporter');
    const resolver = exporter.resolver as { aws_cloud_map: Record<string, unknown> };
    const every = (interval: string): CollectorConfig => ({
      ...sidecar,
      exporters: {
        ...sidecar.exporters,
        [id]: { ...exporter, resolver: { aws_cloud_map: { ...resolver.aws_cloud_map, interval } } },
      },
    });
    expect(cloudMapResolvers(sidecar)).toEqual([{ exporterId: id, intervalSeconds: 15 }]);
    expect(cloudMapResolvers(every('1m30s'))).toEqual([{ exporterId: id, intervalSeconds: 90 }]);
    const [estimate] = estimateEnvironments([input('eu-west-1', every('30s'))], PRICES);
    expect(lineOf(estimate, DISCOVERY).quantity).toBeCloseTo((2 * 2 * MINUTES_PER_MONTH) / 1e6, 2);
  });
});
