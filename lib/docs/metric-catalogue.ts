/**
 * docs/reference/metrics.md: every metric of the catalogue (lib/metrics/catalogue.ts) with its
 * OpenTelemetry name, kind, unit and labels, and the Prometheus series it becomes under each
 * translation strategy the profiles of cdk.json use (lib/metrics/series-names.ts).
 */
import type { GeneratedFile } from '../generated-file';
import { ALL_METRICS, RESOURCE_LABELS } from '../metrics/catalogue';
import { prometheusSeriesNames } from '../metrics/series-names';
import type { GeneratedStrategy } from '../profile/metric-name-translation';
import type { EnvironmentProfile } from '../profile/schema';
import { cell, code, generatedHeader, REFERENCE_FOLDER, table } from './markdown';

export const METRIC_CATALOGUE_PATH = `${REFERENCE_FOLDER}/metrics.md`;

export function metricCataloguePage(profiles: Readonly<Record<string, EnvironmentProfile>>): GeneratedFile {
  const environmentsByStrategy = new Map<GeneratedStrategy, string[]>();
  for (const name of Object.keys(profiles).sort()) {
    const strategy = profiles[name].grafanaCloud.metricNameTranslation as GeneratedStrategy;
    environmentsByStrategy.set(strategy, [...(environmentsByStrategy.get(strategy) ?? []), name]);
  }
  const strategies = [...environmentsByStrategy.keys()];
  const rows = ALL_METRICS.map((metric) => [
    code(metric.otelName),
    metric.kind,
    code(metric.unit),
    metric.source,
    metric.labels.map(code).join(', '),
    cell(metric.description),
    ...strategies.map((strategy) => prometheusSeriesNames(metric, strategy).map(code).join('<br>')),
  ]);
  const strategyNotes = strategies
    .map((strategy) => `- \`${strategy}\`: ${environmentsByStrategy.get(strategy)?.map(code).join(', ')}`)
    .join('\n');
  return {
    path: METRIC_CATALOGUE_PATH,
    content:
      generatedHeader('Metric catalogue', 'lib/metrics/catalogue.ts and the profiles in cdk.json') +
      'The metrics the services and collectors emit, and the Prometheus series Grafana Cloud stores them ' +
      "under. The series name depends on the profile's `grafanaCloud.metricNameTranslation`; the " +
      'environments of cdk.json use:\n\n' +
      `${strategyNotes}\n\n` +
      `Every series also carries the resource labels ${RESOURCE_LABELS.map(code).join(', ')}.\n\n` +
      `${table(
        ['OTel name', 'Kind', 'Unit', 'Emitted by', 'Labels', 'Description', ...strategies.map((s) => `Series (${s})`)],
        rows,
      )}\n`,
  };
}
