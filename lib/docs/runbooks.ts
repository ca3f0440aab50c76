/**
 * docs/reference/runbooks.md: one section per Prometheus alert, from lib/alerting/runbooks.ts (the
 * same data the rules' runbook_url points into), with the environments whose rule files carry it;
 * then one per CloudWatch-only alarm.
 */
import { ruleFilePath } from '../alerting/rule-files';
import {
  ALERT_NAMES,
  CLOUDWATCH_ONLY_ALARMS,
  CLOUDWATCH_ONLY_RUNBOOKS,
  RUNBOOKS,
  RUNBOOKS_PATH,
  type Runbook,
  type RunbookName,
  runbookAnchor,
} from '../alerting/runbooks';
import type { GeneratedFile } from '../generated-file';
import { SIGNAL_DECLARATIONS, type SignalDeclaration } from '../signals';
import { generatedHeader } from './markdown';

/**
 * @param rulesByEnvironment the alert names each environment's rule files define.
 * @param signals the declared signals: one whose runbook is its own text gets a section per alert.
 */
export function runbooksPage(
  rulesByEnvironment: Readonly<Record<string, ReadonlySet<string>>>,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): GeneratedFile {
  const ruleFilesOf = (alertName: string) => {
    const environments = Object.keys(rulesByEnvironment).filter((env) => rulesByEnvironment[env].has(alertName));
    const ruleFiles =
      environments.length > 0 ? environments.map((env) => `\`${ruleFilePath(env)}\``).join(', ') : 'none';
    return `Rule files: ${ruleFiles}.`;
  };
  const declared = declaredRunbooks(signals);
  const alertSections = [
    ...ALERT_NAMES.map((alertName) => section(alertName, RUNBOOKS[alertName], ruleFilesOf(alertName))),
    ...declared.map(({ name, runbook }) => section(name, runbook, ruleFilesOf(name))),
  ];
  const cloudWatchSections = CLOUDWATCH_ONLY_ALARMS.map((name) =>
    section(name, CLOUDWATCH_ONLY_RUNBOOKS[name], 'CloudWatch alarm only: no Prometheus rule watches this.'),
  );
  const sections = [...alertSections, ...cloudWatchSections];
  const index = [...ALERT_NAMES, ...declared.map(({ name }) => name), ...CLOUDWATCH_ONLY_ALARMS]
    .map((name) => `- [${name}](#${runbookAnchor(name)})`)
    .join('\n');
  return {
    path: RUNBOOKS_PATH,
    content:
      generatedHeader('Runbooks', 'lib/alerting/runbooks.ts and the alert rules') +
      'One runbook per alert. Every rule in `alerts/` links here through its `runbook_url`, and every CloudWatch ' +
      'alarm ends its description with a link here: to the Prometheus alert that watches the same signal, or to ' +
      'its own section among the CloudWatch-only alarms at the end.\n\n' +
      `${index}\n\n${sections.join('\n')}`,
  };
}

/** The sections of signals declared with their own runbook text: one per alert name, else one named by the id. */
export function declaredRunbooks(signals: readonly SignalDeclaration[]): { name: string; runbook: Runbook }[] {
  return signals.flatMap((signal) => {
    if (signal.runbook.kind !== 'text') return [];
    const runbook = signal.runbook.text;
    const names = signal.promql.kind === 'none' ? [signal.id] : [...new Set(Object.values(signal.promql.alerts))];
    return names.map((name) => ({ name, runbook }));
  });
}

function section(name: RunbookName, runbook: Runbook, source: string): string {
  return [
    // The anchor runbookUrl links to is GitHub's anchor for this heading.
    `## ${name}`,
    '',
    runbook.meaning,
    '',
    source,
    '',
    '**Check first**',
    '',
    ...runbook.checks.map((check, index) => `${index + 1}. ${check}`),
    '',
    `**Mitigate.** ${runbook.mitigation}`,
    '',
  ].join('\n');
}
