import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { allGeneratedFiles } from '../../lib/generated-files';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { committedGeneratedPaths } from '../../scripts/generate';
import { buildTestApp, exampleEnvironments } from '../support/default-app';
import { fixtureEnvironments } from '../support/fixture-profiles';
import { environmentsWithFixtureSecrets, fixtureNotificationSecrets } from '../support/notification-secrets';

const repoRoot = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

// A token in the shape Grafana Cloud issues. It is put where a careless implementation would
// pick it up (the process environment), then searched for everywhere the package writes.
const FAKE_TOKEN = 'glc_eyJvIjoiOTk5OTk5IiwibiI6InN0YWNrLTk5OTk5OS1vdGxwIiwiayI6InNlY3JldCJ9';
const TOKEN_SHAPE = /glc_[A-Za-z0-9+/=_-]{20,}/;

// The on-call webhook and heartbeat URLs the fixture's secrets hold (they carry tokens). The app is
// built from the fixture profile, which names the secrets, with the URLs in the process
// environment, as a CI job might export them.
const environmentNames = Object.keys(exampleEnvironments());
const fixtureSecrets = environmentNames.flatMap((name) => Object.values(fixtureNotificationSecrets(name)));
const prodSecrets = fixtureNotificationSecrets('prod');
// Each URL, its token alone, and the URL as CDK would fold it into a logical id (alphanumerics only).
const SECRET_FORMS = fixtureSecrets.flatMap(({ url }) => [
  url,
  url.split('/').at(-2) as string,
  url.replace(/[^A-Za-z0-9]/g, ''),
]);
// What the profiles held in plaintext before the URLs moved to Secrets Manager (issue 18).
const EARLIER_PLAINTEXT = /oncall\.starmates\.example|\/integrations\/v1\/(amazon_sns|heartbeat)\//;

/** The fixture's secret URLs and tokens, and the earlier plaintext URLs, found in a text. */
function secretsIn(text: string): string[] {
  const found = SECRET_FORMS.filter((form) => text.includes(form));
  const earlier = EARLIER_PLAINTEXT.exec(text);
  return [...found, ...(earlier === null ? [] : [earlier[0]]), ...(text.includes(FAKE_TOKEN) ? [FAKE_TOKEN] : [])];
}

const saved = { ...process.env };
Object.assign(process.env, {
  GRAFANA_CLOUD_API_KEY: FAKE_TOKEN,
  ONCALL_WEBHOOK_URL: prodSecrets.onCallWebhook.url,
  HEARTBEAT_URL: prodSecrets.heartbeat.url,
});
const assembly = buildTestApp({ environments: environmentsWithFixtureSecrets() }).app.synth();
for (const key of ['GRAFANA_CLOUD_API_KEY', 'ONCALL_WEBHOOK_URL', 'HEARTBEAT_URL']) {
  if (saved[key] === undefined) delete process.env[key];
  else process.env[key] = saved[key];
}

const templates = assembly.stacks.map((stack) => [stack.stackName, JSON.stringify(stack.template)] as const);
const generated = allGeneratedFiles(loadEnvironmentProfiles(environmentsWithFixtureSecrets())).map(
  (file) => [file.path, file.content] as const,
);
const committed = committedGeneratedPaths().map((path) => [path, read(path)] as const);
const SNAPSHOT = 'test/app/__snapshots__/snapshots.test.ts.snap';

/** Every logical id of a template: resources, outputs, parameters, conditions. */
function logicalIds(stack: CloudFormationStackArtifact): string[] {
  const template = stack.template as Record<string, Record<string, unknown> | undefined>;
  return ['Resources', 'Outputs', 'Parameters', 'Conditions'].flatMap((section) =>
    Object.keys(template[section] ?? {}),
  );
}

/** What `npm pack` takes from the repository, but dist/ (compiled from lib/ and bin/, scanned instead). */
function packagedSourcePaths(): string[] {
  const { files } = JSON.parse(read('package.json')) as { files: string[] };
  const walk = (path: string): string[] =>
    statSync(join(repoRoot, path)).isDirectory()
      ? readdirSync(join(repoRoot, path)).flatMap((entry) => walk(relative(repoRoot, join(repoRoot, path, entry))))
      : [path];
  return [...files.map((entry) => entry.replace(/^dist\//, '').replace(/\/$/, '')), 'package.json']
    .filter((path) => existsSync(join(repoRoot, path)))
    .flatMap(walk);
}

describe('no secret in plaintext', () => {
  test.each([...templates, ...generated, ...committed])('%s holds no token or secret URL', (_name, text) => {
    expect(secretsIn(text)).toEqual([]);
    expect(text).not.toMatch(TOKEN_SHAPE);
  });

  test('the search finds a secret where there is one', () => {
    expect(secretsIn(`{"Endpoint":"${prodSecrets.heartbeat.url}"}`)).toEqual([
      prodSecrets.heartbeat.url,
      prodSecrets.heartbeat.url.split('/').at(-2),
      '/integrations/v1/heartbeat/',
    ]);
  });

  test('the token reaches the collector only as a reference to its SSM parameter', () => {
    const secrets = templates.flatMap(([, text]) => [
      ...text.matchAll(/"Name":"GRAFANA_CLOUD_API_KEY","ValueFrom":"([^"]+)"/g),
    ]);
    // Every collector: the 12 sidecars of the sample services and the gateways of staging and prod.
    expect(secrets.length).toBe(14);
    for (const match of secrets)
      expect(match[1]).toMatch(/^arn:aws:ssm:[a-z0-9-]+:\d{12}:parameter\/.+\/grafana-cloud-api-key$/);
    const plain = templates.filter(([, text]) => /"Name":"GRAFANA_CLOUD_API_KEY","Value"/.test(text));
    expect(plain).toEqual([]);
  });

  test('the webhook and heartbeat URLs reach SNS only as references to their secrets', () => {
    const endpoints = templates.flatMap(([, text]) =>
      [...text.matchAll(/"Endpoint":"([^"]+)","Protocol":"https"/g)].map((match) => match[1]),
    );
    expect(endpoints.sort()).toEqual(
      fixtureSecrets.map(({ name }) => `{{resolve:secretsmanager:${name}:SecretString:::}}`).sort(),
    );
  });

  test.each(assembly.stacks.map((stack) => [stack.stackName, stack] as const))(
    'no logical id of %s is made from a URL',
    (_name, stack) => {
      const fromUrls = logicalIds(stack).filter((id) => /https?[A-Z0-9]/i.test(id) || secretsIn(id).length > 0);
      expect(fromUrls).toEqual([]);
    },
  );

  test('the subscriptions keep their logical ids when the secrets change', () => {
    const subscriptionIds = (environments: Record<string, Record<string, unknown>>) => {
      const [platform] = buildTestApp({ environments, selection: 'dev', compliance: false }).platforms;
      return Object.keys(
        Template.fromStack(platform).findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'https' } }),
      );
    };
    const renamed = environmentsWithFixtureSecrets();
    (renamed.dev.notifications as Record<string, unknown>).onCallWebhook = { secretsManagerSecretName: '/other/name' };
    const ids = subscriptionIds(environmentsWithFixtureSecrets());
    expect(ids.sort()).toEqual([
      expect.stringMatching(/^AlarmRoutingHeartbeatEndpoint/),
      expect.stringMatching(/^AlarmRoutingOnCallWebhook/),
    ]);
    expect(subscriptionIds(renamed).sort()).toEqual(ids);
  });

  test('the snapshot of the default app holds no secret URL', () => {
    expect(secretsIn(read(SNAPSHOT))).toEqual([]);
  });

  test("the snapshots read each environment's URLs from the secrets its profile names", () => {
    // The snapshots are of the fixture profile (test/app/snapshots.test.ts).
    const references = [...read(SNAPSHOT).matchAll(/"Endpoint": "(\{\{resolve:[^"]+)"/g)].map((match) => match[1]);
    expect(references.sort()).toEqual(
      Object.keys(fixtureEnvironments())
        .flatMap((name) => [
          `{{resolve:secretsmanager:/shop/${name}/monitoring/oncall-heartbeat-url:SecretString:::}}`,
          `{{resolve:secretsmanager:/shop/${name}/monitoring/oncall-webhook-url:SecretString:::}}`,
        ])
        .sort(),
    );
  });

  test("the package does not ship the sample app's cdk.json", () => {
    const { files } = JSON.parse(read('package.json')) as { files: string[] };
    expect(files).not.toContain('cdk.json');
  });

  test.each(packagedSourcePaths())('packaged %s holds no secret URL', (path) => {
    expect(secretsIn(read(path))).toEqual([]);
  });
});
