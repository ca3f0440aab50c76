/**
 * Memory settings of a collector container, derived from its memory size so the limits can never
 * disagree: the memory_limiter refuses data before the Go heap reaches the container limit, and
 * GOMEMLIMIT makes the garbage collector work harder near the same point.
 */

/** The collector container's memory when the profile does not set `collector.memoryMiB`. */
export const DEFAULT_COLLECTOR_MEMORY_MIB = 512;

/** Collector cpu units when the profile does not set `collector.cpu`. */
export const DEFAULT_COLLECTOR_CPU = 256;

/** The least memory (MiB) an application container gets next to its collector: less is a sizing mistake, not a choice. */
export const MIN_APP_MEMORY_MIB = 128;

/** Share of the container memory the collector may use before it refuses data (upstream advice: about 80 %). */
const LIMIT_SHARE = 0.8;

/** Share of the limit kept free for bursts between two checks (upstream default: 20 %; 25 % for small sidecars). */
const SPIKE_SHARE = 0.25;

export interface CollectorMemoryLimits {
  readonly containerMiB: number;
  /** memory_limiter `limit_mib`: the hard limit. */
  readonly limitMiB: number;
  /** memory_limiter `spike_limit_mib`. */
  readonly spikeLimitMiB: number;
  /** The soft limit, `limitMiB - spikeLimitMiB`: the heap the collector uses before it refuses data. */
  readonly softLimitMiB: number;
  /** The GOMEMLIMIT value, e.g. `409MiB`. */
  readonly goMemLimit: string;
}

export function collectorMemoryLimits(containerMiB: number): CollectorMemoryLimits {
  const limitMiB = Math.floor(containerMiB * LIMIT_SHARE);
  const spikeLimitMiB = Math.floor(limitMiB * SPIKE_SHARE);
  return {
    containerMiB,
    limitMiB,
    spikeLimitMiB,
    softLimitMiB: limitMiB - spikeLimitMiB,
    goMemLimit: `${limitMiB}MiB`,
  };
}
