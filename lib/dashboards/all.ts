/**
 * The six generated dashboards, in the order of design 6.5 plus collector health and SLOs.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { EnvironmentProfile } from '../profile/schema';
import { SIGNAL_DECLARATIONS, type SignalDeclaration } from '../signals';
import { aiUsageDashboard } from './ai-usage';
import { collectorHealthDashboard } from './collector-health';
import { type DashboardContext, dashboardContext } from './context';
import { infrastructureDashboard } from './infrastructure';
import { serviceHealthDashboard } from './service-health';
import { sloDashboard } from './slos';
import { workflowExecutionDashboard } from './workflow-execution';

export const DASHBOARD_BUILDERS: readonly ((context: DashboardContext) => Dashboard)[] = [
  serviceHealthDashboard,
  workflowExecutionDashboard,
  aiUsageDashboard,
  infrastructureDashboard,
  collectorHealthDashboard,
  sloDashboard,
];

/**
 * Every dashboard, built from the validated profiles and the declared signals (not yet checked:
 * see `dashboardFiles`).
 */
export function buildDashboards(
  profiles: Readonly<Record<string, EnvironmentProfile>>,
  signals: readonly SignalDeclaration[] = SIGNAL_DECLARATIONS,
): Dashboard[] {
  const context = dashboardContext(profiles, signals);
  return DASHBOARD_BUILDERS.map((build) => build(context));
}
