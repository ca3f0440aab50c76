import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertRuleFiles, renderYaml } from '../../lib/alerting/rule-files';
import { trafficRuleGroupName } from '../../lib/alerting/traffic-anomaly';
import { trafficTestFile } from '../../lib/alerting/traffic-anomaly-tests';
import { SeriesNames } from '../../lib/metrics/series-names';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { promtool } from '../support/promtool';
import { describeWithTool, PROMTOOL } from '../support/system-tool';

// The real promtool on prod's traffic rules as the rule file writes them, those of the service the
// cases drive alone: three weeks of history under every other rule would keep promtool busy for minutes.
const profiles = loadEnvironmentProfiles(exampleEnvironments());
const prod = profiles.prod;
const ruleFile = alertRuleFiles(profiles).find((file) => file.path === 'alerts/prod.rules.yaml');
interface Group {
  readonly name: string;
  readonly rules: readonly { readonly labels: Record<string, string> }[];
}
const groups = (parse(ruleFile?.content ?? '') as { groups: Group[] }).groups;
const trafficGroups = groups.filter((group) => group.name === trafficRuleGroupName('prod'));
const testedService = Object.keys(prod.services).sort()[0];
const tests = trafficTestFile(
  'prod',
  prod,
  new SeriesNames(prod.grafanaCloud.metricNameTranslation),
  '../traffic.rules.yaml',
) as { tests: { name: string }[] };

jest.setTimeout(120_000);

describeWithTool(PROMTOOL, 'promtool on the traffic rules', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'traffic-rules-'));
    mkdirSync(join(folder, 'tests'));
    writeFileSync(
      join(folder, 'traffic.rules.yaml'),
      renderYaml(
        {
          groups: trafficGroups.map((group) => ({
            ...group,
            rules: group.rules.filter((rule) => rule.labels.service_name === testedService),
          })),
        },
        [`prod's traffic rules of ${testedService}`],
      ),
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test("prod's rule file holds one traffic group", () => {
    expect(trafficGroups.map((group) => group.name)).toEqual(['prod-traffic']);
  });

  test.each(tests.tests.map((testCase) => testCase.name))('%s', async (name) => {
    const path = join(folder, 'tests', `${tests.tests.findIndex((testCase) => testCase.name === name)}.test.yaml`);
    writeFileSync(
      path,
      renderYaml({ ...tests, tests: tests.tests.filter((testCase) => testCase.name === name) }, [name]),
    );
    expect(await promtool('test', 'rules', path)).toMatch(/SUCCESS/);
  });
});
