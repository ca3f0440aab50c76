import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { type Threshold, thresholdFor } from '../alerting/thresholds';
import { CLOUDWATCH_SERVICE_DIMENSION, cloudWatchNamespace, SOURCE_TOKEN_DIMENSION } from '../collector/cloudwatch';
import { alarmName } from '../naming';
import { emfMetric, errorRatePercent } from './emf-metrics';

/**
 * What the dashboard's widgets carry where the source token goes: the dashboard's one pattern
 * variable replaces it with the token. CloudFormation resolves at most 60 dynamic references per
 * template, and a dashboard of 500 services would need thousands; the variable needs one.
 */
export const DASHBOARD_SOURCE_TOKEN_PLACEHOLDER = 'SourceTokenFromDashboardVariable';

export interface EnvironmentDashboardProps {
  /** The project the environment belongs to: the first part of its alarm names and CloudWatch namespace. */
  readonly project: string;
  /** The environment's name, e.g. `prod`. */
  readonly environmentName: string;
  /** The ECS cluster name of the environment's services. */
  readonly clusterName: string;
  /**
   * The services this page shows, one row each, with their paging alarms: at most 50 (one view
   * group, lib/profile-loader/scale.ts), so a page stays under the dashboard's 500 widgets and the
   * alarm status widget's 100 alarms. Services observed from other repositories are named here too.
   */
  readonly services: readonly string[];
  /**
   * The environment's resolved thresholds (`resolveThresholds(profile)`): the threshold lines of
   * every service without thresholds of its own in `serviceThresholds`.
   */
  readonly thresholds: readonly Threshold[];
  /**
   * The thresholds of services that override the environment's (`resolveThresholds(profile, service)`),
   * by service name; each must be one of `services`.
   * @default - none: every service's lines are the environment's thresholds
   */
  readonly serviceThresholds?: Readonly<Record<string, readonly Threshold[]>>;
  /**
   * The dashboard's name.
   * @default `<project>-<env>`
   */
  readonly dashboardName?: string;
  /**
   * The environment's other pages, by dashboard name: the first page links them, and only the
   * first page has the graphs over every reporting service.
   * @default - none: this is the first page and the only one
   */
  readonly otherPages?: readonly string[];
  /**
   * Whether this is the first page (the graphs over every reporting service, the links to the others).
   * @default true
   */
  readonly firstPage?: boolean;
  /**
   * The environment's source token, as this stack names it (`sourceTokenValueIn`, or
   * `sourceTokenParameterValue` in a stack with no platform object): the default of the dashboard's
   * variable, since the dashboard shows the series the alarms read, which carry it.
   */
  readonly sourceToken: string;
}

/**
 * The CloudWatch dashboard of an environment: per service, request rate, error rate, p95 latency
 * and running tasks, with the threshold model's lines, and the state of every service's paging
 * alarm. Built from names alone (alarm names are deterministic), so the platform stack needs no
 * reference to the service stacks, which depend on it.
 */
export class EnvironmentDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: EnvironmentDashboardProps) {
    super(scope, id);
    const { project, environmentName, services } = props;
    const serviceThresholds = props.serviceThresholds ?? {};
    for (const service of Object.keys(serviceThresholds)) {
      if (!services.includes(service)) {
        throw new Error(
          `${this.node.path}: serviceThresholds.${service} names a service this page does not show. ` +
            `Add ${service} to services or remove its thresholds`,
        );
      }
    }
    const namespace = cloudWatchNamespace(project, environmentName);
    const firstPage = props.firstPage ?? true;
    const minute = Duration.minutes(1);
    const sourceToken = DASHBOARD_SOURCE_TOKEN_PLACEHOLDER;
    const emf = (metricName: string, serviceName: string, statistic: string) =>
      emfMetric({ namespace, serviceName, sourceToken }, metricName, statistic, minute, serviceName);
    const line = (value: number | undefined, label: string, color: string): cloudwatch.HorizontalAnnotation[] =>
      value === undefined ? [] : [{ value, label, color }];
    // hasOwn: a service may be called `constructor`.
    const thresholdsOf = (service: string) =>
      Object.hasOwn(serviceThresholds, service) ? serviceThresholds[service] : props.thresholds;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${project}-${environmentName}`,
      defaultInterval: Duration.hours(3),
      // Visible, so after a rotation an operator can type the previous token and see the old series.
      variables: [
        new cloudwatch.DashboardVariable({
          id: 'sourceToken',
          type: cloudwatch.VariableType.PATTERN,
          label: 'source token',
          inputType: cloudwatch.VariableInputType.INPUT,
          value: DASHBOARD_SOURCE_TOKEN_PLACEHOLDER,
          defaultValue: cloudwatch.DefaultValue.value(props.sourceToken),
          visible: true,
        }),
      ],
    });
    const region = Stack.of(this).region;
    if (firstPage && (props.otherPages ?? []).length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.TextWidget({
          width: 24,
          height: 2,
          markdown:
            'More services of this environment, 50 per page: ' +
            (props.otherPages ?? [])
              .map(
                (page) =>
                  `[${page}](https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${page})`,
              )
              .join(' · '),
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Paging alarms (any critical signal or fast SLO burn)',
        width: 24,
        alarms: services.map((service) =>
          cloudwatch.Alarm.fromAlarmArn(
            this,
            `Page-${service}`,
            Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: alarmName(project, environmentName, service, 'page'),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
        ),
      }),
    );
    // Every service that writes EMF metrics to the environment's namespace, found by a search at
    // view time: services observed from other repositories appear here without a platform deploy.
    const search = (metricName: string, statistic: string) =>
      new cloudwatch.MathExpression({
        expression:
          `SEARCH('{"${namespace}","${CLOUDWATCH_SERVICE_DIMENSION}","${SOURCE_TOKEN_DIMENSION}"} ` +
          `${SOURCE_TOKEN_DIMENSION}="${sourceToken}" MetricName="${metricName}"', '${statistic}', 60)`,
        usingMetrics: {},
        period: minute,
      });
    if (firstPage) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Every reporting service: requests per minute',
          width: 12,
          left: [search('request_count', 'Sum')],
        }),
        new cloudwatch.GraphWidget({
          title: 'Every reporting service: p95 latency (s)',
          width: 12,
          left: [search('request_duration_seconds', 'p95')],
        }),
      );
    }
    for (const service of services) {
      const thresholds = thresholdsOf(service);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${service}: requests per minute`,
          width: 6,
          left: [emf('request_count', service, cloudwatch.Stats.SUM)],
        }),
        new cloudwatch.GraphWidget({
          title: `${service}: error rate (%)`,
          width: 6,
          left: [errorRatePercent({ namespace, serviceName: service, sourceToken }, minute, service)],
          leftAnnotations: [
            ...line(thresholdFor(thresholds, 'errorRate', 'critical')?.threshold, 'critical', '#d62728'),
            ...line(thresholdFor(thresholds, 'errorRate', 'warning')?.threshold, 'warning', '#ff7f0e'),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${service}: p95 latency (s)`,
          width: 6,
          left: [emf('request_duration_seconds', service, cloudwatch.Stats.p(95))],
          leftAnnotations: [
            ...line(thresholdFor(thresholds, 'latencyP95', 'critical')?.threshold, 'critical', '#d62728'),
            ...line(thresholdFor(thresholds, 'latencyP95', 'warning')?.threshold, 'warning', '#ff7f0e'),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${service}: running tasks`,
          width: 6,
          left: [
            new cloudwatch.Metric({
              namespace: 'ECS/ContainerInsights',
              metricName: 'RunningTaskCount',
              dimensionsMap: { ClusterName: props.clusterName, ServiceName: service },
              statistic: cloudwatch.Stats.MINIMUM,
              period: minute,
              label: service,
            }),
          ],
          leftAnnotations: line(
            thresholdFor(thresholds, 'serviceDown', 'critical')?.threshold,
            'down below',
            '#d62728',
          ),
        }),
      );
    }
  }
}
