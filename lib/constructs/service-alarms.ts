import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { runbookSentence } from '../alerting/runbooks';
import { SERVICE_LEVEL_OBJECTIVES, type ServiceLevelObjective, type Threshold } from '../alerting/thresholds';
import { anomalyBandForm, type TrafficBand } from '../alerting/traffic-anomaly';
import { cloudWatchNamespace } from '../collector/cloudwatch';
import { alarmName, TASK_FAILURES_METRIC } from '../naming';
import { serviceAnomalyBand, serviceThresholds, serviceTrafficAnomaly } from '../platform-settings/service';
import type { TrafficAnomalySetting } from '../platform-settings/settings';
import type { Severity } from '../profile/schema';
import {
  type CloudWatchForm,
  cloudWatchPlacement,
  SIGNAL_DECLARATIONS,
  type SignalDeclaration,
  signalById,
} from '../signals';
import { AlarmFactory, type AlarmIdentity } from './alarm-factory';
import { CollectorHeartbeatAlarms } from './collector-heartbeat-alarms';
import { type EmfSource, emfMetric, errorRatePercent } from './emf-metrics';
import type { IObservabilityPlatform } from './platform';
import {
  type BurnRateAlarmContext,
  burnRateRule,
  cloudWatchBurnWindows,
  hasContainerInsights,
  signalRunbook,
  targetErrorPercent,
} from './service-alarm-parts';
import { alarmForm, TREAT_MISSING_DATA } from './signal-forms';
import { sourceTokenValueIn } from './source-token';

/** The daily log volume a service's log group is sized for; the logGroupGrowth threshold is a share of it. */
export const DEFAULT_DAILY_LOG_QUOTA_GIB = 5;

const GIB = 1024 ** 3;

export interface ServiceAlarmsProps {
  readonly platform: IObservabilityPlatform;
  /** `service.name` of the service's telemetry and its ECS service name. */
  readonly serviceName: string;
  readonly service: ecs.IBaseService;
  /** The application's log group, watched for growth. */
  readonly appLogGroup: logs.ILogGroup;
  /**
   * The resolved thresholds to alarm on (`serviceThresholds` over the platform settings and the
   * service's overrides).
   * @default - the environment's thresholds (the platform settings' `alarms.thresholds`)
   */
  readonly thresholds?: Threshold[];
  /**
   * The service's traffic anomaly setting, over the environment's; `enabled: false` (or a service
   * without request metrics) has no traffic alarms.
   * @default - the environment's setting (the platform settings' `alarms.trafficAnomaly`)
   */
  readonly trafficAnomaly?: TrafficAnomalySetting;
  /**
   * The signals to alarm on: their declarations place, form and describe each alarm.
   * @default SIGNAL_DECLARATIONS - the library's signals
   */
  readonly signals?: readonly SignalDeclaration[];
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

/** The comparison of an anomaly-band alarm, by the side of the band that fires. */
const BAND_COMPARISON: Readonly<Record<'below' | 'above' | 'outside', cloudwatch.ComparisonOperator>> = {
  below: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
  above: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
  outside: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
};

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
    const signals = props.signals ?? SIGNAL_DECLARATIONS;
    const { settings } = platform;
    const thresholds = (props.thresholds ?? serviceThresholds(settings.alarms.thresholds, undefined, signals)).filter(
      (threshold) => containerInsights || threshold.signal !== 'serviceDown',
    );
    const pageWorthy: cloudwatch.IAlarmRule[] = [];

    for (const threshold of thresholds) {
      const signal = signalById(threshold.signal, signals);
      // The declaration places each severity: AI spend and the error-rate and latency warnings are
      // Prometheus only; collector health is one alarm per environment (EnvironmentAlarms).
      if (cloudWatchPlacement(signal, threshold.severity) !== 'serviceAlarm') continue;
      const alarm = this.signalAlarm(threshold, signal);
      this.alarms[`${threshold.signal}-${threshold.severity}`] = alarm;
      if (threshold.severity === 'critical' && signal.placement.compositeMember) pageWorthy.push(alarm);
    }
    const burnContext: BurnRateAlarmContext = {
      scope: this,
      alarmFactory: this.alarmFactory,
      serviceName,
      name: (...parts) => this.name(...parts),
      badEventPercent: (slo, period) => this.badEventPercent(slo, period),
      record: (key, alarm) => {
        this.alarms[key] = alarm;
      },
    };
    for (const slo of SERVICE_LEVEL_OBJECTIVES) {
      const signal = signalById(`sloBurn:${slo.name}`, signals);
      for (const window of cloudWatchBurnWindows(signal)) {
        const burn = burnRateRule(burnContext, slo, window);
        // A fast burn pages: its long AND short windows are a term of the Page rule.
        if (window.severity === 'critical' && signal.placement.compositeMember) pageWorthy.push(burn);
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

    // Signals with an anomaly-band form (traffic drop and spike): one alarm per declared side.
    const traffic = serviceTrafficAnomaly(settings.alarms.trafficAnomaly, props.trafficAnomaly, true);
    for (const signal of signals) {
      const form = anomalyBandForm(signal);
      const band = serviceAnomalyBand(signal, traffic);
      if (form === undefined || band === undefined) continue;
      for (const severity of Object.keys(form.sides) as Severity[]) {
        if (cloudWatchPlacement(signal, severity) !== 'serviceAlarm') continue;
        const alarm = this.bandAlarm(signal, form, severity, band);
        this.alarms[`${signal.id}-${severity}`] = alarm;
        if (severity === 'critical' && signal.placement.compositeMember) pageWorthy.push(alarm);
      }
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

  /**
   * A signal's anomaly-band alarm: its catalogue metric (as EMF writes it) per declared period
   * against `ANOMALY_DETECTION_BAND(m, k)`, on the declared side, for every period of the window.
   * Billed for three alarm metrics: the metric and the band's two bounds.
   */
  private bandAlarm(
    signal: SignalDeclaration,
    form: CloudWatchForm & { kind: 'anomalyBand' },
    severity: Severity,
    band: TrafficBand,
  ): cloudwatch.Alarm {
    if (form.metric.source !== 'catalogue') {
      throw new Error(`signal ${signal.id}: an anomaly-band service alarm needs a catalogue metric`);
    }
    const side = form.sides[severity] ?? 'outside';
    const periods = band.windowMinutes / form.periodMinutes;
    return this.alarmFactory.anomalyAlarm(this.bandScope, this.identity(signal.id, severity), {
      alarmDescription:
        `${this.props.serviceName} (${this.props.platform.environmentName}): ${form.describes} ${side} the usual band ` +
        `(anomaly detection, ${band.bandWidth} standard deviations) for ${periods} of ${periods} periods ` +
        `(${band.windowMinutes} min) [${severity}]` +
        runbookSentence(signalRunbook(signal, severity)),
      metric: emfMetric(
        this.emfSource,
        form.metric.otelName,
        form.statistic,
        Duration.minutes(form.periodMinutes),
        form.label,
      ),
      stdDevs: band.bandWidth,
      comparisonOperator: BAND_COMPARISON[side],
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // Why each signal treats missing data as it does is part of its declaration (lib/signals/library.ts).
      treatMissingData: TREAT_MISSING_DATA[form.missingData],
    });
  }

  /**
   * The scope of the anomaly-band alarms: the child `TrafficAnomaly`, the construct path the traffic
   * alarms were first deployed under. Moving them would change their logical ids and replace them.
   */
  private get bandScope(): Construct {
    return (this.node.tryFindChild('TrafficAnomaly') as Construct | undefined) ?? new Construct(this, 'TrafficAnomaly');
  }

  /** A signal's alarm, named from its id: construct id `<signal>-<severity>`; form and texts from its declaration. */
  private signalAlarm(threshold: Threshold, declaration: SignalDeclaration): cloudwatch.Alarm {
    const { signal, severity, windowMinutes } = threshold;
    const identity = this.identity(signal, severity);
    const form = alarmForm(declaration);
    const describe = (what: string) =>
      `${this.props.serviceName} (${this.props.platform.environmentName}): ${what} ` +
      `${threshold.comparison} ${threshold.threshold} ${threshold.unit} for ${windowMinutes} min [${severity}]` +
      runbookSentence(signalRunbook(declaration, severity));
    const everyMinuteFor = { evaluationPeriods: windowMinutes, datapointsToAlarm: windowMinutes };
    const above = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    // Why each signal treats missing data as it does is part of its declaration (lib/signals/library.ts).
    const treatMissingData = TREAT_MISSING_DATA[form.missingData];
    switch (signal) {
      case 'serviceDown':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(form.describes),
          metric: this.containerInsights('RunningTaskCount', 'Minimum'),
          threshold: threshold.threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          ...everyMinuteFor,
          treatMissingData,
        });
      case 'errorRate':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(this.props.targetGroup ? 'load balancer target 5xx rate (%)' : form.describes),
          metric: this.props.targetGroup
            ? targetErrorPercent(this.props.targetGroup)
            : this.errorPercent(Duration.minutes(1)),
          threshold: threshold.threshold,
          comparisonOperator: above,
          ...everyMinuteFor,
          treatMissingData,
        });
      case 'latencyP95':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(
            this.props.targetGroup ? 'p95 load balancer target response time (s)' : form.describes,
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
          treatMissingData,
        });
      case 'taskRestarts':
        return this.alarmFactory.alarm(this, identity, {
          alarmDescription: describe(form.describes),
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
          treatMissingData,
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
          treatMissingData,
        });
      }
      default:
        return this.declaredAlarm(threshold, form, describe, treatMissingData);
    }
  }

  /**
   * The alarm of a signal declared outside the library: its catalogue metric as the collector's
   * EMF writes it (through `emfMetric`), compared every minute of the window.
   */
  private declaredAlarm(
    threshold: Threshold,
    form: CloudWatchForm & { kind: 'metric' | 'metricMath' },
    describe: (what: string) => string,
    treatMissingData: cloudwatch.TreatMissingData,
  ): cloudwatch.Alarm {
    if (form.kind !== 'metric' || form.metric.source !== 'catalogue' || form.evaluation !== 'everyMinuteOfWindow') {
      throw new Error(
        `signal ${threshold.signal}: a declared service alarm needs a 'metric' CloudWatch form of a catalogue metric, evaluated every minute of the window`,
      );
    }
    return this.alarmFactory.alarm(this, this.identity(threshold.signal, threshold.severity), {
      alarmDescription: describe(form.describes),
      metric: this.emf(form.metric.otelName, form.statistic, Duration.minutes(1)),
      threshold: threshold.threshold,
      comparisonOperator:
        threshold.comparison === 'above'
          ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
          : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: threshold.windowMinutes,
      datapointsToAlarm: threshold.windowMinutes,
      treatMissingData,
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
    return cloudWatchNamespace(this.props.platform.settings.project, this.props.platform.environmentName);
  }

  private name(...parts: string[]): string {
    const { settings, environmentName } = this.props.platform;
    return alarmName(settings.project, environmentName, this.props.serviceName, ...parts);
  }

  private get emfSource(): EmfSource {
    return {
      namespace: this.namespace,
      serviceName: this.props.serviceName,
      sourceToken: sourceTokenValueIn(this, this.props.platform),
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
