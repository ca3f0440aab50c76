import { findCollectorConfigProblems } from '../../lib/collector/checks';
import { PINNED_DISTRIBUTION } from '../../lib/collector/distributions';
import { generateCollectorConfig } from '../../lib/collector/generate';
import { componentType } from '../../lib/collector/model';
import { serializeCollectorConfig } from '../../lib/collector/yaml';
import { localProfile } from '../../lib/local-stack/profile';
import { defaultProfiles, generated } from './support';

const local = () => generateCollectorConfig('local', localProfile(defaultProfiles()), 'local');

describe('the local role', () => {
  test('listens for OTLP on every interface of its container, gRPC 4317 and HTTP 4318', () => {
    expect(local().config.receivers).toEqual({
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
    });
  });

  test('exports traces to Jaeger over plain OTLP/gRPC', () => {
    const { config } = local();
    expect(config.exporters['otlp_grpc/jaeger']).toEqual({ endpoint: 'jaeger:4317', tls: { insecure: true } });
    expect(config.service.pipelines.traces.exporters).toContain('otlp_grpc/jaeger');
  });

  test("serves metrics on a Prometheus exporter on 0.0.0.0:8889, resource attributes as labels, named by the profile's translation strategy", () => {
    const { config } = local();
    expect(config.exporters.prometheus).toEqual({
      endpoint: '0.0.0.0:8889',
      resource_to_telemetry_conversion: { enabled: true },
      translation_strategy: 'UnderscoreEscapingWithSuffixes',
    });
    expect(config.service.pipelines.metrics.exporters).toContain('prometheus');
  });

  test('makes delta metrics cumulative for Prometheus, last, as the sidecar does for Grafana Cloud', () => {
    const { config } = local();
    expect(config.service.pipelines.metrics.processors?.at(-1)).toBe('deltatocumulative');
    expect(config.processors?.deltatocumulative).toEqual(generated('prod').config.processors?.deltatocumulative);
  });

  test('prints logs on the console with the debug exporter, unsampled', () => {
    const { config } = local();
    expect(config.service.pipelines.logs.exporters).toEqual(['debug']);
    expect(config.exporters.debug).toEqual({ verbosity: 'normal' });
  });

  test('prints traces and metrics on the console too, because the dev profile it uses asks for it', () => {
    const { pipelines } = local().config.service;
    expect(pipelines.traces.exporters).toEqual(['otlp_grpc/jaeger', 'debug']);
    expect(pipelines.metrics.exporters).toEqual(['prometheus', 'debug']);
  });

  test('has the same memory limiter and PII processors as the prod sidecar', () => {
    const localProcessors = local().config.processors ?? {};
    const sidecarProcessors = generated('prod').config.processors ?? {};
    for (const id of ['memory_limiter', 'transform/drop_secrets', 'redaction/pii']) {
      expect(localProcessors[id]).toEqual(sidecarProcessors[id]);
    }
  });

  test("runs them in the same order as the prod sidecar, minus the ECS task detection and the task's service name", () => {
    const withoutDetection = (processors: readonly string[] | undefined) =>
      (processors ?? []).filter((id) => id !== 'resource_detection' && id !== 'transform/service_identity');
    const localPipelines = local().config.service.pipelines;
    const sidecarPipelines = generated('prod').config.service.pipelines;
    for (const signal of ['traces', 'metrics', 'logs']) {
      expect(localPipelines[signal].processors).toEqual(withoutDetection(sidecarPipelines[signal].processors));
    }
  });

  test('labels its telemetry as environment local, with the same project attributes as production', () => {
    const attributes = (config: ReturnType<typeof local>['config']) => config.processors?.resource.attributes;
    const sidecar = (attributes(generated('prod').config) as { key: string; value?: string }[])
      .filter((attribute) => attribute.key !== 'tenant.id')
      .map((attribute) =>
        attribute.key === 'deployment.environment.name' ? { ...attribute, value: 'local' } : attribute,
      );
    expect(attributes(local().config)).toEqual(sidecar);
  });

  test('leaves tenant.id alone: only a sidecar, which knows its service, owns that attribute', () => {
    const attributes = (local().config.processors?.resource.attributes ?? []) as { key: string }[];
    expect(attributes.map((attribute) => attribute.key)).not.toContain('tenant.id');
  });

  test(`needs no credentials: no secret, no \${env:} reference, no auth extension`, () => {
    const { config, environment } = local();
    expect(environment).toEqual([expect.objectContaining({ name: 'GOMEMLIMIT', secret: false, readBy: 'runtime' })]);
    expect(serializeCollectorConfig(config, [])).not.toContain(`\${env:`);
    expect(Object.keys(config.extensions ?? {})).toEqual(['health_check']);
    expect(config.service.extensions).toEqual(['health_check']);
  });

  test('sends nothing to Grafana Cloud or CloudWatch and asks no ECS metadata endpoint', () => {
    const { config } = local();
    const types = [...Object.keys(config.exporters), ...Object.keys(config.processors ?? {})].map(componentType);
    expect(types).not.toContain('awsemf');
    expect(types).not.toContain('otlp_http');
    expect(types).not.toContain('resource_detection');
    expect(serializeCollectorConfig(config, [])).not.toMatch(/grafana/i);
  });

  test('passes every check of the generator, for the production distribution', () => {
    const { config, environment, distribution } = local();
    expect(distribution).toBe(PINNED_DISTRIBUTION);
    expect(findCollectorConfigProblems(config, environment, distribution)).toEqual([]);
  });

  test('the same profile gives an equal config every time', () => {
    expect(local()).toEqual(local());
  });
});

describe('the shapes of the local exporters are checked', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the test breaks the typed config on purpose.
  const problemsAfter = (mutate: (exporters: any) => void) => {
    const { config, environment, distribution } = local();
    const broken = structuredClone(config);
    mutate(broken.exporters);
    return findCollectorConfigProblems(broken, environment, distribution);
  };

  test('an otlp_grpc endpoint given as a URL path is refused', () => {
    expect(problemsAfter((exporters) => (exporters['otlp_grpc/jaeger'].endpoint = 'http://jaeger:4317/v1'))).toEqual([
      'exporters.otlp_grpc/jaeger.endpoint: "http://jaeger:4317/v1" is not host:port. gRPC takes no URL path; ' +
        'write host:port such as "jaeger:4317"',
    ]);
  });

  test('a misspelt tls setting of otlp_grpc is named', () => {
    expect(problemsAfter((exporters) => (exporters['otlp_grpc/jaeger'].tls = { insecure_: true }))).toEqual([
      expect.stringMatching(/^exporters\.otlp_grpc\/jaeger\.tls\.insecure_: unknown key/),
    ]);
  });

  test('a prometheus exporter setting of the wrong kind is refused', () => {
    expect(problemsAfter((exporters) => (exporters.prometheus.send_timestamps = 'yes'))).toEqual([
      'exporters.prometheus.send_timestamps: expected true or false, got string "yes". Write true or false',
    ]);
  });
});
