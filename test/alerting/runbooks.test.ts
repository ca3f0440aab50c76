import { ALERT_NAMES, RUNBOOK_BASE_URL, RUNBOOKS, runbookUrl } from '../../lib/alerting/runbooks';

describe('runbooks', () => {
  test('every alert has a runbook with its meaning, three checks and a mitigation', () => {
    for (const name of ALERT_NAMES) {
      const runbook = RUNBOOKS[name];
      expect(runbook.meaning.length).toBeGreaterThan(20);
      expect(runbook.checks).toHaveLength(3);
      expect(runbook.mitigation.length).toBeGreaterThan(20);
    }
  });

  test("a runbook URL points at the README heading 'Runbook: <alert name>'", () => {
    expect(RUNBOOK_BASE_URL).toBe('https://github.com/starmates-ai-team/cdk-otel-observability/blob/main/README.md');
    expect(runbookUrl('HighLatencyP95')).toBe(`${RUNBOOK_BASE_URL}#runbook-highlatencyp95`);
  });
});
