import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BURN_RATE_ALERTS, SERVICE_ALERTS } from '../alerting/prometheus-rules';
import { type RunbookName, runbookSentence } from '../alerting/runbooks';
import {
  BURN_RATE_WINDOWS,
  type BurnRateWindow,
  burnRateThreshold,
  resolveThresholds,
  SERVICE_LEVEL_OBJECTIVES,
  type ServiceLevelObjective,
  type Threshold,
} from '../alerting/thresholds';
import { cloudWatchNamespace } from '../collector/cloudwatch';
import { alarmName, TASK_FAILURES_METRIC } from '../naming';
import type { AlertSignal, Severity } from '../profile/schema';
import { AlarmFactory, type AlarmIdentity } from './alarm-factory';
import { CollectorHeartbeatAlarms } from './collector-heartbeat-alarms';
import { type EmfSource, emfMetric, errorRatePercent } from './emf-metrics';
import type { IObservabilityPlatform } from './platform';
import { sourceTokenValue } from './source-token';

/** The daily log volume a service's log group is sized for; the logGroupGrowth threshold is a share of it. */
export const DEFAULT_DAILY_LOG_QUOTA_GIB = 5;

const GIB = 1024 ** 3;

/** The signals whose alarms have no Prometheus counterpart, and their own runbooks. */
const CLOUDWATCH_ONLY_RUNBOOK: Partial<Record<AlertSignal, RunbookName>> = {
  taskRestarts: 'TaskFailures',
  logGroupGrowth: 'LogIngestionGrowth',
};

/**
 * The runbook of a signal's alarm: the Prometheus alert of the same signal and severity, else of
 * the same signal (a warning on running tasks is read like ServiceDown), else its CloudWatch-only one.
 */
function signalRunbook(signal: AlertSignal, severity: Severity): RunbookName | undefined {
  const alerts = SERVICE_ALERTS[signal];
  return alerts?.[severity] ?? alerts?.critical ?? alerts?.warning ?? CLOUDWATCH_ONLY_RUNBOOK[signal];
}

export interface ServiceAlarmsProps {
  readonly platform: IObservabilityPlatform;
  /** `service.name` of the service's telemetry and its ECS service name. */
  readonly serviceName: string;
  readonly service: ecs.IBaseService;
  /** The application's log group, watched for growth. */
  readonly appLogGroup: logs.ILogGroup;
  /**
   * The thresholds to alarm on.
   * @default - the threshold model for this service: defaults, then the profile's overrides
   */
  readonly thresholds?: readonly Threshold[];
  /**
   * The daily log volume the service's log group is sized for.
   * @default DEFAULT_DAILY_LOG_QUOTA_GIB
   */
  readonly dailyLogQuotaGiB?: number;
  /**
   * The ECS task family of the service's tasks, whose collector sidecars report the heartbeat.
   * @default - no heartbeat alarms: the service runs no collector
   */
  readonly collectorTaskFamily?: string;
  /**
   * The load balancer's target group of the service. With it, the error-rate and p95 latency alarms
   * watch the target group's metrics (what callers saw, whatever the application reports), and an
   * unhealthy-hosts alarm is added.
   * @default - no load balancer: error rate and latency from the collector's EMF metrics
   */
  readonly targetGroup?: elbv2.IApplicationTargetGroup;
  /**
   * Whether the service's cluster runs Container Insights, which the service-down and collector
   * heartbeat alarms read (`RunningTaskCount`). Without it, those alarms are not created (one that
   * treats missing data as breaching would page forever) and synth warns.
   * @default - read from the cluster when it is an `ecs.Cluster` of this app; true for an imported
   *   cluster (the platform's cluster runs it)
   */
  readonly containerInsights?: boolean;
}

/** The id of the synth warning for a cluster without Container Insights (acknowledge it by this id). */
export const NO_CONTAINER_INSIGHTS_WARNING_ID = '@starmates/cdk-otel-observability:noContainerInsights';

/** How long a target may stay unhealthy before the warning fires (minutes). */
export const UNHEALTHY_HOSTS_WINDOW_MINUTES = 5;

/**
 * The CloudWatch alarms of one observed service, from the threshold model, routed by severity.
 *
 * Which signal backs which alarm:
 * - service down: Container Insights `RunningTaskCount` (tasks whose essential containers pass
 *   their health checks stay running; failing ones are stopped and replaced);
 * - error rate: `request_errors_total / request_count` from the collector's EMF metrics (metric math);
 * - p95 latency: `request_duration_seconds` p95 (an exponential histogram, so CloudWatch has percentiles);
 * - task restarts: failed tasks counted from ECS task state-change events (`TaskFailureEvents`);
 * - log growth: `AWS/Logs IncomingBytes` of the app log group against its daily quota;
 * - SLOs: multi-window burn rates of the error ratio and of the share of requests over 2 s
 *   (`PR(:2)`, percentile rank);
 * - collector heartbeat (services with a collector): running tasks against the collectors whose
 *   `otelcol_process_uptime` arrives (lib/alerting/collector-heartbeat.ts). The one alarm that
 *   treats missing data as breaching: silence is the fault it watches for; the others stay
 *   notBreaching, since for them silence is a quiet service.
 * AI spend has no CloudWatch metric (it is kept out of EMF to save cost): its alert is the
 * Prometheus rule `HighAICost` in Grafana Cloud.
 *
 * Routing (AlarmFactory, strategy `pageThroughComposite`): warnings and infos go to their topics.
 * Critical signals go to the warning topic one by one (the team sees which signal broke, in chat)
 * and page once, through the service's composite alarm `Page` (strategy `bySeverity`, critical), which
 * also notifies when the service is OK again.
 */
export class ServiceAlarms extends Construct {
  /** Every metric alarm, by `<signal>-<severity>` (SLO alarms: `<slo>-burn<rate>-<long|short>`). */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};
  /** The alarm that pages: any critical signal or fast SLO burn of the service. */
  public readonly compositeAlarm: cloudwatch.CompositeAlarm;
  private readonly props: ServiceAlarmsProps;
  private readonly alarmFactory: AlarmFactory;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.alarmFactory = new AlarmFactory(props.platform.alarmTopics);
    const { platform, serviceName } = props;
    const containerInsights = props.containerInsights ?? hasContainerInsights(props.service.cluster);
    if (!containerInsights) {
      Annotations.of(this).addWarningV2(
        NO_CONTAINER_INSIGHTS_WARNING_ID,
        `${serviceName}: the cluster runs without Container Insights, so the serviceDown and collectorHeartbeat alarms ` +
          'are not created. Turn it on (containerInsightsV2: ecs.ContainerInsights.ENHANCED) to get them',
      );
    }
    const thresholds = (props.thresholds ?? resolveThresholds(platform.profile, serviceName)).filter(
      (threshold) => containerInsights || threshold.signal !== 'serviceDown',
    );
    const pageWorthy: cloudwatch.IAlarm[] = [];

    for (const threshold of thresholds) {
      const alarm = this.signalAlarm(threshold);
      if (alarm === undefined) continue;
      this.alarms[`${threshold.signal}-${threshold.severity}`] = alarm;
      if (threshold.severity === 'critical') pageWorthy.push(alarm);
    }
    for (const slo of SERVICE_LEVEL_OBJECTIVES) {
      for (const window of cloudWatchBurnWindows()) {
        const burn = this.burnRateAlarm(slo, window);
        if (window.severity === 'critical') pageWorthy.push(burn);
      }
    }

    if (props.targetGroup !== undefined) {
      const alarm = this.alarmFactory.alarm(this, this.identity('unhealthyHosts', 'warning'), {
        alarmDescription:
          `${serviceName} (${platform.environmentName}): load balancer targets failing their health check ` +
          `> 0 for ${UNHEALTHY_HOSTS_WINDOW_MINUTES} min [warning]`,
        metric: props.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: UNHEALTHY_HOSTS_WINDOW_MINUTES,
        datapointsToAlarm: UNHEALTHY_HOSTS_WINDOW_MINUTES,
        // The load balancer reports while it has targets registered; none is the service-down alarm's case.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms['unhealthyHosts-warning'] = alarm;
    }

    if (props.collectorTaskFamily !== undefined && containerInsights) {
      const { alarms } = new CollectorHeartbeatAlarms(this, 'CollectorHeartbeat', {
        namespace: this.namespace,
        sourceToken: this.emfSource.sourceToken,
        taskFamily: props.collectorTaskFamily,
        runningTasks: (period) => this.containerInsights('RunningTaskCount', 'Average', period),
        subject: `${serviceName} (${platform.environmentName})`,
        alarmName: (severity) => this.name('collectorHeartbeat', severity),
        alarmFactory: this.alarmFactory,
        strategy: 'pageThroughComposite',
      });
      for (const severity of ['warning', 'critical'] as const) {
        this.alarms[`collectorHeartbeat-${severity}`] = alarms[severity];
      }
      pageWorthy.push(alarms.critical);
    }

    // The one alarm of the service that pages, and tells the on-call tool when the service is OK again.
    this.compositeAlarm = this.alarmFactory.compositeAlarm(
      this,
      { id: 'Page', alarmName: this.name('page'), signal: 'page', severity: 'critical', strategy: 'bySeverity' },
      {
        alarmDescription:
          `${serviceName} in ${platform.environmentName}: a critical signal or a fast SLO burn. Page.` +
          runbookSentence('ServicePage'),
        alarmRule: cloudwatch.AlarmRule.anyOf(...pageWorthy),
      },
    );
  }

  private signalAlarm(threshold: Threshold): cloudwatch.Alarm | undefined {
    const { signal, severity, windowMinutes } = threshold;
    const identity = this.identity(signal, severity);
    const describe = (what: string) =>
      `${this.props.serviceName} (${this.props.platform.environmentName}): ${what} ` +
      `${threshold.comparison} ${threshold.threshold} ${threshold.unit} for ${windowMinutes} min [${severity}]` +
      runbookSentence(signalRunbook(signal, severity));
    const everyMinuteFor = { evaluationPeriods: windowMinutes, datapointsToAlarm: windowMinutes };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    switch (signal) {
      case 'serviceDown':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe('running tasks'),
          metric: this.containerInsights('RunningTaskCount', 'Minimum'),
          threshold: threshold.threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          ...everyMinuteFor,
          // Container Insights reports every minute while the service has tasks: silence means none run.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        });
      case 'errorRate':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(this.props.targetGroup ? 'load balancer target 5xx rate (%)' : 'error rate (%)'),
          metric: this.props.targetGroup
            ? targetErrorPercent(this.props.targetGroup)
            : this.errorPercent(Duration.minutes(1)),
          threshold: threshold.threshold,
          comparisonOperator: above,
          ...everyMinuteFor,
          // No requests, no errors: a quiet service is not failing.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      case 'latencyP95':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(
            this.props.targetGroup ? 'p95 load balancer target response time (s)' : 'p95 request duration (s)',
          ),
          metric: this.props.targetGroup
            ? this.props.targetGroup.metrics.targetResponseTime({
                statistic: cloudwatch.Stats.p(95),
                period: Duration.minutes(1),
              })
            : this.emf('request_duration_seconds', cloudwatch.Stats.p(95), Duration.minutes(1)),
          threshold: threshold.threshold,
          comparisonOperator: above,
          ...everyMinuteFor,
          // No requests, no latency to judge.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      case 'taskRestarts':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe('failed tasks'),
          metric: new cloudwatch.Metric({
            namespace: this.namespace,
            metricName: TASK_FAILURES_METRIC,
            dimensionsMap: { group: `service:${this.props.serviceName}` },
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(windowMinutes),
          }),
          threshold: threshold.threshold,
          comparisonOperator: above,
          evaluationPeriods: 1,
          // The metric filter writes a data point only when a task fails.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      case 'logGroupGrowth': {
        const quotaBytes = (this.props.dailyLogQuotaGiB ?? DEFAULT_DAILY_LOG_QUOTA_GIB) * GIB;
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(`log ingestion (% of the ${quotaBytes / GIB} GiB daily quota, per window)`),
          metric: new cloudwatch.MathExpression({
            expression: `100 * bytes / ${Math.round((quotaBytes * windowMinutes) / (24 * 60))}`,
            usingMetrics: { bytes: this.props.appLogGroup.metricIncomingBytes({ statistic: 'Sum' }) },
            period: Duration.minutes(windowMinutes),
            label: 'log ingestion, % of quota',
          }),
          threshold: threshold.threshold,
          comparisonOperator: above,
          evaluationPeriods: 1,
          // No log events, no growth.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
      case 'aiCostPerHour':
      case 'collectorHealth':
        // AI spend: Prometheus only (see the class comment). Collector health: one alarm per
        // environment (EnvironmentAlarms), since the collectors report under one service name.
        return undefined;
    }
  }

  /** Fires when the budget burns faster than the window's rate over both its long and short window. */
  private burnRateAlarm(slo: ServiceLevelObjective, window: BurnRateWindow): cloudwatch.CompositeAlarm {
    const sloIdentity: AlarmIdentity = {
      id: `${slo.name}-burn${window.burnRate}`,
      alarmName: this.name('slo', slo.name, `burn${window.burnRate}`),
      signal: `sloBurn:${slo.name}`,
      severity: window.severity,
      strategy: 'pageThroughComposite',
    };
    const thresholdPercent = Math.round(100 * burnRateThreshold(slo, window.burnRate) * 1e6) / 1e6;
    const windowAlarm = (label: 'long' | 'short', minutes: number) => {
      const key = `${slo.name}-burn${window.burnRate}-${label}`;
      // A window alarm alone is not worth a look: info, and the burn composite over both windows is the alert.
      const identity = { ...sloIdentity, id: key, alarmName: this.name('slo', key), severity: 'info' } as const;
      const alarm = this.alarmFactory.alarm(this, identity, {
        alarmDescription:
          `${this.props.serviceName}: ${slo.description}; bad events over ${minutes} min above ` +
          `${thresholdPercent.toFixed(3)} % (burn rate ${window.burnRate})` +
          runbookSentence(BURN_RATE_ALERTS[slo.name][window.severity]),
        metric: this.badEventPercent(slo, Duration.minutes(minutes)),
        threshold: thresholdPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No requests burn no budget.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms[key] = alarm;
      return alarm;
    };
    return this.alarmFactory.compositeAlarm(this, sloIdentity, {
      alarmDescription:
        `${this.props.serviceName}: the ${slo.name} SLO (${slo.objective * 100} %) burns its error budget ` +
        `${window.burnRate}x too fast over ${window.longWindowMinutes} and ${window.shortWindowMinutes} min` +
        runbookSentence(BURN_RATE_ALERTS[slo.name][window.severity]),
      alarmRule: cloudwatch.AlarmRule.allOf(
        windowAlarm('long', window.longWindowMinutes),
        windowAlarm('short', window.shortWindowMinutes),
      ),
    });
  }

  /**
   * A signal alarm of the service: construct id `<signal>-<severity>`, named from the project,
   * environment, service, signal and severity. Routed `pageThroughComposite`: its critical alarms
   * notify the warning topic and the `Page` composite pages for them.
   */
  private identity(signal: string, severity: Severity): AlarmIdentity {
    return {
      id: `${signal}-${severity}`,
      alarmName: this.name(signal, severity),
      signal,
      severity,
      strategy: 'pageThroughComposite',
    };
  }

  private get namespace(): string {
    return cloudWatchNamespace(this.props.platform.profile.project, this.props.platform.environmentName);
  }

  private name(...parts: string[]): string {
    const { profile, environmentName } = this.props.platform;
    return alarmName(profile.project, environmentName, this.props.serviceName, ...parts);
  }

  private get emfSource(): EmfSource {
    return {
      namespace: this.namespace,
      serviceName: this.props.serviceName,
      sourceToken: sourceTokenValue(this.props.platform.sourceToken),
    };
  }

  private emf(metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
    return emfMetric(this.emfSource, metricName, statistic, period);
  }

  private errorPercent(period: Duration): cloudwatch.MathExpression {
    return errorRatePercent(this.emfSource, period);
  }

  private badEventPercent(slo: ServiceLevelObjective, period: Duration): cloudwatch.IMetric {
    if (slo.latencyThresholdSeconds === undefined) return this.errorPercent(period);
    return new cloudwatch.MathExpression({
      expression: '100 - fast',
      usingMetrics: {
        fast: this.emf(
          'request_duration_seconds',
          cloudwatch.Stats.percentileRank(0, slo.latencyThresholdSeconds),
          period,
        ),
      },
      period,
      label: `requests slower than ${slo.latencyThresholdSeconds} s (%)`,
    });
  }

  private containerInsights(metricName: string, statistic: string, period = Duration.minutes(1)): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName,
      dimensionsMap: {
        ClusterName: this.props.platform.cluster.clusterName,
        ServiceName: this.props.service.serviceName,
      },
      statistic,
      period,
    });
  }
}

/**
 * The burn-rate windows CloudWatch evaluates: the fastest critical one (pages within minutes) and
 * the warning one. The middle tier runs in Grafana Cloud only, to keep the alarm count (and bill) down.
 */
export function cloudWatchBurnWindows(): BurnRateWindow[] {
  const critical = BURN_RATE_WINDOWS.filter((window) => window.severity === 'critical');
  const fastest = critical.reduce((a, b) => (a.burnRate >= b.burnRate ? a : b));
  return [fastest, ...BURN_RATE_WINDOWS.filter((window) => window.severity !== 'critical')];
}

/** The share of requests the targets answered with a 5xx, in percent, per minute. */
function targetErrorPercent(targetGroup: elbv2.IApplicationTargetGroup): cloudwatch.MathExpression {
  const period = Duration.minutes(1);
  return new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, 100 * errors / requests, 0)',
    usingMetrics: {
      errors: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }),
      requests: targetGroup.metrics.requestCount({ statistic: 'Sum', period }),
    },
    period,
    label: 'target 5xx, % of requests',
  });
}

/** Whether a cluster of this app has Container Insights on; an imported cluster is taken to (the platform's does). */
function hasContainerInsights(cluster: ecs.ICluster): boolean {
  if (!(cluster instanceof ecs.Cluster)) return true;
  const settings = Stack.of(cluster).resolve((cluster.node.defaultChild as ecs.CfnCluster).clusterSettings) as unknown;
  return (
    Array.isArray(settings) &&
    settings.some(
      (setting: { name?: unknown; value?: unknown }) =>
        setting.name === 'containerInsights' && (setting.value === 'enabled' || setting.value === 'enhanced'),
    )
  );
}
