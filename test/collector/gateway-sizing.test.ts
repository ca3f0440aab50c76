import {
  GATEWAY_SIZING,
  gatewayQueueSizing,
  gatewaySamplingSettings,
  gatewaySizing,
  gatewaySizingProblems,
} from '../../lib/collector/gateway-sizing';
import type { CollectorGatewayProfile, EnvironmentProfile } from '../../lib/profile/schema';
import { defaultProfiles } from './support';

/** prod with its gateway (and optionally its sampling) changed. */
function prodWith(
  gateway: Partial<CollectorGatewayProfile>,
  sampling: Partial<EnvironmentProfile['sampling']> = {},
  production = true,
): EnvironmentProfile {
  const prod = defaultProfiles().prod;
  return {
    ...prod,
    production,
    sampling: { ...prod.sampling, ...sampling },
    gateway: { ...(prod.gateway as CollectorGatewayProfile), ...gateway },
  };
}

const problemsOf = (profile: EnvironmentProfile) => gatewaySizingProblems(profile, 'environments.prod');

describe('the sizing model', () => {
  test('a worked example: 1000 traces/s of 20 spans on 4 tasks of 2 vCPU and 8 GiB', () => {
    expect(
      gatewaySizing({
        expectedTracesPerSecond: 1000,
        spansPerTrace: 20,
        decisionWaitSeconds: 10,
        cpu: 2048,
        memoryMiB: 8192,
        minTasks: 4,
        maxTasks: 8,
      }),
    ).toEqual({
      spansPerTrace: 20,
      decisionWaitSeconds: 10,
      // 1000 traces/s x 20 spans
      spansPerSecond: 20_000,
      // 1000 / 4 tasks
      tracesPerSecondPerTask: 250,
      // 250 traces/s x 10 s x 2 (headroom)
      numTraces: 5000,
      // 140 MiB + 5000 traces x 20 spans x 4 KiB = 140 + 390.625, rounded up
      memoryNeededMiB: 531,
      // memory_limiter of 8192 MiB: limit 6553, spike 1638
      memoryAvailableMiB: 4915,
      // 8000 spans/s per vCPU x 2 vCPU x 60 %
      spansPerSecondPerTask: 9600,
      // 20000 / 9600, rounded up
      tasksNeeded: 3,
    });
  });

  test('the constants are those the README quotes', () => {
    expect(GATEWAY_SIZING).toEqual({
      spansPerSecondPerVcpu: 8000,
      targetCpuUtilizationPercent: 60,
      targetMemoryUtilizationPercent: 55,
      bytesPerBufferedSpan: 4096,
      baselineMiB: 100,
      exporterQueueMiB: 40,
      traceCacheHeadroom: 2,
      defaultSpansPerTrace: 20,
      defaultDecisionWaitSeconds: 10,
      backendOutageMinutes: 30,
      queueBytesPerSpan: 1024,
      queueDiskOverhead: 2,
      fargateDefaultEphemeralGiB: 20,
      fargateMinEphemeralGiB: 21,
      fargateMaxEphemeralGiB: 200,
      ephemeralBaseGiB: 2,
    });
  });

  test('spansPerTrace defaults to 20 and decisionWaitSeconds to 10', () => {
    const sizing = gatewaySizing({
      expectedTracesPerSecond: 100,
      cpu: 1024,
      memoryMiB: 2048,
      minTasks: 2,
      maxTasks: 4,
    });
    expect([sizing.spansPerTrace, sizing.decisionWaitSeconds, sizing.spansPerSecond]).toEqual([20, 10, 2000]);
  });

  test('the trace cache holds at least 1000 traces, however low the rate', () => {
    const sizing = gatewaySizing({ expectedTracesPerSecond: 1, cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 1 });
    expect(sizing.numTraces).toBe(1000);
  });

  test('at least one task is needed, however low the rate', () => {
    expect(
      gatewaySizing({ expectedTracesPerSecond: 0.1, cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 1 }).tasksNeeded,
    ).toBe(1);
  });

  test('the sampler settings: decision_wait in seconds, the per-task rate rounded up, a decision cache 10 times the trace cache', () => {
    expect(gatewaySamplingSettings(prodWith({ expectedTracesPerSecond: 101, minTasks: 2 }))).toEqual({
      decisionWait: '10s',
      numTraces: 1010,
      expectedNewTracesPerSec: 51,
      decisionCacheSize: 10_100,
    });
  });

  test('a profile without a gateway has no sampler settings and no sizing problems', () => {
    expect(gatewaySamplingSettings(defaultProfiles().dev)).toBeUndefined();
    expect(gatewaySizingProblems(defaultProfiles().dev, 'environments.dev')).toEqual([]);
  });
});

describe('sizing problems name the field and the fix', () => {
  test.each(['prod', 'staging'])('the default %s gateway fits its expected load', (env) => {
    expect(gatewaySizingProblems(defaultProfiles()[env], `environments.${env}`)).toEqual([]);
  });

  test('too few tasks for the throughput: raise minTasks to what the load needs', () => {
    expect(problemsOf(prodWith({ expectedTracesPerSecond: 1000 }))).toEqual([
      'environments.prod.gateway.minTasks: 2 task(s) of 1024 cpu units carry about 9600 spans/s at 60 % cpu, but ' +
        'expectedTracesPerSecond x spansPerTrace is 20000 spans/s. Raise minTasks to 5 (and maxTasks with it) or ' +
        'give each task more cpu',
    ]);
  });

  test('the minTasks the message suggests carries the load', () => {
    expect(problemsOf(prodWith({ expectedTracesPerSecond: 1000, minTasks: 5, maxTasks: 10 }))).toEqual([]);
  });

  test('too little memory for the trace cache: raise memoryMiB to a size that holds it', () => {
    expect(problemsOf(prodWith({ cpu: 256, memoryMiB: 512, decisionWaitSeconds: 30 }))).toEqual([
      'environments.prod.gateway.memoryMiB: a task holds up to 3000 traces of 20 spans during decision_wait, about ' +
        '375 MiB, but 512 MiB leaves the collector 307 MiB before it refuses data. Raise memoryMiB to at least 1024 ' +
        'or raise minTasks',
    ]);
  });

  test('the memoryMiB the message suggests holds the trace cache', () => {
    expect(problemsOf(prodWith({ cpu: 256, memoryMiB: 1024, decisionWaitSeconds: 30 }))).toEqual([]);
  });

  test('maxTasks below minTasks: raise maxTasks', () => {
    expect(problemsOf(prodWith({ minTasks: 3, maxTasks: 2 }))).toEqual([
      'environments.prod.gateway.maxTasks: 2 is below minTasks 3. Raise maxTasks',
    ]);
  });

  test('one task in production: use at least 2', () => {
    expect(problemsOf(prodWith({ minTasks: 1 }))).toEqual([
      'environments.prod.gateway.minTasks: 1 in a production environment; one task is a single point of failure ' +
        'for every trace. Use at least 2 (tasks spread over the zones)',
    ]);
  });

  test('one task outside production is allowed', () => {
    expect(problemsOf(prodWith({ minTasks: 1 }, {}, false))).toEqual([]);
  });

  test('a decision wait not longer than the slow-trace threshold: use a longer one', () => {
    expect(problemsOf(prodWith({ decisionWaitSeconds: 2 }, { slowTraceThresholdMs: 2000 }))).toEqual([
      'environments.prod.gateway.decisionWaitSeconds: 2 s is not longer than sampling.slowTraceThresholdMs (2000 ms), ' +
        'so a slow trace is decided before it ends. Use at least 7',
    ]);
  });

  test('a decision wait one second longer than the slow-trace threshold passes', () => {
    expect(problemsOf(prodWith({ decisionWaitSeconds: 3 }, { slowTraceThresholdMs: 2000 }))).toEqual([]);
  });

  test('every problem of one gateway is reported at once', () => {
    const problems = problemsOf(
      prodWith({
        expectedTracesPerSecond: 1000,
        spansPerTrace: 30,
        cpu: 256,
        memoryMiB: 512,
        minTasks: 1,
        maxTasks: 1,
        decisionWaitSeconds: 1,
      }),
    );
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'environments.prod.gateway.minTasks',
      'environments.prod.gateway.decisionWaitSeconds',
      'environments.prod.gateway.minTasks',
      'environments.prod.gateway.memoryMiB',
    ]);
  });
});

describe('the default slow-trace threshold', () => {
  // The tail sampler uses 2000 ms when the profile sets no threshold; the check compares with it too.
  test('a decision wait not longer than the default slow-trace threshold is reported too', () => {
    const prod = prodWith({ decisionWaitSeconds: 1 });
    const withoutThreshold = { ...prod, sampling: { ratio: prod.sampling.ratio } };
    expect(problemsOf(withoutThreshold)).toEqual([
      expect.stringMatching(/^environments\.prod\.gateway\.decisionWaitSeconds: 1 s is not longer than/),
    ]);
  });
});

describe("the gateway's persistent queue", () => {
  const gateway = (cpu: number): CollectorGatewayProfile => ({
    expectedTracesPerSecond: 100,
    cpu,
    memoryMiB: 2 * cpu,
    minTasks: 2,
    maxTasks: 4,
  });

  test('holds 30 minutes of what one task carries at its cpu target', () => {
    const sizing = gatewayQueueSizing(gateway(1024));
    expect([sizing.outageMinutes, sizing.spansPerSecondPerTask, sizing.queueItems]).toEqual([30, 4_800, 8_640_000]);
  });

  test("fits Fargate's default 20 GiB of ephemeral storage up to 1024 cpu units", () => {
    expect(gatewayQueueSizing(gateway(1024)).ephemeralStorageGiB).toBeUndefined();
  });

  test('asks for more ephemeral storage where a full queue needs it: twice its data (compaction) and 2 GiB', () => {
    // 9600 spans/s x 1800 s x 1 KiB x 2 = 32.96 GiB, + 2 GiB.
    expect(gatewayQueueSizing(gateway(2048)).ephemeralStorageGiB).toBe(35);
  });

  test("keeps fewer minutes where 200 GiB, Fargate's most, cannot hold 30", () => {
    const sizing = gatewayQueueSizing(gateway(16384));
    expect([sizing.outageMinutes, sizing.ephemeralStorageGiB]).toEqual([22, 196]);
  });
});
