import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PINNED_DISTRIBUTION } from '../../lib/collector/distributions';
import { generateCollectorConfig } from '../../lib/collector/generate';
import { COMPONENT_KINDS, componentType } from '../../lib/collector/model';
import { UPSTREAM_KEYS, upstreamKeyProblems, upstreamKeysMatch } from '../../lib/collector/upstream-keys';
import { localProfile } from '../../lib/local-stack/profile';
import { tenantCollectorConfigs } from '../support/tenant-profiles';
import { defaultProfiles, generated } from './support';

const keyData = JSON.parse(
  readFileSync(join(__dirname, '../../lib/collector/upstream-keys/otelcol-contrib-v0.159.0.json'), 'utf8'),
) as { sources: { repo: string; ref?: string; commit?: string; files?: Record<string, string> }[] };

/** Every config we generate: each environment and role, the local stack, and a gateway with tenants. */
function everyGeneratedConfig() {
  const { gateway, tenants } = tenantCollectorConfigs();
  return [
    ...['dev', 'staging', 'prod'].map((env) => [`${env} sidecar`, generated(env)] as const),
    ...['staging', 'prod'].map((env) => [`${env} gateway`, generated(env, 'gateway')] as const),
    ['local', generateCollectorConfig('local', localProfile(defaultProfiles()), 'local')] as const,
    ['prod gateway with tenants', gateway] as const,
    ...Object.entries(tenants).map(([tenant, config]) => [`prod sidecar of ${tenant}`, config] as const),
  ];
}

describe('upstream keys as data', () => {
  test('the key data describes the pinned distribution', () => {
    expect(upstreamKeysMatch(PINNED_DISTRIBUTION)).toBe(true);
  });

  test('the key data names the core tag and commit it was derived from', () => {
    expect(keyData.sources[0]).toEqual(
      expect.objectContaining({
        repo: 'open-telemetry/opentelemetry-collector',
        ref: 'v0.159.0',
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      }),
    );
  });

  test('every contrib file the key data was derived from names its commit', () => {
    const files = keyData.sources.find(
      (source) => source.repo === 'open-telemetry/opentelemetry-collector-contrib',
    )?.files;
    expect(Object.values(files ?? {}).filter((commit) => !/[0-9a-f]{40}|index file id \d+/.test(commit))).toEqual([]);
    expect(Object.keys(files ?? {}).length).toBeGreaterThan(10);
  });

  test.each(everyGeneratedConfig())('the %s config has 0 keys upstream does not accept', (_name, { config }) => {
    expect(upstreamKeyProblems(config, PINNED_DISTRIBUTION)).toEqual([]);
  });

  test.each(everyGeneratedConfig())('every component type of the %s config is in the key data', (_name, { config }) => {
    const missing = COMPONENT_KINDS.flatMap((kind) =>
      Object.keys(config[kind] ?? {})
        .map(componentType)
        .filter((type) => UPSTREAM_KEYS.components[kind]?.[type] === undefined)
        .map((type) => `${kind}.${type}`),
    );
    expect(missing).toEqual([]);
  });

  test('the keys of a shared config package reach every component that squashes it', () => {
    const otlpHttp = UPSTREAM_KEYS.types[UPSTREAM_KEYS.components.exporters?.otlp_http ?? ''];
    expect(Object.keys(otlpHttp.keys)).toEqual(
      expect.arrayContaining(['endpoint', 'tls', 'headers', 'compression', 'sending_queue', 'retry_on_failure']),
    );
  });
});
