import { composeSchemaProblems, parsedCompose } from './support';

describe('the Compose Specification JSON Schema', () => {
  test('accepts the generated Compose file', () => {
    expect(composeSchemaProblems(parsedCompose())).toEqual([]);
  });

  test('refuses a Compose file with a misspelt service key', () => {
    const broken = parsedCompose();
    const { image, ...rest } = broken.services.jaeger;
    broken.services.jaeger = { ...rest, imag: image } as unknown as typeof broken.services.jaeger;
    expect(composeSchemaProblems(broken)).toContainEqual(
      expect.stringContaining('must NOT have additional properties'),
    );
  });

  test('refuses a port published as a malformed string', () => {
    const broken = parsedCompose() as unknown as { services: Record<string, { ports: unknown[] }> };
    broken.services.prometheus.ports = ['127.0.0.1:9090:9090:9090'];
    expect(composeSchemaProblems(broken)).toContainEqual(expect.stringContaining('must match format "ports"'));
  });

  test('accepts the short port syntax Compose documents', () => {
    const short = parsedCompose() as unknown as { services: Record<string, { ports: unknown[] }> };
    short.services.prometheus.ports = ['127.0.0.1:9090:9090', '9091:9091/tcp', 9092];
    expect(composeSchemaProblems(short)).toEqual([]);
  });
});
