/**
 * prometheus.yml of the local stack: one scrape job for the collector's Prometheus exporter, which
 * serves the services' metrics and the collector's own (pushed through its own OTLP receiver, as
 * in production). Self-contained: no rule or file_sd files, so `promtool check config` resolves
 * nothing outside it.
 */
import { LOCAL_PROMETHEUS_EXPORTER_PORT } from '../collector/generate';
import { LOCAL_SERVICES } from './services';

export interface PrometheusStaticConfig {
  readonly targets: readonly string[];
}

export interface PrometheusScrapeConfig {
  readonly job_name: string;
  readonly honor_labels: boolean;
  readonly static_configs: readonly PrometheusStaticConfig[];
}

export interface PrometheusConfig {
  readonly global: { readonly scrape_interval: string; readonly scrape_timeout: string };
  readonly scrape_configs: readonly PrometheusScrapeConfig[];
}

/** The collector's scrape endpoint inside the Compose network. */
export const COLLECTOR_SCRAPE_TARGET = `${LOCAL_SERVICES.collector}:${LOCAL_PROMETHEUS_EXPORTER_PORT}`;

export function localPrometheusConfig(): PrometheusConfig {
  return {
    // SDKs export every 60 s by default; 15 s shows a new value soon after it arrives.
    global: { scrape_interval: '15s', scrape_timeout: '10s' },
    scrape_configs: [
      {
        job_name: LOCAL_SERVICES.collector,
        // The exporter sets job (service.namespace/service.name) and instance (service.instance.id)
        // per series, as Grafana Cloud's OTLP ingestion does; without this Prometheus would rename
        // them exported_job and exported_instance and put its own scrape job there.
        honor_labels: true,
        static_configs: [{ targets: [COLLECTOR_SCRAPE_TARGET] }],
      },
    ],
  };
}
