/**
 * Every file the package generates and commits, from the validated profiles. Pure: the same
 * profiles always give the same files, so a test can compare them with what is committed.
 */
import { alertmanagerFiles } from './alerting/alertmanager';
import { alertRuleFiles } from './alerting/rule-files';
import { collectorConfigFiles } from './collector/files';
import { dashboardFiles } from './dashboards/files';
import { docsFiles } from './docs/files';
import type { GeneratedFile } from './generated-file';
import { localStackFiles } from './local-stack/files';
import { platformSettingsFiles } from './platform-settings/files';
import type { EnvironmentProfile } from './profile/schema';

export function allGeneratedFiles(profiles: Record<string, EnvironmentProfile>): GeneratedFile[] {
  const files = [
    ...collectorConfigFiles(profiles),
    ...localStackFiles(profiles),
    ...alertRuleFiles(profiles),
    ...alertmanagerFiles(profiles),
    ...dashboardFiles(profiles),
    ...platformSettingsFiles(profiles),
  ];
  // The reference docs describe the other generated files (rules, collector configs), so they come last.
  return [...files, ...docsFiles(profiles, files)].sort((a, b) => a.path.localeCompare(b.path));
}
