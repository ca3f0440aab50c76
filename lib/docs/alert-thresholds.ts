/**
 * docs/reference/alert-thresholds.md: the threshold of every signal and severity in each
 * environment of cdk.json, as the threshold model resolves it (lib/alerting/thresholds.ts: the
 * design's defaults, then the profile's overrides, then a service's). The CloudWatch alarms, the
 * Prometheus rules and the dashboards' threshold lines are built from the same values.
 */
import { resolveThresholds, SIGNALS } from '../alerting/thresholds';
import type { GeneratedFile } from '../generated-file';
import { ALERT_SIGNALS, type EnvironmentProfile, SEVERITIES } from '../profile/schema';
import { cell, code, generatedHeader, REFERENCE_FOLDER, table } from './markdown';

export const ALERT_THRESHOLDS_PATH = `${REFERENCE_FOLDER}/alert-thresholds.md`;

export function alertThresholdsPage(profiles: Readonly<Record<string, EnvironmentProfile>>): GeneratedFile {
  const names = Object.keys(profiles);
  const resolved = names.map((name) => resolveThresholds(profiles[name]));
  const rows = ALERT_SIGNALS.flatMap((signal) =>
    SEVERITIES.flatMap((severity) => {
      const values = resolved.map((thresholds) =>
        thresholds.find((threshold) => threshold.signal === signal && threshold.severity === severity),
      );
      if (values.every((value) => value === undefined)) return [];
      return [
        [
          code(signal),
          severity,
          ...values.map((value) =>
            value === undefined
              ? 'none'
              : `${value.comparison} ${value.threshold} ${value.unit} for ${value.windowMinutes} min`,
          ),
        ],
      ];
    }),
  );
  const overrides = names.flatMap((name) =>
    Object.entries(profiles[name].services)
      .filter(([, service]) => service.alertThresholds !== undefined)
      .map(([service]) => `- ${code(`${name}.${service}`)}: overrides of its own, in cdk.json`),
  );
  const signals = ALERT_SIGNALS.map((signal) => [code(signal), cell(SIGNALS[signal].description)]);
  return {
    path: ALERT_THRESHOLDS_PATH,
    content:
      generatedHeader('Alert thresholds', 'lib/alerting/thresholds.ts and the profiles in cdk.json') +
      "Each environment's thresholds: the defaults of the threshold model, overridden by the profile's " +
      '`alertThresholds`. A signal fires when it stays past the threshold for the whole window.\n\n' +
      `${table(['signal', 'severity', ...names], rows)}\n\n` +
      (overrides.length === 0 ? '' : `Services with overrides of their own:\n\n${overrides.join('\n')}\n\n`) +
      `## Signals\n\n${table(['signal', 'what crosses the threshold'], signals)}\n`,
  };
}
