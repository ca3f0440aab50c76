import { alertRuleFiles } from '../../lib/alerting/rule-files';
import { loadEnvironmentProfiles } from '../../lib/profile/load';
import { promtool } from '../support/promtool';

// The real promtool (Debian package `prometheus`, 2.42 here) on the committed files: it parses
// the rules as Prometheus does and runs their unit tests. Never skipped: CI installs it.
const cdkJson = require('../../cdk.json') as { context: { environments: unknown } };
const paths = alertRuleFiles(loadEnvironmentProfiles(structuredClone(cdkJson.context.environments))).map(
  (file) => file.path,
);
const ruleFiles = paths.filter((path) => path.endsWith('.rules.yaml'));
const testFiles = paths.filter((path) => path.endsWith('.test.yaml'));

// A day of SLO data takes promtool about a second per test file.
jest.setTimeout(60_000);

describe('promtool', () => {
  test.concurrent.each(ruleFiles)('check rules accepts %s', async (path) => {
    expect(await promtool('check', 'rules', path)).toMatch(/SUCCESS: \d+ rules found/);
  });

  test.concurrent.each(testFiles)('test rules passes every case of %s', async (path) => {
    expect(await promtool('test', 'rules', path)).toMatch(/SUCCESS/);
  });
});
