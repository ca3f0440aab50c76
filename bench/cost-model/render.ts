/** The cost estimates as Markdown: one table per environment, then the prices' provenance. Pure. */
import type { EnvironmentEstimate, LineItem } from './estimate';
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

function row(item: LineItem): string {
  return `| ${cell(item.item)} | ${quantity(item.quantity)} | ${item.unit} | ${unitPrice(item.unitPrice)} | ${usd(item.monthlyUsd)} | ${cell(item.note ?? '')} |`;
}
