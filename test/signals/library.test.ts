/**
 * The library's signal declarations agree with what reads them: the profile's override keys, the
 * runbook sections and the alert names of the rule files.
 */
import { ALERT_NAMES, CLOUDWATCH_ONLY_ALARMS } from '../../lib/alerting/runbooks';
import { ALERT_SIGNALS } from '../../lib/profile/schema';
import { SIGNAL_DECLARATIONS, signalById, thresholdSignals, withSignals } from '../../lib/signals';

test('the signals with a threshold model are the profile’s alertThresholds keys, in its order', () => {
  expect(thresholdSignals().map((signal) => signal.id)).toEqual([...ALERT_SIGNALS]);
});

test('every signal id is declared once', () => {
  const ids = SIGNAL_DECLARATIONS.map((signal) => signal.id);
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
});

test('every runbook section a signal names is a section of the runbooks page', () => {
  const sections = new Set<string>([...ALERT_NAMES, ...CLOUDWATCH_ONLY_ALARMS]);
  const named = SIGNAL_DECLARATIONS.flatMap((signal) =>
    signal.runbook.kind === 'sections' ? signal.runbook.sections : [],
  );
  expect(named.filter((section) => !sections.has(section))).toEqual([]);
});

test('every alert name a signal declares is an alert of the runbooks page', () => {
  const alerts = SIGNAL_DECLARATIONS.flatMap((signal) =>
    signal.promql.kind === 'none' ? [] : Object.values(signal.promql.alerts),
  );
  expect(alerts.filter((alert) => !(ALERT_NAMES as readonly string[]).includes(alert))).toEqual([]);
});

test('a signal placed with a Prometheus rule declares its PromQL form, and one placed without none', () => {
  const mismatched = SIGNAL_DECLARATIONS.filter(
    (signal) => (signal.placement.prometheus === 'none') !== (signal.promql.kind === 'none'),
  ).map((signal) => signal.id);
  expect(mismatched).toEqual([]);
});

test('a signal placed as a service alarm declares a metric, metric-math or anomaly-band CloudWatch form', () => {
  const formless = SIGNAL_DECLARATIONS.filter(
    (signal) =>
      signal.placement.cloudWatch === 'serviceAlarm' &&
      !signal.cloudWatch.some((form) => ['metric', 'metricMath', 'anomalyBand'].includes(form.kind)),
  ).map((signal) => signal.id);
  expect(formless).toEqual([]);
});

test('declaring a signal with an id the library uses is refused: it would share alarm names', () => {
  expect(() => withSignals([signalById('errorRate')])).toThrow('signal id errorRate is declared twice');
});
