/**
 * What a collector does differently by role, as data. A sidecar shares the task's network
 * namespace and sees one task's telemetry; a gateway receives from many sidecars; a local
 * collector runs in Docker Compose on an engineer's machine (collector-config/local).
 */
import type { CollectorRole } from './model';

/**
 * Where a role sends telemetry: Grafana Cloud and CloudWatch (`cloud`), or the local stack's Jaeger,
 * Prometheus and console (`local`), which needs no credential.
 */
export type CollectorDestination = 'cloud' | 'local';

export interface CollectorRoleSettings {
  /** Where receivers and the health check listen. Receivers default to localhost since v0.104. */
  readonly listenHost: string;
  /**
   * Which telemetry gets the ECS task stamped on (resource_detection): a sidecar's task is the
   * service's, so everything; a gateway's task is its own, so only its own metrics (awsemf names
   * its log stream after the task id), never the traces it relays from everyone else.
   */
  readonly detectResources: 'all' | 'metrics' | 'none';
  /** Tail-sample traces: needs every span of a trace in one collector, so only a gateway can. */
  readonly tailSampling: boolean;
  readonly destination: CollectorDestination;
}

export const COLLECTOR_ROLES: Readonly<Record<CollectorRole, CollectorRoleSettings>> = {
  sidecar: { listenHost: 'localhost', detectResources: 'all', tailSampling: false, destination: 'cloud' },
  gateway: { listenHost: '0.0.0.0', detectResources: 'metrics', tailSampling: true, destination: 'cloud' },
  // Docker publishes ports to the container's own interface, not its loopback, so 0.0.0.0; the
  // Compose file publishes them on the host's 127.0.0.1 only. No ECS task metadata to detect, and
  // no sampling: locally every span is worth seeing.
  local: { listenHost: '0.0.0.0', detectResources: 'none', tailSampling: false, destination: 'local' },
};
