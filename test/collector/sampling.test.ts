import { gatewaySamplingSettings } from '../../lib/collector/gateway-sizing';
import { headSamplingEnvironment, tailSamplingProcessor } from '../../lib/collector/sampling';
import { defaultProfiles } from './support';

describe('head sampling in the SDK', () => {
  test.each(['prod', 'staging'])(
    '%s, which has a gateway, keeps every trace in the SDK so the gateway can decide on whole traces',
    (env) => {
      expect(headSamplingEnvironment(defaultProfiles()[env])).toEqual({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' });
    },
  );

  test('dev, which has no gateway, samples by trace id ratio and follows the parent decision', () => {
    expect(headSamplingEnvironment(defaultProfiles().dev)).toEqual({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
    });
  });

  test('without a gateway the SDK keeps the profile ratio of new traces', () => {
    const { gateway: _, ...withoutGateway } = defaultProfiles().prod;
    expect(headSamplingEnvironment(withoutGateway)).toEqual({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
  });
});

describe('the tail-sampling policy of the gateway', () => {
  test('keeps errors, slow traces and the profile ratio of the rest, with a trace cache sized by the profile', () => {
    expect(tailSamplingProcessor('prod', defaultProfiles().prod)).toEqual({
      decision_wait: '10s',
      num_traces: 1000,
      expected_new_traces_per_sec: 50,
      decision_cache: { sampled_cache_size: 10_000, non_sampled_cache_size: 10_000 },
      policies: [
        { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
        { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } },
        { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
      ],
    });
  });

  test.each(['prod', 'staging'])('%s: decision_wait and the caches are those of the gateway sizing', (env) => {
    const profile = defaultProfiles()[env];
    const settings = gatewaySamplingSettings(profile);
    expect(tailSamplingProcessor(env, profile)).toMatchObject({
      decision_wait: settings?.decisionWait,
      num_traces: settings?.numTraces,
      expected_new_traces_per_sec: settings?.expectedNewTracesPerSec,
      decision_cache: {
        sampled_cache_size: settings?.decisionCacheSize,
        non_sampled_cache_size: settings?.decisionCacheSize,
      },
    });
  });

  test('a longer decision_wait in the profile is the processor decision_wait', () => {
    const profile = defaultProfiles().prod;
    const gateway = profile.gateway as NonNullable<typeof profile.gateway>;
    expect(
      tailSamplingProcessor('prod', { ...profile, gateway: { ...gateway, decisionWaitSeconds: 30 } }).decision_wait,
    ).toBe('30s');
  });

  test('the baseline percentage has no floating-point residue', () => {
    const profile = defaultProfiles().prod;
    const percentages = [0.07, 0.1, 0.29, 0.5].map((ratio) => {
      const policies = tailSamplingProcessor('prod', { ...profile, sampling: { ratio } }).policies as {
        probabilistic?: { sampling_percentage: number };
      }[];
      return policies[2].probabilistic?.sampling_percentage;
    });
    expect(percentages).toEqual([7, 10, 29, 50]);
  });

  test('the slow-trace threshold comes from the profile and defaults to 2000 ms', () => {
    const profile = defaultProfiles().prod;
    const policies = tailSamplingProcessor('prod', { ...profile, sampling: { ratio: 0.2, slowTraceThresholdMs: 1500 } })
      .policies as { latency?: { threshold_ms: number } }[];
    const defaulted = tailSamplingProcessor('prod', { ...profile, sampling: { ratio: 0.2 } }).policies as {
      latency?: { threshold_ms: number };
    }[];
    expect([policies[1].latency?.threshold_ms, defaulted[1].latency?.threshold_ms]).toEqual([1500, 2000]);
  });

  test('a profile without a gateway has no tail sampling: the error names the field to declare', () => {
    expect(() => tailSamplingProcessor('dev', defaultProfiles().dev)).toThrow(
      /^environments\.dev\.gateway: missing\. Tail sampling runs in the gateway tier; declare "gateway": \{/,
    );
  });
});
