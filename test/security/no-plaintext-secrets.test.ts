import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allGeneratedFiles } from '../../lib/generated-files';
import { loadEnvironmentProfiles } from '../../lib/profile/load';
import { committedGeneratedPaths } from '../../scripts/generate';
import { buildTestApp, defaultEnvironments } from '../support/default-app';

// A token in the shape Grafana Cloud issues. It is put where a careless implementation would
// pick it up (the process environment), then searched for everywhere the package writes.
const FAKE_TOKEN = 'glc_eyJvIjoiOTk5OTk5IiwibiI6InN0YWNrLTk5OTk5OS1vdGxwIiwiayI6InNlY3JldCJ9';
const TOKEN_SHAPE = /glc_[A-Za-z0-9+/=_-]{20,}/;

const saved = process.env.GRAFANA_CLOUD_API_KEY;
process.env.GRAFANA_CLOUD_API_KEY = FAKE_TOKEN;
const assembly = buildTestApp().app.synth();
process.env.GRAFANA_CLOUD_API_KEY = saved;

const templates = assembly.stacks.map((stack) => [stack.stackName, JSON.stringify(stack.template)] as const);
const generated = allGeneratedFiles(loadEnvironmentProfiles(defaultEnvironments())).map(
  (file) => [file.path, file.content] as const,
);
const committed = committedGeneratedPaths().map(
  (path) => [path, readFileSync(join(__dirname, '..', '..', path), 'utf8')] as const,
);

describe('no secret in plaintext', () => {
  test.each([...templates, ...generated, ...committed])('%s holds no token', (_name, text) => {
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toMatch(TOKEN_SHAPE);
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
});
