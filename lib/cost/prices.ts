/** The prices the cost estimate uses: one data file (`prices.json`) with its region, date and sources. */
import data from './prices.json';

export interface Prices {
  readonly currency: string;
  /** The AWS region whose paid-tier rates these are. */
  readonly region: string;
  /** When the rates were last checked against their sources (ISO date). */
  readonly checked: string;
  readonly sources: readonly { readonly what: string; readonly url: string }[];
  readonly notes: readonly string[];
  readonly cloudWatch: {
    readonly customMetricPerMonth: number;
    readonly standardAlarmMetricPerMonth: number;
    readonly highResolutionAlarmMetricPerMonth: number;
    readonly compositeAlarmPerMonth: number;
    readonly dashboardPerMonth: number;
    readonly logsIngestionPerGB: number;
    readonly logsStoragePerGBMonth: number;
    readonly logsInsightsPerGBScanned: number;
  };
  /** Per account and month. */
  readonly cloudWatchFreeTier: {
    readonly customMetrics: number;
    readonly standardAlarmMetrics: number;
    readonly dashboards: number;
    /** A dashboard is free only while it shows at most this many metrics. */
    readonly metricsPerFreeDashboard: number;
    /** Ingestion, storage and Logs Insights scans together. */
    readonly logsGB: number;
  };
  /** Per Grafana Cloud stack. */
  readonly grafanaCloudFree: {
    readonly activeSeries: number;
    readonly logsGB: number;
    readonly tracesGB: number;
    readonly retentionDays: number;
  };
}

export const PRICES: Prices = data;
