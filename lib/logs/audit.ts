/**
 * The audit trail: how a service marks a log record as an audit event, where the collector sends
 * those records, and the saved query over them. Pure: no CDK.
 *
 * The marker is the `audit.event` field: the `audit` group of the log schema
 * (lib/logs/log-schema.ts), whose `event` names what happened (`login`, `permission_change`,
 * `data_export`). Why a group of its own: the design's schema (3.2) groups context into nested
 * objects read with dot notation (`user.id`, `operation.name`), and an audit event is a kind of
 * record, not a level (`@level` says how bad, not who did what) nor an operation (`operation.name`
 * is every business step, most of which are not audit events). The actor is the record's existing
 * `user.id`. Over OTLP, the SDKs send it as the log attribute `audit.event` (OpenTelemetry names
 * attributes with dotted namespaces; Python's logging handler passes `extra={"audit.event": ...}`
 * through as that attribute), which is the one attribute the collector routes on.
 *
 * Routing: the sidecar's `logs/audit` pipeline (lib/collector/generate.ts) takes every record the
 * SDK sends, drops those without `audit.event`, scrubs the rest like any log record, and writes
 * them to the environment's audit log group with the awscloudwatchlogs exporter, one stream per
 * service. Ordinary records still go to Grafana Cloud only; audit records go to both.
 */

import { serviceLogGroupPrefix } from '../naming';
import { MAX_QUERY_NAME_LENGTH, type SavedQuery, savedQueryFolder } from './queries';

/** The OTLP log attribute that marks an audit event; its value names the event. */
export const AUDIT_EVENT_ATTRIBUTE = 'audit.event';

/** Examples of audit events (design 6.3 and the roadmap: login, permission change, data export). */
export const AUDIT_EVENT_EXAMPLES = ['login', 'login_failed', 'logout', 'permission_change', 'data_export'] as const;

/** The environment's audit log group, `/ecs/<project>-<env>/audit` (reserved: no service may be named `audit`). */
export function auditLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/audit`;
}

/**
 * The default retention of the audit log group, in days: a year in production (the roadmap's
 * "1 year vs 30 days"), the environment's log retention elsewhere.
 */
export const PRODUCTION_AUDIT_RETENTION_DAYS = 365;

export function auditRetentionDays(profile: {
  readonly production: boolean;
  readonly logRetentionDays: number;
  readonly auditLogRetentionDays?: number;
}): number {
  return (
    profile.auditLogRetentionDays ?? (profile.production ? PRODUCTION_AUDIT_RETENTION_DAYS : profile.logRetentionDays)
  );
}

/**
 * The saved query of the audit group. Its events are the awscloudwatchlogs exporter's JSON
 * wrapper (exporter.go, `cwLogBody`: `body`, `severity_text`, `trace_id`, `attributes`,
 * `resource`), not the stdout JSON of the log schema, so its fields are the wrapper's.
 */
export function auditQuery(project: string, environmentName: string): SavedQuery {
  const title = 'Audit events';
  const name = `${savedQueryFolder(project, environmentName)}/${title}`;
  if (name.length > MAX_QUERY_NAME_LENGTH) {
    throw new Error(`Saved query name "${name}" is longer than ${MAX_QUERY_NAME_LENGTH} characters`);
  }
  return {
    title,
    name,
    description:
      'The latest 200 audit events (login, permission change, data export...), who did them and from which service.',
    queryString: [
      `fields @timestamp, attributes.${AUDIT_EVENT_ATTRIBUTE}, attributes.user.id, resource.service.name, body, trace_id`,
      `filter ispresent(attributes.${AUDIT_EVENT_ATTRIBUTE})`,
      'sort @timestamp desc',
      'limit 200',
    ].join('\n| '),
  };
}
