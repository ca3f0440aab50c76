/**
 * The library's signals, one declaration each (docs/design.md, "Signals"). The first seven carry
 * the threshold model the profile's `alertThresholds` override (their ids are its keys, in
 * ALERT_SIGNALS order); the others have thresholds fixed by their form. Pure: no CDK.
 */
import type { SignalDeclaration } from './types';

const WRITTEN_ON_LOSS = 'The counters are written only when something is lost, so silence is no loss.';

/** The edge cases every threshold rule's promtool tests pin: the firing edge, the quiet edge, the window. */
const THRESHOLD_RULE_TESTS: readonly string[] = [
  'fires the window after it goes just above the threshold',
  'stays silent just under the threshold, while another environment is above it',
  'stays silent on a spike shorter than the window',
];

export const SIGNAL_DECLARATIONS: readonly SignalDeclaration[] = [
  {
    id: 'serviceDown',
    title: 'Service down',
    meaning: 'No task of the service is running (CloudWatch), or no task sends telemetry (Prometheus).',
    metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
    thresholds: {
      unit: 'healthy tasks',
      comparison: 'below',
      description: 'fewer healthy tasks than this, for the whole window: the service is down',
      defaults: { critical: { threshold: 1, windowMinutes: 2 } },
      validRange: {
        min: 1,
        integer: true,
        reason: 'no task count is below 0, and the threshold may not exceed desiredCount',
      },
    },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
        statistic: 'Minimum',
        evaluation: 'everyMinuteOfWindow',
        describes: 'running tasks',
        missingData: 'breaching',
        missingDataReason:
          'Container Insights reports every minute while the service has tasks: silence means none run.',
      },
    ],
    promql: {
      kind: 'rule',
      rule: 'silence',
      alerts: { critical: 'ServiceDown' },
      shape: 'absent_over_time(in-flight gauge[2m]) and absent_over_time(request counter[2m]), for = window',
    },
    ruleTests: [
      'fires exactly the window after the range has passed without a push',
      'stays silent when pushes arrive only every range, just often enough',
      'stays silent when fewer pushes than range plus window are missing',
    ],
    dashboard: { kind: 'panel', dashboard: 'service-health', panel: 'Requests per second', thresholdLines: 'none' },
    runbook: { kind: 'sections', sections: ['ServiceDown'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      compositeMember: true,
      prometheus: 'perService',
      reason:
        'An outage of one service: it pages through that service’s Page composite, with the other critical signals of the same outage.',
    },
  },
  {
    id: 'errorRate',
    title: 'Error rate',
    meaning: 'The share of requests answered with a 5xx status.',
    metric: { source: 'catalogue', otelName: 'request_count' },
    thresholds: {
      unit: '%',
      comparison: 'above',
      description: 'share of requests answered with a 5xx status',
      defaults: { critical: { threshold: 10, windowMinutes: 5 }, warning: { threshold: 5, windowMinutes: 10 } },
      validRange: {
        min: 0,
        minExclusive: true,
        max: 100,
        maxExclusive: true,
        reason: 'a share of requests: above 0 fires on any single error, and no rate is above 100 %',
      },
    },
    cloudWatch: [
      {
        kind: 'metricMath',
        expression: '100 * request_errors_total / request_count (the load balancer’s target 5xx share with one)',
        using: {
          errors: { metric: { source: 'catalogue', otelName: 'request_errors_total' }, statistic: 'Sum' },
          requests: { metric: { source: 'catalogue', otelName: 'request_count' }, statistic: 'Sum' },
        },
        evaluation: 'everyMinuteOfWindow',
        describes: 'error rate (%)',
        missingData: 'notBreaching',
        missingDataReason: 'No requests, no errors: a quiet service is not failing.',
      },
    ],
    promql: {
      kind: 'rule',
      rule: 'errorRate',
      alerts: { critical: 'HighErrorRate', warning: 'ElevatedErrorRate' },
      shape: '100 * 5xx rate / request rate over half the window (3-5 m) > threshold, for = window',
    },
    ruleTests: THRESHOLD_RULE_TESTS,
    dashboard: { kind: 'panel', dashboard: 'service-health', panel: '5xx share', thresholdLines: 'perDeployment' },
    runbook: { kind: 'sections', sections: ['HighErrorRate', 'ElevatedErrorRate'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      severities: { warning: 'prometheusOnly' },
      compositeMember: true,
      prometheus: 'perService',
      reason:
        'Users of one service see failures: critical pages through its Page composite (a ratio of two metrics, which a Metrics Insights alarm cannot compute); the warning is ElevatedErrorRate in Grafana Cloud alone, a rule of the same meaning that does not page.',
    },
  },
  {
    id: 'latencyP95',
    title: 'p95 latency',
    meaning: 'The 95th percentile of request duration.',
    metric: { source: 'catalogue', otelName: 'request_duration_seconds' },
    thresholds: {
      unit: 's',
      comparison: 'above',
      description: '95th percentile of request duration',
      defaults: { critical: { threshold: 5, windowMinutes: 5 }, warning: { threshold: 2, windowMinutes: 10 } },
      validRange: {
        min: 0,
        minExclusive: true,
        max: 300,
        reason:
          'every request takes more than 0 s, and a p95 above 5 minutes is a hung request, which serviceDown and the health check catch',
      },
    },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'catalogue', otelName: 'request_duration_seconds' },
        statistic: 'p95',
        evaluation: 'everyMinuteOfWindow',
        describes: 'p95 request duration (s)',
        missingData: 'notBreaching',
        missingDataReason: 'No requests, no latency to judge.',
      },
    ],
    promql: {
      kind: 'rule',
      rule: 'latencyP95',
      alerts: { critical: 'HighLatencyP95', warning: 'ElevatedLatencyP95' },
      shape: 'histogram_quantile(0.95, bucket rate over half the window) > threshold, for = window',
    },
    ruleTests: THRESHOLD_RULE_TESTS,
    dashboard: { kind: 'panel', dashboard: 'service-health', panel: 'Latency', thresholdLines: 'perDeployment' },
    runbook: { kind: 'sections', sections: ['HighLatencyP95', 'ElevatedLatencyP95'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      severities: { warning: 'prometheusOnly' },
      compositeMember: true,
      prometheus: 'perService',
      reason:
        'Users of one service wait: critical pages through its Page composite (a percentile, which Metrics Insights cannot compute); the warning is ElevatedLatencyP95 in Grafana Cloud alone, a rule of the same meaning that does not page.',
    },
  },
  {
    id: 'taskRestarts',
    title: 'Task restarts',
    meaning: 'Tasks of the service that stopped and were replaced within the window.',
    metric: { source: 'aws', namespace: '<project>/<environment>', metricName: 'ecs_task_failures' },
    thresholds: {
      unit: 'restarts',
      comparison: 'above',
      description: 'tasks that stopped (and were replaced) within the window',
      defaults: { critical: { threshold: 3, windowMinutes: 10 } },
      validRange: { min: 0, integer: true, reason: 'a count of stopped tasks' },
    },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'aws', namespace: '<project>/<environment>', metricName: 'ecs_task_failures' },
        statistic: 'Sum',
        evaluation: 'oneWindowPeriod',
        describes: 'failed tasks',
        missingData: 'notBreaching',
        missingDataReason: 'The metric filter writes a data point only when a task fails.',
      },
    ],
    promql: { kind: 'none', reason: 'ECS task state changes never reach Mimir: the CloudWatch alarm covers them.' },
    ruleTests: [],
    dashboard: { kind: 'panel', dashboard: 'infrastructure', panel: 'Task failures', thresholdLines: 'perDeployment' },
    runbook: { kind: 'sections', sections: ['TaskFailures'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      compositeMember: true,
      prometheus: 'none',
      reason: 'A crash loop of one service; only ECS sees it, so it is a CloudWatch alarm in the Page composite.',
    },
  },
  {
    id: 'aiCostPerHour',
    title: 'AI spend',
    meaning: 'AI spend of the environment over the last hour.',
    metric: { source: 'catalogue', otelName: 'ai_cost_total' },
    thresholds: {
      unit: 'USD/h',
      comparison: 'above',
      description: 'AI spend over the last hour',
      defaults: { warning: { threshold: 10, windowMinutes: 60 } },
      validRange: { min: 0, minExclusive: true, reason: 'above 0 USD/h fires whenever the service uses AI at all' },
    },
    cloudWatch: [],
    promql: {
      kind: 'rule',
      rule: 'aiCost',
      alerts: { warning: 'HighAICost' },
      shape: 'sum(increase(ai_cost_total[window])) > budget, no for',
    },
    ruleTests: [
      'fires when the spend over the window passes the budget',
      'stays silent just under the budget, while another environment spends more',
      'stays silent on a burst at twice the pace, shorter than the window',
    ],
    dashboard: { kind: 'panel', dashboard: 'ai-usage', panel: 'AI spend per hour', thresholdLines: 'perEnvironment' },
    runbook: { kind: 'sections', sections: ['HighAICost'] },
    placement: {
      cloudWatch: 'prometheusOnly',
      compositeMember: false,
      prometheus: 'perEnvironment',
      reason:
        'A budget of the environment; ai_cost_total is kept out of EMF to save cost, so only Grafana Cloud watches it.',
    },
  },
  {
    id: 'logGroupGrowth',
    title: 'Log ingestion',
    meaning: "Log ingestion over the window, as a share of the window's part of the daily quota.",
    metric: { source: 'aws', namespace: 'AWS/Logs', metricName: 'IncomingBytes' },
    thresholds: {
      unit: '% of the daily log quota',
      comparison: 'above',
      description: "log ingestion over the window, as a share of the window's part of the daily quota",
      defaults: { warning: { threshold: 80, windowMinutes: 60 } },
      validRange: { min: 0, minExclusive: true, reason: 'above 0 % fires on any log line' },
    },
    cloudWatch: [
      {
        kind: 'metricMath',
        expression: '100 * bytes / (daily quota bytes * window / 1 day)',
        using: {
          bytes: { metric: { source: 'aws', namespace: 'AWS/Logs', metricName: 'IncomingBytes' }, statistic: 'Sum' },
        },
        evaluation: 'oneWindowPeriod',
        describes: 'log ingestion (% of the daily quota, per window)',
        missingData: 'notBreaching',
        missingDataReason: 'No log events, no growth.',
      },
    ],
    promql: { kind: 'none', reason: 'CloudWatch Logs ingestion never reaches Mimir: the CloudWatch alarm covers it.' },
    ruleTests: [],
    dashboard: { kind: 'none', reason: 'A cost signal of CloudWatch Logs; the alarm is its only view.' },
    runbook: { kind: 'sections', sections: ['LogIngestionGrowth'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      compositeMember: true,
      prometheus: 'none',
      reason:
        'A cost warning of one service’s log group, so it does not page by default; a critical override joins the Page composite like any critical signal.',
    },
  },
  {
    id: 'collectorHealth',
    title: 'Collector losses',
    meaning: 'Spans, metric points or log records the collectors failed to send, refused or dropped.',
    metric: { source: 'catalogue', otelName: 'otelcol_exporter_send_failed_spans' },
    thresholds: {
      unit: 'items',
      comparison: 'above',
      description: 'spans, metric points or log records the collector failed to send, refused or dropped',
      defaults: { warning: { threshold: 0, windowMinutes: 5 } },
      validRange: { min: 0, integer: true, reason: 'a count of items; 0 fires on the first lost item' },
    },
    cloudWatch: [
      {
        kind: 'metricMath',
        expression: 'SUM([send failed, enqueue failed, refused] per item kind), period = window',
        using: {},
        evaluation: 'oneWindowPeriod',
        describes: 'items lost by collectors',
        missingData: 'notBreaching',
        missingDataReason: WRITTEN_ON_LOSS,
      },
    ],
    promql: {
      kind: 'rule',
      rule: 'collector',
      alerts: { warning: 'CollectorExportFailures' },
      shape:
        'sum by (service_name, exporter|receiver) (increase(counter[half the window])) > threshold, for = window; one rule per check (export failures, refused, dropped) and item kind',
    },
    ruleTests: [
      'fires the window after it goes just above the threshold, once per collector tier',
      ...THRESHOLD_RULE_TESTS.slice(1),
    ],
    dashboard: {
      kind: 'panel',
      dashboard: 'collector-health',
      panel: 'Telemetry lost',
      thresholdLines: 'perEnvironment',
    },
    runbook: {
      kind: 'sections',
      sections: ['CollectorExportFailures', 'CollectorRefusedData', 'CollectorDroppedData', 'GatewayDataLost'],
    },
    placement: {
      cloudWatch: 'environmentAlarm',
      compositeMember: false,
      prometheus: 'perEnvironment',
      reason:
        'Every sidecar reports under the collector’s service name, so one alarm per environment (and one for the gateway) watches them all; it pages by itself.',
    },
  },
  {
    id: 'gatewayEvictions',
    title: 'Gateway trace evictions',
    meaning: 'Traces the tail-sampling gateway evicted before their sampling decision: lost, errors included.',
    metric: { source: 'catalogue', otelName: 'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early' },
    cloudWatch: [
      {
        kind: 'metricMath',
        expression: 'counted among the gateway’s lost items (collectorHealth thresholds)',
        using: {},
        evaluation: 'oneWindowPeriod',
        describes: 'items lost by the gateway',
        missingData: 'notBreaching',
        missingDataReason: WRITTEN_ON_LOSS,
      },
    ],
    promql: {
      kind: 'rule',
      rule: 'gatewayEvictions',
      alerts: { warning: 'GatewayTracesEvicted' },
      shape: 'sum by (service_name) (increase(evicted[half the window])) > collectorHealth threshold, for = window',
    },
    ruleTests: THRESHOLD_RULE_TESTS,
    dashboard: { kind: 'panel', dashboard: 'collector-health', panel: 'Gateway', thresholdLines: 'none' },
    runbook: { kind: 'sections', sections: ['GatewayTracesEvicted'] },
    placement: {
      cloudWatch: 'gatewayAlarm',
      compositeMember: false,
      prometheus: 'perEnvironment',
      reason: 'Only where the profile has a gateway; it takes the collectorHealth threshold and severity.',
    },
  },
  ...(['availability', 'latency'] as const).map(
    (slo): SignalDeclaration => ({
      id: `sloBurn:${slo}`,
      title: `${slo} SLO burn rate`,
      meaning: `The ${slo} objective's 30-day error budget burns faster than a tier of BURN_RATE_WINDOWS allows.`,
      metric: { source: 'catalogue', otelName: slo === 'availability' ? 'request_count' : 'request_duration_seconds' },
      cloudWatch: [
        {
          kind: 'composite',
          rule: 'ALL(long window alarm, short window alarm) of the fastest critical tier, a term of the service’s Page rule',
          reason:
            'The long window does the job of `for`; the short one ends the alert soon after the burn stops. The AND is written into Page itself: a composite of its own per burn cost $0.50 a month to tell chat which burn broke, which its two window alarms in ALARM show.',
        },
        {
          kind: 'metricMath',
          expression: slo === 'availability' ? '100 * errors / requests' : '100 - PR(:2) of request_duration_seconds',
          using: {},
          evaluation: 'oneWindowPeriod',
          describes: 'bad events (%)',
          missingData: 'notBreaching',
          missingDataReason: 'No requests burn no budget.',
        },
      ],
      promql: {
        kind: 'rule',
        rule: 'burnRate',
        alerts:
          slo === 'availability'
            ? { critical: 'AvailabilitySLOFastBurn', warning: 'AvailabilitySLOSlowBurn' }
            : { critical: 'LatencySLOFastBurn', warning: 'LatencySLOSlowBurn' },
        shape: '(bad ratio over long > tier and bad ratio over short > tier) or ... per tier, summed by service_name',
      },
      ruleTests: [
        'fires in each tier once both windows are above it',
        'stays silent just under',
        'stays silent on a short burst',
      ],
      dashboard: { kind: 'panel', dashboard: 'slos', panel: 'Error budget', thresholdLines: 'none' },
      runbook: {
        kind: 'sections',
        sections:
          slo === 'availability'
            ? ['AvailabilitySLOFastBurn', 'AvailabilitySLOSlowBurn']
            : ['LatencySLOFastBurn', 'LatencySLOSlowBurn'],
      },
      placement: {
        cloudWatch: 'serviceAlarm',
        severities: { warning: 'prometheusOnly' },
        compositeMember: true,
        prometheus: 'perEnvironment',
        reason:
          'The fast (critical) burn pages, so its two window alarms stay per service in CloudWatch, their AND in the Page rule; the slow (warning) burn is a ticket with the same rule in Grafana Cloud, Prometheus only like the middle tier. One Prometheus rule per environment summed by service keeps the ruler’s day-long queries few.',
      },
    }),
  ),
  {
    id: 'collectorHeartbeat',
    title: 'Collector heartbeat',
    meaning: 'Running tasks whose collector sidecar has stopped reporting: their telemetry is lost.',
    metric: { source: 'catalogue', otelName: 'otelcol_process_uptime' },
    cloudWatch: [
      {
        kind: 'metricMath',
        expression: 'running tasks - SUM(uptime)/period (warning), SUM(uptime)/period (critical)',
        using: {},
        evaluation: { periods: 3 },
        describes: 'silent or reporting collectors',
        missingData: 'breaching',
        missingDataReason:
          'Silence is the fault it watches for: the one service alarm that treats missing data as breaching.',
      },
    ],
    promql: {
      kind: 'none',
      reason: 'A dead collector cannot report its own death to Mimir; CloudWatch counts running tasks.',
    },
    ruleTests: [],
    dashboard: { kind: 'panel', dashboard: 'collector-health', panel: 'Heartbeat', thresholdLines: 'none' },
    runbook: { kind: 'sections', sections: ['CollectorHeartbeatLost'] },
    placement: {
      cloudWatch: 'serviceAlarm',
      compositeMember: true,
      prometheus: 'none',
      reason: 'Per service with a collector (and per gateway); without it every other alarm of the service is blind.',
    },
  },
  {
    id: 'unhealthyHosts',
    title: 'Unhealthy targets',
    meaning: 'Load balancer targets of the service failing their health check.',
    metric: { source: 'aws', namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount' },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'aws', namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount' },
        statistic: 'Maximum',
        evaluation: 'everyMinuteOfWindow',
        describes: 'load balancer targets failing their health check',
        missingData: 'notBreaching',
        missingDataReason:
          'The load balancer reports while it has targets registered; none is the service-down alarm’s case.',
      },
    ],
    promql: { kind: 'none', reason: 'Target health is a load balancer fact that never reaches Mimir.' },
    ruleTests: [],
    dashboard: { kind: 'none', reason: 'Shown by the load balancer console.' },
    runbook: { kind: 'sections', sections: [] },
    placement: {
      cloudWatch: 'serviceAlarm',
      compositeMember: false,
      prometheus: 'none',
      reason: 'Only for services behind a target group; a warning, so not a Page member.',
    },
  },
  ...(
    [
      {
        id: 'trafficDrop',
        title: 'Traffic drop',
        severity: 'critical',
        side: 'below',
        alert: 'TrafficDrop',
        meaning: 'The request rate far below its usual band: callers cannot reach the service, or stopped calling.',
        placement:
          'It pages, through the service’s Page composite: the band is a model CloudWatch trains, which no Prometheus rule has (TrafficDrop compares with past weeks instead, a different condition).',
      },
      {
        id: 'trafficSpike',
        title: 'Traffic spike',
        severity: 'warning',
        side: 'above',
        alert: 'TrafficSpike',
        meaning: 'The request rate far above its usual band: a retry storm, a crawler, a launch.',
        placement:
          'A warning kept in CloudWatch: Prometheus’ TrafficSpike is not the same condition (three times each of the last three weeks, silent for a new service’s first three weeks, where the band learns in two).',
      },
    ] as const
  ).map(
    (traffic): SignalDeclaration => ({
      id: traffic.id,
      title: traffic.title,
      meaning: traffic.meaning,
      metric: { source: 'catalogue', otelName: 'request_count' },
      cloudWatch: [
        {
          kind: 'anomalyBand',
          metric: { source: 'catalogue', otelName: 'request_count' },
          statistic: 'Sum',
          periodMinutes: 5,
          label: 'requests',
          standardDeviations: 3,
          sides: { [traffic.severity]: traffic.side },
          evaluation: { periods: 3 },
          describes: 'requests per 5 min',
          missingData: 'notBreaching',
          missingDataReason:
            'With delta temporality an idle service writes no request counts: silence is a quiet hour or an empty dev environment, not a drop. A fall to nothing while tasks run is the Prometheus rule’s to see.',
        },
      ],
      promql: {
        kind: 'rule',
        rule: 'traffic',
        alerts: { [traffic.severity]: traffic.alert },
        shape: 'rate now vs the same moment of each of the last 3 weeks (offset 1w, 2w, 3w), for = window',
      },
      ruleTests: [
        'stays silent on a normal day',
        traffic.side === 'below' ? 'fires on a collapse and on a fall to nothing' : 'fires on a spike',
        'stays silent with less history than the weeks it compares with, and below the usual-rate floor',
      ],
      dashboard: { kind: 'panel', dashboard: 'service-health', panel: 'Requests per second', thresholdLines: 'none' },
      runbook: { kind: 'sections', sections: [traffic.alert] },
      placement: {
        cloudWatch: 'serviceAlarm',
        compositeMember: traffic.severity === 'critical',
        prometheus: 'perService',
        reason: traffic.placement,
      },
    }),
  ),
  {
    id: 'gatewayDown',
    title: 'Gateway down',
    meaning: 'No collector gateway task runs: every trace of the environment is being lost.',
    metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
        statistic: 'Minimum',
        evaluation: { periods: 3 },
        describes: 'running gateway tasks',
        missingData: 'breaching',
        missingDataReason: 'Container Insights reports while tasks run: silence means none does.',
      },
    ],
    promql: {
      kind: 'none',
      reason: 'The gateway forwards the traces; with it down nothing reports its absence to Mimir.',
    },
    ruleTests: [],
    dashboard: { kind: 'none', reason: 'The collector health dashboard shows the gateway’s throughput.' },
    runbook: { kind: 'sections', sections: ['GatewayDown'] },
    placement: {
      cloudWatch: 'gatewayAlarm',
      compositeMember: false,
      prometheus: 'none',
      reason: 'The gateway has no composite: each of its alarms pages by itself.',
    },
  },
  {
    id: 'gatewayBelowMinTasks',
    title: 'Gateway below minTasks',
    meaning: 'Fewer gateway tasks than minTasks: the others carry more traces than their cache was sized for.',
    metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
    cloudWatch: [
      {
        kind: 'metric',
        metric: { source: 'aws', namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount' },
        statistic: 'Minimum',
        evaluation: { periods: 10 },
        describes: 'running gateway tasks',
        missingData: 'breaching',
        missingDataReason: 'Container Insights reports while tasks run: silence means none does.',
      },
    ],
    promql: { kind: 'none', reason: 'Task counts are an ECS fact.' },
    ruleTests: [],
    dashboard: { kind: 'none', reason: 'The collector health dashboard shows the gateway’s throughput.' },
    runbook: { kind: 'sections', sections: ['GatewayBelowMinTasks'] },
    placement: {
      cloudWatch: 'gatewayAlarm',
      compositeMember: false,
      prometheus: 'none',
      reason: 'A warning of the gateway; it pages by itself (bySeverity).',
    },
  },
];
