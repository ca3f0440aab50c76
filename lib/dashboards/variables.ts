/**
 * The template variables the dashboards share. Query variables read their values from the
 * metrics themselves (`label_values(…)`), so a new service appears without regenerating; the
 * environment list comes from the profiles, because every environment's series live in one Mimir.
 */
import {
  CustomVariableBuilder,
  QueryVariableBuilder,
  type VariableOption,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { clusterName, type DashboardContext } from './context';
import { dataSource } from './datasources';
import { ENVIRONMENT_VARIABLE, inEnvironment, SERVICE_VARIABLE, selector } from './queries';

/** `environment`: dev, staging, prod from the profiles, opening on the default environment. */
export function environmentVariable(context: DashboardContext): CustomVariableBuilder {
  return new CustomVariableBuilder(ENVIRONMENT_VARIABLE)
    .label('Environment')
    .description('deployment.environment.name of the telemetry (one profile in cdk.json each)')
    .values(context.environments.join(','))
    .options(context.environments.map((name) => option(name, name, name === context.defaultEnvironment)))
    .current(option(context.defaultEnvironment, context.defaultEnvironment, true));
}

export interface LabelValuesOptions {
  readonly name: string;
  readonly label: string;
  /** The series whose label values are listed (filtered to `$environment`). */
  readonly series: string;
  /** The label to list. */
  readonly valuesOf: string;
  /** What the variable shows on opening, for single-value variables. */
  readonly initial?: string;
  /** Several values and an "All" entry; queries must match it with `=~`. */
  readonly multi?: boolean;
}

/** A `label_values(series{deployment_environment_name="$environment"}, label)` variable. */
export function labelValuesVariable(options: LabelValuesOptions): QueryVariableBuilder {
  const query = `label_values(${selector(options.series, [inEnvironment()])}, ${options.valuesOf})`;
  const variable = new QueryVariableBuilder(options.name)
    .label(options.label)
    .datasource(dataSource('prometheus'))
    // The string form: every Grafana version reads it (newer ones migrate it to their editor's model).
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  if (options.multi) {
    return variable
      .multi(true)
      .includeAll(true)
      .allValue('.+')
      .current(option('All', '$__all', true));
  }
  return options.initial === undefined ? variable : variable.current(option(options.initial, options.initial, true));
}

/** `service_name`: the services that handled requests in the environment, one at a time. */
export function serviceVariable(context: DashboardContext, series: string): QueryVariableBuilder {
  return labelValuesVariable({
    name: SERVICE_VARIABLE,
    label: 'Service',
    series,
    valuesOf: SERVICE_VARIABLE,
    initial: context.services[0],
  });
}

/**
 * `cluster` for CloudWatch dashboards: shows the environment, holds its ECS cluster name
 * (`<project>-<env>`), the ClusterName dimension and the log group prefix `/ecs/<cluster>`.
 */
export function clusterVariable(context: DashboardContext): CustomVariableBuilder {
  const clusters = context.environments.map((environment) => ({
    environment,
    cluster: clusterName(context.profiles[environment], environment),
  }));
  const initial = clusters.find((entry) => entry.environment === context.defaultEnvironment) ?? clusters[0];
  return new CustomVariableBuilder('cluster')
    .label('Environment')
    .description('The ECS cluster of the environment; pick the CloudWatch data source of the same account')
    .values(clusters.map((entry) => `${entry.environment} : ${entry.cluster}`).join(','))
    .options(clusters.map((entry) => option(entry.environment, entry.cluster, entry === initial)))
    .current(option(initial.environment, initial.cluster, true));
}

/** A fixed list of values, several at a time with "All" (CloudWatch dimensions expand each value). */
export function customMultiVariable(name: string, label: string, values: readonly string[]): CustomVariableBuilder {
  return new CustomVariableBuilder(name)
    .label(label)
    .values(values.join(','))
    .options(values.map((value) => option(value, value, false)))
    .multi(true)
    .includeAll(true)
    .current(option('All', '$__all', true));
}

function option(text: string, value: string, selected: boolean): VariableOption {
  return { selected, text, value };
}
