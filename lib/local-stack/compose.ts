/**
 * docker-compose.yaml of the local stack: the production collector image with the local config,
 * Jaeger for traces, Prometheus for metrics. Every port is published on 127.0.0.1 only.
 */

import type { GeneratedCollectorConfig } from '../collector/generate';
import { LOCAL_PROMETHEUS_EXPORTER_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '../collector/generate';
import { LOCAL_COLLECTOR_IMAGE, LOCAL_JAEGER_IMAGE, LOCAL_PROMETHEUS_IMAGE } from './images';
import { LocalStackError } from './profile';
import {
  COLLECTOR_CONFIG_MOUNT,
  JAEGER_UI_PORT,
  LOCAL_SERVICES,
  PROMETHEUS_CONFIG_MOUNT,
  PROMETHEUS_DATA_MOUNT,
  PROMETHEUS_PORT,
  PROMETHEUS_RETENTION,
  PUBLISHED_HOST_IP,
} from './services';

/** A published port, in the long syntax: the host interface is explicit. */
export interface ComposePort {
  readonly target: number;
  readonly host_ip: string;
  readonly published: number;
  readonly protocol: 'tcp';
}

export interface ComposeBindMount {
  readonly type: 'bind';
  /** Relative to the Compose file's folder. */
  readonly source: string;
  readonly target: string;
  readonly read_only: boolean;
}

export interface ComposeVolumeMount {
  readonly type: 'volume';
  readonly source: string;
  readonly target: string;
}

export interface ComposeService {
  readonly image: string;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  /** Docker's binary units: `512m` is 512 MiB. */
  readonly mem_limit?: string;
  readonly volumes?: readonly (ComposeBindMount | ComposeVolumeMount)[];
  readonly ports: readonly ComposePort[];
  readonly depends_on?: readonly string[];
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, Readonly<Record<string, never>>>>;
}

export interface LocalComposeInput {
  /** The generated `local` collector config: its environment contract becomes the container's. */
  readonly collector: GeneratedCollectorConfig;
  /** The collector container's memory, as the sidecar gets it. */
  readonly collectorMemoryMiB: number;
  /** File names next to the Compose file. */
  readonly collectorConfigFile: string;
  readonly prometheusConfigFile: string;
}

const PROMETHEUS_DATA_VOLUME = 'prometheus-data';

/**
 * @throws LocalStackError when the collector's contract holds a secret: the local stack has no secret store
 */
export function localComposeFile(input: LocalComposeInput): ComposeFile {
  const secrets = input.collector.environment.filter((variable) => variable.secret);
  if (secrets.length > 0) {
    throw new LocalStackError(
      `The local collector config needs secrets (${secrets.map((variable) => variable.name).join(', ')}), ` +
        'but the local stack has no secret store. Send only to local backends',
    );
  }
  const environment = Object.fromEntries(
    input.collector.environment.map((variable) => [variable.name, variable.value ?? '']),
  );
  return {
    services: {
      [LOCAL_SERVICES.collector]: {
        image: LOCAL_COLLECTOR_IMAGE,
        command: [`--config=${COLLECTOR_CONFIG_MOUNT}`],
        environment,
        // The same container size as the sidecar, so memory_limiter and GOMEMLIMIT act as they do there.
        mem_limit: `${input.collectorMemoryMiB}m`,
        volumes: [readOnlyBind(input.collectorConfigFile, COLLECTOR_CONFIG_MOUNT)],
        // OTLP for the services on the host, and the raw exporter output to see what Prometheus scrapes.
        ports: [OTLP_GRPC_PORT, OTLP_HTTP_PORT, LOCAL_PROMETHEUS_EXPORTER_PORT].map((port) => published(port)),
        depends_on: [LOCAL_SERVICES.jaeger],
      },
      // Jaeger's OTLP ports stay inside the Compose network: the host's 4317 is the collector's.
      [LOCAL_SERVICES.jaeger]: {
        image: LOCAL_JAEGER_IMAGE,
        ports: [published(JAEGER_UI_PORT)],
      },
      [LOCAL_SERVICES.prometheus]: {
        image: LOCAL_PROMETHEUS_IMAGE,
        // Replaces the image's default arguments, so the config and data paths are repeated here.
        command: [
          `--config.file=${PROMETHEUS_CONFIG_MOUNT}`,
          `--storage.tsdb.path=${PROMETHEUS_DATA_MOUNT}`,
          `--storage.tsdb.retention.time=${PROMETHEUS_RETENTION}`,
        ],
        volumes: [
          readOnlyBind(input.prometheusConfigFile, PROMETHEUS_CONFIG_MOUNT),
          { type: 'volume', source: PROMETHEUS_DATA_VOLUME, target: PROMETHEUS_DATA_MOUNT },
        ],
        ports: [published(PROMETHEUS_PORT)],
        depends_on: [LOCAL_SERVICES.collector],
      },
    },
    volumes: { [PROMETHEUS_DATA_VOLUME]: {} },
  };
}

function published(port: number): ComposePort {
  return { target: port, host_ip: PUBLISHED_HOST_IP, published: port, protocol: 'tcp' };
}

function readOnlyBind(fileName: string, target: string): ComposeBindMount {
  return { type: 'bind', source: `./${fileName}`, target, read_only: true };
}
