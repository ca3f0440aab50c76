/**
 * The collector heartbeat: how a dead or hung collector is noticed. Every collector pushes its own
 * metrics once a minute, `otelcol_process_uptime` among them; CloudWatch receives it as deltas with
 * the ECS task family as its dimension (lib/collector/cloudwatch.ts), so per service
 *   Sum(uptime over a period) / period seconds = the collectors that reported throughout it,
 * which Container Insights' running task count says it should be.
 *
 * Missing data is the fault here, so these alarms treat it as breaching. Every other CloudWatch
 * alarm keeps notBreaching: they watch request-driven signals and counters written only when
 * something is lost, where silence means a quiet service, and breaching on it would page every
 * quiet night. The heartbeat is what pages when that silence comes from a dead collector instead.
 *
 * Pure: numbers and texts shared by the service and gateway alarms, the Prometheus rule and the
 * runbooks.
 */

/** The period each data point covers: five pushes, so one late push does not look like a death. */
export const HEARTBEAT_PERIOD_MINUTES = 5;

/**
 * Consecutive periods before an alarm fires (15 minutes). A new task is counted as running about
 * two minutes before its collector's first delta arrives (the first cumulative point only sets the
 * start), and a period's sum is off by up to one push per collector at its edges; three periods in a
 * row ride out a rolling deployment, not a collector that stays silent.
 */
export const HEARTBEAT_EVALUATION_PERIODS = 3;

/**
 * Warning: at least this many collectors (running tasks minus reporting collectors) are silent.
 * One silent collector of N shows as 1; edge effects and starting tasks stay below a half.
 */
export const SILENT_COLLECTORS_THRESHOLD = 0.5;

/** Critical: fewer collectors than this report at all: the service's own alarms are blind. */
export const REPORTING_COLLECTORS_THRESHOLD = 0.5;

/** The period in seconds, the divisor that turns summed uptime into collectors. */
export const HEARTBEAT_PERIOD_SECONDS = HEARTBEAT_PERIOD_MINUTES * 60;
