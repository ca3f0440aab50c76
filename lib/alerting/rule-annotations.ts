/**
 * The labels and annotations of each alert rule: severity, environment and signal labels, and the
 * summary, description and runbook link, written as Go templates in the rules and expanded in the
 * promtool tests. Pure: no CDK.
 */
import type { SeriesNames } from '../metrics/series-names';
import type { Severity } from '../profile/schema';
import { SIGNAL_LABEL } from './routing';
import { duration, number, type RuleSeries, round, ruleSeries, SERVICE_LABEL } from './rule-expressions';
import { type AlertCondition, COLLECTOR_ITEMS, COLLECTOR_TIERS, type DeclaredAlertName } from './rule-model';
import { type AlertName, runbookUrl } from './runbooks';

/** The rule's static labels: severity, environment, and the service or collector signal it concerns. */
export function ruleLabels(
  environmentName: string,
  severity: Severity,
  condition: AlertCondition,
): Readonly<Record<string, string>> {
  const labels: Record<string, string> = {
    severity,
    environment: environmentName,
    [SIGNAL_LABEL]: conditionSignal(condition),
  };
  if ('service' in condition) labels.service_name = condition.service;
  if (condition.kind === 'collector') labels.otel_signal = COLLECTOR_ITEMS[condition.items];
  if (condition.kind === 'gatewayEvictions') labels.otel_signal = 'traces';
  return labels;
}

/**
 * What the rule watches, the same for its critical and warning forms: the profile's alert signal
 * (alertThresholds.<signal>), or the SLO for burn rates. The Alertmanager inhibits a warning while
 * the critical alert of the same signal and service fires (lib/alerting/alertmanager.ts).
 */
export function conditionSignal(condition: AlertCondition): string {
  switch (condition.kind) {
    case 'silence':
      return 'serviceDown';
    case 'errorRate':
    case 'latencyP95':
      return condition.kind;
    case 'burnRate':
      return `${condition.objective.name}SLO`;
    case 'aiCost':
      return 'aiCostPerHour';
    case 'collector':
    case 'gatewayEvictions':
      return 'collectorHealth';
    case 'counterIncrease':
      return condition.signal;
  }
}

// --- Annotations -----------------------------------------------------------------------------

export type ValueFormat = 'humanize' | 'humanizePercentage';

/**
 * How annotation text shows the query's value and result labels: Go templates in the rules,
 * the expanded text in promtool tests.
 */
export interface AnnotationValues {
  readonly value: (format: ValueFormat) => string;
  readonly label: (name: string) => string;
}

export const RULE_TEMPLATES: AnnotationValues = {
  value: (format) => `{{ $value | ${format} }}`,
  label: (name) => `{{ $labels.${name} }}`,
};

/** summary, description and runbook_url of a rule. */
export function ruleAnnotations(
  environmentName: string,
  alert: AlertName | DeclaredAlertName,
  severity: Severity,
  condition: AlertCondition,
  values: AnnotationValues,
  series: SeriesNames,
): Readonly<Record<string, string>> {
  const { summary, description } = annotationText(environmentName, severity, condition, values, ruleSeries(series));
  return { summary, description, runbook_url: runbookUrl(alert) };
}

function annotationText(
  environmentName: string,
  severity: Severity,
  condition: AlertCondition,
  values: AnnotationValues,
  names: RuleSeries,
): { summary: string; description: string } {
  const env = environmentName;
  switch (condition.kind) {
    case 'silence':
      // The value is always 1 (absent), so the text does not show it.
      return {
        summary: `${condition.service} in ${env} sends no telemetry`,
        description:
          `Neither ${names.requests} nor ${names.inFlight} has arrived from ${condition.service} in ${env} for ` +
          `${duration(condition.rangeMinutes)}, continuously for ${duration(condition.forMinutes)}: its tasks are down or its telemetry path is broken.`,
      };
    case 'errorRate':
      return {
        summary: `${condition.service} in ${env}: 5xx share above ${number(condition.thresholdPercent)} %`,
        description:
          `${values.value('humanize')} % of the requests of ${condition.service} in ${env} were answered with a 5xx status over the last ` +
          `${duration(condition.rangeMinutes)}, above ${number(condition.thresholdPercent)} % for ${duration(condition.forMinutes)}.`,
      };
    case 'latencyP95':
      return {
        summary: `${condition.service} in ${env}: p95 latency above ${number(condition.thresholdSeconds)} s`,
        description:
          `The 95th percentile of request duration of ${condition.service} in ${env} is ${values.value('humanize')} s over the last ` +
          `${duration(condition.rangeMinutes)}, above ${number(condition.thresholdSeconds)} s for ${duration(condition.forMinutes)}.`,
      };
    case 'burnRate': {
      const { objective, tiers } = condition;
      const service = values.label(SERVICE_LABEL);
      const bad =
        objective.name === 'availability'
          ? 'answered with a 5xx status'
          : `slower than ${number(objective.latencyThresholdSeconds ?? 0)} s`;
      const windows = tiers
        .map(
          (tier) =>
            `${number(tier.burnRate)}x over ${duration(tier.longWindowMinutes)} and ${duration(tier.shortWindowMinutes)} (above ${number(round(tier.errorRatio * 100))} %)`,
        )
        .join(', or ');
      return {
        summary: `${service} in ${env} burns its ${objective.name} error budget ${severity === 'critical' ? 'fast' : 'steadily'}`,
        description:
          `${values.value('humanizePercentage')} of the requests of ${service} in ${env} were ${bad} over the long window: ` +
          `the ${number(round(objective.objective * 100))} % ${objective.name} objective's 30-day error budget burns at ${windows}.`,
      };
    }
    case 'aiCost':
      return {
        summary: `AI spend in ${env} above ${number(condition.thresholdUsd)} USD per ${duration(condition.windowMinutes)}`,
        description: `AI spend (${names.aiCost}, all models and services) in ${env} was ${values.value('humanize')} USD over the last ${duration(condition.windowMinutes)}; the budget is ${number(condition.thresholdUsd)} USD.`,
      };
    case 'collector': {
      const { check } = condition;
      const items = condition.items.replace('_', ' ');
      const collectors = values.label(SERVICE_LABEL);
      return {
        summary: `Collectors in ${env} ${check.verb} ${items} (${collectors})`,
        description:
          `Collectors in ${env} reporting as ${collectors} (${COLLECTOR_TIERS.sidecar}: the sidecars; ${COLLECTOR_TIERS.gateway}: the gateway) ` +
          `${check.verb} ${values.value('humanize')} ${items} at ${check.component} ${values.label(check.component)} ` +
          `in the last ${duration(condition.rangeMinutes)}, above ${number(condition.threshold)} for ${duration(condition.forMinutes)}.`,
      };
    }
    case 'counterIncrease':
      return {
        summary: `${condition.service} in ${env}: ${condition.items} above ${number(condition.threshold)}`,
        description:
          `${condition.service} in ${env} counted ${values.value('humanize')} ${condition.items} in the last ` +
          `${duration(condition.rangeMinutes)}, above ${number(condition.threshold)} for ${duration(condition.forMinutes)}.`,
      };
    case 'gatewayEvictions':
      return {
        summary: `The collector gateway in ${env} evicted traces before their sampling decision`,
        description:
          `The tail-sampling gateway (${values.label(SERVICE_LABEL)}) in ${env} evicted ${values.value('humanize')} traces before their sampling decision ` +
          `in the last ${duration(condition.rangeMinutes)}, above ${number(condition.threshold)} for ${duration(condition.forMinutes)}: ` +
          `its trace cache (num_traces ${number(condition.numTraces)} per task) was full, and those traces are lost, errors and slow ones included.`,
      };
  }
}
