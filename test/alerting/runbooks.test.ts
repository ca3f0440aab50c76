import {
  ALERT_NAMES,
  CLOUDWATCH_ONLY_ALARMS,
  CLOUDWATCH_ONLY_RUNBOOKS,
  RUNBOOKS,
  runbookUrl,
} from '../../lib/alerting/runbooks';

describe('runbooks', () => {
  test('every alert has a runbook with its meaning, three checks and a mitigation', () => {
    for (const name of ALERT_NAMES) {
      const runbook = RUNBOOKS[name];
      expect(runbook.meaning.length).toBeGreaterThan(20);
      expect(runbook.checks).toHaveLength(3);
      expect(runbook.mitigation.length).toBeGreaterThan(20);
    }
  });

  test.each(CLOUDWATCH_ONLY_ALARMS)(
    'the CloudWatch-only alarm %s has a runbook with its meaning, three checks and a mitigation',
    (name) => {
      const runbook = CLOUDWATCH_ONLY_RUNBOOKS[name];
      expect(runbook.meaning.length).toBeGreaterThan(20);
      expect(runbook.checks).toHaveLength(3);
      expect(runbook.mitigation.length).toBeGreaterThan(20);
    },
  );

  test("a runbook URL points at the alert's heading in the generated docs/reference/runbooks.md", () => {
    expect(runbookUrl('HighLatencyP95')).toBe(
      'https://github.com/starmates-ai-team/cdk-otel-observability/blob/main/docs/reference/runbooks.md#highlatencyp95',
    );
  });
});
