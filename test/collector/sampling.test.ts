import { headSamplingEnvironment, tailSamplingProcessor } from '../../lib/collector/sampling';
import { defaultProfiles } from './support';

describe('head sampling in the SDK', () => {
  test('prod keeps 10 % of new traces and follows the parent decision', () => {
    expect(headSamplingEnvironment(defaultProfiles().prod)).toEqual({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
  });

  test('dev keeps every trace', () => {
    expect(headSamplingEnvironment(defaultProfiles().dev).OTEL_TRACES_SAMPLER_ARG).toBe('1');
  });
});

describe('the tail-sampling policy for a gateway', () => {
  test('keeps errors, slow traces and the profile ratio of the rest', () => {
    expect(tailSamplingProcessor(defaultProfiles().prod)).toEqual({
      decision_wait: '10s',
      num_traces: 50_000,
      expected_new_traces_per_sec: 100,
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } },
        { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    });
  });

  test('the baseline percentage has no floating-point residue', () => {
    const profile = defaultProfiles().prod;
    const percentages = [0.07, 0.1, 0.29, 0.5].map((ratio) => {
      const policies = tailSamplingProcessor({ ...profile, sampling: { ratio } }).policies as {
        probabilistic?: { sampling_percentage: number };
      }[];
      return policies[2].probabilistic?.sampling_percentage;
    });
    expect(percentages).toEqual([7, 10, 29, 50]);
  });

  test('the slow-trace threshold defaults to 2000 ms', () => {
    const profile = defaultProfiles().prod;
    const policies = tailSamplingProcessor({ ...profile, sampling: { ratio: 0.2, slowTraceThresholdMs: 1500 } })
      .policies as { latency?: { threshold_ms: number } }[];
    const defaulted = tailSamplingProcessor({ ...profile, sampling: { ratio: 0.2 } }).policies as {
      latency?: { threshold_ms: number };
    }[];
    expect([policies[1].latency?.threshold_ms, defaulted[1].latency?.threshold_ms]).toEqual([1500, 2000]);
  });
});
