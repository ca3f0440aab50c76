/**
 * What a collector does differently by role, as data. A sidecar shares the task's network
 * namespace and sees one task's telemetry; a gateway receives from many sidecars.
 */
import type { CollectorRole } from './model';

export interface CollectorRoleSettings {
  /** Where receivers and the health check listen. Receivers default to localhost since v0.104. */
  readonly listenHost: string;
  /** Stamp the ECS task onto the telemetry (a gateway would stamp its own task onto everyone's data). */
  readonly detectResources: boolean;
  /** Tail-sample traces: needs every span of a trace in one collector, so only a gateway can. */
  readonly tailSampling: boolean;
}

export const COLLECTOR_ROLES: Readonly<Record<CollectorRole, CollectorRoleSettings>> = {
  sidecar: { listenHost: 'localhost', detectResources: true, tailSampling: false },
  gateway: { listenHost: '0.0.0.0', detectResources: false, tailSampling: true },
};
