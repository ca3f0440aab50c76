/**
 * How much each log group of an environment ingests a day: the profile's declared volume for the
 * services' own logs, stated assumptions for the rest. Pure.
 */
import { emfLogGroupName, serviceEmfLogGroupName } from '../../lib/collector/cloudwatch';
import { gatewayLogGroupName, serviceLogGroupName, taskEventsLogGroupName } from '../../lib/naming';
import type { EnvironmentProfile } from '../../lib/profile/schema';

/** The application log volume of a service whose profile declares none (`logVolumeGiBPerDay`). */
export const DEFAULT_LOG_VOLUME_GIB_PER_DAY = 1;

export interface LogVolumeAssumptions {
  /** The collector's own log (level info, JSON), per task: a sidecar's, or a gateway task's. */
  readonly collectorMiBPerTaskDay: number;
  /** awsemf's events per task and minute: one per metric batch, every 60 s export. */
  readonly emfBytesPerTaskMinute: number;
  /** Stopped-task events of the whole cluster. */
  readonly taskEventsMiBPerDay: number;
}

export const DEFAULT_LOG_VOLUME_ASSUMPTIONS: LogVolumeAssumptions = {
  collectorMiBPerTaskDay: 5,
  emfBytesPerTaskMinute: 2048,
  taskEventsMiBPerDay: 1,
};

export type LogKind = 'application' | 'collector' | 'EMF metrics' | 'task events';

export interface LogVolume {
  readonly logGroupName: string;
  readonly kind: LogKind;
  readonly gibPerDay: number;
  /** Where the figure comes from. */
  readonly basis: string;
}

const MIB_PER_GIB = 1024;
const MINUTES_PER_DAY = 24 * 60;

export function expectedLogVolumes(
  environmentName: string,
  profile: EnvironmentProfile,
  assumptions: LogVolumeAssumptions = DEFAULT_LOG_VOLUME_ASSUMPTIONS,
): LogVolume[] {
  const services = Object.entries(profile.services);
  const emfGibPerDay = (tasks: number) => (assumptions.emfBytesPerTaskMinute * MINUTES_PER_DAY * tasks) / 1024 ** 3;
  const emfBasis = `assumed ${assumptions.emfBytesPerTaskMinute} B of EMF events per task and minute`;
  const perService = services.flatMap(([name, service]): LogVolume[] => {
    const appLogGroup = serviceLogGroupName(profile.project, environmentName, name);
    const declared = service.logVolumeGiBPerDay;
    const app: LogVolume = {
      logGroupName: appLogGroup,
      kind: 'application',
      gibPerDay: declared ?? DEFAULT_LOG_VOLUME_GIB_PER_DAY,
      basis: declared === undefined ? `default ${DEFAULT_LOG_VOLUME_GIB_PER_DAY} GiB/day` : 'declared in the profile',
    };
    if (!(service.instrumentation ?? true)) return [app];
    const tasks = service.desiredCount ?? 1;
    return [
      app,
      {
        logGroupName: `${appLogGroup}/otel-collector`,
        kind: 'collector',
        gibPerDay: (assumptions.collectorMiBPerTaskDay * tasks) / MIB_PER_GIB,
        basis: `assumed ${assumptions.collectorMiBPerTaskDay} MiB/day per task`,
      },
      // Each service's sidecars write their EMF events to the service's own group.
      {
        logGroupName: serviceEmfLogGroupName(profile.project, environmentName, name),
        kind: 'EMF metrics',
        gibPerDay: emfGibPerDay(tasks),
        basis: emfBasis,
      },
    ];
  });
  // The gateway logs like a sidecar collector, and writes its EMF events to the environment's
  // group; counted at minTasks, its steady state.
  const gateway: LogVolume[] =
    profile.gateway === undefined
      ? []
      : [
          {
            logGroupName: gatewayLogGroupName(profile.project, environmentName),
            kind: 'collector',
            gibPerDay: (assumptions.collectorMiBPerTaskDay * profile.gateway.minTasks) / MIB_PER_GIB,
            basis: `assumed ${assumptions.collectorMiBPerTaskDay} MiB/day per task`,
          },
          {
            logGroupName: emfLogGroupName(profile.project, environmentName),
            kind: 'EMF metrics',
            gibPerDay: emfGibPerDay(profile.gateway.minTasks),
            basis: emfBasis,
          },
        ];
  return [
    ...perService,
    ...gateway,
    {
      logGroupName: taskEventsLogGroupName(profile.project, environmentName),
      kind: 'task events',
      gibPerDay: assumptions.taskEventsMiBPerDay / MIB_PER_GIB,
      basis: `assumed ${assumptions.taskEventsMiBPerDay} MiB/day`,
    },
  ];
}
