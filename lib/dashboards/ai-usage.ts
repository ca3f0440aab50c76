/**
 * AI model usage (design 6.5): calls by model and provider, tokens in and out, spend per hour and
 * per day, errors and response time. The hourly spend is the HighAICost alert's expression
 * (`increase(ai_cost_total[1h])` over the whole environment), with each environment's budget drawn.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { DashboardContext } from './context';
import { dashboardFrame, finishDashboard } from './dashboard';
import { dataSourceVariable } from './datasources';
import { overrides, promTarget, QUARTER, row, statPanel, THIRD, thresholds, timeseriesPanel } from './panels';
import { ENVIRONMENT_LABEL, increase, inEnvironment, matcher, RATE_INTERVAL, rate, sumBy } from './queries';
import { byEnvironmentSuffix, byName, defaultThresholdSteps, environmentThresholdOverrides } from './threshold-lines';
import { environmentVariable, labelValuesVariable } from './variables';

export const AI_USAGE_NAME = 'ai-usage';

const MODEL = 'model';
const IN_ENVIRONMENT = [inEnvironment()];
const OF_MODELS = [inEnvironment(), matcher(MODEL, '=~', `$${MODEL}`)];
const TOKENS_PER_SECOND = 'suffix: tokens/s';

export function aiUsageDashboard(context: DashboardContext): Dashboard {
  return finishDashboard(
    dashboardFrame({
      name: AI_USAGE_NAME,
      title: 'AI model usage',
      summary:
        'AI calls of one environment by model and provider: spend (against the hourly budget of the HighAICost alert), ' +
        'requests, tokens in and out, errors and response time. Start at "Spend, last hour": orange means the budget alert fires.',
      source: 'lib/dashboards/ai-usage.ts',
      tags: ['ai', 'cost'],
      from: 'now-24h',
      refresh: '5m',
    })
      .withVariable(dataSourceVariable('prometheus'))
      .withVariable(environmentVariable(context))
      .withVariable(
        labelValuesVariable({
          name: MODEL,
          label: 'Model',
          series: context.series.of('ai_requests_total'),
          valuesOf: MODEL,
          multi: true,
        }),
      )
      .withRow(row('Spend'))
      .withPanel(spendLastHourStat(context))
      .withPanel(spendLastDayStat(context))
      .withPanel(tokensLastDayStat(context))
      .withPanel(requestsLastDayStat(context))
      .withPanel(spendPerHourPanel(context))
      .withPanel(spendPerDayPanel(context))
      .withRow(row('Requests and tokens'))
      .withPanel(requestRatePanel(context))
      .withPanel(tokenRatePanel(context))
      .withRow(row('Errors and latency'))
      .withPanel(errorSharePanel(context))
      .withPanel(errorsByTypePanel(context))
      .withPanel(responseTimePanel(context)),
  );
}

/** The HighAICost alert's spend: every model and service of the environment over the last hour. */
function environmentSpendPerHour(context: DashboardContext): string {
  return sumBy([ENVIRONMENT_LABEL], increase(context.series.of('ai_cost_total'), IN_ENVIRONMENT, '1h'));
}

function spendLastHourStat(context: DashboardContext) {
  return statPanel({
    title: 'Spend, last hour',
    description:
      'AI spend of the whole environment (all models) over the last hour: what the HighAICost alert compares with the hourly budget. ' +
      'Orange from the budget of this environment.',
    unit: units.Dollars,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(2)
    .thresholds(thresholds(defaultThresholdSteps('aiCostPerHour')))
    .overrides(overrides(environmentThresholdOverrides(context, 'aiCostPerHour', byName, 'colours')))
    .withTarget(promTarget(environmentSpendPerHour(context), `{{${ENVIRONMENT_LABEL}}}`, { instant: true }));
}

function spendLastDayStat(context: DashboardContext) {
  return statPanel({
    title: 'Spend, last 24 hours',
    description: 'AI spend of the selected models over the last 24 hours.',
    unit: units.Dollars,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(2)
    .withTarget(
      promTarget(sumBy([], increase(context.series.of('ai_cost_total'), OF_MODELS, '1d')), 'spend', { instant: true }),
    );
}

function tokensLastDayStat(context: DashboardContext) {
  return statPanel({
    title: 'Tokens, last 24 hours',
    description: 'Input and output tokens of the selected models over the last 24 hours.',
    unit: units.Short,
    source: 'prometheus',
    width: QUARTER,
  }).withTarget(
    promTarget(
      sumBy(['token_type'], increase(context.series.of('ai_tokens_total'), OF_MODELS, '1d')),
      '{{token_type}}',
      { instant: true },
    ),
  );
}

function requestsLastDayStat(context: DashboardContext) {
  return statPanel({
    title: 'Calls, last 24 hours',
    description: 'AI API calls of the selected models over the last 24 hours.',
    unit: units.Short,
    source: 'prometheus',
    width: QUARTER,
  })
    .decimals(0)
    .withTarget(
      promTarget(sumBy([], increase(context.series.of('ai_requests_total'), OF_MODELS, '1d')), 'calls', {
        instant: true,
      }),
    );
}

function spendPerHourPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Spend per hour by model',
    description:
      'Rolling one-hour spend by model, and the environment total the HighAICost alert watches, with its budget as a dashed line.',
    unit: units.Dollars,
    source: 'prometheus',
  })
    .min(0)
    .overrides(overrides(environmentThresholdOverrides(context, 'aiCostPerHour', byEnvironmentSuffix)))
    .withTarget(
      promTarget(sumBy([MODEL], increase(context.series.of('ai_cost_total'), OF_MODELS, '1h')), '{{model}}', {
        refId: 'A',
      }),
    )
    .withTarget(promTarget(environmentSpendPerHour(context), `all models ({{${ENVIRONMENT_LABEL}}})`, { refId: 'B' }));
}

function spendPerDayPanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Spend per day by model',
    description: 'Rolling 24-hour spend by model.',
    unit: units.Dollars,
    source: 'prometheus',
  })
    .min(0)
    .withTarget(promTarget(sumBy([MODEL], increase(context.series.of('ai_cost_total'), OF_MODELS, '1d')), '{{model}}'));
}

function requestRatePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Calls per second by model and provider',
    description: 'AI API calls per second (ai_requests_total).',
    unit: units.RequestsPerSecond,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      sumBy([MODEL, 'provider'], rate(context.series.of('ai_requests_total'), OF_MODELS, RATE_INTERVAL)),
      '{{model}} {{provider}}',
    ),
  );
}

function tokenRatePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Tokens per second, input vs output, by model',
    description: 'Token consumption by model and token type; output tokens usually cost more.',
    unit: TOKENS_PER_SECOND,
    source: 'prometheus',
  }).withTarget(
    promTarget(
      sumBy([MODEL, 'token_type'], rate(context.series.of('ai_tokens_total'), OF_MODELS, RATE_INTERVAL)),
      '{{model}} {{token_type}}',
    ),
  );
}

function errorSharePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Error share by model',
    description:
      'Failed AI calls / all AI calls, by model. The threshold model has no AI error objective, so no line is drawn.',
    unit: units.PercentUnit,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(
        `${sumBy([MODEL], rate(context.series.of('ai_errors_total'), OF_MODELS, RATE_INTERVAL))} / ${sumBy([MODEL], rate(context.series.of('ai_requests_total'), OF_MODELS, RATE_INTERVAL))}`,
        '{{model}}',
      ),
    );
}

function errorsByTypePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Errors per second by model and type',
    description: 'AI API failures per second by model, provider and error type (rate limits, timeouts, …).',
    unit: units.RequestsPerSecond,
    source: 'prometheus',
    width: THIRD,
  }).withTarget(
    promTarget(
      sumBy([MODEL, 'provider', 'error_type'], rate(context.series.of('ai_errors_total'), OF_MODELS, RATE_INTERVAL)),
      '{{model}} {{provider}} {{error_type}}',
    ),
  );
}

function responseTimePanel(context: DashboardContext) {
  return timeseriesPanel({
    title: 'Model response time p95',
    description: '95th percentile of AI model response time by model and provider (ai_model_duration).',
    unit: units.Seconds,
    source: 'prometheus',
    width: THIRD,
  })
    .min(0)
    .withTarget(
      promTarget(
        `histogram_quantile(0.95, ${sumBy(['le', MODEL, 'provider'], rate(context.series.histogram('ai_model_duration', '_bucket'), OF_MODELS, RATE_INTERVAL))})`,
        '{{model}} {{provider}}',
        { exemplar: true },
      ),
    );
}
