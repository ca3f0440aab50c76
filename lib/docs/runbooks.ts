/**
 * docs/reference/runbooks.md: one section per Prometheus alert, from lib/alerting/runbooks.ts (the
 * same data the rules' runbook_url points into), with the environments whose rule files carry it.
 */
import { ruleFilePath } from '../alerting/rule-files';
import { ALERT_NAMES, RUNBOOKS, RUNBOOKS_PATH, runbookAnchor } from '../alerting/runbooks';
import type { GeneratedFile } from '../generated-file';
import { generatedHeader } from './markdown';

/** @param rulesByEnvironment the alert names each environment's rule files define. */
export function runbooksPage(rulesByEnvironment: Readonly<Record<string, ReadonlySet<string>>>): GeneratedFile {
  const sections = ALERT_NAMES.map((alertName) => {
    const runbook = RUNBOOKS[alertName];
    const environments = Object.keys(rulesByEnvironment).filter((env) => rulesByEnvironment[env].has(alertName));
    return [
      // The anchor runbookUrl links to is GitHub's anchor for this heading.
      `## ${alertName}`,
      '',
      runbook.meaning,
      '',
      `Rule files: ${environments.length > 0 ? environments.map((env) => `\`${ruleFilePath(env)}\``).join(', ') : 'none'}.`,
      '',
      '**Check first**',
      '',
      ...runbook.checks.map((check, index) => `${index + 1}. ${check}`),
      '',
      `**Mitigate.** ${runbook.mitigation}`,
      '',
    ].join('\n');
  });
  const index = ALERT_NAMES.map((alertName) => `- [${alertName}](#${runbookAnchor(alertName)})`).join('\n');
  return {
    path: RUNBOOKS_PATH,
    content:
      generatedHeader('Runbooks', 'lib/alerting/runbooks.ts and the alert rules') +
      'One runbook per Prometheus alert. Every rule in `alerts/` links here through its `runbook_url`, and the ' +
      'CloudWatch alarm that watches the same signal ends its description with the same link.\n\n' +
      `${index}\n\n${sections.join('\n')}`,
  };
}
