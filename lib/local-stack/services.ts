/**
 * The services of the local stack: their Compose names (also their host names inside the Compose
 * network), the ports published on the host, and where config files are mounted.
 */
import { LOCAL_JAEGER_HOST } from '../collector/generate';

export const LOCAL_SERVICES = {
  collector: 'otel-collector',
  // The collector config sends traces to this host name, so the two must be the same constant.
  jaeger: LOCAL_JAEGER_HOST,
  prometheus: 'prometheus',
} as const;

/** The only interface host ports are published on: the stack has no authentication. */
export const PUBLISHED_HOST_IP = '127.0.0.1';

export const JAEGER_UI_PORT = 16686;
export const PROMETHEUS_PORT = 9090;

/** Where the contrib image reads its config (its default `--config`). */
export const COLLECTOR_CONFIG_MOUNT = '/etc/otelcol-contrib/config.yaml';
export const PROMETHEUS_CONFIG_MOUNT = '/etc/prometheus/prometheus.yml';
/** The Prometheus image's data directory (its WORKDIR), kept in a named volume across restarts. */
export const PROMETHEUS_DATA_MOUNT = '/prometheus';

/** How long Prometheus keeps samples: a week of local history is plenty, and bounds the disk it uses. */
export const PROMETHEUS_RETENTION = '7d';
