import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The real promtool (Debian package `prometheus`) on the committed file, as Prometheus would load
// it. Never skipped: CI installs it. The file references no other file, so the check is complete.
const repoRoot = join(__dirname, '..', '..');
const PROMETHEUS_CONFIG = 'collector-config/local/prometheus.yml';

describe('promtool', () => {
  test(`check config accepts ${PROMETHEUS_CONFIG}`, () => {
    const result = spawnSync('promtool', ['check', 'config', PROMETHEUS_CONFIG], { cwd: repoRoot, encoding: 'utf8' });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('promtool is not installed: apt-get install prometheus (Debian/Ubuntu), as .ci/run does.');
    }
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) throw new Error(`promtool check config ${PROMETHEUS_CONFIG} failed:\n${output}`);
    expect(output).toMatch(/SUCCESS/);
  });
});
