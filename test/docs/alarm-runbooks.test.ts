import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOKS_PATH } from '../../lib/alerting/runbooks';

const repoRoot = join(__dirname, '..', '..');
const snapshotFolder = join(repoRoot, 'test', 'app', '__snapshots__');
const snapshots = readdirSync(snapshotFolder)
  .map((name) => readFileSync(join(snapshotFolder, name), 'utf8'))
  .join('\n');
const runbooks = readFileSync(join(repoRoot, RUNBOOKS_PATH), 'utf8');

test("the CloudWatch alarms' runbook links in the default app's templates open a section of the generated runbooks", () => {
  const anchors = [...snapshots.matchAll(/Runbook: https:\/\/\S+?\/docs\/reference\/runbooks\.md#([a-z0-9]+)/g)].map(
    ([, anchor]) => anchor,
  );
  const headings = new Set([...runbooks.matchAll(/^## (\S+)$/gm)].map(([, heading]) => heading.toLowerCase()));
  expect(anchors.length).toBeGreaterThan(0);
  expect([...new Set(anchors)].filter((anchor) => !headings.has(anchor))).toEqual([]);
});
