import { PINNED_DISTRIBUTION } from '../../lib/collector/distributions';
import { imageVersion } from '../../lib/collector/sdk-environment';
import { localComposeFile } from '../../lib/local-stack/compose';
import { parsedCompose } from './support';

const compose = parsedCompose();
const services = Object.entries(compose.services);

describe('the local Compose file', () => {
  test('runs the collector, Jaeger and Prometheus', () => {
    expect(Object.keys(compose.services)).toEqual(['otel-collector', 'jaeger', 'prometheus']);
  });

  test.each(services)('%s pins its image to an exact tag, never latest', (_name, service) => {
    expect(service.image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(imageVersion(service.image)).not.toBe('latest');
  });

  test('the collector is the image production runs', () => {
    expect(compose.services['otel-collector'].image).toBe(PINNED_DISTRIBUTION.image);
  });

  test('Jaeger is v2, whose single image takes OTLP natively', () => {
    expect(compose.services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
  });

  test('Prometheus is v2 or v3', () => {
    expect(compose.services.prometheus.image).toMatch(/^prom\/prometheus:v[23]\.\d+\.\d+$/);
  });

  test('the collector reads the generated config, mounted read-only where --config points', () => {
    const collector = compose.services['otel-collector'];
    expect(collector.command).toEqual(['--config=/etc/otelcol-contrib/config.yaml']);
    expect(collector.volumes).toEqual([
      { type: 'bind', source: './otel-collector.yaml', target: '/etc/otelcol-contrib/config.yaml', read_only: true },
    ]);
  });

  test('the collector container gets the memory and GOMEMLIMIT of the sidecar', () => {
    const collector = compose.services['otel-collector'];
    expect(collector.mem_limit).toBe('512m');
    expect(collector.environment).toEqual({ GOMEMLIMIT: '409MiB' });
  });

  test('OTLP gRPC 4317, OTLP HTTP 4318 and the exporter 8889 are published for the host', () => {
    expect(compose.services['otel-collector'].ports?.map((port) => port.published)).toEqual([4317, 4318, 8889]);
  });

  test('the Jaeger UI is on 16686, and Jaeger keeps its own OTLP ports inside the Compose network', () => {
    expect(compose.services.jaeger.ports).toEqual([
      { target: 16686, host_ip: '127.0.0.1', published: 16686, protocol: 'tcp' },
    ]);
  });

  test('Prometheus is on 9090 and keeps 7 days of data in a named volume', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus.ports).toEqual([{ target: 9090, host_ip: '127.0.0.1', published: 9090, protocol: 'tcp' }]);
    expect(prometheus.command).toContain('--storage.tsdb.retention.time=7d');
    expect(prometheus.command).toContain('--storage.tsdb.path=/prometheus');
    expect(prometheus.volumes).toContainEqual({ type: 'volume', source: 'prometheus-data', target: '/prometheus' });
    expect(compose.volumes).toEqual({ 'prometheus-data': {} });
  });

  test('Prometheus reads the generated prometheus.yml, mounted read-only', () => {
    const prometheus = compose.services.prometheus;
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(prometheus.volumes).toContainEqual({
      type: 'bind',
      source: './prometheus.yml',
      target: '/etc/prometheus/prometheus.yml',
      read_only: true,
    });
  });

  test('every published port is bound to 127.0.0.1 only', () => {
    const ports = services.flatMap(([, service]) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port.host_ip).toBe('127.0.0.1');
  });

  test('no host port is published twice', () => {
    const published = services.flatMap(([, service]) => (service.ports ?? []).map((port) => port.published));
    expect(new Set(published).size).toBe(published.length);
  });

  test('a collector config that needs a secret is refused: the local stack has no secret store', () => {
    const collector = {
      environment: [{ name: 'API_KEY', secret: true, readBy: 'config', description: 'a token' }],
    } as unknown as Parameters<typeof localComposeFile>[0]['collector'];
    expect(() =>
      localComposeFile({
        collector,
        collectorMemoryMiB: 512,
        collectorConfigFile: 'otel-collector.yaml',
        prometheusConfigFile: 'prometheus.yml',
      }),
    ).toThrow(/needs secrets \(API_KEY\)/);
  });
});
