/**
 * The metric name translations a profile may choose (`grafanaCloud.metricNameTranslation`): the
 * OTLP translator strategies (lib/metrics/otlp-translator.ts) the generators can write queries
 * for. Only the escaping strategies: with UTF-8 names the resource attributes stay
 * `service.name`, `deployment.environment.name` as labels, and every generated matcher and `by`
 * clause names the escaped labels. Here, not in lib/metrics, because the profile schema offers
 * them and the profile is the ground floor of the layers.
 */
export const GENERATED_STRATEGIES = ['UnderscoreEscapingWithSuffixes', 'UnderscoreEscapingWithoutSuffixes'] as const;
export type GeneratedStrategy = (typeof GENERATED_STRATEGIES)[number];

/** Grafana Cloud's default for OTLP metrics ("OTLP format considerations" in its docs). */
export const GRAFANA_CLOUD_DEFAULT_STRATEGY: GeneratedStrategy = 'UnderscoreEscapingWithSuffixes';
