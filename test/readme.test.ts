import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_TOWER_ACKNOWLEDGEMENTS } from '../lib/control-tower-acknowledgements';
import { docsFiles } from '../lib/docs/files';
import { loadEnvironmentProfiles } from '../lib/profile-loader/load';
import { fixtureEnvironments } from './support/fixture-profiles';

const repoRoot = join(__dirname, '..');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The front door: what it is, the two commands, deploy, add a service, review, links; the reference lives in docs/. */
const README_MAX_BYTES = 15 * 1024;

test(`the README is at most ${README_MAX_BYTES / 1024} KiB`, () => {
  expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(README_MAX_BYTES);
});

test('the README links to every page of the generated reference', () => {
  const pages = docsFiles(loadEnvironmentProfiles(fixtureEnvironments()), []).map((file) => file.path);
  const missing = pages.filter((path) => !readme.includes(`](${path})`));
  expect(missing).toEqual([]);
});

test('the README holds no runbook: they are generated into docs/reference/runbooks.md', () => {
  expect(readme).not.toMatch(/^#+ Runbook: /m);
});

test('the guide Control Tower table lists every acknowledgement, and nothing else', () => {
  const guide = readFileSync(join(repoRoot, 'docs', 'guide.md'), 'utf8');
  const section = guide.slice(guide.indexOf('## Control Tower controls'), guide.indexOf('## Use the constructs'));
  const rows = [...section.matchAll(/^\| (CT\.[A-Z0-9.]+) \| `([a-z_]+)` \|/gm)].map(([, control, rule]) => [
    control,
    rule,
  ]);
  expect(rows).toEqual(CONTROL_TOWER_ACKNOWLEDGEMENTS.map(({ control, rule }) => [control, rule]));
});
