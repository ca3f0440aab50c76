import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alertRuleFiles } from '../../lib/alerting/rule-files';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { cdkJsonEnvironments } from '../support/cdk-json';
import { exampleEnvironments } from '../support/example-app';
import { promtool } from '../support/promtool';
import { describeWithTool, PROMTOOL } from '../support/system-tool';

// The real promtool (Debian package `prometheus`, 2.42 here) on the committed files: it parses
// the rules as Prometheus does and runs their unit tests. CI installs it and requires it. The
// committed files are the operator's, generated from cdk.json: so are their paths.
const paths = alertRuleFiles(loadEnvironmentProfiles(cdkJsonEnvironments())).map((file) => file.path);
const ruleFiles = paths.filter((path) => path.endsWith('.rules.yaml'));
const testFiles = paths.filter((path) => path.endsWith('.test.yaml'));

// A day of SLO data takes promtool about a second per test file.
jest.setTimeout(60_000);

describeWithTool(PROMTOOL, 'promtool', () => {
  test.concurrent.each(ruleFiles)('check rules accepts %s', async (path) => {
    expect(await promtool('check', 'rules', path)).toMatch(/SUCCESS: \d+ rules found/);
  });

  test.concurrent.each(testFiles)('test rules passes every case of %s', async (path) => {
    expect(await promtool('test', 'rules', path)).toMatch(/SUCCESS/);
  });
});

describeWithTool(PROMTOOL, 'promtool, with the stack translating without suffixes', () => {
  // The rules and their input series follow the profile's strategy together: under open-source
  // Mimir's default the counters have no _total, and the tests still fire and stay silent as they should.
  const environments = exampleEnvironments() as Record<string, { grafanaCloud: Record<string, unknown> }>;
  for (const environment of Object.values(environments)) {
    environment.grafanaCloud.metricNameTranslation = 'UnderscoreEscapingWithoutSuffixes';
  }
  const files = alertRuleFiles(loadEnvironmentProfiles(environments)).filter((file) =>
    ['alerts/prod.rules.yaml', 'alerts/tests/prod.test.yaml'].includes(file.path),
  );
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'rules-without-suffixes-'));
    for (const file of files) {
      mkdirSync(dirname(join(folder, file.path)), { recursive: true });
      writeFileSync(join(folder, file.path), file.content);
    }
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test("prod's rules query request_count, and every promtool case passes", async () => {
    expect(files.map((file) => file.path)).toEqual(['alerts/prod.rules.yaml', 'alerts/tests/prod.test.yaml']);
    expect(files[0].content).toContain('request_count{');
    expect(await promtool('test', 'rules', join(folder, 'alerts/tests/prod.test.yaml'))).toMatch(/SUCCESS/);
  });
});
