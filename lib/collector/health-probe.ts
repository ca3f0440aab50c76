/**
 * How ECS probes a collector's health endpoint. The contrib image is FROM scratch (no shell, no
 * curl, no wget: opentelemetry-collector-releases, distributions/otelcol-contrib/Dockerfile at
 * v0.159.0), and an ECS health check runs its command inside the container it checks. So a setup
 * container, pinned by digest, copies a static BusyBox into a task volume before the collector
 * starts, and the health check runs that BusyBox's `wget` against the `health_check` extension.
 *
 * BusyBox rather than ADOT's `/healthcheck` binary: the ADOT image is FROM scratch too, so nothing in
 * it can copy its binary into a volume. Pure data and argument lists: nothing here is interpolated
 * into a shell script.
 */
import { HEALTH_CHECK_PORT, QUEUE_STORAGE_DIRECTORY } from './generate';

export interface HealthProbeImage {
  /** The image the setup container runs, by digest. */
  readonly image: string;
  /** Where the digest comes from. */
  readonly source: string;
  /** The static binary the setup container copies. */
  readonly binary: string;
}

/**
 * The official BusyBox image, musl variant: one statically linked binary, so it runs in the
 * collector's image, which has no C library. The digest is the multi-platform index of the
 * `1.37.0-musl` tag (its linux/amd64 image: sha256:29989570…).
 */
export const HEALTH_PROBE_IMAGE: HealthProbeImage = {
  image:
    'docker.io/library/busybox:1.37.0-musl@sha256:fc6dddc4c44b1bfe37f41cae8e67d1693828e8f42a91862816d7953e2c9d3f23',
  source:
    'docker-library/repo-info, repos/busybox/remote/1.37.0-musl.md at commit acdd5a4d4c3173ed401ebf0bb57ea583282c0940',
  binary: '/bin/busybox',
};

/** Where the probe binary lives, in the setup container and (read-only) in the collector's. */
export const PROBE_DIRECTORY = '/otel-probe';

/** The probe binary's path inside the collector container. */
export const PROBE_BINARY = `${PROBE_DIRECTORY}/busybox`;

/**
 * The ECS health check command: GET the health_check extension on the loopback address (where a
 * sidecar's listens; a gateway's listens on every interface, loopback included). `wget` exits
 * non-zero on a refused connection, a timeout (3 s) or a status other than 2xx: the extension answers
 * 503 until the pipelines are ready and after they stop.
 */
export function healthProbeCommand(port: number = HEALTH_CHECK_PORT): string[] {
  return ['CMD', PROBE_BINARY, 'wget', '-q', '-T', '3', '-O', '/dev/null', `http://127.0.0.1:${port}/`];
}

/**
 * What the setup container runs: copy the probe binary, and, where the collector keeps a persistent
 * queue, open its directory to the collector's non-root user. Fargate creates a task volume owned
 * by root with mode 755 (aws/containers-roadmap#938), and ECS cannot set its owner, so the setup
 * container runs as root; it is the volume's owner, so it needs no capability to change the mode.
 * Fixed arguments only.
 */
export function setupCommand(persistentQueue: boolean): string[] {
  if (!persistentQueue) return ['cp', HEALTH_PROBE_IMAGE.binary, PROBE_BINARY];
  // 1777, as /tmp: the collector (10001) writes there, and only this task's containers mount it.
  return ['sh', '-c', `cp ${HEALTH_PROBE_IMAGE.binary} ${PROBE_BINARY} && chmod 1777 ${QUEUE_STORAGE_DIRECTORY}`];
}
