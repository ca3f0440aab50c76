import { findCollectorConfigProblems } from '../../lib/collector/checks';
import { GATEWAY_CLOUDWATCH_METRICS } from '../../lib/collector/cloudwatch';
import { gatewaySamplingSettings } from '../../lib/collector/gateway-sizing';
import { generateCollectorConfig } from '../../lib/collector/generate';
import { TAIL_SAMPLING_DROPPED_METRIC } from '../../lib/metrics/catalogue';
import type { CollectorGatewayProfile, EnvironmentProfile } from '../../lib/profile/schema';
import { defaultProfiles, generated } from './support';

const gateway = (env = 'prod') => generated(env, 'gateway');

/** prod with its gateway changed. */
function prodWith(changes: Partial<CollectorGatewayProfile>, profile: Partial<EnvironmentProfile> = {}) {
  const prod = defaultProfiles().prod;
  return { ...prod, ...profile, gateway: { ...(prod.gateway as CollectorGatewayProfile), ...changes } };
}

describe('the gateway config', () => {
  test.each(['prod', 'staging'])('the %s gateway passes every check', (env) => {
    const { config, environment, distribution } = gateway(env);
    expect(findCollectorConfigProblems(config, environment, distribution)).toEqual([]);
  });

  test('listens on every interface: sidecars of other tasks send to it', () => {
    const { config } = gateway();
    expect(config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } },
    });
    expect(config.extensions?.health_check).toEqual({ endpoint: '0.0.0.0:13133' });
  });

  test('tail-samples traces right after the memory limiter, then labels and scrubs them', () => {
    expect(gateway().config.service.pipelines.traces.processors).toEqual([
      'memory_limiter',
      'tail_sampling',
      'resource',
      'transform/drop_secrets',
      'redaction/pii',
    ]);
  });

  test('does not stamp its own ECS task on the traces of other tasks', () => {
    const pipelines = Object.entries(gateway().config.service.pipelines);
    const stamping = pipelines.filter(([, pipeline]) => (pipeline.processors ?? []).includes('resource_detection'));
    expect(pipelines.map(([id]) => id)).toContain('traces');
    expect(stamping.map(([id]) => id).filter((id) => id.startsWith('traces'))).toEqual([]);
  });

  test('stamps its own ECS task on its own metrics, so awsemf names the log stream after the task', () => {
    const { config } = gateway();
    expect(config.service.pipelines['metrics/self'].processors).toContain('resource_detection');
    expect(config.service.pipelines['metrics/self-cloudwatch'].processors).toContain('resource_detection');
    expect(config.exporters.awsemf.log_stream_name).toBe('{TaskId}');
  });

  test('keeps every error, every slow trace and the profile ratio of the rest', () => {
    const policies = gateway().config.processors?.tail_sampling.policies;
    expect(policies).toEqual([
      { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
      { name: 'slow', type: 'latency', latency: { threshold_ms: 2000 } },
      { name: 'baseline', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
    ]);
  });

  test('the slow threshold and the ratio come from the profile', () => {
    const profile = prodWith({ decisionWaitSeconds: 15 }, { sampling: { ratio: 0.25, slowTraceThresholdMs: 3000 } });
    const policies = generateCollectorConfig('prod', profile, 'gateway').config.processors?.tail_sampling.policies as {
      latency?: unknown;
      probabilistic?: unknown;
    }[];
    expect([policies[1].latency, policies[2].probabilistic]).toEqual([
      { threshold_ms: 3000 },
      { sampling_percentage: 25 },
    ]);
  });

  test.each(['prod', 'staging'])("the %s trace cache and decision wait are the profile's gateway sizing", (env) => {
    const settings = gatewaySamplingSettings(defaultProfiles()[env]);
    expect(gateway(env).config.processors?.tail_sampling).toMatchObject({
      decision_wait: settings?.decisionWait,
      num_traces: settings?.numTraces,
      expected_new_traces_per_sec: settings?.expectedNewTracesPerSec,
    });
  });

  test('has no logs or service metrics pipeline: sidecars send it traces only, its own metrics come on their own path', () => {
    expect(Object.keys(gateway().config.service.pipelines)).toEqual([
      'traces',
      'metrics/self',
      'metrics/self-cloudwatch',
    ]);
  });

  test('without tenants, exports sampled traces to the platform stack and never to a gateway', () => {
    const { config } = gateway();
    expect(config.service.pipelines.traces.exporters).toEqual(['otlp_http/grafana_cloud']);
    expect(Object.keys(config.exporters)).not.toContain('load_balancing/gateway');
  });

  test('its memory limits come from gateway.memoryMiB: the collector has the whole task', () => {
    const { config, environment } = gateway();
    expect(config.processors?.memory_limiter).toEqual({ check_interval: '1s', limit_mib: 1638, spike_limit_mib: 409 });
    expect(environment.find((variable) => variable.name === 'GOMEMLIMIT')).toMatchObject({
      value: '1638MiB',
      description: expect.stringContaining('2048 MiB'),
    });
  });

  test('the sidecar memory setting (collector.memoryMiB) does not change the gateway', () => {
    const profile = { ...defaultProfiles().prod, collector: { memoryMiB: 4096 } };
    expect(generateCollectorConfig('prod', profile, 'gateway').config.processors?.memory_limiter).toEqual(
      gateway().config.processors?.memory_limiter,
    );
  });

  test('a bigger gateway task gets proportionally bigger memory limits', () => {
    const { config } = generateCollectorConfig('prod', prodWith({ memoryMiB: 4096 }), 'gateway');
    expect(config.processors?.memory_limiter).toEqual({ check_interval: '1s', limit_mib: 3276, spike_limit_mib: 819 });
  });

  test('names its own telemetry otel-gateway, so its CloudWatch metrics stay apart from the sidecars', () => {
    expect(gateway().config.service.telemetry).toMatchObject({ resource: { 'service.name': 'otel-gateway' } });
    expect(generated('prod').config.service.telemetry?.resource).toBeUndefined();
  });

  test('sends CloudWatch only its collector failure counters and the traces its sampler dropped too early', () => {
    const { config } = gateway();
    const names = GATEWAY_CLOUDWATCH_METRICS.map((metric) => metric.name);
    expect(names).toContain(TAIL_SAMPLING_DROPPED_METRIC);
    expect(names.filter((name) => !name.startsWith('otelcol_'))).toEqual([]);
    expect(config.exporters.awsemf).toMatchObject({
      metric_declarations: [
        { dimensions: [['service.name', 'source_token']], metric_name_selectors: names.map((name) => `^${name}$$`) },
        {
          dimensions: [['aws.ecs.task.family', 'source_token']],
          metric_name_selectors: ['^otelcol_process_uptime$$'],
        },
      ],
    });
    const selfNames = [...names, 'otelcol_process_uptime'];
    expect(config.processors?.['filter/cloudwatch_self']).toEqual({
      error_mode: 'ignore',
      metric_conditions: [
        { context: 'metric', conditions: [`not IsMatch(metric.name, "^(?:${selfNames.join('|')})$$")`] },
      ],
    });
    expect(config.processors?.['filter/cloudwatch']).toBeUndefined();
  });

  test("needs only the platform credentials and the environment's source token when there are no tenants", () => {
    expect(gateway().environment.map((variable) => variable.name)).toEqual([
      'GOMEMLIMIT',
      'GRAFANA_CLOUD_API_KEY',
      'GRAFANA_CLOUD_INSTANCE_ID',
      'OBSERVABILITY_SOURCE_TOKEN',
    ]);
  });

  test('the gateway of a profile without a gateway is an error naming the field to declare', () => {
    expect(() => generated('dev', 'gateway')).toThrow(/^environments\.dev\.gateway: missing\./);
  });

  test('a gateway serves every tenant, so asking for one tenant is an error', () => {
    expect(() => generateCollectorConfig('prod', defaultProfiles().prod, 'gateway', { tenant: 'acme-corp' })).toThrow(
      'generateCollectorConfig: only a sidecar serves one tenant; the gateway role takes no tenant',
    );
  });
});

describe("the gateway's persistent export queue", () => {
  test('its Grafana Cloud exporter queues on the file_storage extension, sized by the sizing model', () => {
    const { config } = gateway();
    expect(config.exporters['otlp_http/grafana_cloud'].sending_queue).toEqual({
      sizer: 'items',
      // prod: 1024 cpu units carry 4800 spans/s at the 60 % target; 30 minutes of that.
      queue_size: 4_800 * 60 * 30,
      storage: 'file_storage/queue',
      batch: { flush_timeout: '1s', min_size: 2_000, max_size: 8_000 },
    });
  });

  test('a batch is retried for as long as the queue holds data, so an outage the queue rides out loses nothing', () => {
    expect(gateway().config.exporters['otlp_http/grafana_cloud'].retry_on_failure).toEqual({
      enabled: true,
      max_elapsed_time: '30m',
    });
  });

  test('the file_storage extension writes to the directory mounted from the task storage, and is started', () => {
    const { config } = gateway();
    expect(config.extensions?.['file_storage/queue']).toEqual({
      directory: '/var/lib/otelcol/file_storage',
      timeout: '1s',
      compaction: { on_start: true, on_rebound: true, directory: '/var/lib/otelcol/file_storage' },
    });
    expect(config.service.extensions).toContain('file_storage/queue');
  });

  test('a sidecar keeps its queue in memory: it has no volume, and its task is the service', () => {
    const { config } = generated('prod');
    expect(config.extensions?.['file_storage/queue']).toBeUndefined();
    expect(config.exporters['otlp_http/grafana_cloud'].sending_queue).not.toHaveProperty('storage');
  });

  test("every tenant's exporter queues on disk too", () => {
    const tenant = {
      grafanaCloud: {
        otlpEndpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
        stackUrl: 'https://acme.grafana.net',
        instanceId: '700001',
        apiKeyParameterName: '/starmates-ai-team/prod/tenants/acme/grafana-cloud-api-key',
      },
      gatewayPort: 4320,
      readerPrincipalArns: ['arn:aws:iam::444444444440:role/acme-sre'],
    };
    const { config } = generateCollectorConfig('prod', prodWith({}, { tenants: { acme: tenant } }), 'gateway');
    expect(config.exporters['otlp_http/tenant-acme'].sending_queue).toMatchObject({ storage: 'file_storage/queue' });
  });
});
