import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_TOKEN } from './support/harness';

// The unit tests feed FAKE_TOKEN to obsctl; no recorded output may hold it or anything shaped like it.
const directory = join(__dirname, '__snapshots__');
const snapshots = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.snap')) : [];

describe('no token in the CLI snapshots', () => {
  test('there are snapshots to check', () => {
    expect(snapshots.length).toBeGreaterThan(0);
  });

  test.each(snapshots)('%s holds no token', (name) => {
    const text = readFileSync(join(directory, name), 'utf8');
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toContain(FAKE_TOKEN.slice(4, 30));
    expect(text).not.toMatch(/glc_[A-Za-z0-9+/=_-]{20,}/);
  });
});
