import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { parse, stringify } from 'yaml';
import { grafanaDriftCheck, type PublishReport } from '../../lib/cli/commands/grafana';
import { allGeneratedFiles } from '../../lib/generated-files';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import { exampleEnvironments } from '../support/example-app';
import { FakeGrafanaCloud } from './support/fake-grafana-cloud';
import { EXAMPLE_APP, FAKE_TOKEN, obsctl } from './support/harness';

const ssm = mockClient(SSMClient);
const secretsManager = mockClient(SecretsManagerClient);

const GRAFANA_TOKEN = 'glsa_FakeServiceAccountToken0123456789abcdef_0a1b2c3d';
const MIMIR_USER = '1234567';
const SECRETS: Record<string, string> = {
  '/starmates-ai-team/prod/monitoring/alertmanager-oncall-url':
    'https://oncall-fixture.example.net/integrations/v1/alertmanager/zq7AmHookT0k3n9x4W2v8/',
  '/starmates-ai-team/prod/monitoring/alertmanager-slack-url':
    'https://hooks.slack.com/services/T0/B0/zq7SlackT0k3n9x4W2v8',
  '/starmates-ai-team/prod/monitoring/alertmanager-smtp-password': 'zq7SmtpPassw0rd9x4W2v8',
};

let checkout: string;
/** The objects of prod: each dashboard, each rule group, the Alertmanager configuration. */
let objectCount: number;
let fake: FakeGrafanaCloud;
let url: string;

beforeAll(() => {
  // The repository as an operator has it: cdk.json and the generated files committed beside it.
  checkout = mkdtempSync(join(tmpdir(), 'obsctl-grafana-'));
  copyFileSync(join(EXAMPLE_APP, 'cdk.json'), join(checkout, 'cdk.json'));
  const files = allGeneratedFiles(loadEnvironmentProfiles(exampleEnvironments()));
  const rules = files.find((file) => file.path === 'alerts/prod.rules.yaml')?.content ?? '';
  objectCount = files.filter((file) => file.path.startsWith('dashboards/')).length + parse(rules).groups.length + 1;
  for (const file of files) {
    if (!file.path.startsWith('dashboards/') && !file.path.startsWith('alerts/')) continue;
    mkdirSync(dirname(join(checkout, file.path)), { recursive: true });
    writeFileSync(join(checkout, file.path), file.content);
  }
});
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

beforeEach(async () => {
  ssm.reset();
  secretsManager.reset();
  ssm
    .on(GetParameterCommand, { Name: '/starmates-ai-team/prod/monitoring/grafana-service-account-token' })
    .resolves({ Parameter: { Value: GRAFANA_TOKEN, Type: 'SecureString' } })
    .on(GetParameterCommand, { Name: '/starmates-ai-team/prod/monitoring/grafana-cloud-api-key' })
    .resolves({ Parameter: { Value: FAKE_TOKEN, Type: 'SecureString' } });
  for (const [name, value] of Object.entries(SECRETS)) {
    secretsManager.on(GetSecretValueCommand, { SecretId: name }).resolves({ SecretString: value });
  }
  fake = new FakeGrafanaCloud({ grafanaToken: GRAFANA_TOKEN, mimirUser: MIMIR_USER, mimirToken: FAKE_TOKEN });
  url = await fake.start();
});
afterEach(() => fake.stop());

const publish = (...extra: string[]) =>
  obsctl(['grafana', 'publish', '--env', 'prod', '--grafana-url', url, '--prometheus-url', url, '--json', ...extra], {
    cwd: checkout,
  });

interface Report {
  readonly objects: { kind: string; name: string; action: string }[];
  readonly summary: Record<string, number>;
}
const report = (stdout: string) => JSON.parse(stdout) as Report;

describe('obsctl grafana publish', () => {
  test('the first publish creates every dashboard in the environment folder, every rule group and the Alertmanager configuration', async () => {
    const result = await publish();
    expect(result.code).toBe(0);
    const { summary } = report(result.stdout);
    expect(summary).toEqual({ create: objectCount, update: 0, unchanged: 0, 'changed-by-hand': 0, overwrite: 0 });
    expect([...fake.folders.keys()]).toEqual(['starmates-ai-team-prod']);
    expect([...fake.dashboards.values()].map((entry) => [entry.dashboard.uid, entry.folderUid])).toContainEqual([
      'starmates-slos-prod',
      'starmates-ai-team-prod',
    ]);
    expect([...fake.ruleGroups.keys()]).toContain('starmates-ai-team-prod/prod-api-gateway');
  });

  test('a second publish changes nothing and writes nothing', async () => {
    await publish();
    const writes = fake.writes().length;
    const result = await publish();
    expect(result.code).toBe(0);
    expect(report(result.stdout).summary.unchanged).toBe(objectCount);
    expect(fake.writes().length).toBe(writes);
  });

  test('--dry-run reports what would be created and writes nothing', async () => {
    const result = await publish('--dry-run');
    expect(report(result.stdout).summary.create).toBe(objectCount);
    expect(fake.writes()).toEqual([]);
  });

  test("the Alertmanager configuration is uploaded in Mimir's format with its secrets resolved", async () => {
    await publish();
    const document = parse(fake.alertmanager ?? '') as { template_files: object; alertmanager_config: string };
    expect(Object.keys(document)).toEqual(['template_files', 'alertmanager_config']);
    const config = parse(document.alertmanager_config) as {
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
    };
    expect(config.receivers[0].webhook_configs?.[0].url).toBe(
      SECRETS['/starmates-ai-team/prod/monitoring/alertmanager-oncall-url'],
    );
    expect(document.alertmanager_config).not.toContain('secretsmanager.invalid');
  });

  test('no token or receiver secret reaches the output', async () => {
    const result = await publish();
    const output = result.stdout + result.stderr;
    expect([GRAFANA_TOKEN, FAKE_TOKEN, ...Object.values(SECRETS)].filter((secret) => output.includes(secret))).toEqual(
      [],
    );
  });

  test('a dashboard changed by hand is reported and left alone, and exits 1', async () => {
    await publish();
    const stored = fake.dashboards.get('starmates-slos-prod');
    if (stored === undefined) throw new Error('not published');
    stored.dashboard = { ...stored.dashboard, title: 'Edited in the UI' };
    const result = await publish();
    expect(result.code).toBe(1);
    expect(report(result.stdout).objects).toContainEqual({
      kind: 'dashboard',
      name: 'starmates-slos-prod',
      action: 'changed-by-hand',
    });
    expect(fake.dashboards.get('starmates-slos-prod')?.dashboard.title).toBe('Edited in the UI');
  });

  test('a rule group changed by hand is replaced with --force', async () => {
    await publish();
    const key = 'starmates-ai-team-prod/prod-api-gateway';
    const group = parse(fake.ruleGroups.get(key) ?? '') as { rules: { expr: string }[] };
    group.rules[0].expr = 'vector(1)';
    fake.ruleGroups.set(key, stringify(group));
    const result = await publish('--force');
    expect(result.code).toBe(0);
    expect(report(result.stdout).objects).toContainEqual({ kind: 'rule group', name: key, action: 'overwrite' });
    expect(fake.ruleGroups.get(key)).not.toContain('vector(1)');
  });

  test('a committed change to a published object is an update, not a hand change', async () => {
    await publish();
    const path = join(checkout, 'alerts', 'prod.alertmanager.yaml');
    const original = require('node:fs').readFileSync(path, 'utf8') as string;
    try {
      writeFileSync(path, original.replace('repeat_interval: 4h', 'repeat_interval: 3h'));
      const result = await publish();
      expect(report(result.stdout).objects).toContainEqual({
        kind: 'alertmanager',
        name: 'alertmanager',
        action: 'update',
      });
    } finally {
      writeFileSync(path, original);
    }
  });

  test('refused Grafana credentials exit 3 with the grafana-auth code', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/starmates-ai-team/prod/monitoring/grafana-service-account-token' })
      .resolves({ Parameter: { Value: 'glsa_wrong', Type: 'SecureString' } });
    const result = await publish();
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error.code).toBe('grafana-auth');
  });
});

describe('obsctl doctor --grafana', () => {
  test('passes when everything live matches the committed files', async () => {
    await publish();
    const check = grafanaDriftCheck(JSON.parse((await publish('--dry-run')).stdout) as PublishReport, 'prod');
    expect(check.result).toBe('pass');
  });

  test('names each object that drifted and how, with the command that fixes it', async () => {
    await publish();
    const stored = fake.dashboards.get('starmates-slos-prod');
    if (stored === undefined) throw new Error('not published');
    stored.dashboard = { ...stored.dashboard, title: 'Edited in the UI' };
    const check = grafanaDriftCheck(JSON.parse((await publish('--dry-run')).stdout) as PublishReport, 'prod');
    expect(check).toEqual({
      check: 'Grafana Cloud matches dashboards/ and alerts/',
      result: 'fail',
      detail: 'dashboard starmates-slos-prod: changed by hand',
      fix: 'obsctl grafana publish --env prod --dry-run (then --force once the hand edits are in the files)',
    });
  });
});
