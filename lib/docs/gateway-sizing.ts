/**
 * docs/reference/gateway-sizing.md: the gateway sizing model of lib/collector/gateway-sizing.ts as
 * tables: the figures it rests on, what it computes for sample loads and for each environment of
 * cdk.json that has a gateway, and the persistent export queue per task size.
 */
import { GATEWAY_SIZING, gatewayQueueSizing, gatewaySizing } from '../collector/gateway-sizing';
import type { GeneratedFile } from '../generated-file';
import type { CollectorGatewayProfile, EnvironmentProfile } from '../profile/schema';
import { generatedHeader, REFERENCE_FOLDER, table } from './markdown';

export const GATEWAY_SIZING_PATH = `${REFERENCE_FOLDER}/gateway-sizing.md`;

/** The sample loads of the worked example, on 1-vCPU / 2-GiB tasks with 20 spans per trace. */
export const SAMPLE_TRACES_PER_SECOND = [100, 1000, 5000] as const;
export const SAMPLE_TASK = { spansPerTrace: 20, cpu: 1024 as const, memoryMiB: 2048, maxTasks: 100 };
/** Task sizes of the queue table: Fargate's smallest, 1, 2, 8 and 16 vCPU. */
const QUEUE_TABLE_CPUS = [256, 1024, 2048, 8192, 16384] as const;

export const number = (value: number): string => value.toLocaleString('en-US');

/** The tasks a sample load needs, and the sizing of each of them at that task count. */
export function sampleSizing(tracesPerSecond: number) {
  const tasksNeeded = gatewaySizing({
    ...SAMPLE_TASK,
    expectedTracesPerSecond: tracesPerSecond,
    minTasks: 1,
  }).tasksNeeded;
  return {
    tasksNeeded,
    sizing: gatewaySizing({ ...SAMPLE_TASK, expectedTracesPerSecond: tracesPerSecond, minTasks: tasksNeeded }),
  };
}

function figures(): string {
  const s = GATEWAY_SIZING;
  return table(
    ['figure', 'value', 'source'],
    [
      [
        'spans per second per vCPU, OTLP in and out with tail sampling',
        number(s.spansPerSecondPerVcpu),
        'the "recommended maximum" of the collector\'s `docs/performance.md` (1 CPU / 2 GB: ~9K sustained, 8K recommended)',
      ],
      [
        'CPU a task is run at',
        `${s.targetCpuUtilizationPercent} %`,
        'our scaling target: the rest absorbs bursts while a new task starts',
      ],
      [
        'heap per span held during `decision_wait`',
        `${s.bytesPerBufferedSpan / 1024} KiB`,
        'our estimate (upstream publishes none), to be replaced by a measurement',
      ],
      [
        'collector heap before any trace',
        `${s.baselineMiB} MiB`,
        "the contrib testbed's memory ceiling for an OTLP traces pipeline at 10k spans/s (`TestTrace10kSPS`)",
      ],
      [
        'a full exporter queue, per Grafana Cloud destination',
        `${s.exporterQueueMiB} MiB`,
        "10,000 items of ~4 KiB: the platform's stack and each tenant's",
      ],
      ['trace cache headroom', `x ${s.traceCacheHeadroom}`, 'bursts and uneven trace-id hashing'],
      [
        'outage the persistent export queue rides out',
        `${s.backendOutageMinutes} minutes`,
        'at the load one task carries at its CPU target',
      ],
    ],
  );
}

function samples(): string {
  const rows = SAMPLE_TRACES_PER_SECOND.map((rate) => {
    const { tasksNeeded, sizing } = sampleSizing(rate);
    return [
      number(rate),
      number(sizing.spansPerSecond),
      String(tasksNeeded),
      number(sizing.numTraces),
      `${sizing.memoryNeededMiB} MiB`,
    ];
  });
  const available = sampleSizing(SAMPLE_TRACES_PER_SECOND[0]).sizing.memoryAvailableMiB;
  return table(
    [
      'traces per second',
      'spans per second',
      'tasks needed',
      'traces held per task',
      `heap needed per task (of ${number(available)} MiB)`,
    ],
    rows,
  );
}

function environments(profiles: Readonly<Record<string, EnvironmentProfile>>): string {
  const rows = Object.entries(profiles).flatMap(([name, profile]) => {
    if (profile.gateway === undefined) return [];
    const gateway = profile.gateway;
    const sizing = gatewaySizing(gateway, 1 + Object.keys(profile.tenants ?? {}).length);
    return [
      [
        name,
        number(gateway.expectedTracesPerSecond),
        number(sizing.spansPerSecond),
        `${gateway.cpu} / ${gateway.memoryMiB} MiB`,
        `${gateway.minTasks} to ${gateway.maxTasks} (needs ${sizing.tasksNeeded})`,
        number(sizing.numTraces),
        `${sizing.memoryNeededMiB} of ${number(sizing.memoryAvailableMiB)} MiB`,
      ],
    ];
  });
  if (rows.length === 0) return 'No environment of cdk.json has a gateway.';
  return table(
    ['environment', 'traces/s', 'spans/s', 'task cpu / memory', 'tasks', 'num_traces per task', 'heap needed'],
    rows,
  );
}

function queues(): string {
  const rows = QUEUE_TABLE_CPUS.map((cpu) => {
    const queue = gatewayQueueSizing({
      expectedTracesPerSecond: 1,
      cpu,
      memoryMiB: cpu * 2,
      minTasks: 1,
      maxTasks: 1,
    } as CollectorGatewayProfile);
    return [
      number(cpu),
      number(queue.spansPerSecondPerTask),
      `${queue.outageMinutes < GATEWAY_SIZING.backendOutageMinutes ? `${queue.outageMinutes} minutes: ` : ''}${number(queue.queueItems)}`,
      `${queue.queueDiskGiB.toFixed(1)} GiB`,
      queue.ephemeralStorageGiB === undefined
        ? `${GATEWAY_SIZING.fargateDefaultEphemeralGiB} GiB (default)`
        : `${queue.ephemeralStorageGiB} GiB`,
    ];
  });
  return table(
    ['task cpu', 'spans/s per task', 'queue (items)', 'disk, compaction included', 'ephemeral storage'],
    rows,
  );
}

export function gatewaySizingPage(profiles: Readonly<Record<string, EnvironmentProfile>>): GeneratedFile {
  const s = GATEWAY_SIZING;
  const perTask = (s.spansPerSecondPerVcpu * s.targetCpuUtilizationPercent) / 100;
  return {
    path: GATEWAY_SIZING_PATH,
    content:
      generatedHeader('Gateway sizing', 'lib/collector/gateway-sizing.ts and the profiles in cdk.json') +
      'The generator takes the trace cache from this model and the profile check rejects gateway bounds ' +
      'that cannot carry the expected load. Why the model is built this way: [design notes](../design.md#gateway-sizing).\n\n' +
      `${figures()}\n\n` +
      `Per task of \`cpu\` units: it carries \`${number(s.spansPerSecondPerVcpu)} x cpu/1024 x ${s.targetCpuUtilizationPercent} %\` ` +
      `spans per second; it holds \`num_traces = expectedTracesPerSecond / minTasks x decisionWaitSeconds x ${s.traceCacheHeadroom}\` ` +
      `traces (at least 1,000), which needs \`${s.baselineMiB} MiB + ${s.exporterQueueMiB} MiB x destinations + num_traces x spansPerTrace x ` +
      `${s.bytesPerBufferedSpan / 1024} KiB\` of heap. N traces per second need \`ceil(N x spansPerTrace / (${number(perTask)} x cpu/1024))\` tasks.\n\n` +
      `## Sample loads\n\nWith ${SAMPLE_TASK.cpu / 1024}-vCPU / ${SAMPLE_TASK.memoryMiB / 1024}-GiB tasks, ` +
      `${SAMPLE_TASK.spansPerTrace} spans per trace and no tenants:\n\n${samples()}\n\n` +
      `## The environments of cdk.json\n\n${environments(profiles)}\n\n` +
      `## Persistent export queue\n\nEach Grafana Cloud exporter of the gateway queues on disk for ${s.backendOutageMinutes} minutes ` +
      `of what one task carries at its CPU target, at ${s.queueBytesPerSpan / 1024} KiB per span and x ${s.queueDiskOverhead} for compaction:\n\n` +
      `${queues()}\n`,
  };
}
