import { parse } from 'yaml';
import { alertRuleFiles } from '../../lib/alerting/rule-files';
import { ALERT_NAMES, RUNBOOKS_PATH } from '../../lib/alerting/runbooks';
import { obsctlProgram } from '../../lib/cli/program';
import { collectorConfigFiles } from '../../lib/collector/files';
import { GATEWAY_SIZING } from '../../lib/collector/gateway-sizing';
import { ALERT_THRESHOLDS_PATH } from '../../lib/docs/alert-thresholds';
import { ARCHITECTURE_PATH } from '../../lib/docs/architecture';
import { docsFiles } from '../../lib/docs/files';
import { GATEWAY_SIZING_PATH, number, SAMPLE_TRACES_PER_SECOND, sampleSizing } from '../../lib/docs/gateway-sizing';
import { METRIC_CATALOGUE_PATH } from '../../lib/docs/metric-catalogue';
import { OBSCTL_REFERENCE_PATH } from '../../lib/docs/obsctl-reference';
import { PROFILE_REFERENCE_PATH } from '../../lib/docs/profile-reference';
import { SAVED_QUERIES_PATH } from '../../lib/docs/saved-queries';
import { ALL_METRICS } from '../../lib/metrics/catalogue';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { fixtureEnvironments } from '../support/fixture-profiles';

const profiles = loadEnvironmentProfiles(fixtureEnvironments());
const described = [...collectorConfigFiles(profiles), ...alertRuleFiles(profiles)];
const files = [...described, ...docsFiles(profiles, described)];
const page = (path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`${path} is not generated`);
  return file.content;
};
/** GitHub's anchors of a page's `##` headings. */
const anchors = (content: string): string[] =>
  [...content.matchAll(/^## (.+)$/gm)].map(([, heading]) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  );

describe('the generated runbooks', () => {
  test.each(ALERT_NAMES)('has a section for %s', (alertName) => {
    expect(page(RUNBOOKS_PATH)).toContain(`\n## ${alertName}\n`);
  });

  test("every rule's runbook_url points at a section of the generated runbooks", () => {
    const urls = files
      .filter((file) => file.path.endsWith('.rules.yaml'))
      .flatMap((file) =>
        (parse(file.content) as { groups: { rules: { annotations?: { runbook_url?: string } }[] }[] }).groups.flatMap(
          (group) => group.rules.flatMap((rule) => rule.annotations?.runbook_url ?? []),
        ),
      );
    const targets = new Set(anchors(page(RUNBOOKS_PATH)).map((anchor) => `${RUNBOOKS_PATH}#${anchor}`));
    const broken = urls.filter((url) => !targets.has(url.replace(/^.*\/blob\/main\//, '')));
    expect(urls.length).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });
});

describe('the generated profile reference', () => {
  test.each([
    'services.<name>.port',
    'tenants.<name>.gatewayPort',
    'gateway.expectedTracesPerSecond',
    'notifications.slack.channelId',
  ])('has a row for %s', (path) => {
    expect(page(PROFILE_REFERENCE_PATH)).toContain(`| \`${path}\` |`);
  });

  test("takes its examples from the profiles it is generated from, not the schema's", () => {
    expect(page(PROFILE_REFERENCE_PATH)).toContain('`"https://fixture-shop.grafana.net"` (');
  });

  test('states a default the schema gives in words in the default column', () => {
    expect(page(PROFILE_REFERENCE_PATH)).toMatch(/^\| `collector\.memoryMiB` \| [^|]+ \| no \| 512 \|/m);
  });
});

describe('the generated obsctl reference', () => {
  const commandPaths = (command: ReturnType<typeof obsctlProgram>, words: string[]): string[] => [
    words.join(' '),
    ...command.commands.flatMap((child) => commandPaths(child, [...words, child.name()])),
  ];

  test.each(commandPaths(obsctlProgram(), ['obsctl']))('has the help of `%s`', (invocation) => {
    expect(page(OBSCTL_REFERENCE_PATH)).toContain(`## \`${invocation}\`\n\n\`\`\`text\nUsage: ${invocation} `);
  });
});

test('the metric catalogue lists every metric of the catalogue', () => {
  const rows = page(METRIC_CATALOGUE_PATH).match(/^\| `[^`]+` \| (counter|updowncounter|gauge|histogram) \|/gm);
  expect(rows).toHaveLength(ALL_METRICS.length);
});

test("the saved queries page names each tenant's folder", () => {
  expect(page(SAVED_QUERIES_PATH)).toMatch(/\/tenants\/[a-z0-9-]+\/`/);
});

describe('the architecture page', () => {
  test('draws the sidecars sending traces to the gateway where the profile has one', () => {
    expect(page(ARCHITECTURE_PATH)).toContain('sidecar -->|traces| gateway[');
  });

  test('draws the warning topic reaching the Slack channel of the profile', () => {
    expect(page(ARCHITECTURE_PATH)).toMatch(/warning -->\|AWS Chatbot\| chat\["Slack /);
  });
});

test('every generated page lies in docs/reference/, so hand-written docs beside it are never deleted', () => {
  const docs = files.filter((file) => file.path.startsWith('docs/'));
  expect(docs.length).toBeGreaterThan(0);
  expect(docs.filter((file) => !file.path.startsWith('docs/reference/'))).toEqual([]);
});

describe('the generated gateway sizing page', () => {
  const sizingPage = page(GATEWAY_SIZING_PATH);

  test.each(SAMPLE_TRACES_PER_SECOND)('its row for %i traces per second is what gateway-sizing computes', (rate) => {
    const { tasksNeeded, sizing } = sampleSizing(rate);
    expect(sizingPage).toContain(
      `| ${number(rate)} | ${number(sizing.spansPerSecond)} | ${tasksNeeded} | ${number(sizing.numTraces)} | ` +
        `${sizing.memoryNeededMiB} MiB |`,
    );
  });

  test('quotes the figures the sizing code uses', () => {
    expect(sizingPage).toContain(`| ${number(GATEWAY_SIZING.spansPerSecondPerVcpu)} |`);
    expect(sizingPage).toContain(`| ${GATEWAY_SIZING.targetCpuUtilizationPercent} % |`);
    expect(sizingPage).toContain(`| ${GATEWAY_SIZING.bytesPerBufferedSpan / 1024} KiB |`);
    expect(sizingPage).toContain(`| ${GATEWAY_SIZING.baselineMiB} MiB |`);
  });
});

test("the alert thresholds page shows a profile's override in its environment's column", () => {
  expect(page(ALERT_THRESHOLDS_PATH)).toMatch(/^\| `errorRate` \| warning \|.*\| above 4 % for 15 min \|/m);
});
