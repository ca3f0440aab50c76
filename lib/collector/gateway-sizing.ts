/**
 * How big the tail-sampling gateway tier must be, from the profile's expected load and the
 * collector's documented behaviour. Pure arithmetic, shared by the generator (tail_sampling's
 * trace cache), the profile checks (bounds that cannot hold the load fail at synth) and the README.
 * Sources of the figures are next to each constant; the README's "Gateway sizing" section shows the
 * worked example.
 */

import { FARGATE_MEMORY_BY_CPU } from '../profile/aws-values';
import type { CollectorGatewayProfile, EnvironmentProfile } from '../profile/schema';
import { collectorMemoryLimits } from './memory';

/** Traces at least this long are kept by tail sampling when the profile does not say otherwise. */
export const DEFAULT_SLOW_TRACE_THRESHOLD_MS = 2000;

export const GATEWAY_SIZING = {
  /**
   * Spans per second one vCPU of a gateway sustains, receive to export, with tail sampling: the
   * "recommended maximum" of open-telemetry/opentelemetry-collector docs/performance.md (OTLP in,
   * tail sampling, 1 CPU / 2 GB: ~9K sustained, 8K recommended; 2 CPU / 4 GB: 16K). Measured on an
   * old release and without our PII processors, so it is an upper bound: the CPU target below and
   * the dropped-too-early alarm cover the difference until our own load test replaces it.
   */
  spansPerSecondPerVcpu: 8_000,
  /** The CPU utilisation auto scaling aims at: the rest absorbs bursts while new tasks start (about a minute on Fargate). */
  targetCpuUtilizationPercent: 60,
  /** The memory utilisation auto scaling aims at, below the memory_limiter's soft limit (80 % x 75 % = 60 %). */
  targetMemoryUtilizationPercent: 55,
  /**
   * Heap per span held while its trace waits for the decision. Upstream publishes no figure (the
   * tail_sampling README only says num_traces bounds the traces held); this is our estimate: a span
   * of ~30 attributes is 0.5-1 KiB as OTLP protobuf and a few times that as Go pdata structs.
   * Verify it in production: heap (otelcol_process_runtime_heap_alloc_bytes) over spans held.
   */
  bytesPerBufferedSpan: 4 * 1024,
  /**
   * The collector's own heap before it holds any trace: the ceiling the contrib testbed allows an
   * OTLP traces pipeline at 10k spans/s (testbed/tests/trace_test.go, TestTrace10kSPS).
   */
  baselineMiB: 100,
  /** A full exporter queue (10,000 items of ~4 KiB), one per Grafana Cloud destination: the platform's and each tenant's. */
  exporterQueueMiB: 40,
  /** The trace cache holds this many times the traces one decision_wait brings: bursts and uneven hashing. */
  traceCacheHeadroom: 2,
  defaultSpansPerTrace: 20,
  defaultDecisionWaitSeconds: 10,
  /**
   * The Grafana Cloud outage the gateway's persistent export queue rides out without loss: the
   * queue holds this many minutes of what one task sends at its scaling target, and a batch is
   * retried for as long. Longer outages lose the oldest batches first (each after this long).
   */
  backendOutageMinutes: 30,
  /**
   * Disk per queued span: a span of ~30 attributes is 0.5-1 KiB as OTLP protobuf (see
   * bytesPerBufferedSpan), which is how the persistent queue stores a request.
   */
  queueBytesPerSpan: 1024,
  /**
   * Disk the queue may use, as a multiple of its data: the file_storage extension keeps a bbolt file
   * that does not shrink as it drains, and compaction writes a second copy of the live data before it
   * replaces the first (contrib extension/storage/filestorage README, "Compaction").
   */
  queueDiskOverhead: 2,
  /** Fargate's ephemeral storage without a setting, and the bounds of a setting (ECS EphemeralStorage). */
  fargateDefaultEphemeralGiB: 20,
  fargateMinEphemeralGiB: 21,
  fargateMaxEphemeralGiB: 200,
  /** The rest of the task's ephemeral storage: image layers and the collector's own files. */
  ephemeralBaseGiB: 2,
} as const;

/** The gateway's persistent export queue, from the sizing model. */
export interface GatewayQueueSizing {
  /** The outage the queue rides out, in minutes: backendOutageMinutes, or fewer where 200 GiB hold fewer. */
  readonly outageMinutes: number;
  /** Spans per second one task sends at most: what it receives at its scaling target (sampling only drops). */
  readonly spansPerSecondPerTask: number;
  /** `sending_queue.queue_size` (sizer items) of each Grafana Cloud exporter. */
  readonly queueItems: number;
  /** Disk a full queue takes, compaction included. */
  readonly queueDiskGiB: number;
  /** The task's ephemeral storage: undefined when Fargate's default 20 GiB holds it, else 21 to 200 GiB. */
  readonly ephemeralStorageGiB?: number;
}

/**
 * Sizes the gateway's persistent export queue for GATEWAY_SIZING.backendOutageMinutes at the load
 * one task carries at its cpu target, or for as many whole minutes as Fargate's 200 GiB of
 * ephemeral storage hold (16384 cpu units: 22). Each Grafana Cloud exporter (the platform's, each
 * tenant's) gets a queue of that size, but together they never hold more than the task sent in
 * that time, so the disk is sized once.
 */
export function gatewayQueueSizing(gateway: CollectorGatewayProfile): GatewayQueueSizing {
  const { spansPerSecondPerTask } = gatewaySizing(gateway);
  const bytesPerItem = GATEWAY_SIZING.queueBytesPerSpan * GATEWAY_SIZING.queueDiskOverhead;
  const itemsPerMinute = spansPerSecondPerTask * 60;
  const fittingMinutes = Math.floor(
    ((GATEWAY_SIZING.fargateMaxEphemeralGiB - GATEWAY_SIZING.ephemeralBaseGiB) * 2 ** 30) /
      bytesPerItem /
      itemsPerMinute,
  );
  const outageMinutes = Math.min(GATEWAY_SIZING.backendOutageMinutes, fittingMinutes);
  const queueItems = itemsPerMinute * outageMinutes;
  const queueDiskGiB = (queueItems * bytesPerItem) / 2 ** 30;
  const neededGiB = Math.ceil(GATEWAY_SIZING.ephemeralBaseGiB + queueDiskGiB);
  return {
    outageMinutes,
    spansPerSecondPerTask,
    queueItems,
    queueDiskGiB,
    ...(neededGiB <= GATEWAY_SIZING.fargateDefaultEphemeralGiB
      ? {}
      : { ephemeralStorageGiB: Math.max(GATEWAY_SIZING.fargateMinEphemeralGiB, neededGiB) }),
  };
}

export interface GatewaySizing {
  readonly spansPerTrace: number;
  readonly decisionWaitSeconds: number;
  /** All gateway tasks together, at the profile's expected rate. */
  readonly spansPerSecond: number;
  /** What one task sees at the smallest scale (`minTasks`), where each task carries the most. */
  readonly tracesPerSecondPerTask: number;
  /** tail_sampling `num_traces` of each task. */
  readonly numTraces: number;
  /** The heap a full trace cache needs, baseline included. */
  readonly memoryNeededMiB: number;
  /** The heap the memory_limiter lets the collector use before it refuses data (its soft limit). */
  readonly memoryAvailableMiB: number;
  /** Spans per second one task handles at the scaling target. */
  readonly spansPerSecondPerTask: number;
  /** Tasks the expected rate needs at the scaling target. */
  readonly tasksNeeded: number;
}

/**
 * @param destinations the Grafana Cloud stacks the gateway exports to, each with its own queue:
 *   1 for the platform, plus one per tenant
 */
export function gatewaySizing(gateway: CollectorGatewayProfile, destinations = 1): GatewaySizing {
  const spansPerTrace = gateway.spansPerTrace ?? GATEWAY_SIZING.defaultSpansPerTrace;
  const decisionWaitSeconds = gateway.decisionWaitSeconds ?? GATEWAY_SIZING.defaultDecisionWaitSeconds;
  const spansPerSecond = gateway.expectedTracesPerSecond * spansPerTrace;
  const tracesPerSecondPerTask = gateway.expectedTracesPerSecond / gateway.minTasks;
  const numTraces = Math.max(
    1_000,
    Math.ceil(tracesPerSecondPerTask * decisionWaitSeconds * GATEWAY_SIZING.traceCacheHeadroom),
  );
  const memoryNeededMiB = Math.ceil(
    GATEWAY_SIZING.baselineMiB +
      destinations * GATEWAY_SIZING.exporterQueueMiB +
      (numTraces * spansPerTrace * GATEWAY_SIZING.bytesPerBufferedSpan) / 2 ** 20,
  );
  const limits = collectorMemoryLimits(gateway.memoryMiB);
  const spansPerSecondPerTask = Math.floor(
    (GATEWAY_SIZING.spansPerSecondPerVcpu * (gateway.cpu / 1024) * GATEWAY_SIZING.targetCpuUtilizationPercent) / 100,
  );
  return {
    spansPerTrace,
    decisionWaitSeconds,
    spansPerSecond,
    tracesPerSecondPerTask,
    numTraces,
    memoryNeededMiB,
    memoryAvailableMiB: limits.softLimitMiB,
    spansPerSecondPerTask,
    tasksNeeded: Math.max(1, Math.ceil(spansPerSecond / spansPerSecondPerTask)),
  };
}

/** Bounds that cannot carry the expected load, one line each with the fix; empty when the tier fits. */
export function gatewaySizingProblems(profile: EnvironmentProfile, path: string): string[] {
  const gateway = profile.gateway;
  if (gateway === undefined) return [];
  const where = `${path}.gateway`;
  const problems: string[] = [];
  if (gateway.maxTasks < gateway.minTasks) {
    problems.push(`${where}.maxTasks: ${gateway.maxTasks} is below minTasks ${gateway.minTasks}. Raise maxTasks`);
  }
  if (profile.production && gateway.minTasks < 2) {
    problems.push(
      `${where}.minTasks: ${gateway.minTasks} in a production environment; one task is a single point of failure ` +
        'for every trace. Use at least 2 (tasks spread over the zones)',
    );
  }
  const sizing = gatewaySizing(gateway, 1 + Object.keys(profile.tenants ?? {}).length);
  const slowMs = profile.sampling.slowTraceThresholdMs ?? DEFAULT_SLOW_TRACE_THRESHOLD_MS;
  if (sizing.decisionWaitSeconds * 1000 <= slowMs) {
    problems.push(
      `${where}.decisionWaitSeconds: ${sizing.decisionWaitSeconds} s is not longer than sampling.slowTraceThresholdMs ` +
        `(${slowMs} ms), so a slow trace is decided before it ends. Use at least ${Math.ceil(slowMs / 1000) + 5}`,
    );
  }
  if (sizing.tasksNeeded > gateway.minTasks) {
    problems.push(
      `${where}.minTasks: ${gateway.minTasks} task(s) of ${gateway.cpu} cpu units carry about ` +
        `${sizing.spansPerSecondPerTask * gateway.minTasks} spans/s at ${GATEWAY_SIZING.targetCpuUtilizationPercent} % cpu, ` +
        `but expectedTracesPerSecond x spansPerTrace is ${sizing.spansPerSecond} spans/s. ` +
        `Raise minTasks to ${sizing.tasksNeeded} (and maxTasks with it) or give each task more cpu`,
    );
  }
  if (sizing.memoryNeededMiB > sizing.memoryAvailableMiB) {
    problems.push(
      `${where}.memoryMiB: a task holds up to ${sizing.numTraces} traces of ${sizing.spansPerTrace} spans during ` +
        `decision_wait, about ${sizing.memoryNeededMiB} MiB, but ${gateway.memoryMiB} MiB leaves the collector ` +
        `${sizing.memoryAvailableMiB} MiB before it refuses data. ${memoryFix(gateway, sizing.memoryNeededMiB)}`,
    );
  }
  return problems;
}

/**
 * The fix for a trace cache that does not fit: the smallest memory Fargate accepts with the task's
 * cpu whose memory_limiter soft limit holds it, or more cpu (or tasks) when no such size exists.
 */
function memoryFix(gateway: CollectorGatewayProfile, neededMiB: number): string {
  const fits = (FARGATE_MEMORY_BY_CPU[gateway.cpu] ?? []).find(
    (memory) => collectorMemoryLimits(memory).softLimitMiB >= neededMiB,
  );
  return fits !== undefined
    ? `Raise memoryMiB to at least ${fits} or raise minTasks`
    : `No memory size of cpu ${gateway.cpu} holds it: raise cpu (larger tasks allow more memory) or minTasks`;
}

export interface GatewaySamplingSettings {
  readonly decisionWait: string;
  readonly numTraces: number;
  readonly expectedNewTracesPerSec: number;
  /**
   * Trace ids remembered after a decision, so a late span follows its trace's decision. Ids are
   * small; upstream advises caches an order of magnitude larger than num_traces.
   */
  readonly decisionCacheSize: number;
}

/** The settings of the gateway's tail_sampling processor; undefined when the profile has no gateway. */
export function gatewaySamplingSettings(profile: EnvironmentProfile): GatewaySamplingSettings | undefined {
  if (profile.gateway === undefined) return undefined;
  const sizing = gatewaySizing(profile.gateway);
  return {
    decisionWait: `${sizing.decisionWaitSeconds}s`,
    numTraces: sizing.numTraces,
    expectedNewTracesPerSec: Math.max(1, Math.ceil(sizing.tracesPerSecondPerTask)),
    decisionCacheSize: sizing.numTraces * 10,
  };
}
