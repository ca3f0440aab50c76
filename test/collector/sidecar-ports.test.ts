import { generateCollectorConfig } from '../../lib/collector/generate';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { SIDECAR_LISTEN_PORTS } from '../../lib/profile-loader/rules';
import { fixtureEnvironments } from '../support/fixture-profiles';

/** Every `host:port` endpoint a config listens on (receivers and extensions). */
function listenPorts(config: Record<string, unknown>): number[] {
  const ports: number[] = [];
  const walk = (value: unknown, key: string) => {
    if (key === 'endpoint' && typeof value === 'string') {
      const port = /:(\d+)$/.exec(value)?.[1];
      if (port !== undefined) ports.push(Number(port));
    } else if (value !== null && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) walk(child, childKey);
    }
  };
  walk({ receivers: config.receivers, extensions: config.extensions }, '');
  return [...new Set(ports)].sort((a, b) => a - b);
}

test("the ports the profile rules keep free for the sidecar are exactly the generated sidecar config's listen ports", () => {
  const profiles = loadEnvironmentProfiles(fixtureEnvironments());
  for (const [name, profile] of Object.entries(profiles)) {
    const { config } = generateCollectorConfig(name, profile, 'sidecar');
    expect(listenPorts(config as unknown as Record<string, unknown>)).toEqual(
      [...SIDECAR_LISTEN_PORTS].sort((a, b) => a - b),
    );
  }
});
