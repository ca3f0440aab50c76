import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_NAMES } from '../lib/alerting/runbooks';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test.each(ALERT_NAMES)("the README has the runbook %s's runbook_url points at", (alertName) => {
  // GitHub's anchor for `### Runbook: ServiceDown` is `#runbook-servicedown`.
  expect(readme).toContain(`### Runbook: ${alertName}\n`);
});
