/**
 * Trace sampling from the profile: head sampling in the application SDK where there is no gateway,
 * and the tail-sampling policy of the gateway tier where there is one.
 */
import type { EnvironmentProfile } from '../profile/schema';
import { DEFAULT_SLOW_TRACE_THRESHOLD_MS, gatewaySamplingSettings } from './gateway-sizing';
import type { ComponentConfig } from './model';

/**
 * The SDK environment of an application container. `parentbased_*` follows the caller's decision,
 * so a trace that crosses services is kept or dropped as a whole. With a gateway tier the SDK
 * keeps every trace: the gateway decides once the trace is complete, and a span the SDK dropped
 * could never be an error the gateway keeps.
 */
export function headSamplingEnvironment(profile: EnvironmentProfile): Readonly<Record<string, string>> {
  if (profile.gateway !== undefined) return { OTEL_TRACES_SAMPLER: 'parentbased_always_on' };
  return {
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(profile.sampling.ratio),
  };
}

/**
 * The `tail_sampling` processor of a gateway that sees every span of a trace: any policy that says
 * "sample" keeps the trace, so this keeps every error, every slow trace, and `ratio` of the rest.
 * decision_wait and the trace cache come from the profile's gateway sizing (gateway-sizing.ts).
 * Late spans of a decided trace follow the decision through the decision caches.
 * @throws Error when the profile declares no gateway: only a gateway samples by tail
 */
export function tailSamplingProcessor(environmentName: string, profile: EnvironmentProfile): ComponentConfig {
  const settings = gatewaySamplingSettings(profile);
  if (settings === undefined) {
    throw new Error(
      `environments.${environmentName}.gateway: missing. Tail sampling runs in the gateway tier; declare ` +
        '"gateway": { "expectedTracesPerSecond": ..., "cpu": ..., "memoryMiB": ..., "minTasks": ..., "maxTasks": ... }',
    );
  }
  return {
    decision_wait: settings.decisionWait,
    num_traces: settings.numTraces,
    expected_new_traces_per_sec: settings.expectedNewTracesPerSec,
    decision_cache: {
      sampled_cache_size: settings.decisionCacheSize,
      non_sampled_cache_size: settings.decisionCacheSize,
    },
    policies: [
      { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      {
        name: 'slow',
        type: 'latency',
        latency: { threshold_ms: profile.sampling.slowTraceThresholdMs ?? DEFAULT_SLOW_TRACE_THRESHOLD_MS },
      },
      {
        name: 'baseline',
        type: 'probabilistic',
        probabilistic: { sampling_percentage: percentage(profile.sampling.ratio) },
      },
    ],
  };
}

/** 0.1 -> 10 (not 10.000000000000002). */
function percentage(ratio: number): number {
  return Math.round(ratio * 100 * 1e6) / 1e6;
}
