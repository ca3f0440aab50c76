/**
 * Panels generated from signal declarations (lib/signals) whose dashboard form is `signalPanel`:
 * the value the signal's rule compares, per deployment, with its thresholds as dashed lines. The
 * library's own signals have hand-written panels; this is how a newly declared one gets its panel
 * without one. Pure: no CDK.
 */
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { SignalDeclaration } from '../signals';
import type { DashboardContext } from './context';
import { dashedThresholdLines, overrides, promTarget, row, thresholds, timeseriesPanel } from './panels';
import {
  ALERT_RATE_RANGE,
  BY_DEPLOYMENT,
  deploymentLegend,
  deploymentSeriesName,
  increase,
  inEnvironment,
  ofService,
  sumBy,
} from './queries';
import { deploymentThresholds } from './threshold-lines';

type PanelSignal = SignalDeclaration & {
  readonly dashboard: { readonly kind: 'signalPanel'; readonly title: string; readonly unit: string };
  readonly promql: { readonly kind: 'counterIncrease'; readonly counter: string; readonly items: string };
};

/** The signals that get a generated panel. */
export function panelSignals(context: DashboardContext): PanelSignal[] {
  return context.signals.filter(
    (signal): signal is PanelSignal =>
      signal.dashboard.kind === 'signalPanel' && signal.promql.kind === 'counterIncrease',
  );
}

/** A `Signals` row with one panel per declared signal, or the builder unchanged when there is none. */
export function withSignalPanels(builder: DashboardBuilder, context: DashboardContext): DashboardBuilder {
  const signals = panelSignals(context);
  if (signals.length === 0) return builder;
  return signals.reduce(
    (dashboard, signal) => dashboard.withPanel(signalPanel(context, signal)),
    builder.withRow(row('Signals')),
  );
}

function signalPanel(context: DashboardContext, signal: PanelSignal) {
  const lines = deploymentThresholds(context, signal.id, deploymentSeriesName);
  const counter = context.series.of(signal.promql.counter);
  return timeseriesPanel({
    title: signal.dashboard.title,
    description:
      `${signal.meaning} ${signal.promql.items} over ${ALERT_RATE_RANGE}, per deployment: what the ${Object.values(signal.promql.alerts).join(' and ')} ` +
      'alerts compare. Dashed lines: the thresholds of this service in this environment.',
    unit: signal.dashboard.unit,
    source: 'prometheus',
  })
    .min(0)
    .thresholds(thresholds(lines.defaults))
    .overrides(overrides(lines.overrides))
    .thresholdsStyle(dashedThresholdLines())
    .withTarget(
      promTarget(
        sumBy(BY_DEPLOYMENT, increase(counter, [inEnvironment(), ofService()], ALERT_RATE_RANGE)),
        deploymentLegend(),
      ),
    );
}
