/**
 * A short runbook for every alert this package makes: what it means, the first three things to
 * check, how to mitigate. The Prometheus alerts by name (every rule links to its section through
 * `runbook_url`, and the CloudWatch alarm over the same signal ends its description with the same
 * link), then the CloudWatch alarms that have no Prometheus counterpart because they watch AWS-side
 * facts (tasks, log ingestion, notification deliveries, the collectors' own heartbeat). Data, so
 * `npm run generate` renders it into docs/reference/runbooks.md (lib/docs/runbooks.ts).
 */

import { TRAFFIC_ANOMALY_RUNBOOKS } from './traffic-anomaly-runbooks';

/** Where the repository's files are browsed; runbook URLs point into its generated docs. */
export const REPOSITORY_BLOB_URL = 'https://github.com/starmates-ai-team/cdk-otel-observability/blob/main';

/** The generated runbook page, relative to the repository root. */
export const RUNBOOKS_PATH = 'docs/reference/runbooks.md';

export const ALERT_NAMES = [
  'ServiceDown',
  'HighErrorRate',
  'ElevatedErrorRate',
  'HighLatencyP95',
  'ElevatedLatencyP95',
  'AvailabilitySLOFastBurn',
  'AvailabilitySLOSlowBurn',
  'LatencySLOFastBurn',
  'LatencySLOSlowBurn',
  'HighAICost',
  'CollectorExportFailures',
  'CollectorRefusedData',
  'CollectorDroppedData',
  'GatewayTracesEvicted',
  'TrafficDrop',
  'TrafficSpike',
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];

/** CloudWatch alarms with no Prometheus rule: what they watch exists only on the AWS side. */
export const CLOUDWATCH_ONLY_ALARMS = [
  'ServicePage',
  'TaskFailures',
  'LogIngestionGrowth',
  'CollectorHeartbeatLost',
  'GatewayDown',
  'GatewayBelowMinTasks',
  'GatewayDataLost',
  'NotificationsUndelivered',
  'DeadLetterRedriveFailed',
] as const;

export type CloudWatchOnlyAlarm = (typeof CLOUDWATCH_ONLY_ALARMS)[number];

/**
 * Every section of the runbooks page: the library's alerts and alarms, and the sections of signals
 * declared with their own runbook text (lib/signals), named after their alerts.
 */
export type RunbookName = AlertName | CloudWatchOnlyAlarm | (string & {});

export interface Runbook {
  /** What the alert says about the system, in one or two sentences. */
  readonly meaning: string;
  /** The first three things to look at, in order. */
  readonly checks: readonly [string, string, string];
  /** How to stop the damage before the root cause is fixed. */
  readonly mitigation: string;
}

/** `servicedown`: the anchor GitHub gives the heading `## ServiceDown`. */
export function runbookAnchor(name: RunbookName): string {
  return name.toLowerCase();
}

/** `…/docs/reference/runbooks.md#servicedown`: the generated runbook of the alert. */
export function runbookUrl(name: RunbookName): string {
  return `${REPOSITORY_BLOB_URL}/${RUNBOOKS_PATH}#${runbookAnchor(name)}`;
}

/**
 * The sentence a CloudWatch alarm's description ends with. For a signal that Prometheus watches
 * too, the runbook of that alert: one runbook for both, whichever fires first.
 */
export function runbookSentence(name: RunbookName | undefined): string {
  return name === undefined ? '' : ` Runbook: ${runbookUrl(name)}`;
}

const ERROR_RATE_CHECKS: Runbook['checks'] = [
  'Grafana, service health dashboard: which endpoints and status codes carry the 5xx, and since when; compare with the last deployment time.',
  'Tempo: open a few error traces of the service (status = error) and find the failing span: the service itself, a downstream service, the database or an AI provider.',
  'CloudWatch Logs Insights: ERROR records of the service around the start time, grouped by error.type; follow a tracking_id into its trace.',
];

const LATENCY_CHECKS: Runbook['checks'] = [
  'Grafana, service health dashboard: which endpoints are slow (p95 by endpoint) and whether request rate or active requests rose at the same time.',
  'Tempo: slow traces of the service (duration above the threshold): which span takes the time, the service, a downstream call or an AI model.',
  'ECS: CPU and memory of the tasks and the running task count; a saturated or shrunken service queues requests.',
];

const COLLECTOR_CHECKS: Runbook['checks'] = [
  'Grafana, collector health dashboard ("Telemetry lost"): which tier lost data (the alert\'s service_name: otelcol-contrib are the sidecars, otel-gateway the gateway), in which pipeline (traces, metrics, logs) and at which exporter or receiver.',
  "CloudWatch Logs: the collector's log stream (JSON, level info and above), the sidecar container's in the service's log group or the gateway's log group `/ecs/<project>-<env>/otel-gateway`: export errors, HTTP status codes from Grafana Cloud, connection errors to the gateway, memory limiter messages.",
  'Grafana Cloud: the usage and rate-limit pages of the stack, and whether the access-policy token in SSM is still valid.',
];

export const RUNBOOKS: Readonly<Record<AlertName, Runbook>> = {
  ServiceDown: {
    meaning:
      'No request metrics and no in-flight gauge have reached Grafana Cloud from the service for the whole window: every task is stopped or unhealthy, or its telemetry path (SDK, sidecar collector, Grafana Cloud) is broken.',
    checks: [
      'ECS console or `aws ecs describe-services`: running versus desired task count, recent service events and the stopped reason of the last tasks.',
      'CloudWatch Logs: the application and collector log streams of the newest task; a crash loop, a failed health check or a collector that cannot start.',
      'Grafana: whether other services of the environment still report; if none does, suspect the Grafana Cloud credentials or endpoint rather than the service.',
    ],
    mitigation:
      'Roll back the last deployment or restart the service (`aws ecs update-service --force-new-deployment`); if only telemetry is missing, fix the collector or its credentials and confirm traffic on the load balancer.',
  },
  HighErrorRate: {
    meaning:
      'The share of requests answered with a 5xx status has stayed above the critical threshold for the window: users are seeing failures now.',
    checks: ERROR_RATE_CHECKS,
    mitigation:
      'Roll back a recent deployment, turn off the feature flag involved, or fail over or rate-limit the failing dependency; page the owning team if it is a downstream service.',
  },
  ElevatedErrorRate: {
    meaning:
      'The 5xx share has stayed above the warning threshold for the window: not yet an outage, but more failures than normal.',
    checks: ERROR_RATE_CHECKS,
    mitigation:
      'Find the failing endpoint and decide before it grows: roll back, fix forward or open a ticket; watch whether it approaches the critical threshold.',
  },
  HighLatencyP95: {
    meaning:
      'The 95th percentile of request duration has stayed above the critical threshold for the window: one request in twenty is very slow.',
    checks: LATENCY_CHECKS,
    mitigation:
      'Scale the service out (desired count), roll back a recent deployment, or shed load from the slow dependency (timeouts, circuit breaker, cheaper AI model).',
  },
  ElevatedLatencyP95: {
    meaning: 'The 95th percentile of request duration has stayed above the warning threshold for the window.',
    checks: LATENCY_CHECKS,
    mitigation:
      'Find the slow endpoint or dependency and fix or scale before it reaches the critical threshold; open a ticket when it is expected load.',
  },
  AvailabilitySLOFastBurn: {
    meaning:
      "5xx responses are consuming the availability objective's 30-day error budget (99.9 %) so fast that 2 % of it is gone within an hour (or 5 % within six hours): at this pace the month's budget is exhausted in days.",
    checks: ERROR_RATE_CHECKS,
    mitigation: 'Treat it as an incident: roll back or fail over first, investigate second.',
  },
  AvailabilitySLOSlowBurn: {
    meaning:
      "5xx responses have consumed the availability error budget at three times the sustainable pace over the last day: 10 % of the month's budget per day.",
    checks: ERROR_RATE_CHECKS,
    mitigation:
      'Open a ticket for the service owner: find the steady source of errors (an endpoint, a client, a dependency) and fix it within days.',
  },
  LatencySLOFastBurn: {
    meaning:
      'Requests slower than the latency objective (2 s, 95 % of requests) are consuming its error budget so fast that 2 % of the 30-day budget is gone within an hour (or 5 % within six hours).',
    checks: LATENCY_CHECKS,
    mitigation: 'Treat it as an incident: scale out, roll back or shed the slow dependency first, investigate second.',
  },
  LatencySLOSlowBurn: {
    meaning:
      "Requests slower than the latency objective have consumed its error budget at three times the sustainable pace over the last day: 10 % of the month's budget per day.",
    checks: LATENCY_CHECKS,
    mitigation:
      'Open a ticket for the service owner: find the endpoints that drift above 2 s and fix them (queries, payload sizes, AI model choice) within days.',
  },
  HighAICost: {
    meaning:
      "The environment's AI spend (ai_cost_total, all models and services) over the last hour is above the budget.",
    checks: [
      'Grafana, AI model usage dashboard: cost and tokens by model; which model and which token type (input or output) grew.',
      'Grafana: ai_requests_total by service and model; a retry loop or a runaway workflow shows as a request spike from one service.',
      'Tempo: recent traces with AI model spans from the service that spends most: prompt sizes, repeated calls, the workflow that triggers them.',
    ],
    mitigation:
      'Stop the runaway caller (scale the workflow service to zero, disable the workflow or feature flag), switch to a cheaper model, or raise the budget in cdk.json if the spend is intended.',
  },
  CollectorExportFailures: {
    meaning:
      "Collectors (the sidecars, or the gateway where the environment has one) have failed to send spans, metric points or log records after their retries, for the whole window: that telemetry is lost. The gateway and the sidecars send to Grafana Cloud, except the sidecars' traces, which go to the gateway where there is one.",
    checks: COLLECTOR_CHECKS,
    mitigation:
      'Fix the credentials or endpoint (SSM parameters, then restart the tasks); if Grafana Cloud rate-limits, lower the sampling ratio or the log volume in cdk.json. Sidecars failing at exporter load_balancing/gateway: make sure gateway tasks run and are healthy (its no-task alarm, the ECS service otel-gateway).',
  },
  CollectorRefusedData: {
    meaning:
      "Collectors' receivers have refused data for the whole window, usually because the memory limiter is active: the sidecars refuse the services' exports, the gateway the sidecars' traces, and that telemetry is lost.",
    checks: COLLECTOR_CHECKS,
    mitigation:
      'Give the collector more memory (collector.memoryMiB for the sidecars, gateway.memoryMiB for the gateway, in cdk.json) or the gateway more tasks (gateway.minTasks), lower the telemetry volume (sampling ratio, log level), then redeploy.',
  },
  CollectorDroppedData: {
    meaning:
      "Collectors' sending queues have been full for the whole window, so new batches are dropped: the exporter cannot keep up with Grafana Cloud (or, for the sidecars' traces, with the gateway).",
    checks: COLLECTOR_CHECKS,
    mitigation:
      'Fix a slow or failing export first (see CollectorExportFailures); otherwise lower the telemetry volume or give the collector more memory for a larger queue.',
  },
  GatewayTracesEvicted: {
    meaning:
      "The gateway's tail sampler has evicted traces from its trace cache before their sampling decision, for the whole window: more traces arrived within decision_wait than num_traces holds per task, so those traces are lost, errors and slow ones included.",
    checks: [
      "Grafana, collector health dashboard, gateway row: new traces per second against the profile's gateway.expectedTracesPerSecond, traces held per task against num_traces, and whether one task or every task evicts (uneven trace-id hashing, a task set that just changed).",
      "ECS: the otel-gateway service's running tasks against minTasks and maxTasks, CPU and memory against the scaling targets (60 %, 55 %), recent scaling events; a tier stuck at maxTasks or just scaled in puts more traces on each task.",
      'Traffic: whether a service started more traces, or longer ones (spans per trace above gateway.spansPerTrace), since its last deployment; the gateway log group `/ecs/<project>-<env>/otel-gateway` for memory limiter messages and restarts.',
    ],
    mitigation:
      "Now: run more gateway tasks (raise the ECS service's desired count or its auto-scaling minimum, up to maxTasks): each task then receives fewer traces for the same num_traces. Then raise num_traces through the profile: set gateway.expectedTracesPerSecond to the observed rate (num_traces = expectedTracesPerSecond / minTasks x decisionWaitSeconds x 2), give gateway.memoryMiB (or cpu, minTasks) what the profile check then asks for, raise maxTasks if the tier ran at it, regenerate and deploy.",
  },
  ...TRAFFIC_ANOMALY_RUNBOOKS,
};

const GATEWAY_TASK_CHECKS: Runbook['checks'] = [
  'ECS console or `aws ecs describe-services --services otel-gateway`: running versus desired tasks, the service events (placement, image pull, secrets) and the stopped reason of the last tasks.',
  "CloudWatch Logs: the gateway log group `/ecs/<project>-<env>/otel-gateway`, the newest task's stream: a configuration error at start, a missing SSM parameter, memory limiter messages before an out-of-memory stop.",
  'Grafana, collector health dashboard, gateway row: whether the sidecars report export errors to `load_balancing/gateway` (their traces wait in their queues, then are dropped).',
];

/** The CloudWatch-only alarms' runbooks; the order is the page's. */
export const CLOUDWATCH_ONLY_RUNBOOKS: Readonly<Record<CloudWatchOnlyAlarm, Runbook>> = {
  ServicePage: {
    meaning:
      "The service's paging composite alarm: at least one of its critical alarms (running tasks, error rate, p95 latency, failed tasks, collector heartbeat, traffic drop) is in ALARM, or an SLO burns fast: both window alarms of its fastest burn rate (`slo-<objective>-burn<rate>-long` and `-short`) are in ALARM. It is the only alarm of a service that pages; its critical children route to the warning topic, the SLO window alarms to info.",
    checks: [
      'CloudWatch console, the composite alarm: which child alarms are in ALARM (the alarm rule and the history tab name them).',
      "Open the runbook linked in that child's description and follow it.",
      'Whether other services of the environment page at the same time: a shared cause (the gateway, Grafana Cloud credentials, the cluster) is then likelier than the service.',
    ],
    mitigation:
      "Mitigate as the child's runbook says. To silence a known cause during the fix, disable the composite's actions (`aws cloudwatch disable-alarm-actions`) and enable them again afterwards.",
  },
  TaskFailures: {
    meaning:
      "ECS stopped more of the service's tasks than the threshold within the window because they failed: an essential container exited, the task failed to start or failed its health checks. Deployments and scale-in are not counted.",
    checks: [
      "The environment's task-events log group (`/ecs/<project>-<env>/ecs-task-events`) or `aws ecs describe-tasks` on stopped tasks: stopCode, stoppedReason and each container's exit code and reason.",
      "CloudWatch Logs: the application container's last lines in a failed task's stream (crash, out of memory, a missing secret or configuration value).",
      'Whether a deployment is in progress or just finished (ECS service events, the deployment circuit breaker): a new task definition that cannot start rolls back by itself.',
    ],
    mitigation:
      'Roll back to the last task definition that ran (`aws ecs update-service --task-definition <previous>`), or fix the cause the stopped reason names (memory limit, secret, health-check path) and redeploy.',
  },
  LogIngestionGrowth: {
    meaning:
      "The service's application log group ingested more than the threshold's share of its daily log quota (5 GiB unless the ServiceAlarms construct is given another dailyLogQuotaGiB) within the window: at that pace the day's CloudWatch Logs cost is above budget.",
    checks: [
      "CloudWatch Logs Insights on the service's log group: `stats count(*) by level, logger` over the window; which logger or message repeats.",
      "Whether the application's log level changed in the last deployment (debug logging left on).",
      'Whether traffic rose in proportion (request rate on the service health dashboard): more requests, more logs, no bug.',
    ],
    mitigation:
      'Set the log level back to info, or drop the noisy logger, and redeploy; raise the quota if the volume is expected.',
  },
  CollectorHeartbeatLost: {
    meaning:
      "Collectors of the service (or of the gateway) stopped reporting their uptime: the warning when at least one running task's collector is silent, the critical when none reports. Those tasks' traces, metrics and logs are lost, and the alarms fed by them cannot fire.",
    checks: [
      "ECS: the task's containers; the collector container's health status and restart count (it is non-essential, so the application keeps running without it).",
      "CloudWatch Logs: the collector's log group `/ecs/<project>-<env>/<service>/otel-collector` (the gateway's: `/ecs/<project>-<env>/otel-gateway`): a configuration error at start, the memory limiter, an export that cannot authenticate.",
      'Grafana, collector health dashboard: whether other services lost their collectors at the same time (a bad collector image or configuration rolled out everywhere) or only this one.',
    ],
    mitigation:
      'Force a new deployment of the service (`aws ecs update-service --force-new-deployment`) to restart the tasks; if the collector fails at start, roll back the collector image or configuration in cdk.json and redeploy.',
  },
  GatewayDown: {
    meaning:
      "No collector gateway task has run for three minutes: the sidecars' traces have nowhere to go, and after their queues fill every trace of the environment is lost. Metrics and logs are unaffected (the sidecars send them directly).",
    checks: GATEWAY_TASK_CHECKS,
    mitigation:
      'Make the gateway run: fix what the stopped reason names (image, SSM parameter, memory), or roll back the last gateway change; raise the desired count by hand if auto-scaling is stuck at zero.',
  },
  GatewayBelowMinTasks: {
    meaning:
      'Fewer collector gateway tasks than the sized minimum (gateway.minTasks) have run for ten minutes: the remaining tasks hold more traces than their cache is sized for and may evict traces before their sampling decision.',
    checks: GATEWAY_TASK_CHECKS,
    mitigation:
      'Bring the tier back to its minimum (fix what stops the tasks, or raise the desired count); watch the gateway data-lost and traces-evicted alerts until it recovers.',
  },
  GatewayDataLost: {
    meaning:
      'The collector gateway lost more items than the threshold within the window: exports that failed after their retries, spans its receiver refused, or traces evicted before their sampling decision. Each of those has its own Prometheus alert with a more precise runbook.',
    checks: [
      'Grafana, collector health dashboard, gateway row: which of the three counters rose (failed exports, refused spans, evicted traces).',
      'For failed exports, the CollectorExportFailures runbook; for refused spans, CollectorRefusedData; for evicted traces, GatewayTracesEvicted.',
      'ECS: the gateway tasks running against minTasks, and their memory: a tier short of tasks or memory refuses and evicts first.',
    ],
    mitigation:
      'Follow the runbook of the counter that rose; in every case, more gateway tasks (desired count, up to maxTasks) relieve each task at once.',
  },
  NotificationsUndelivered: {
    meaning:
      "SNS could not deliver alarm notifications to an endpoint (the on-call webhook, the heartbeat, the chat or the e-mail subscription) after its retries, and parked them in the subscription's dead-letter queue: the people that alarm should reach have not heard of it.",
    checks: [
      'SQS console: read the messages in the queue the alarm names; they are the alarm notifications that did not arrive, with the alarm names and times.',
      "The endpoint: the webhook's URL in Secrets Manager (`obsctl credentials put-webhook` writes it), its HTTP status from a manual request, the integration's state in Grafana OnCall or the chat tool.",
      'SNS: the subscription is confirmed and its delivery policy; `NumberOfNotificationsFailed` on the topic since when.',
    ],
    mitigation:
      'Tell the on-call engineer directly about the alarms in the queue, fix the endpoint (rotate the URL with `obsctl credentials put-webhook` and redeploy), then redrive the queue to the topic or purge it.',
  },
  DeadLetterRedriveFailed: {
    meaning:
      "SNS failed to deliver notifications of the alarm topics and then also failed to move them into the subscription's dead-letter queue (NumberOfNotificationsFailedToRedriveToDlq): those alerts are gone, and the dead-letter alarms cannot count them.",
    checks: [
      'SNS console, the topics (critical, warning, info, heartbeat): NumberOfNotificationsFailedToRedriveToDlq by topic, to find which subscriptions fail.',
      'SQS: the dead-letter queue of that subscription exists and its queue policy admits sns.amazonaws.com for the topic (aws:SourceArn).',
      "KMS: the environment's key is enabled and its policy lets sns.amazonaws.com use it for the dead-letter queues (a key disabled or a policy edited by hand refuses SNS).",
    ],
    mitigation:
      'Restore the queue or the policy (redeploying the platform stack rewrites both), and tell the on-call engineer about alarms of the period: CloudWatch alarm history holds them.',
  },
};
