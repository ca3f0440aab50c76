/** The cost estimates as Markdown: one table per environment, then the prices' provenance. Pure. */
import type { EnvironmentEstimate, LineItem } from './estimate';
import type { AlarmKind } from './inventory';
import type { Prices } from './prices';

const usd = (value: number) => (Math.abs(value) < 0.005 ? '0.00' : value.toFixed(2));
const quantity = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));
const cell = (text: string) => text.replace(/\|/g, '\\|');
/** At least 3 decimals, and as many more (up to 6) as the price has: Fargate's $0.004445 per GB-hour. */
const unitPrice = (value: number) => {
  const decimals = [3, 4, 5].find((d) => Number(value.toFixed(d)) === value) ?? 6;
  return value.toFixed(decimals);
};

export function renderCostReport(estimates: readonly EnvironmentEstimate[], prices: Prices): string {
  const sections = estimates.map((estimate) => renderEnvironment(estimate, prices));
  const sources = prices.sources.map((source) => `- ${source.what}: ${source.url}`);
  return [
    '# Observability cost per environment (estimate)',
    '',
    `Monthly ${prices.currency}, at ${prices.region} prices checked on ${prices.checked} ` +
      "(Fargate at the environment's region). " +
      'Counts come from the synthesized templates and the generated collector configs; volumes and the gateway ' +
      'tier from the profiles.',
    '',
    ...sections,
    '## Prices',
    '',
    ...sources,
    ...prices.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

function renderEnvironment(estimate: EnvironmentEstimate, prices: Prices): string {
  const { grafana } = estimate;
  const share = (100 * grafana.stackActiveSeries) / grafana.freeActiveSeries;
  const groups = Object.entries(grafana.byGroup)
    .map(([group, series]) => `${group} ${series}`)
    .join(', ');
  return [
    `## ${estimate.environmentName} (account ${estimate.account})`,
    '',
    '| Item | Quantity | Unit | Unit price | USD / month | Notes |',
    '| --- | ---: | --- | ---: | ---: | --- |',
    ...estimate.lines.map(row),
    `| **Total** | | | | **${usd(estimate.monthlyUsd)}** | |`,
    '',
    ...renderAlarmPrices(estimate),
    `Grafana Cloud (stack ${grafana.stack}): about ${grafana.activeSeries} active series from this environment ` +
      `(${groups}); ${grafana.stackActiveSeries} for every environment writing to the stack, ` +
      `${share.toFixed(0)} % of the free tier's ${prices.grafanaCloudFree.activeSeries}. ` +
      'Upper bound from the metric catalogue and the cardinality assumptions in bench/cost-model/grafana-series.ts.',
    '',
    'Not estimated:',
    ...estimate.notEstimated.map((item) => `- ${item}`),
    '',
  ].join('\n');
}

const KIND_LABELS: Readonly<Record<AlarmKind, string>> = {
  standard: 'metric alarm (per metric read)',
  highResolution: 'high-resolution metric alarm (per metric read)',
  anomalyDetection: 'anomaly detection (3 metrics per band)',
  metricsInsights: 'Metrics Insights query (per metric analysed)',
  promql: 'PromQL (per alarm)',
  composite: 'composite (per alarm)',
};

/** The alarms by placement and signal: a service's rows per service stack, the environment's whole. */
export function renderAlarmPrices(estimate: EnvironmentEstimate): string[] {
  const { alarmPrices } = estimate;
  if (alarmPrices.rows.length === 0) return [];
  const stacks = alarmPrices.serviceStacks;
  const perService = (value: number) => (stacks === 0 ? 0 : value / stacks);
  const rows = alarmPrices.rows.map((row) => {
    const divide = row.scope === 'service' ? perService : (value: number) => value;
    return (
      `| ${row.scope === 'service' ? 'per service' : 'environment'} | ${cell(row.signal)} | ${KIND_LABELS[row.kind]} | ` +
      `${quantity(divide(row.alarms))} | ${quantity(divide(row.units))} | ${usd(divide(row.monthlyUsd))} |`
    );
  });
  return [
    `Alarms by signal and placement (gross, before the free tier; per-service rows are per service stack, ${stacks} here):`,
    '',
    '| Placement | Signal | Kind | Alarms | Billed units | USD / month |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...rows,
    `| **Per service** | | | **${quantity(alarmPrices.perService.alarms)}** | | **${usd(alarmPrices.perService.monthlyUsd)}** |`,
    `| **Environment** | | | **${alarmPrices.environment.alarms}** | | **${usd(alarmPrices.environment.monthlyUsd)}** |`,
    '',
  ];
}

function row(item: LineItem): string {
  return `| ${cell(item.item)} | ${quantity(item.quantity)} | ${item.unit} | ${unitPrice(item.unitPrice)} | ${usd(item.monthlyUsd)} | ${cell(item.note ?? '')} |`;
}
