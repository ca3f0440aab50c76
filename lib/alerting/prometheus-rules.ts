/**
 * Prometheus alerting rules from the threshold model, for Grafana Cloud's Mimir ruler: one rule
 * per alert and service (so a per-service override changes that service's rule only), SLO
 * burn-rate rules per environment summed by service (the objectives are the same for every
 * service), and the environment-wide AI cost and collector rules. Every query filters by the
 * environment's `deployment_environment_name` label and names only series of the metric
 * catalogue, as the environment's Grafana Cloud stack names them (its `metricNameTranslation`,
 * lib/metrics/series-names.ts). Pure: no CDK.
 *
 * Collectors. An environment has two collector tiers where its profile declares `gateway`: the
 * sidecars (self-telemetry `service.name` otelcol-contrib) and the tail-sampling gateway
 * (otel-gateway), both pushing their own counters to the same Mimir. The collector rules select
 * by environment only, never by `service_name`, so a tier added or renamed later is watched too;
 * they sum by `service_name` and component, so each tier alerts on its own and the alert says
 * which one lost data. GatewayTracesEvicted watches the gateway's trace cache, and exists only
 * where the profile has a gateway.
 *
 * Windows. The SDKs and the sidecar collectors push metrics every 60 s (the OpenTelemetry default),
 * so a range must hold two pushes, even when they drift, for rate() to have an answer.
 * - Threshold rules (error rate, p95 latency, collector health, gateway evictions): `rate(…[R])`
 *   or `increase(…[R])` with R = half the threshold's window, at least 3 m (two pushes despite
 *   drift) and at most 5 m, and `for` = the window. A breach that lasts fires within window + R;
 *   a spike of at most window - R never fires, whatever its height, because the range forgets it
 *   before `for` runs out. Windows under 4 m cannot tell the two apart and are rejected.
 * - ServiceDown: `absent_over_time(…[2m])`, two push intervals (one late or lost push never empties
 *   it), with `for` = the window.
 * - HighAICost: the spend over the whole window (`increase(…[1h])`); the range is the window, so
 *   there is no `for`: a burst fires only if it spends the hour's budget.
 * - SLO burn rates: the error ratio above `burnRateThreshold` over the long AND the short window
 *   of each tier of BURN_RATE_WINDOWS; the long window does the job of `for`, the short one ends
 *   the alert soon after the burn stops.
 */
import { gatewaySizing } from '../collector/gateway-sizing';
import { SeriesNames } from '../metrics/series-names';
import type { EnvironmentProfile, Severity } from '../profile/schema';
import { type PromqlForm, SIGNAL_DECLARATIONS, type SignalDeclaration, signalById } from '../signals';
import { RULE_TEMPLATES, ruleAnnotations, ruleLabels } from './rule-annotations';
import { duration, round, ruleExpression } from './rule-expressions';
import {
  type AlertCondition,
  type AlertDefinition,
  AlertRuleError,
  BURN_RATE_ALERTS,
  type BurnRateTier,
  COLLECTOR_CHECKS,
  COLLECTOR_ITEMS,
  type CollectorItems,
  collectorsReporting,
  type DeclaredAlertName,
  declaredAlerts,
  EVALUATION_INTERVAL_MINUTES,
  MIN_RATE_RANGE_MINUTES,
  MIN_WINDOW_MINUTES,
  type PrometheusAlertRule,
  type PrometheusRuleGroup,
  rateRangeMinutes,
  SILENCE_RANGE_MINUTES,
} from './rule-model';
import type { AlertName } from './runbooks';
import {
  BURN_RATE_WINDOWS,
  burnRateThreshold,
  resolveThresholds,
  SERVICE_LEVEL_OBJECTIVES,
  type Threshold,
} from './thresholds';

// The rules' vocabulary, expressions and annotations live in their own files; this module stays
// the entry point that callers import them from.
export * from './rule-annotations';
export * from './rule-expressions';
export * from './rule-model';

interface AlertDraft {
  readonly environmentName: string;
  readonly group: string;
  readonly alert: AlertName | DeclaredAlertName;
  readonly severity: Severity;
  readonly condition: AlertCondition;
}

/**
 * Each signal's declaration (lib/signals) says where its rule goes: per service, per environment
 * (AI spend is a budget of the environment, and the collectors report under their own service
 * name, so per-service overrides of those apply to CloudWatch alarms only), or nowhere (ECS task
 * restarts and CloudWatch log ingestion never reach Mimir: CloudWatch alarms cover them).
 */
function placedFor(
  signals: readonly SignalDeclaration[],
  placement: SignalDeclaration['placement']['prometheus'],
): (threshold: Threshold) => boolean {
  return (threshold) => signalById(threshold.signal, signals).placement.prometheus === placement;
}

/**
 * The alert rules of one environment: per instrumented service (sorted by name) ServiceDown, error
 * rate and latency; then the SLO burn rates, AI cost and collector health of the environment.
 * @throws AlertRuleError for a threshold no rule can express (a window under 4 m, a severity
 *   without a rule name, an error-rate threshold of 100 % or more, a latency threshold of 0)
 */
export function alertDefinitions(
  environmentName: string,
  profile: EnvironmentProfile,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): AlertDefinition[] {
  // A service with instrumentation off sends nothing: ServiceDown would fire for ever.
  const services = Object.keys(profile.services)
    .filter((service) => profile.services[service].instrumentation !== false)
    .sort();
  const series = new SeriesNames(profile.grafanaCloud.metricNameTranslation);
  return [
    ...services.flatMap((service) => serviceDefinitions(environmentName, profile, service, signals)),
    ...burnRateDefinitions(environmentName, services),
    ...environmentDefinitions(environmentName, profile, signals),
  ].map((draft) => defineRule(draft, series));
}

/** Definitions -> rule groups, in the order the groups first appear. */
export function prometheusRuleGroups(definitions: readonly AlertDefinition[]): PrometheusRuleGroup[] {
  const names = [...new Set(definitions.map((definition) => definition.group))];
  return names.map((name) => ({
    name,
    interval: duration(EVALUATION_INTERVAL_MINUTES),
    rules: definitions.filter((definition) => definition.group === name).map((definition) => definition.rule),
  }));
}

function serviceDefinitions(
  environmentName: string,
  profile: EnvironmentProfile,
  service: string,
  signals: readonly SignalDeclaration[],
): AlertDraft[] {
  const thresholds = resolveThresholds(profile, service, signals).filter(placedFor(signals, 'perService'));
  return thresholds.map((threshold) => {
    const declaration = signalById(threshold.signal, signals);
    const alert = declaredAlerts(declaration)[threshold.severity];
    if (alert === undefined) throw unnamedAlert(environmentName, threshold, service);
    const condition =
      declaration.promql.kind === 'counterIncrease'
        ? counterCondition(environmentName, alert, threshold, service, declaration.promql)
        : serviceCondition(environmentName, alert, threshold, service);
    return define(environmentName, `${environmentName}-${service}`, alert, threshold.severity, condition);
  });
}

/** A declared signal's generic rule: the increase of its counter for one service. */
function counterCondition(
  environmentName: string,
  alert: AlertName | DeclaredAlertName,
  threshold: Threshold,
  service: string,
  form: PromqlForm & { kind: 'counterIncrease' },
): AlertCondition {
  return {
    kind: 'counterIncrease',
    signal: threshold.signal,
    service,
    counter: form.counter,
    items: form.items,
    threshold: threshold.threshold,
    ...rateWindows(environmentName, alert, threshold, service),
  };
}

/**
 * The SLO burn-rate rules: one per objective and severity for the whole environment, summed by
 * service_name so each service alerts on its own. The objectives are the same for every service,
 * and one rule instead of one per service keeps the ruler's day-long queries few.
 */
function burnRateDefinitions(environmentName: string, services: readonly string[]): AlertDraft[] {
  if (services.length === 0) return [];
  return SERVICE_LEVEL_OBJECTIVES.flatMap((objective) =>
    burnRateSeverities().map((severity) => {
      const alert = BURN_RATE_ALERTS[objective.name][severity];
      if (alert === undefined) {
        throw new AlertRuleError(
          `No ${objective.name} SLO alert is named for ${severity} burn rates: add one to the sloBurn:${objective.name} declaration (lib/signals/library.ts) and its runbook (lib/alerting/runbooks.ts).`,
        );
      }
      const tiers = BURN_RATE_WINDOWS.filter((window) => window.severity === severity).map(
        (window): BurnRateTier => ({
          burnRate: window.burnRate,
          errorRatio: round(burnRateThreshold(objective, window.burnRate)),
          longWindowMinutes: window.longWindowMinutes,
          shortWindowMinutes: window.shortWindowMinutes,
        }),
      );
      const unreachable = tiers.find((tier) => tier.errorRatio >= 1);
      if (unreachable !== undefined) {
        throw new AlertRuleError(
          `${alert}: a ${unreachable.burnRate}x burn of the ${objective.objective} ${objective.name} objective needs more than 100 % bad requests; lower the burn rate in BURN_RATE_WINDOWS.`,
        );
      }
      return define(environmentName, `${environmentName}-slo`, alert, severity, {
        kind: 'burnRate',
        services,
        objective,
        tiers,
      });
    }),
  );
}

function serviceCondition(
  environmentName: string,
  alert: AlertName | DeclaredAlertName,
  threshold: Threshold,
  service: string,
): AlertCondition {
  if (threshold.signal === 'serviceDown') {
    // The threshold (healthy tasks) has no Prometheus counterpart: series carry no task identity,
    // so the rule detects the threshold-1 case, a service of which no task reports at all.
    return { kind: 'silence', service, rangeMinutes: SILENCE_RANGE_MINUTES, forMinutes: threshold.windowMinutes };
  }
  const windows = rateWindows(environmentName, alert, threshold, service);
  if (threshold.signal === 'errorRate') {
    if (threshold.threshold >= 100) {
      throw new AlertRuleError(
        `${alert} for ${service} in ${environmentName}: an error-rate threshold of ${threshold.threshold} % can never be exceeded; set it below 100.`,
      );
    }
    return { kind: 'errorRate', service, thresholdPercent: threshold.threshold, ...windows };
  }
  if (threshold.threshold <= 0) {
    throw new AlertRuleError(
      `${alert} for ${service} in ${environmentName}: a p95 latency threshold of 0 s always fires; set it above 0.`,
    );
  }
  return { kind: 'latencyP95', service, thresholdSeconds: threshold.threshold, ...windows };
}

function environmentDefinitions(
  environmentName: string,
  profile: EnvironmentProfile,
  signals: readonly SignalDeclaration[],
): AlertDraft[] {
  return resolveThresholds(profile, undefined, signals)
    .filter(placedFor(signals, 'perEnvironment'))
    .flatMap((threshold): AlertDraft[] => {
      if (threshold.signal === 'aiCostPerHour' && threshold.severity === 'warning') {
        checkWindow(environmentName, 'HighAICost', threshold);
        return [
          define(environmentName, `${environmentName}-ai-cost`, 'HighAICost', threshold.severity, {
            kind: 'aiCost',
            thresholdUsd: threshold.threshold,
            windowMinutes: threshold.windowMinutes,
          }),
        ];
      }
      if (threshold.signal === 'collectorHealth' && threshold.severity === 'warning') {
        const collectorRules = COLLECTOR_CHECKS.flatMap((check) => {
          const windows = rateWindows(environmentName, check.alert, threshold);
          return (Object.keys(COLLECTOR_ITEMS) as CollectorItems[]).map((items) =>
            define(environmentName, `${environmentName}-collector`, check.alert, threshold.severity, {
              kind: 'collector',
              check,
              items,
              collectors: collectorsReporting(profile, items),
              threshold: threshold.threshold,
              ...windows,
            }),
          );
        });
        return [...collectorRules, ...gatewayEvictionDefinitions(environmentName, profile, threshold)];
      }
      throw unnamedAlert(environmentName, threshold);
    });
}

/**
 * GatewayTracesEvicted, where the profile has a gateway. Traces the tail sampler evicts before
 * their decision are lost telemetry like a failed export, so the rule takes the collectorHealth
 * threshold and severity (warning: any item lost over 5 min by default), as the gateway's
 * CloudWatch alarm counts them among its lost items (lib/constructs/collector-gateway.ts). Not
 * critical: the services are unaffected and most evicted traces would not have been kept, but
 * errors and slow traces are among them, so it must not wait for a ticket.
 */
function gatewayEvictionDefinitions(
  environmentName: string,
  profile: EnvironmentProfile,
  threshold: Threshold,
): AlertDraft[] {
  if (profile.gateway === undefined) return [];
  const alert: AlertName = 'GatewayTracesEvicted';
  return [
    define(environmentName, `${environmentName}-collector`, alert, threshold.severity, {
      kind: 'gatewayEvictions',
      numTraces: gatewaySizing(profile.gateway).numTraces,
      threshold: threshold.threshold,
      ...rateWindows(environmentName, alert, threshold),
    }),
  ];
}

function rateWindows(
  environmentName: string,
  alert: AlertName | DeclaredAlertName,
  threshold: Threshold,
  service?: string,
): { readonly rangeMinutes: number; readonly forMinutes: number } {
  checkWindow(environmentName, alert, threshold, service);
  return { rangeMinutes: rateRangeMinutes(threshold.windowMinutes), forMinutes: threshold.windowMinutes };
}

/** @throws AlertRuleError for a window too short to hold the pushes a rate needs and outlast them */
function checkWindow(
  environmentName: string,
  alert: AlertName | DeclaredAlertName,
  threshold: Threshold,
  service?: string,
): void {
  if (threshold.windowMinutes >= MIN_WINDOW_MINUTES) return;
  const where = service === undefined ? environmentName : `${service} in ${environmentName}`;
  throw new AlertRuleError(
    `${alert} for ${where}: the ${threshold.signal} window of ${threshold.windowMinutes} m is too short for a Prometheus rule; ` +
      `use at least ${MIN_WINDOW_MINUTES} m (a rate over 60 s pushes needs ${MIN_RATE_RANGE_MINUTES} m, and the window must outlast it to tell a breach from a spike).`,
  );
}

function unnamedAlert(environmentName: string, threshold: Threshold, service?: string): AlertRuleError {
  const where = service === undefined ? `environments.${environmentName}` : `${service} in ${environmentName}`;
  return new AlertRuleError(
    `${where}: ${threshold.signal}.${threshold.severity} has no Prometheus alert rule. Name one in the declaration of the signal (promql.alerts, lib/signals/library.ts) and add its runbook to lib/alerting/runbooks.ts.`,
  );
}

function burnRateSeverities(): Severity[] {
  return [...new Set(BURN_RATE_WINDOWS.map((window) => window.severity))];
}

function define(
  environmentName: string,
  group: string,
  alert: AlertName | DeclaredAlertName,
  severity: Severity,
  condition: AlertCondition,
): AlertDraft {
  return { environmentName, group, alert, severity, condition };
}

function defineRule(draft: AlertDraft, series: SeriesNames): AlertDefinition {
  const { environmentName, group, alert, severity, condition } = draft;
  const pending = 'forMinutes' in condition ? condition.forMinutes : undefined;
  const rule: PrometheusAlertRule = {
    alert,
    expr: ruleExpression(environmentName, condition, series),
    ...(pending === undefined ? {} : { for: duration(pending) }),
    labels: ruleLabels(environmentName, severity, condition),
    annotations: ruleAnnotations(environmentName, alert, severity, condition, RULE_TEMPLATES, series),
  };
  return { environmentName, group, severity, condition, rule, series };
}
