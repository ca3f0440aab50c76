/**
 * Threshold lines from the threshold model, so a dashboard line and an alert cannot disagree.
 *
 * Thresholds differ per environment (cdk.json: prod warns at 3 % errors, dev and staging at 5 %)
 * and per service (service overrides), while one dashboard serves every environment through its
 * `environment` variable. So a panel that alerts keeps the service and environment labels in its
 * series names (`api-gateway (prod)`): its defaults are the design's thresholds, and every
 * deployment whose resolved thresholds differ gets a field override on its series. Whatever the
 * variables select, each series carries exactly the thresholds its alert rule uses.
 */
import {
  type DynamicConfigValue,
  type MatcherConfig,
  type ThresholdsConfig,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { resolveThresholds, type Threshold } from '../alerting/thresholds';
import type { Severity } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration, type SignalId, signalById } from '../signals';
import { type DashboardContext, deployments } from './context';

export interface FieldOverride {
  readonly matcher: MatcherConfig;
  readonly properties: DynamicConfigValue[];
}

export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
};

const OK_COLOR = 'green';

type Line = Pick<Threshold, 'severity' | 'threshold' | 'comparison'>;

/**
 * Grafana steps for a signal's thresholds. Above-thresholds colour from their value up (green
 * below the lowest); below-thresholds colour everything under them (green from the highest up).
 */
export function thresholdSteps(lines: readonly Line[]): ThresholdsConfig {
  const sorted = [...lines].sort((a, b) => a.threshold - b.threshold || severityRank(a) - severityRank(b));
  if (sorted.length > 0 && sorted[0].comparison === 'below') {
    return {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: null, color: SEVERITY_COLORS[sorted[0].severity] },
        ...sorted.map((line, index) => ({
          value: line.threshold,
          color: index + 1 < sorted.length ? SEVERITY_COLORS[sorted[index + 1].severity] : OK_COLOR,
        })),
      ],
    };
  }
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { value: null, color: OK_COLOR },
      ...sorted.map((line) => ({ value: line.threshold, color: SEVERITY_COLORS[line.severity] })),
    ],
  };
}

/** The default thresholds of a signal (its declaration, lib/signals), before any override. */
export function defaultThresholdSteps(
  signal: SignalId,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): ThresholdsConfig {
  const definition = signalById(signal, signals).thresholds;
  if (definition === undefined) throw new Error(`signal ${signal} declares no thresholds to draw`);
  const lines = Object.entries(definition.defaults).map(([severity, value]) => ({
    severity: severity as Severity,
    threshold: value.threshold,
    comparison: definition.comparison,
  }));
  return thresholdSteps(lines);
}

/** The resolved thresholds of one signal for a service in an environment. */
export function signalThresholds(
  context: DashboardContext,
  environment: string,
  signal: SignalId,
  service?: string,
): Threshold[] {
  return resolveThresholds(context.profiles[environment], service, context.signals).filter(
    (line) => line.signal === signal,
  );
}

/** A panel's thresholds: defaults for every series, overrides for the series that differ. */
export interface PanelThresholds {
  readonly defaults: ThresholdsConfig;
  readonly overrides: readonly FieldOverride[];
}

/**
 * The design's defaults of `signal`, and an override for each deployment (service in an
 * environment) whose resolved thresholds differ, on the series `seriesName(service, environment)`.
 */
export function deploymentThresholds(
  context: DashboardContext,
  signal: SignalId,
  seriesName: (service: string, environment: string) => string,
): PanelThresholds {
  const defaults = defaultThresholdSteps(signal, context.signals);
  const overrides = deployments(context).flatMap(({ environment, service }) => {
    const steps = thresholdSteps(signalThresholds(context, environment, signal, service));
    return sameSteps(steps, defaults) ? [] : [thresholdOverride(byName(seriesName(service, environment)), steps)];
  });
  return { defaults, overrides };
}

/**
 * For environment-wide signals (AI spend, collector health): an override per environment on the
 * series `match(environment)` selects, drawn as dashed lines. The panel draws no lines by default,
 * since its other series (per model, per exporter) are not what the alert compares.
 */
export function environmentThresholdOverrides(
  context: DashboardContext,
  signal: SignalId,
  match: (environment: string) => MatcherConfig,
  style: 'lines' | 'colours' = 'lines',
): FieldOverride[] {
  return context.environments.map((environment) => {
    const override = thresholdOverride(
      match(environment),
      thresholdSteps(signalThresholds(context, environment, signal)),
    );
    return style === 'lines'
      ? {
          ...override,
          properties: [...override.properties, { id: 'custom.thresholdsStyle', value: { mode: 'dashed' } }],
        }
      : override;
  });
}

/** The colour of reference lines that are sizing figures, not alert thresholds. */
export const REFERENCE_COLOR = 'purple';

/**
 * A dashed line at a value no alert compares against (a sizing figure such as a gateway's
 * num_traces), on the matched series: green under it, REFERENCE_COLOR from it up.
 */
export function referenceLineOverride(match: MatcherConfig, value: number): FieldOverride {
  return {
    matcher: match,
    properties: [
      {
        id: 'thresholds',
        value: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: null, color: OK_COLOR },
            { value, color: REFERENCE_COLOR },
          ],
        },
      },
      { id: 'custom.thresholdsStyle', value: { mode: 'dashed' } },
    ],
  };
}

/** An override that turns the threshold lines off for the matched series (p50 and p99 of a p95 alert). */
export function withoutThresholdLines(match: MatcherConfig): FieldOverride {
  return { matcher: match, properties: [{ id: 'custom.thresholdsStyle', value: { mode: 'off' } }] };
}

/** Matches the series with this display name. */
export function byName(name: string): MatcherConfig {
  return { id: 'byName', options: name };
}

/** Matches series whose display name ends with ` (<environment>)`; Grafana anchors the pattern. */
export function byEnvironmentSuffix(environment: string): MatcherConfig {
  return { id: 'byRegexp', options: `.* \\(${escapeRegex(environment)}\\)` };
}

function thresholdOverride(matcher: MatcherConfig, steps: ThresholdsConfig): FieldOverride {
  return { matcher, properties: [{ id: 'thresholds', value: steps }] };
}

function sameSteps(a: ThresholdsConfig, b: ThresholdsConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function severityRank(line: Line): number {
  return ['info', 'warning', 'critical'].indexOf(line.severity);
}
