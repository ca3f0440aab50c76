/**
 * Links to Grafana Explore. Form (Grafana 10+ multi-pane Explore URL):
 * `<stackUrl>/explore?schemaVersion=1&orgId=1&panes=<URL-encoded JSON>`, where the pane JSON is
 * `{"trace":{"datasource":"grafanacloud-traces","queries":[{"refId":"A","datasource":{"type":"tempo",
 * "uid":"grafanacloud-traces"},"queryType":"traceql","query":"<trace id>"}],"range":{"from":"<ms>","to":"<ms>"}}}`.
 * Tempo opens a trace id typed as the TraceQL query as that trace.
 */

/** The uid Grafana Cloud gives a stack's own Tempo data source (`grafanacloud-<stack>-traces`). */
export const GRAFANA_CLOUD_TEMPO_UID = 'grafanacloud-traces';

/** Grafana Cloud stacks have one organisation. */
const GRAFANA_CLOUD_ORG_ID = 1;

export interface TimeRange {
  /** Epoch milliseconds. */
  readonly from: number;
  /** Epoch milliseconds. */
  readonly to: number;
}

/** The Explore URL that opens one trace in the stack's Tempo, over a time range. */
export function tempoTraceUrl(stackUrl: string, traceId: string, range: TimeRange): string {
  const panes = {
    trace: {
      datasource: GRAFANA_CLOUD_TEMPO_UID,
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: GRAFANA_CLOUD_TEMPO_UID },
          queryType: 'traceql',
          query: traceId,
        },
      ],
      range: { from: String(range.from), to: String(range.to) },
    },
  };
  const base = stackUrl.replace(/\/+$/, '');
  return `${base}/explore?schemaVersion=1&orgId=${GRAFANA_CLOUD_ORG_ID}&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}
