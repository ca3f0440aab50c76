/**
 * Infrastructure (design 6.5), from CloudWatch: ECS CPU, memory and tasks per service (Container
 * Insights), the load balancer, and log ingestion. Each environment is its own AWS account, so the
 * engineer picks the environment's CloudWatch data source and the environment (its cluster).
 */
import { type Dashboard, TextBoxVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { serviceLogGroupPrefix } from '../naming';
import { clusterName, type DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import {
  type CloudWatchMetric,
  cloudWatchSearchTarget,
  cloudWatchTarget,
  dashedThresholdLines,
  FULL,
  HALF,
  overrides,
  row,
  THIRD,
  thresholds,
  timeseriesPanel,
} from './panels';
import { SERVICE_VARIABLE } from './queries';
import { deploymentThresholds, type PanelThresholds } from './threshold-lines';
import { clusterVariable, customMultiVariable } from './variables';

export const INFRASTRUCTURE_NAME = 'infrastructure';

const CONTAINER_INSIGHTS = 'ECS/ContainerInsights';
const OF_SERVICES = { ClusterName: '$cluster', ServiceName: `$${SERVICE_VARIABLE}` };
/** CloudWatch dynamic labels: the service (and cluster) of each series. */
const SERVICE = `\${PROP('Dim.ServiceName')}`;
const CLUSTER = `\${PROP('Dim.ClusterName')}`;
const LOAD_BALANCER = 'load_balancer';
const NO_ALB_YET =
  'The default app has no Application Load Balancer yet: once one fronts the services, set the load_balancer variable to its ' +
  'LoadBalancer dimension (app/<name>/<id>, the end of its ARN).';

export function infrastructureDashboard(context: DashboardContext): Dashboard {
  assertLogGroupsUnderCluster(context);
  return finishDashboard(
    dashboardFrame({
      name: INFRASTRUCTURE_NAME,
      title: 'Infrastructure',
      summary:
        'AWS side of one environment, from CloudWatch: ECS CPU, memory and running tasks per service (Container Insights), the ' +
        'load balancer, and log ingestion. Pick the CloudWatch data source of the environment’s account first. Start at ' +
        '"Running tasks": below the dashed line the ServiceDown alarm fires.',
      source: 'lib/dashboards/infrastructure.ts',
      tags: ['infrastructure', 'aws', 'ecs'],
      from: 'now-3h',
      refresh: '1m',
    })
      .withVariable(dataSourceVariable('cloudwatch'))
      .withVariable(clusterVariable(context))
      .withVariable(customMultiVariable(SERVICE_VARIABLE, 'Service', context.services))
      .withVariable(
        new TextBoxVariableBuilder(LOAD_BALANCER)
          .label('Load balancer')
          .description(NO_ALB_YET)
          .defaultValue('')
          .current({ selected: true, text: '', value: '' }),
      )
      .withRow(row('ECS services'))
      .withPanel(runningTasksPanel(context))
      .withPanel(cpuPanel())
      .withPanel(memoryPanel())
      .withRow(row('Load balancer'))
      .withPanel(loadBalancerRequestsPanel())
      .withPanel(loadBalancerResponseTimePanel())
      .withRow(row('Logs'))
      .withPanel(logIngestionPanel()),
  );
}

function runningTasksPanel(context: DashboardContext) {
  const lines = runningTaskThresholds(context);
  return timeseriesPanel({
    title: 'Running tasks',
    description:
      'Running and desired tasks per service (Container Insights). Dashed line: the ServiceDown threshold of the service in this ' +
      'environment; the alarm fires when running tasks stay below it for its window.',
    unit: units.Short,
    source: 'cloudwatch',
    width: THIRD,
  })
    .min(0)
    .decimals(0)
    .thresholds(thresholds(lines.defaults))
    .overrides(overrides(lines.overrides))
    .thresholdsStyle(dashedThresholdLines())
    .withTarget(containerInsights('RunningTaskCount', 'Minimum', `${SERVICE} (${CLUSTER})`, 'A'))
    .withTarget(containerInsights('DesiredTaskCount', 'Maximum', `desired ${SERVICE}`, 'B'));
}

/** ServiceDown thresholds per deployment, on the running-task series `api-gateway (<cluster>)`. */
function runningTaskThresholds(context: DashboardContext): PanelThresholds {
  return deploymentThresholds(
    context,
    'serviceDown',
    (service, environment) => `${service} (${clusterName(context.profiles[environment], environment)})`,
  );
}

function cpuPanel() {
  return timeseriesPanel({
    title: 'CPU used vs reserved',
    description:
      'CPU units used and reserved per service (1024 units = 1 vCPU). Used close to reserved: the tasks are CPU bound.',
    unit: 'suffix: CPU units',
    source: 'cloudwatch',
    width: THIRD,
  })
    .min(0)
    .withTarget(containerInsights('CpuUtilized', 'Average', `${SERVICE} used`, 'A'))
    .withTarget(containerInsights('CpuReserved', 'Average', `${SERVICE} reserved`, 'B'));
}

function memoryPanel() {
  return timeseriesPanel({
    title: 'Memory used vs reserved',
    description:
      'Memory used and reserved per service. Used close to reserved: the next spike gets a task killed (OOM).',
    unit: units.Mebibytes,
    source: 'cloudwatch',
    width: THIRD,
  })
    .min(0)
    .withTarget(containerInsights('MemoryUtilized', 'Average', `${SERVICE} used`, 'A'))
    .withTarget(containerInsights('MemoryReserved', 'Average', `${SERVICE} reserved`, 'B'));
}

function loadBalancerRequestsPanel() {
  return timeseriesPanel({
    title: 'Load balancer requests',
    description: `Requests per period and 5xx answered by the load balancer itself (AWS/ApplicationELB). ${NO_ALB_YET}`,
    unit: units.Short,
    source: 'cloudwatch',
    width: HALF,
  })
    .min(0)
    .withTarget(applicationElb('RequestCount', 'Sum', 'requests', 'A'))
    .withTarget(applicationElb('HTTPCode_ELB_5XX_Count', 'Sum', 'load balancer 5xx', 'B'))
    .withTarget(applicationElb('HTTPCode_Target_5XX_Count', 'Sum', 'target 5xx', 'C'));
}

function loadBalancerResponseTimePanel() {
  return timeseriesPanel({
    title: 'Load balancer response time',
    description: `Target response time seen by the load balancer, average and p95 (AWS/ApplicationELB). ${NO_ALB_YET}`,
    unit: units.Seconds,
    source: 'cloudwatch',
    width: HALF,
  })
    .min(0)
    .withTarget(applicationElb('TargetResponseTime', 'Average', 'average', 'A'))
    .withTarget(applicationElb('TargetResponseTime', 'p95', 'p95', 'B'));
}

function logIngestionPanel() {
  return timeseriesPanel({
    title: 'Log ingestion per 5 minutes by log group',
    description:
      'Bytes written to every log group of the environment (/ecs/<cluster>/…: the services, their collectors, EMF metrics, task ' +
      'events) per 5 minutes (AWS/Logs IncomingBytes). The log-growth alarm compares each service log group with its daily quota.',
    unit: units.BytesIEC,
    source: 'cloudwatch',
    width: FULL,
  })
    .min(0)
    .withTarget(
      cloudWatchSearchTarget(
        `SEARCH('{AWS/Logs,LogGroupName} MetricName="IncomingBytes" "/ecs/$cluster/"', 'Sum', 300)`,
        `\${PROP('Dim.LogGroupName')}`,
      ),
    );
}

function containerInsights(metricName: string, statistic: string, label: string, refId: string) {
  const metric: CloudWatchMetric = {
    namespace: CONTAINER_INSIGHTS,
    metricName,
    dimensions: OF_SERVICES,
    statistic,
    label,
    refId,
  };
  return cloudWatchTarget(metric);
}

function applicationElb(metricName: string, statistic: string, label: string, refId: string) {
  return cloudWatchTarget({
    namespace: 'AWS/ApplicationELB',
    metricName,
    dimensions: { LoadBalancer: `$${LOAD_BALANCER}` },
    statistic,
    label,
    refId,
  });
}

/** The log ingestion search assumes the stacks' log group prefix is `/ecs/<cluster>`; fail loudly if naming changes. */
function assertLogGroupsUnderCluster(context: DashboardContext): void {
  for (const environment of context.environments) {
    const profile = context.profiles[environment];
    const expected = `/ecs/${clusterName(profile, environment)}`;
    const actual = serviceLogGroupPrefix(profile.project, environment);
    if (actual !== expected) {
      throw new Error(
        `lib/dashboards/infrastructure.ts: log groups of ${environment} are under ${actual}, not ${expected}; update the log ingestion search.`,
      );
    }
  }
}
