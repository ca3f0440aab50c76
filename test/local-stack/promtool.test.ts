import { promtool } from '../support/promtool';
import { describeWithTool, PROMTOOL } from '../support/system-tool';

// The real promtool on the committed file, as Prometheus would load it. The file references no
// other file, so the check is complete.
const PROMETHEUS_CONFIG = 'collector-config/local/prometheus.yml';

describeWithTool(PROMTOOL, 'promtool', () => {
  test(`check config accepts ${PROMETHEUS_CONFIG}`, async () => {
    expect(await promtool('check', 'config', PROMETHEUS_CONFIG)).toMatch(/SUCCESS/);
  });
});
