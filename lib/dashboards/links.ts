/**
 * Links from a panel to the traces and logs behind it (design 6.5, incident investigation): from a
 * spike to its traces in Tempo, from a trace id to every log record of the request in Loki. The
 * tracking id IS the trace id (design 3.1), so one value joins the two: Loki keeps it as the
 * `tracking_id` attribute the services log, and as the `trace_id` the OTLP log record carries.
 *
 * Links open Explore with the data source *variables* (`${traces}`, `${logs}`) and the dashboard's
 * time range, so they work in any stack the dashboards are imported into.
 */
import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { SERVICE_LEVEL_OBJECTIVES } from '../alerting/thresholds';
import { DATA_SOURCES, type DataSourceKind, dataSource } from './datasources';
import { ENVIRONMENT_LABEL, SERVICE_LABEL } from './queries';
import { encodeKeepingVariables } from './template-variables';
import type { FieldOverride } from './threshold-lines';

/** A series' service and environment, as data links interpolate them from the clicked series. */
export const CLICKED_SERVICE = `\${__field.labels.${SERVICE_LABEL}}`;
export const CLICKED_ENVIRONMENT = `\${__field.labels.${ENVIRONMENT_LABEL}}`;
/** The value of the clicked cell, e.g. a trace id in a table of traces. */
export const CLICKED_VALUE = `\${__value.raw}`;

/** The duration above which a request misses the latency SLO: what "slow" means in trace links. */
export const SLOW_REQUEST_SECONDS =
  SERVICE_LEVEL_OBJECTIVES.find((objective) => objective.name === 'latency')?.latencyThresholdSeconds ?? 2;

/** TraceQL: spans of a service in an environment, with extra conditions (`status = error`). */
export function serviceSpans(service: string, environment: string, ...conditions: string[]): string {
  return `{ ${[
    `resource.service.name = "${service}"`,
    `resource.deployment.environment.name = "${environment}"`,
    ...conditions,
  ].join(' && ')} }`;
}

/** Spans that failed or took longer than the latency SLO allows. */
export const SLOW_OR_FAILED = `(status = error || duration > ${SLOW_REQUEST_SECONDS}s)`;

/** LogQL: a service's records in an environment (the environment as label or structured metadata). */
export function serviceLogs(service: string, environment: string, ...filters: string[]): string {
  return [`{${SERVICE_LABEL}="${service}"}`, `${ENVIRONMENT_LABEL}="${environment}"`, ...filters].join(' | ');
}

/** LogQL: every record of one request, in any service, by its tracking id (= trace id). */
export function requestLogs(trackingId: string): string {
  return `{${SERVICE_LABEL}=~".+"} | tracking_id="${trackingId}" or trace_id="${trackingId}"`;
}

/** A link to Explore, searching traces with TraceQL over the dashboard's time range. */
export function traceSearchLink(title: string, traceql: string): DashboardLinkBuilder {
  return link(title, exploreUrl('traces', { queryType: 'traceql', query: traceql, limit: 20, tableType: 'traces' }));
}

/** A link to one trace by id (Tempo opens a trace id typed as the TraceQL query). */
export function traceByIdLink(title: string, traceId: string): DashboardLinkBuilder {
  return link(title, exploreUrl('traces', { queryType: 'traceql', query: traceId }));
}

/** A link to Explore, running a LogQL query over the dashboard's time range. */
export function logsLink(title: string, logql: string): DashboardLinkBuilder {
  return link(title, exploreUrl('logs', { expr: logql, queryType: 'range', editorMode: 'code' }));
}

/** The links of a panel whose series are per service and environment: its failed and slow traces, its error logs. */
export function clickedServiceLinks(): DashboardLinkBuilder[] {
  return [
    traceSearchLink(
      `Failed traces of ${CLICKED_SERVICE} (Tempo)`,
      serviceSpans(CLICKED_SERVICE, CLICKED_ENVIRONMENT, 'status = error'),
    ),
    traceSearchLink(
      `Traces of ${CLICKED_SERVICE} slower than ${SLOW_REQUEST_SECONDS} s (Tempo)`,
      serviceSpans(CLICKED_SERVICE, CLICKED_ENVIRONMENT, 'kind = server', `duration > ${SLOW_REQUEST_SECONDS}s`),
    ),
    logsLink(
      `Error logs of ${CLICKED_SERVICE} (Loki)`,
      serviceLogs(CLICKED_SERVICE, CLICKED_ENVIRONMENT, 'detected_level="error"'),
    ),
  ];
}

/** The links of a trace-id cell: the trace, and the logs of its tracking id. */
export function traceIdLinks(): DashboardLinkBuilder[] {
  return [
    traceByIdLink(`Trace ${CLICKED_VALUE} (Tempo)`, CLICKED_VALUE),
    logsLink(`Logs of tracking_id ${CLICKED_VALUE} (Loki)`, requestLogs(CLICKED_VALUE)),
  ];
}

/** The Tempo search results' trace-id column: Grafana names it `traceID`. */
export const TRACE_ID_FIELD = 'traceID';

/** A table override giving the trace-id column of a trace search its trace and logs links. */
export function traceIdColumnLinks(): FieldOverride {
  return {
    matcher: { id: 'byName', options: TRACE_ID_FIELD },
    properties: [{ id: 'links', value: traceIdLinks().map((link) => link.build()) }],
  };
}

/**
 * `/explore?…&panes=…` for one query. The pane JSON is URL-encoded except Grafana variables,
 * which must stay literal for Grafana to interpolate them when the link is clicked.
 */
export function exploreUrl(kind: Extract<DataSourceKind, 'traces' | 'logs'>, query: Record<string, unknown>): string {
  const datasource = dataSource(kind);
  const panes = {
    a: {
      datasource: `\${${DATA_SOURCES[kind].variable}}`,
      queries: [{ refId: 'A', datasource, ...query }],
      range: { from: `\${__from}`, to: `\${__to}` },
    },
  };
  return `/explore?schemaVersion=1&orgId=\${__org}&panes=${encodeKeepingVariables(JSON.stringify(panes))}`;
}

function link(title: string, url: string): DashboardLinkBuilder {
  return new DashboardLinkBuilder(title).url(url).targetBlank(true);
}
