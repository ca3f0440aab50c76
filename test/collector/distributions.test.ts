import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AWS_OTEL_COLLECTOR,
  KNOWN_DISTRIBUTIONS,
  lookUpComponentType,
  OTELCOL_CONTRIB,
  PINNED_DISTRIBUTION,
} from '../../lib/collector/distributions';
import contribData from '../../lib/collector/distributions/otelcol-contrib-v0.159.0.json';
import { COMPONENT_KINDS } from '../../lib/collector/model';

describe('distributions as data', () => {
  test('the pinned distribution is otelcol-contrib, by an exact image tag', () => {
    expect(PINNED_DISTRIBUTION).toBe(OTELCOL_CONTRIB);
    expect(OTELCOL_CONTRIB.image).toBe(
      'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.159.0',
    );
    expect(OTELCOL_CONTRIB.image.endsWith(`:${OTELCOL_CONTRIB.version}`)).toBe(true);
  });

  test('no image is pinned to latest', () => {
    expect(KNOWN_DISTRIBUTIONS.filter((distribution) => /:latest$/.test(distribution.image))).toEqual([]);
  });

  test.each([
    ['exporters', 'otlp_http', 'otlphttp'],
    ['exporters', 'otlp_grpc', 'otlp'],
    ['exporters', 'load_balancing', 'loadbalancing'],
    ['processors', 'resource_detection', 'resourcedetection'],
  ] as const)('contrib knows %s "%s" by today\'s name and "%s" as a deprecated alias', (kind, current, alias) => {
    expect(lookUpComponentType(OTELCOL_CONTRIB, kind, current)).toEqual({ status: 'current' });
    expect(lookUpComponentType(OTELCOL_CONTRIB, kind, alias)).toEqual({ status: 'deprecated', currentName: current });
  });

  test.each([
    ['processors', 'transform'],
    ['processors', 'redaction'],
    ['extensions', 'basicauth'],
    ['extensions', 'headers_setter'],
  ] as const)('ADOT lacks %s "%s", which contrib has', (kind, type) => {
    expect(lookUpComponentType(AWS_OTEL_COLLECTOR, kind, type)).toEqual({ status: 'missing' });
    expect(lookUpComponentType(OTELCOL_CONTRIB, kind, type)).toEqual({ status: 'current' });
  });

  test('ADOT has no connectors at all', () => {
    expect(AWS_OTEL_COLLECTOR.components.connectors).toEqual([]);
  });

  test('no type is listed twice within a kind of a distribution', () => {
    for (const distribution of KNOWN_DISTRIBUTIONS) {
      for (const kind of COMPONENT_KINDS) {
        const names = distribution.components[kind].flatMap((component) => [
          component.type,
          ...component.deprecatedAliases,
        ]);
        expect([distribution.name, kind, names.length]).toEqual([distribution.name, kind, new Set(names).size]);
      }
    }
  });
});

describe('the pinned distribution agrees with its own release manifest', () => {
  // The manifest of the release, carried unchanged as a fixture with its source in its header.
  const manifest = parse(
    readFileSync(join(__dirname, '../fixtures/otelcol-contrib-v0.159.0-manifest.yaml'), 'utf8'),
  ) as { dist: { version: string } } & Record<string, { gomod: string }[]>;
  const modulesOf = (entries: readonly { module: string; version: string }[]) =>
    entries.map((entry) => `${entry.module} ${entry.version}`).sort();

  test('the manifest is the one of the pinned version', () => {
    expect(manifest.dist.version).toBe(OTELCOL_CONTRIB.version);
  });

  test.each(COMPONENT_KINDS)('%s: the same modules at the same versions', (kind) => {
    expect(modulesOf(contribData.components[kind])).toEqual(manifest[kind].map((entry) => entry.gomod).sort());
  });

  test('the confmap providers: the same modules at the same versions', () => {
    expect(modulesOf(contribData.confmap_providers)).toEqual(manifest.providers.map((entry) => entry.gomod).sort());
  });
});
