/**
 * Snapshots a reviewer can read: one per stack of the default app built from the fixture profile
 * (test/support/fixture-profiles.ts: two environments that use every profile field), with the
 * cdk-nag packs registered (it throws on any finding). Values that are whole generated files
 * (the collector configs embedded in task definitions) read as their path and a digest: those
 * files have their own drift and validation tests, and repeating ~10 KB of YAML per task definition
 * buried the template changes. `obsctl review` says what a change to cdk.json does; these
 * snapshots say what a change to the code does. `npm run refresh` (or `npx jest -u`) updates them.
 */
import { alertRuleFiles } from '../../lib/alerting/rule-files';
import { collectorConfigFiles } from '../../lib/collector/files';
import { dashboardFiles } from '../../lib/dashboards/files';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { digest } from '../../lib/review/digest';
import { buildTestApp } from '../support/default-app';
import { fixtureEnvironments } from '../support/fixture-profiles';

const environments = fixtureEnvironments();
const { app } = buildTestApp({ environments });
const assembly = app.synth();

const profiles = loadEnvironmentProfiles(environments);
/** Generated file content -> how a snapshot shows it. */
const generated = new Map(
  [...collectorConfigFiles(profiles), ...alertRuleFiles(profiles), ...dashboardFiles(profiles)].map((file) => [
    file.content,
    `<generated ${file.path}, sha256 ${digest(file.content)}>`,
  ]),
);

/** The template with every value that is a whole generated file replaced by its path and digest. */
function readable(value: unknown): unknown {
  if (typeof value === 'string') return generated.get(value) ?? value;
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readable(item)]));
  }
  return value;
}

test('the embedded collector configs are recognised as generated files', () => {
  expect(JSON.stringify(assembly.stacks.map((stack) => readable(stack.template)))).toContain(
    '<generated collector-config/shop-prod/gateway.yaml, sha256 ',
  );
});

describe.each(assembly.stacks.map((stack) => [stack.stackName, stack] as const))('%s', (_name, stack) => {
  test('template matches the snapshot', () => {
    expect(readable(stack.template)).toMatchSnapshot();
  });
});
