import { generateCollectorConfig } from '../../lib/collector/generate';
import { collectorMemoryLimits } from '../../lib/collector/memory';
import { componentType } from '../../lib/collector/model';
import { serializeCollectorConfig } from '../../lib/collector/yaml';
import { defaultProfiles, generated } from './support';

/** The services' metrics CloudWatch alarms need. */
const SERVICE_ALARM_METRICS = ['request_count', 'request_errors_total', 'request_duration_seconds'];

/** The collector's failure counters CloudWatch alarms need. */
const COLLECTOR_FAILURE_METRICS = [
  'otelcol_exporter_send_failed_spans',
  'otelcol_exporter_enqueue_failed_spans',
  'otelcol_receiver_refused_spans',
  'otelcol_exporter_send_failed_metric_points',
  'otelcol_exporter_enqueue_failed_metric_points',
  'otelcol_receiver_refused_metric_points',
  'otelcol_exporter_send_failed_log_records',
  'otelcol_exporter_enqueue_failed_log_records',
  'otelcol_receiver_refused_log_records',
];

/** Both, as awsemf selects them with the service.name dimension. */
const ALARM_METRICS = [...SERVICE_ALARM_METRICS, ...COLLECTOR_FAILURE_METRICS];

describe('the sidecar config', () => {
  test("has traces, metrics, CloudWatch metrics, logs and audit logs pipelines reading the OTLP receiver, and two for the collector's own metrics", () => {
    const { pipelines } = generated('prod').config.service;
    expect(Object.keys(pipelines)).toEqual([
      'traces',
      'metrics',
      'metrics/cloudwatch',
      'logs',
      'logs/audit',
      'metrics/self',
      'metrics/self-cloudwatch',
    ]);
    expect(Object.values(pipelines).map((pipeline) => pipeline.receivers)).toEqual([
      ['otlp'],
      ['otlp'],
      ['otlp'],
      ['otlp'],
      ['otlp'],
      ['otlp/self'],
      ['otlp/self'],
    ]);
  });

  test.each(['traces', 'logs'])(
    'the %s pipeline limits memory, detects the task, labels the environment and the service, then scrubs PII',
    (signal) => {
      expect(generated('prod').config.service.pipelines[signal].processors).toEqual([
        'memory_limiter',
        'resource_detection',
        'resource',
        'transform/service_identity',
        'transform/drop_secrets',
        'redaction/pii',
      ]);
    },
  );

  test('the Grafana Cloud metrics pipeline does the same, then makes delta streams cumulative for Prometheus', () => {
    const { config } = generated('prod');
    expect(config.service.pipelines.metrics.processors).toEqual([
      'memory_limiter',
      'resource_detection',
      'resource',
      'transform/service_identity',
      'transform/drop_secrets',
      'redaction/pii',
      'deltatocumulative',
    ]);
    expect(config.processors?.deltatocumulative).toEqual({ max_stale: '5m', max_streams: 10_000 });
  });

  test('the receivers listen on localhost only', () => {
    expect(generated('prod').config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: 'localhost:4317' }, http: { endpoint: 'localhost:4318' } },
    });
    expect(generated('prod').config.extensions?.health_check).toEqual({ endpoint: 'localhost:13133' });
  });

  test('the resource processor labels environment, project and service namespace', () => {
    expect(generated('staging').config.processors?.resource).toMatchObject({
      attributes: expect.arrayContaining([
        { key: 'deployment.environment.name', value: 'staging', action: 'upsert' },
        { key: 'project', value: 'starmates-ai-team', action: 'upsert' },
        { key: 'service.namespace', value: 'starmates-ai-team', action: 'upsert' },
      ]),
    });
  });

  test('each task gets its own service.instance.id from its ECS task id, unless the SDK set one', () => {
    expect(generated('prod').config.processors?.resource).toMatchObject({
      attributes: expect.arrayContaining([
        { key: 'service.instance.id', from_attribute: 'aws.ecs.task.id', action: 'insert' },
      ]),
    });
  });

  test('resource detection uses the env and ecs detectors without overriding what the SDK set', () => {
    expect(generated('prod').config.processors?.resource_detection).toEqual({
      detectors: ['env', 'ecs'],
      timeout: '2s',
      override: false,
    });
  });

  test('batching happens in the Grafana Cloud exporter, not in a batch processor', () => {
    const { config } = generated('prod');
    expect(Object.keys(config.processors ?? {}).map(componentType)).not.toContain('batch');
    expect(config.exporters['otlp_http/grafana_cloud'].sending_queue).toEqual({
      sizer: 'items',
      queue_size: 10_000,
      batch: { flush_timeout: '1s', min_size: 2_000, max_size: 8_000 },
    });
  });

  test('Grafana Cloud gets OTLP/HTTP with Basic auth whose credentials are environment references', () => {
    const { config } = generated('prod');
    expect(config.exporters['otlp_http/grafana_cloud']).toMatchObject({
      endpoint: 'https://otlp-gateway-prod-eu-west-2.grafana.net/otlp',
      auth: { authenticator: 'basicauth/grafana_cloud' },
    });
    expect(config.extensions?.['basicauth/grafana_cloud']).toEqual({
      client_auth: { username: `\${env:GRAFANA_CLOUD_INSTANCE_ID}`, password: `\${env:GRAFANA_CLOUD_API_KEY}` },
    });
    expect(config.service.extensions).toEqual(['health_check', 'basicauth/grafana_cloud']);
  });

  test("the services' CloudWatch pipeline keeps only their alarm metrics and converts them to deltas before awsemf", () => {
    const { config } = generated('prod');
    expect(config.service.pipelines['metrics/cloudwatch']).toEqual({
      receivers: ['otlp'],
      processors: [
        'memory_limiter',
        'filter/cloudwatch',
        'resource_detection',
        'transform/service_identity',
        'transform/cloudwatch',
        'transform/drop_secrets',
        'redaction/pii',
        'transform/source_token',
        'cumulative_to_delta',
      ],
      exporters: ['awsemf'],
    });
    expect(config.processors?.['filter/cloudwatch']).toEqual({
      error_mode: 'ignore',
      metric_conditions: [
        { context: 'metric', conditions: [`not IsMatch(metric.name, "^(?:${SERVICE_ALARM_METRICS.join('|')})$$")`] },
      ],
    });
  });

  test("the collector's own CloudWatch pipeline keeps its failure counters and its heartbeat, without the memory limiter", () => {
    const { config } = generated('prod');
    expect(config.service.pipelines['metrics/self-cloudwatch']).toEqual({
      receivers: ['otlp/self'],
      processors: [
        'filter/cloudwatch_self',
        'transform/self_identity',
        'resource_detection',
        'transform/cloudwatch',
        'transform/heartbeat',
        'transform/drop_secrets',
        'redaction/pii',
        'transform/source_token',
        'cumulative_to_delta',
      ],
      exporters: ['awsemf'],
    });
    expect(config.processors?.['filter/cloudwatch_self']).toEqual({
      error_mode: 'ignore',
      metric_conditions: [
        {
          context: 'metric',
          conditions: [
            `not IsMatch(metric.name, "^(?:${[...COLLECTOR_FAILURE_METRICS, 'otelcol_process_uptime'].join('|')})$$")`,
          ],
        },
      ],
    });
  });

  test('the heartbeat carries the ECS task family as its one CloudWatch dimension: one series per service', () => {
    const { config } = generated('prod');
    expect(config.processors?.['transform/heartbeat']).toEqual({
      error_mode: 'ignore',
      metric_statements: [
        {
          context: 'datapoint',
          statements: [
            'set(datapoint.attributes["aws.ecs.task.family"], resource.attributes["aws.ecs.task.family"]) ' +
              'where metric.name == "otelcol_process_uptime"',
          ],
        },
      ],
    });
    expect(config.exporters.awsemf.metric_declarations).toContainEqual({
      dimensions: [['aws.ecs.task.family', 'source_token']],
      metric_name_selectors: ['^otelcol_process_uptime$$'],
    });
  });

  test("the collector's own metrics arrive on a localhost-only receiver that takes only otelcol_ metrics", () => {
    const { config } = generated('prod');
    expect(config.receivers['otlp/self']).toEqual({
      protocols: { http: { endpoint: 'localhost:14318', max_request_body_size: 4_194_304 } },
    });
    expect(config.service.pipelines['metrics/self'].processors?.[0]).toBe('filter/self');
    expect(config.processors?.['filter/self']).toEqual({
      error_mode: 'ignore',
      metric_conditions: [{ context: 'metric', conditions: ['not IsMatch(metric.name, "^otelcol_")'] }],
    });
  });

  test("awsemf writes one dimension set per metric without rollups, to the environment namespace, in its service's log group", () => {
    expect(generated('prod').config.exporters.awsemf).toEqual({
      region: 'eu-west-1',
      namespace: 'StarmatesAiTeam/prod',
      log_group_name: `/ecs/starmates-ai-team-prod/\${env:OBSERVED_SERVICE_NAME}/otel-emf`,
      log_stream_name: '{TaskId}',
      dimension_rollup_option: 'NoDimensionRollup',
      metric_declarations: [
        {
          dimensions: [['service.name', 'source_token']],
          metric_name_selectors: ALARM_METRICS.map((name) => `^${name}$$`),
        },
        { dimensions: [['aws.ecs.task.family', 'source_token']], metric_name_selectors: ['^otelcol_process_uptime$$'] },
      ],
    });
  });

  test('the collector pushes its own metrics to its self-telemetry receiver', () => {
    expect(generated('prod').config.service.telemetry).toEqual({
      logs: { level: 'info', encoding: 'json' },
      metrics: {
        level: 'normal',
        readers: [
          {
            periodic: {
              interval: 60_000,
              exporter: { otlp: { protocol: 'http/protobuf', endpoint: 'http://localhost:14318/v1/metrics' } },
            },
          },
        ],
      },
    });
  });

  test('no tail sampling in a sidecar: it sees only its own task, not whole traces', () => {
    expect(Object.keys(generated('prod').config.processors ?? {})).not.toContain('tail_sampling');
  });

  test('pipelines share no arrays, so editing one pipeline never edits another', () => {
    const { pipelines } = generated('dev').config.service;
    expect(pipelines.traces.exporters).not.toBe(pipelines.logs.exporters);
    expect(pipelines.traces.processors).not.toBe(pipelines.metrics.processors);
  });
});

describe('per-environment differences come from the profile', () => {
  test('only dev, whose profile asks for it, has the debug exporter', () => {
    const withDebug = ['dev', 'staging', 'prod'].filter((env) => 'debug' in generated(env).config.exporters);
    expect(withDebug).toEqual(['dev']);
    expect(generated('dev').config.service.pipelines.traces.exporters).toEqual(['otlp_http/grafana_cloud', 'debug']);
    expect(generated('prod').config.service.pipelines.logs.exporters).toEqual(['otlp_http/grafana_cloud']);
  });

  test('only staging and prod, whose profiles declare a gateway, send traces to it', () => {
    const viaGateway = ['dev', 'staging', 'prod'].filter(
      (env) => 'load_balancing/gateway' in generated(env).config.exporters,
    );
    expect(viaGateway).toEqual(['staging', 'prod']);
  });

  test('staging and prod differ only in environment names', () => {
    const yamlOf = (env: string) => serializeCollectorConfig(generated(env).config, []);
    expect(yamlOf('staging').replace(/staging/g, '<env>')).toBe(yamlOf('prod').replace(/prod(?!-eu)/g, '<env>'));
  });

  test('a bigger collector container gets proportionally bigger memory limits', () => {
    const profile = defaultProfiles().prod;
    const big = generateCollectorConfig('prod', { ...profile, collector: { memoryMiB: 1024 } });
    expect(big.config.processors?.memory_limiter).toEqual({
      check_interval: '1s',
      limit_mib: 819,
      spike_limit_mib: 204,
    });
    expect(big.environment.find((variable) => variable.name === 'GOMEMLIMIT')?.value).toBe('819MiB');
  });

  test('without collector settings the container is 512 MiB and has no debug exporter', () => {
    const { collector: _, ...profile } = defaultProfiles().dev;
    const result = generateCollectorConfig('dev', profile);
    expect(result.config.processors?.memory_limiter).toEqual({
      check_interval: '1s',
      limit_mib: 409,
      spike_limit_mib: 102,
    });
    expect(Object.keys(result.config.exporters)).not.toContain('debug');
  });
});

describe('memory limits', () => {
  test('512 MiB gives an 80 % limit, a 25 % spike allowance and the same GOMEMLIMIT', () => {
    expect(collectorMemoryLimits(512)).toEqual({
      containerMiB: 512,
      limitMiB: 409,
      spikeLimitMiB: 102,
      softLimitMiB: 307,
      goMemLimit: '409MiB',
    });
  });
});

describe('the environment contract', () => {
  test('lists exactly the variables the config reads, plus GOMEMLIMIT for the Go runtime', () => {
    expect(generated('prod').environment).toEqual([
      {
        name: 'GOMEMLIMIT',
        secret: false,
        value: '409MiB',
        readBy: 'runtime',
        description: expect.stringContaining('80 %'),
      },
      {
        name: 'GRAFANA_CLOUD_API_KEY',
        secret: true,
        ssmParameterName: '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key',
        readBy: 'config',
        description: expect.any(String),
      },
      {
        name: 'GRAFANA_CLOUD_INSTANCE_ID',
        secret: false,
        value: '123456',
        readBy: 'config',
        description: expect.any(String),
      },
      {
        name: 'OBSERVABILITY_SOURCE_TOKEN',
        secret: true,
        platformSecret: 'sourceToken',
        readBy: 'config',
        description: expect.any(String),
      },
      {
        name: 'OBSERVED_SERVICE_NAME',
        secret: false,
        perTask: 'serviceName',
        readBy: 'config',
        description: expect.any(String),
      },
    ]);
  });

  test.each(['dev', 'staging', 'prod'])(
    `%s: the variables read by the config are the \${env:} references of its YAML`,
    (env) => {
      const { config, environment } = generated(env);
      const references = [...serializeCollectorConfig(config, []).matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1]);
      const declared = environment.filter((variable) => variable.readBy === 'config').map((variable) => variable.name);
      expect([...new Set(references)].sort()).toEqual(declared.sort());
    },
  );

  test('the token is never a value: only its SSM parameter name is known', () => {
    const result = generated('prod');
    const apiKey = result.environment.find((variable) => variable.name === 'GRAFANA_CLOUD_API_KEY');
    expect(apiKey?.value).toBeUndefined();
    expect(serializeCollectorConfig(result.config, [])).not.toMatch(/glc_[A-Za-z0-9]/);
  });
});

describe('a sidecar in an environment with a gateway', () => {
  test('sends traces to the gateway tier through the load_balancing exporter', () => {
    expect(generated('prod').config.service.pipelines.traces.exporters).toEqual(['load_balancing/gateway']);
  });

  test('routes by trace id, so every span of a trace reaches the same gateway task', () => {
    expect(generated('prod').config.exporters['load_balancing/gateway']).toMatchObject({ routing_key: 'traceID' });
  });

  test("finds the gateway tasks in the environment's Cloud Map namespace and sends to their OTLP/gRPC port", () => {
    expect(generated('prod').config.exporters['load_balancing/gateway'].resolver).toEqual({
      aws_cloud_map: {
        namespace: 'otel.starmates-ai-team-prod.internal',
        service_name: 'otel-gateway',
        port: 4317,
        health_status: 'HEALTHY_OR_ELSE_ALL',
        interval: '15s',
        timeout: '5s',
      },
    });
    expect(generated('staging').config.exporters['load_balancing/gateway'].resolver).toMatchObject({
      aws_cloud_map: { namespace: 'otel.starmates-ai-team-staging.internal' },
    });
  });

  test('queues and retries on the load_balancing exporter, so a failed batch is re-routed, not retried per task', () => {
    const exporter = generated('prod').config.exporters['load_balancing/gateway'];
    expect(exporter).toMatchObject({
      timeout: '10s',
      retry_on_failure: { enabled: true, initial_interval: '1s', max_interval: '10s', max_elapsed_time: '60s' },
      sending_queue: { enabled: true, sizer: 'items', queue_size: 10_000 },
    });
    expect(exporter.protocol).toEqual({
      otlp: {
        tls: { insecure: true },
        timeout: '5s',
        sending_queue: { enabled: false },
        retry_on_failure: { enabled: false },
      },
    });
  });

  test('still sends metrics and logs straight to Grafana Cloud', () => {
    const { pipelines } = generated('prod').config.service;
    expect([pipelines.metrics.exporters, pipelines.logs.exporters]).toEqual([
      ['otlp_http/grafana_cloud'],
      ['otlp_http/grafana_cloud'],
    ]);
  });

  test('a sidecar in an environment without a gateway sends traces straight to Grafana Cloud', () => {
    const { config } = generated('dev');
    expect(config.service.pipelines.traces.exporters).toEqual(['otlp_http/grafana_cloud', 'debug']);
    expect(Object.keys(config.exporters)).not.toContain('load_balancing/gateway');
  });
});

describe('purity', () => {
  test('the same profile gives an equal config every time', () => {
    expect(generated('prod')).toEqual(generated('prod'));
  });
});
