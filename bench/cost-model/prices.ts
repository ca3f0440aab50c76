/** The prices the cost estimate uses: one data file (`prices.json`) with its region, date and sources. */
import data from './prices.json';

export interface Prices {
  readonly currency: string;
  /**
   * The AWS region whose CloudWatch paid-tier rates these are; Fargate has a rate per region
   * (`fargate.byRegion`), and falls back to this region's.
   */
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
    /** A Metrics Insights query alarm, per metric its query analyses; no free tier. */
    readonly metricsInsightsAlarmMetricAnalysedPerMonth: number;
    /** A PromQL alarm (on metrics sent to CloudWatch's OTLP endpoint), per alarm: the preview's price. */
    readonly promqlAlarmPerMonth: number;
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
  /** Per region: what one task's vCPU and memory cost an hour. */
  readonly fargate: {
    /** The operating system, architecture and purchase option the rates are for. */
    readonly platform: string;
    readonly byRegion: Readonly<Record<string, FargateRates>>;
  };
  readonly cloudMap: {
    /** DiscoverInstances (and DiscoverInstancesRevision) calls. */
    readonly discoveryCallsPerMillion: number;
    readonly registeredResourcePerMonth: number;
  };
  readonly secretsManager: {
    /** Per secret (a service's EMF token, if the profile adds one) and month. */
    readonly secretPerMonth: number;
  };
  readonly route53: {
    /** The first 25 hosted zones of an account; a Cloud Map DNS namespace creates one. */
    readonly hostedZonePerMonth: number;
  };
  /** Per Grafana Cloud stack. */
  readonly grafanaCloudFree: {
    readonly activeSeries: number;
    readonly logsGB: number;
    readonly tracesGB: number;
    readonly retentionDays: number;
  };
}

export interface FargateRates {
  readonly vCpuHour: number;
  /** Per GB (GiB) of task memory and hour. */
  readonly gbHour: number;
}

export const PRICES: Prices = data;
