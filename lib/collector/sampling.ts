/**
 * Trace sampling from the profile: head sampling in the application SDK (the sidecar keeps what
 * the SDK sends), and the tail-sampling policy a gateway would apply.
 */
import type { EnvironmentProfile } from '../profile/schema';
import type { ComponentConfig } from './model';

/** Traces at least this long are kept by tail sampling when the profile does not say otherwise. */
export const DEFAULT_SLOW_TRACE_THRESHOLD_MS = 2000;

/**
 * The SDK environment of an application container. `parentbased_*` follows the caller's decision,
 * so a trace that crosses services is kept or dropped as a whole.
 */
export function headSamplingEnvironment(profile: EnvironmentProfile): Readonly<Record<string, string>> {
  return {
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(profile.sampling.ratio),
  };
}

/** How long a trace's spans are buffered before the decision: long enough for slow requests to finish. */
const DECISION_WAIT = '10s';

/** Traces held in memory: about decision_wait x expected rate x 50 of headroom for a small gateway. */
const NUM_TRACES = 50_000;

/** Sizes the processor's maps up front; a guess for a few services at moderate traffic. */
const EXPECTED_NEW_TRACES_PER_SEC = 100;

/**
 * The `tail_sampling` processor for a gateway that sees every span of a trace: any policy that says
 * "sample" keeps the trace, so this keeps every error, every slow trace, and `ratio` of the rest.
 * It needs all spans of a trace in one collector, so it is not used in sidecar pipelines.
 */
export function tailSamplingProcessor(profile: EnvironmentProfile): ComponentConfig {
  return {
    decision_wait: DECISION_WAIT,
    num_traces: NUM_TRACES,
    expected_new_traces_per_sec: EXPECTED_NEW_TRACES_PER_SEC,
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
