/**
 * The data sources the dashboards query, each through a `datasource` template variable: panels
 * and targets say `${prometheus}`, never a fixed uid, so an import works in any Grafana stack and
 * an engineer can point a dashboard at another data source from the variable bar. The defaults are
 * the uids Grafana Cloud gives a stack's own data sources, so in Grafana Cloud nothing needs picking.
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DatasourceVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';

export type DataSourceKind = 'prometheus' | 'traces' | 'logs' | 'cloudwatch';

export interface DataSourceSpec {
  /** The template variable that holds the data source: `${prometheus}`. */
  readonly variable: string;
  /** The Grafana plugin id. */
  readonly type: string;
  readonly label: string;
  /** The uid selected on import; Grafana falls back to the type's default data source without it. */
  readonly defaultUid?: string;
  /** The name the data source has in Grafana Cloud, for the README and the variable's help text. */
  readonly expectedName: string;
}

export const DATA_SOURCES: Readonly<Record<DataSourceKind, DataSourceSpec>> = {
  prometheus: {
    variable: 'prometheus',
    type: 'prometheus',
    label: 'Metrics',
    defaultUid: 'grafanacloud-prom',
    expectedName: 'grafanacloud-<stack>-prom (uid grafanacloud-prom), the stack’s Mimir',
  },
  traces: {
    variable: 'traces',
    type: 'tempo',
    label: 'Traces',
    defaultUid: 'grafanacloud-traces',
    expectedName: 'grafanacloud-<stack>-traces (uid grafanacloud-traces), the stack’s Tempo',
  },
  logs: {
    variable: 'logs',
    type: 'loki',
    label: 'Logs',
    defaultUid: 'grafanacloud-logs',
    expectedName: 'grafanacloud-<stack>-logs (uid grafanacloud-logs), the stack’s Loki',
  },
  cloudwatch: {
    // No default: each environment is its own AWS account, so there is one CloudWatch data source
    // per account and the engineer picks the one of the environment they look at.
    variable: 'cloudwatch',
    type: 'cloudwatch',
    label: 'CloudWatch',
    expectedName:
      "a CloudWatch data source per environment account, e.g. cloudwatch-prod, default region = the profile's",
  },
};

/** `{ type: 'prometheus', uid: '${prometheus}' }`: what panels and targets point at. */
export function dataSource(kind: DataSourceKind): DataSourceRef {
  const spec = DATA_SOURCES[kind];
  return { type: spec.type, uid: `\${${spec.variable}}` };
}

/** The `datasource` variable of a kind, preselecting the Grafana Cloud data source where there is one. */
export function dataSourceVariable(kind: DataSourceKind): DatasourceVariableBuilder {
  const spec = DATA_SOURCES[kind];
  const variable = new DatasourceVariableBuilder(spec.variable)
    .label(spec.label)
    .type(spec.type)
    .description(`Expected: ${spec.expectedName}`);
  return spec.defaultUid === undefined
    ? variable
    : variable.current({ selected: true, text: spec.defaultUid, value: spec.defaultUid });
}
