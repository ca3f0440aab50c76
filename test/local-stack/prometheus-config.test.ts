import { parse } from 'yaml';
import { LOCAL_PROMETHEUS_EXPORTER_PORT } from '../../lib/collector/generate';
import { localFile } from './support';

const config = parse(localFile('prometheus.yml').content);

describe('the local prometheus.yml', () => {
  test("scrapes the collector's Prometheus exporter by its Compose service name", () => {
    expect(config.scrape_configs).toEqual([
      expect.objectContaining({
        job_name: 'otel-collector',
        static_configs: [{ targets: [`otel-collector:${LOCAL_PROMETHEUS_EXPORTER_PORT}`] }],
      }),
    ]);
  });

  test("keeps the exporter's job and instance labels, as Grafana Cloud's OTLP ingestion sets them", () => {
    expect(config.scrape_configs[0].honor_labels).toBe(true);
  });

  test('references no other file, so promtool checks it whole', () => {
    expect(localFile('prometheus.yml').content).not.toMatch(/_files|file_sd_configs|rule_files/);
  });
});
