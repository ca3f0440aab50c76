/** Names shared by stacks, resources and generated files, derived in one place. */

/** `starmates-ai-team` -> `StarmatesAiTeam`. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[-_\s]+/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** The CloudFormation stack name of a stack of one environment, e.g. `StarmatesAiTeam-Prod-Platform`. */
export function stackName(project: string, environmentName: string, part: string): string {
  return [pascalCase(project), pascalCase(environmentName), pascalCase(part)].join('-');
}

/** The ECS cluster name (and resource-name prefix) of an environment: `<project>-<env>`. */
export function clusterName(project: string, environmentName: string): string {
  return `${project}-${environmentName}`;
}

/** The log group prefix of an environment's services: `/ecs/<project>-<env>`. */
export function serviceLogGroupPrefix(project: string, environmentName: string): string {
  return `/ecs/${clusterName(project, environmentName)}`;
}

/** The log group of one service: `/ecs/<project>-<env>/<service>`. */
export function serviceLogGroupName(project: string, environmentName: string, serviceName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/${serviceName}`;
}

/** The CloudWatch alarm name of one signal and severity of a service: `starmates-ai-team-prod-api-gateway-errorRate-critical`. */
export function alarmName(project: string, environmentName: string, subject: string, ...parts: string[]): string {
  return [project, environmentName, subject, ...parts].join('-');
}

/** The log group of the environment's VPC flow logs. */
export function vpcFlowLogsLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/vpc-flow-logs`;
}

/** The log group of a service's collector sidecar: under the service's own log group. */
export function collectorLogGroupName(project: string, environmentName: string, serviceName: string): string {
  return `${serviceLogGroupName(project, environmentName, serviceName)}/otel-collector`;
}

/**
 * The task definition family of a service (and, with `GATEWAY_SERVICE_NAME`, of the gateway):
 * `<project>-<env>-<name>`. The collector's ECS resource detector reports it, so it is also the
 * dimension of the collector heartbeat metric.
 */
export function taskFamilyName(project: string, environmentName: string, name: string): string {
  return `${clusterName(project, environmentName)}-${name}`;
}

/** The collector sidecar's container name: app containers reach it on localhost. */
export const COLLECTOR_CONTAINER_NAME = 'otel-collector';

/** The log group EventBridge writes the environment's ECS task state changes to. */
export function taskEventsLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/ecs-task-events`;
}

/** The metric the task-events metric filter counts: tasks that failed, by `group` (`service:<name>`). */
export const TASK_FAILURES_METRIC = 'ecs_task_failures';

/**
 * The private Cloud Map namespace of an environment's collector gateway: `otel.<project>-<env>.internal`.
 * Sidecars resolve the gateway tasks in it by API (the `aws_cloud_map` resolver), not by DNS.
 */
export function gatewayNamespaceName(project: string, environmentName: string): string {
  return `otel.${clusterName(project, environmentName)}.internal`;
}

/** The Cloud Map service (and ECS service) name of the collector gateway. */
export const GATEWAY_SERVICE_NAME = 'otel-gateway';

/** The log group of the collector gateway's own logs. */
export function gatewayLogGroupName(project: string, environmentName: string): string {
  return `${serviceLogGroupPrefix(project, environmentName)}/${GATEWAY_SERVICE_NAME}`;
}

/**
 * The SSM prefix under which an environment's platform publishes its attributes
 * (lib/constructs/platform-parameters.ts): `/<project>/<environment>/observability`.
 */
export function platformParameterPrefix(project: string, environmentName: string): string {
  return `/${project}/${environmentName}/observability`;
}

/**
 * The CloudWatch dashboard of an environment: `<project>-<env>`; of one view group after the
 * first, `<project>-<env>-<group>`, e.g. `starmates-ai-team-prod-services-51-100`.
 */
export function environmentDashboardName(project: string, environmentName: string, group?: string): string {
  return group === undefined
    ? clusterName(project, environmentName)
    : `${clusterName(project, environmentName)}-${group}`;
}
